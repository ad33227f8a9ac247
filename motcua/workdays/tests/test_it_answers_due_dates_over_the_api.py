"""Public API: GET /api/v1/calendar/due and GET /api/v1/calendar/{year}."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DUE = "/api/v1/calendar/due"


def get(client: Client, **params: str) -> Any:
    return client.get(DUE, params)


def test_it_answers_the_tet_2024_golden_case(client: Client, seeded: None) -> None:
    # See the golden cases: 17:01 Wed 07/02/2024 + 3 working days → 17:00 Mon 19/02/2024.
    response = get(client, start="2024-02-07T17:01:00+07:00", amount="3", unit="working_days")
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2024-02-19T17:00:00+07:00"
    assert body["start"] == "2024-02-15T07:00:00+07:00"
    assert any("Tết Nguyên đán" in line for line in body["explanation"])
    assert body["explanation"][-1].startswith("Hạn giải quyết: 17:00 Thứ Hai 19/02/2024")


def test_it_explains_in_english_and_converts_time_zones(client: Client, seeded: None) -> None:
    # 00:00 UTC = 07:00 in Vietnam, Mon 04/03/2024; 4 working hours → 11:00.
    response = get(
        client, start="2024-03-04T00:00:00Z", amount="4", unit="working_hours", lang="en"
    )
    assert response.status_code == 200
    assert response.json()["due"] == "2024-03-04T11:00:00+07:00"
    assert response.json()["explanation"][-1] == "Due: 11:00, Monday 04/03/2024."


def test_it_accepts_an_offset_whose_plus_sign_was_not_encoded(client: Client, seeded: None) -> None:
    response = client.get(f"{DUE}?start=2024-03-04T07:00:00+07:00&amount=1&unit=working_days")
    assert response.status_code == 200
    assert response.json()["due"] == "2024-03-04T17:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"amount": "1", "unit": "working_days"}, "start"),
        ({"start": "yesterday", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "2024-03-04T07:00:00", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "1980-03-04T07:00:00+07:00", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "2024-03-04T07:00:00+07:00", "unit": "working_days"}, "amount"),
        ({"start": "2024-03-04T07:00:00+07:00", "amount": "-1", "unit": "working_days"}, "amount"),
        ({"start": "2024-03-04T07:00:00+07:00", "amount": "1.5", "unit": "working_days"}, "amount"),
        (
            {"start": "2024-03-04T07:00:00+07:00", "amount": "99999", "unit": "working_days"},
            "amount",
        ),
        ({"start": "2024-03-04T07:00:00+07:00", "amount": "1"}, "unit"),
        ({"start": "2024-03-04T07:00:00+07:00", "amount": "1", "unit": "weeks"}, "unit"),
        (
            {
                "start": "2024-03-04T07:00:00+07:00",
                "amount": "1",
                "unit": "working_days",
                "lang": "fr",
            },
            "lang",
        ),
    ],
)
def test_it_names_the_bad_parameter_in_a_422(
    client: Client, params: dict[str, str], field: str
) -> None:
    response = get(client, **params)
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == field
    assert field in body["detail"]


def test_it_lists_a_years_non_working_and_swapped_days(client: Client, seeded: None) -> None:
    response = client.get("/api/v1/calendar/2024")
    assert response.status_code == 200
    body = response.json()
    days = {d["date"]: d for d in body["days"]}
    assert days["2024-05-04"]["kind"] == "swap_workday"
    assert days["2024-05-04"]["working"] is True
    assert days["2024-05-04"]["source"] == "Công văn 2450/VPCP-KGVX ngày 12/04/2024"
    assert days["2024-02-13"]["kind"] == "compensatory"
    assert body["office_hours"] == "07:00–11:30, 13:30–17:00"
    # 2024: 262 weekdays (Mon 01/01 … Tue 31/12) − 12 weekdays off (01/01; 08, 09, 12, 13,
    # 14/02; 18/04; 29/04, 30/04, 01/05; 02, 03/09) + 1 worked Saturday (04/05) = 251.
    assert body["working_days"] == 251


def test_it_refuses_a_year_outside_the_calendar(client: Client) -> None:
    response = client.get("/api/v1/calendar/1800")
    assert response.status_code == 422
    assert response.json()["field"] == "year"
