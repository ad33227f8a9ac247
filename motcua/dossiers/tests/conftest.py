"""A small province for dossier tests: a provincial one-stop centre, the Department of Justice
(competent) and the Department of Construction (another agency), their staff, two procedures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import MembershipFactory, UserFactory
from motcua.units.tests.factories import AgencyFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE, JUSTICE, CONSTRUCTION = "000.00.20.H16", "000.00.21.H16", "000.00.22.H16"


def at(text: str) -> dt.datetime:
    """``at("2026-03-02 08:00")`` → an aware instant in Asia/Ho_Chi_Minh."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VN)


def _procedure(code: str, name: str, *, days: int, online_days: int | None, mode: str) -> dict:
    case: dict[str, Any] = {
        "name": "Trường hợp chung",
        "time_limit": {"amount": days, "unit": "working_days"},
    }
    if online_days is not None:
        case["online_time_limit"] = {"amount": online_days, "unit": "working_days"}
    return {
        "code": code,
        "name": name,
        "field": "ly-lich-tu-phap",
        "levels": ["province"],
        "implementing_agencies": {"codes": [JUSTICE]},
        "online_level": "full",
        "result_kind": "both",
        "supplement_mode": mode,
        "publication": {"decision_number": "01/QĐ-DEMO", "date": "2025-06-30"},
        "cases": [case],
        "components": [
            {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "required": True, "originals": 1},
            {"name": "Bản chụp căn cước công dân", "required": True, "copies": 1},
        ],
        "fees": [
            {"name": "Phí cấp Phiếu lý lịch tư pháp", "amount_vnd": 200000, "payer_kind": "citizen"}
        ],
        "process_steps": [
            {"name": "Tiếp nhận hồ sơ", "role": "clerk", "time_share": 10},
            {"name": "Thẩm định, xác minh", "role": "specialist", "time_share": 60},
            {"name": "Phê duyệt, ký kết quả", "role": "leader", "time_share": 20},
            {"name": "Trả kết quả", "role": "clerk", "time_share": 10},
        ],
        "results": [{"code": "KQ.DEMO.1", "name": "Phiếu lý lịch tư pháp"}],
    }


@dataclass
class World:
    centre: Any
    justice: Any
    construction: Any
    clerk: Any  # one-stop clerk of the provincial centre
    justice_clerk: Any
    specialist: Any
    head: Any
    leader: Any
    outsider: Any  # specialist of the Department of Construction
    citizen: Any


@pytest.fixture
def world(db: Any) -> World:
    from motcua.catalog.services import catalog_import

    centre = AgencyFactory(code=CENTRE, name="Trung tâm Phục vụ hành chính công tỉnh")
    justice = AgencyFactory(code=JUSTICE, name="Sở Tư pháp")
    construction = AgencyFactory(code=CONSTRUCTION, name="Sở Xây dựng")
    catalog = {
        "format": "motcua.catalog/1",
        "fields": [{"code": "ly-lich-tu-phap", "name": "Lý lịch tư pháp"}],
        "procedures": [
            _procedure(
                "1.000001",
                "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
                days=5,
                online_days=3,
                mode="pause",
            ),
            _procedure(
                "1.000002",
                "Cấp Phiếu lý lịch tư pháp số 2",
                days=2,
                online_days=None,
                mode="restart",
            ),
        ],
    }
    catalog_import(text=json.dumps(catalog, ensure_ascii=False))

    def official(username: str, name: str, agency: Any, role: str) -> Any:
        user = UserFactory(username=username, full_name=name)
        MembershipFactory(user=user, agency=agency, role=role)
        return user

    from motcua.accounts.models import UserKind

    citizen = UserFactory(
        username="066090004321",
        kind=UserKind.CITIZEN,
        id_number="066090004321",
        full_name="Nguyễn Thị Ánh Tuyết",
    )
    return World(
        centre=centre,
        justice=justice,
        construction=construction,
        clerk=official("clerk", "Hoàng Văn Nam", centre, Role.CLERK),
        justice_clerk=official("jclerk", "Đỗ Thị Lan", justice, Role.CLERK),
        specialist=official("spec", "Phạm Minh Đức", justice, Role.SPECIALIST),
        head=official("head", "Vũ Thị Hạnh", justice, Role.HEAD),
        leader=official("leader", "Lê Quang Vinh", justice, Role.LEADER),
        outsider=official("outsider", "Bùi Văn Tâm", construction, Role.SPECIALIST),
        citizen=citizen,
    )


@pytest.fixture
def clock_at() -> Iterator[Any]:
    """``clock_at("2026-03-02 08:00")`` moves time (the legal clock's "now")."""
    traveller: list[Any] = []

    def move(text: str) -> None:
        if traveller:
            traveller.pop().stop()
        t = time_machine.travel(at(text), tick=False)
        t.start()
        traveller.append(t)

    yield move
    if traveller:
        traveller.pop().stop()
