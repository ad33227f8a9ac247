"""The back-office page /office/calendar/: view for officials, edit for the province office."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import MembershipFactory, UserFactory
from motcua.audit.models import AuditEvent
from motcua.workdays.models import Holiday
from motcua.workdays.rules import Unit
from motcua.workdays.selectors import working_calendar
from motcua.workdays.tests.conftest import at

pytestmark = pytest.mark.django_db

PAGE = "/office/calendar/2024/"
ADD = "/office/calendar/2024/add/"


@pytest.fixture
def officer(agency_a: Any) -> Any:
    user = UserFactory(username="vp_ubnd", full_name="Phạm Văn Phòng")
    MembershipFactory(user=user, agency=agency_a, role=Role.PROVINCE_OFFICE)
    return user


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


FORM = {
    "date": "2024-03-05",
    "kind": "override_day_off",
    "name_vi": "Lễ hội Cà phê Buôn Ma Thuột",
    "name_en": "Buon Ma Thuot Coffee Festival",
    "source": "Quyết định 123/QĐ-UBND ngày 01/03/2024",
    "note": "",
}


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_it_shows_the_year_to_any_official_without_edit_controls(
    client: Client, bob: Any, seeded: None
) -> None:
    response = login(client, bob).get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<table class="month">') == 12
    assert "Tết Nguyên đán (Mùng 1)" in html
    assert 'class="day kind-swap_workday"' in html  # Saturday 04/05/2024 highlighted
    assert "Công văn 2450/VPCP-KGVX" in html
    assert ADD not in html
    assert 'href="/office/calendar/2023/"' in html and 'href="/office/calendar/2025/"' in html


def test_it_forbids_other_officials_to_edit(client: Client, bob: Any, seeded: None) -> None:
    login(client, bob)
    holiday = Holiday.objects.get(date="2024-05-04")
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, FORM).status_code == 403
    assert client.post(f"/office/calendar/day/{holiday.pk}/delete/").status_code == 403
    assert client.post(f"/office/calendar/day/{holiday.pk}/edit/", FORM).status_code == 403
    assert Holiday.objects.filter(date="2024-03-05").count() == 0
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_it_lets_the_province_office_add_an_override_that_changes_due_dates(
    client: Client, officer: Any
) -> None:
    login(client, officer)
    form_page = client.get(ADD)
    assert form_page.status_code == 200
    assert "csrfmiddlewaretoken" in form_page.content.decode()
    # Before: 07:00 Mon 04/03/2024 + 2 working days → 17:00 Tue 05/03.
    assert working_calendar().due(at(2024, 3, 4, 7), 2, Unit.WORKING_DAYS) == at(2024, 3, 5, 17)
    response = client.post(ADD, FORM)
    assert response.status_code == 302
    assert Holiday.objects.get(date="2024-03-05").source == FORM["source"]
    assert AuditEvent.objects.filter(action="holiday.created", actor=officer).count() == 1
    # After: Tue 05/03 is off → 17:00 Wed 06/03.
    assert working_calendar().due(at(2024, 3, 4, 7), 2, Unit.WORKING_DAYS) == at(2024, 3, 6, 17)
    page = client.get(PAGE).content.decode()
    assert "Lễ hội Cà phê Buôn Ma Thuột" in page


def test_it_requires_a_source_and_changes_nothing_without_one(client: Client, officer: Any) -> None:
    response = login(client, officer).post(ADD, {**FORM, "source": ""})
    assert response.status_code == 422
    assert Holiday.objects.count() == 0
    response = client.post(ADD, {**FORM, "kind": "swap_workday"})  # a Tuesday
    assert response.status_code == 422
    assert "Thứ Bảy hoặc Chủ nhật" in response.content.decode()
    assert Holiday.objects.count() == 0


def test_it_edits_and_deletes_with_an_audit_trail(client: Client, officer: Any) -> None:
    login(client, officer).post(ADD, FORM)
    holiday = Holiday.objects.get(date="2024-03-05")
    response = client.post(
        f"/office/calendar/day/{holiday.pk}/edit/", {**FORM, "source": "Quyết định 124/QĐ-UBND"}
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.source == "Quyết định 124/QĐ-UBND"
    assert client.get(f"/office/calendar/day/{holiday.pk}/delete/").status_code == 200
    assert client.post(f"/office/calendar/day/{holiday.pk}/delete/").status_code == 302
    assert not Holiday.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="holiday.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["holiday.created", "holiday.updated", "holiday.deleted"]


def test_it_rejects_a_post_without_the_csrf_token(officer: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(ADD, FORM).status_code == 403
    assert not Holiday.objects.exists()


def test_it_answers_when_it_would_be_due_without_javascript(
    client: Client, bob: Any, seeded: None
) -> None:
    response = login(client, bob).get(
        PAGE, {"start": "2024-02-07T17:01", "amount": "3", "unit": "working_days"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'datetime="2024-02-19T17:00:00+07:00"' in html
    assert "Tết Nguyên đán" in html


def test_it_answers_with_a_partial_for_htmx(client: Client, bob: Any, seeded: None) -> None:
    response = login(client, bob).get(
        "/office/calendar/due/",
        {"start": "2024-04-26T12:00", "amount": "5", "unit": "working_days"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'datetime="2024-05-07T11:30:00+07:00"' in html


def test_it_shows_a_clear_error_for_a_bad_calculator_input(client: Client, bob: Any) -> None:
    response = login(client, bob).get(
        "/office/calendar/due/",
        {"start": "not a date", "amount": "-3", "unit": "working_days"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_it_returns_404_for_a_year_outside_the_calendar(client: Client, bob: Any) -> None:
    assert login(client, bob).get("/office/calendar/1800/").status_code == 404


def test_it_saves_admin_edits_through_the_audited_service(client: Client, admin_user: Any) -> None:
    response = login(client, admin_user).post(
        "/admin/workdays/holiday/add/", {**FORM, "note": "qua trang quản trị"}
    )
    assert response.status_code == 302
    assert Holiday.objects.get(date="2024-03-05").note == "qua trang quản trị"
    assert AuditEvent.objects.filter(action="holiday.created", actor=admin_user).exists()
