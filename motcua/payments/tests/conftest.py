"""A dossier filed online by the world's citizen and waiting for payment of its fees."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.services import ActionIn, ApplicantIn, dossier_act, dossier_submit_online
from motcua.dossiers.tests.conftest import World, world  # noqa: F401 (fixture)

APPLICANT = ApplicantIn(
    name="Nguyễn Thị Ánh Tuyết",
    id_number="066090004321",
    phone="0905123456",
    email="tuyet@example.vn",
    address="12 Lê Duẩn, phường Buôn Ma Thuột",
)


def file_online(w: World, procedure: str = "1.000001") -> Any:
    return dossier_submit_online(
        actor=w.citizen, procedure_code=procedure, case=None, applicant=APPLICANT
    )


def act(actor: Any, code: str, action: str, **params: Any) -> Any:
    return dossier_act(actor=actor, code=code, action=action, params=ActionIn(**params))


@pytest.fixture
def awaiting(world: World) -> Any:  # noqa: F811
    """Filed online, accepted by the Department's clerk, payment requested (catalog fees)."""
    d = file_online(world)
    act(world.justice_clerk, d.code, "accept")
    return act(world.specialist, d.code, "request_payment", reason="Nộp phí cấp phiếu")
