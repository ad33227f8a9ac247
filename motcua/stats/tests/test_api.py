from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.dossiers.services import ApplicantIn, dossier_receive
from motcua.dossiers.tests.conftest import CENTRE, JUSTICE

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/report-06a"


@pytest.fixture
def received(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    for channel in ("direct", "postal"):
        dossier_receive(
            actor=world.clerk,
            procedure_code="1.000001",
            case=None,
            channel=channel,
            applicant=ApplicantIn(name="Lê Thị Hoa", id_number="066190004321"),
        )


def test_the_report_has_a_row_per_child_and_a_total(world: Any, received: None) -> None:
    client = Client()
    client.force_login(world.clerk)
    body = client.get(URL, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    codes = [r["code"] for r in body["rows"]]
    assert JUSTICE in codes and CENTRE in codes
    justice = next(r for r in body["rows"] if r["code"] == JUSTICE)
    assert justice["received_direct_postal"] == 2
    # Due on 9/3 (5 working days): overdue at the end of March, within time on 6/3.
    assert (justice["pending_within_time"], justice["pending_overdue"]) == (0, 2)
    early = client.get(URL, {"from": "2026-03-01", "to": "2026-03-06"}).json()
    assert (early["total"]["pending_within_time"], early["total"]["pending_overdue"]) == (2, 0)
    assert body["total"]["received_total"] == 2
    assert body["total"]["identity_holds"] is True
    # One agency: its own row only (it has no children).
    body = client.get(URL, {"from": "2026-03-01", "to": "2026-03-31", "agency": JUSTICE}).json()
    assert [r["code"] for r in body["rows"]] == [JUSTICE]
    # Next month the two are carried over.
    body = client.get(URL, {"from": "2026-04-01", "to": "2026-04-30"}).json()
    assert body["total"]["carried_over"] == 2
    assert body["total"]["received_direct_postal"] == 0


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"to": "2026-03-31"}, 422, "from"),
        ({"from": "2026-03-01", "to": "31/03/2026"}, 422, "to"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, 422, "to"),
        ({"from": "2026-03-01", "to": "2026-03-31", "agency": "000.00.99.H16"}, 404, None),
    ],
)
def test_bad_parameters_get_a_clear_error(
    world: Any, params: dict[str, str], status: int, field: str | None
) -> None:
    client = Client()
    client.force_login(world.clerk)
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json().get("field") == field


def test_only_officials_read_statistics(world: Any) -> None:
    assert Client().get(URL, {"from": "2026-03-01", "to": "2026-03-31"}).status_code == 401
    client = Client()
    client.force_login(world.citizen)
    assert client.get(URL, {"from": "2026-03-01", "to": "2026-03-31"}).status_code == 403


def test_the_report_of_a_locality_has_a_row_per_child_unit(world: Any, received: None) -> None:
    """By administrative unit: the province's own agencies, then each commune with the agencies
    located in it (communes without agencies are left out)."""
    from motcua.units.tests.factories import CommuneFactory

    commune = CommuneFactory(name="Phường Tân Lập")
    CommuneFactory(name="Xã không có cơ quan")
    world.justice.unit = commune
    world.justice.save(update_fields=["unit"])
    client = Client()
    client.force_login(world.clerk)
    body = client.get(URL, {"from": "2026-03-01", "to": "2026-03-31", "unit": "66"}).json()
    assert body["unit"] == "66"
    rows = {r["code"]: r for r in body["rows"]}
    assert list(rows) == [commune.code]  # the province's own agencies received nothing
    assert rows[commune.code]["name"] == "Phường Tân Lập"
    assert rows[commune.code]["received_direct_postal"] == 2
    assert body["total"]["received_direct_postal"] == 2
    code = str(commune.code)
    body = client.get(URL, {"from": "2026-03-01", "to": "2026-03-31", "unit": code}).json()
    assert [r["code"] for r in body["rows"]] == [commune.code]
    bad = client.get(URL, {"from": "2026-03-01", "to": "2026-03-31", "unit": "00000"})
    assert bad.status_code == 404
    both = client.get(
        URL, {"from": "2026-03-01", "to": "2026-03-31", "unit": "66", "agency": JUSTICE}
    )
    assert both.status_code == 422 and both.json()["field"] == "unit"
