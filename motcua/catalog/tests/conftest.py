from __future__ import annotations

import copy
import json
from typing import Any

import pytest

PROVINCE_AGENCY = "000.00.03.H16"


def procedure(code: str = "1.001193", **overrides: Any) -> dict[str, Any]:
    """A small valid procedure in the import format."""
    item: dict[str, Any] = {
        "code": code,
        "name": "Thủ tục đăng ký khai sinh",
        "field": "ho-tich",
        "levels": ["commune"],
        "implementing_agencies": {"level": "commune"},
        "online_level": "partial",
        "result_kind": "both",
        "publication": {"decision_number": "163/QĐ-BTP", "date": "2025-06-30"},
        "cases": [
            {
                "name": "Trường hợp chung",
                "time_limit": {"amount": 1, "unit": "working_days"},
                "note": "Nguồn chỉ ghi “1”; tính là ngày làm việc.",
            }
        ],
        "components": [
            {"name": "Tờ khai đăng ký khai sinh", "required": True, "originals": 1},
            {"name": "Giấy chứng sinh", "required": True, "must_digitize": True},
        ],
        "fees": [],
        "process_steps": [
            {"name": "Tiếp nhận", "role": "clerk", "time_share": 10},
            {"name": "Thẩm định", "role": "specialist", "time_share": 60},
            {"name": "Phê duyệt", "role": "leader", "time_share": 30},
        ],
        "results": [{"code": "KQ.G15.000031", "name": "Giấy khai sinh"}],
    }
    item.update(overrides)
    return item


def catalog(*procedures: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "motcua.catalog/1",
        "fields": [
            {"code": "ho-tich", "name": "Hộ tịch"},
            {"code": "hoat-dong-xay-dung", "name": "Hoạt động xây dựng"},
        ],
        "procedures": list(procedures) or [procedure()],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def variant(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(data)


@pytest.fixture
def commune_agency(db: Any) -> Any:
    from motcua.units.models import AgencyLevel
    from motcua.units.tests.factories import AgencyFactory, CommuneFactory

    commune = CommuneFactory(name="Xã Hòa Phú")
    return AgencyFactory(
        code="000.31.20.H16",
        name="Ủy ban nhân dân xã Hòa Phú",
        level=AgencyLevel.COMMUNE,
        unit=commune,
    )


@pytest.fixture
def province_agency(db: Any) -> Any:
    from motcua.units.tests.factories import AgencyFactory

    return AgencyFactory(code=PROVINCE_AGENCY, name="Sở Tư pháp")


@pytest.fixture
def demo_agencies(commune_agency: Any) -> list[Any]:
    """The agency codes the demo catalog names, plus one commune People's Committee."""
    from motcua.units.tests.factories import AgencyFactory

    names = {
        "000.00.03.H16": "Sở Tư pháp",
        "000.00.04.H16": "Sở Xây dựng",
        "000.00.05.H16": "Sở Nông nghiệp và Môi trường",
        "000.00.06.H16": "Sở Tài chính",
        "000.00.13.H16": "Công an tỉnh",
    }
    return [AgencyFactory(code=c, name=n) for c, n in names.items()] + [commune_agency]
