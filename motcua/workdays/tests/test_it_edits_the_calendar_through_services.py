"""Services: audited writes, validation at the edge, idempotent seeding, cache invalidation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import MembershipFactory, UserFactory
from motcua.audit.models import AuditEvent
from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.workdays import selectors, services
from motcua.workdays.models import Holiday
from motcua.workdays.rules import Unit
from motcua.workdays.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_officer(agency_a: Any) -> Any:
    user = UserFactory(username="vp_ubnd", full_name="Phạm Văn Phòng")
    MembershipFactory(user=user, agency=agency_a, role=Role.PROVINCE_OFFICE)
    return user


def override(actor: Any, **kw: Any) -> Holiday:
    data: dict[str, Any] = {
        "date": dt.date(2024, 3, 5),
        "kind": "override_day_off",
        "name_vi": "Nghỉ lễ hội Cà phê Buôn Ma Thuột",
        "source": "Quyết định 123/QĐ-UBND ngày 01/03/2024",
    }
    data.update(kw)
    return services.holiday_create(actor=actor, **data)


def test_it_seeds_a_year_once(province_officer: Any) -> None:
    created = services.seed_year(year=2024)
    assert len(created) == Holiday.objects.count() == 15
    assert services.seed_year(year=2024) == []
    assert AuditEvent.objects.filter(action="calendar.seeded").count() == 1


def test_it_never_overwrites_a_province_decision_when_seeding(province_officer: Any) -> None:
    override(
        province_officer,
        date=dt.date(2024, 5, 4),
        kind="override_day_off",
        name_vi="Không làm bù",
        source="Quyết định 9/QĐ-UBND",
    )
    services.seed_year(year=2024)
    assert Holiday.objects.get(date=dt.date(2024, 5, 4)).kind == "override_day_off"


def test_it_creates_an_audited_override_that_moves_due_dates(province_officer: Any) -> None:
    cal = selectors.working_calendar()
    # 07:00 Mon 04/03/2024 + 2 working days = 17:00 Tue 05/03 on an ordinary week.
    assert cal.due(at(2024, 3, 4, 7), 2, Unit.WORKING_DAYS) == at(2024, 3, 5, 17)
    holiday = override(province_officer)
    event = AuditEvent.objects.get(action="holiday.created")
    assert event.subject_id == str(holiday.pk)
    assert event.data["after"]["source"] == "Quyết định 123/QĐ-UBND ngày 01/03/2024"
    # Tue 05/03 is now off: Mon 8 h, Wed 8 h → 17:00 Wed 06/03.
    recalculated = selectors.working_calendar()
    assert recalculated is not cal
    assert recalculated.due(at(2024, 3, 4, 7), 2, Unit.WORKING_DAYS) == at(2024, 3, 6, 17)


def test_it_audits_updates_with_only_the_changed_fields(province_officer: Any) -> None:
    holiday = override(province_officer)
    services.holiday_update(
        actor=province_officer,
        holiday=holiday,
        date=holiday.date,
        kind=holiday.kind,
        name_vi=holiday.name_vi,
        source="Quyết định 124/QĐ-UBND",
    )
    event = AuditEvent.objects.get(action="holiday.updated")
    assert event.data["before"] == {"source": "Quyết định 123/QĐ-UBND ngày 01/03/2024"}
    assert event.data["after"] == {"source": "Quyết định 124/QĐ-UBND"}


def test_it_audits_deletion_and_restores_the_working_day(province_officer: Any) -> None:
    holiday = override(province_officer)
    assert not selectors.working_calendar().is_working_day(dt.date(2024, 3, 5))
    services.holiday_delete(actor=province_officer, holiday=holiday)
    assert AuditEvent.objects.get(action="holiday.deleted").data["before"]["date"] == "2024-03-05"
    assert selectors.working_calendar().is_working_day(dt.date(2024, 3, 5))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "  "}, "source"),
        ({"name_vi": ""}, "name_vi"),
        ({"kind": "party"}, "kind"),
        ({"kind": "swap_workday"}, "kind"),  # Tue 05/03 is already a working day
        ({"date": dt.date(1900, 1, 1)}, "date"),
    ],
)
def test_it_refuses_bad_rows_and_changes_nothing(
    province_officer: Any, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        override(province_officer, **changes)
    assert err.value.field == field
    assert Holiday.objects.count() == 0
    assert not AuditEvent.objects.filter(action="holiday.created").exists()


def test_it_refuses_a_second_row_for_the_same_date(province_officer: Any) -> None:
    override(province_officer)
    with pytest.raises(InvalidInput) as err:
        override(province_officer, name_vi="Lần hai")
    assert err.value.field == "date"


def test_it_lets_only_the_province_office_edit(bob: Any, admin_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        override(bob)
    assert Holiday.objects.count() == 0
    override(admin_user)  # superusers may
    assert Holiday.objects.count() == 1


def test_it_rebuilds_the_cached_calendar_only_when_the_version_changes(
    province_officer: Any,
) -> None:
    first = selectors.working_calendar()
    assert selectors.working_calendar() is first  # cached per process
    # A row written behind the services' back is not seen until the version changes...
    Holiday.objects.create(
        date=dt.date(2024, 3, 6), kind="override_day_off", name_vi="x", source="y"
    )
    assert selectors.working_calendar() is first
    selectors.bump_calendar_version()
    assert not selectors.working_calendar().is_working_day(dt.date(2024, 3, 6))


def test_it_rebuilds_the_calendar_when_the_office_hours_change(settings: Any) -> None:
    first = selectors.working_calendar()
    settings.MOTCUA_OFFICE_HOURS = "08:00-12:00,13:00-17:00"
    second = selectors.working_calendar()
    assert second is not first
    assert second.next_working_moment(at(2024, 3, 4, 7)) == at(2024, 3, 4, 8)


def test_it_loads_the_demo_calendar_idempotently() -> None:
    from io import StringIO

    from django.core.management.base import OutputWrapper

    from motcua.workdays import demo

    demo.load(out=OutputWrapper(StringIO()))
    count = Holiday.objects.count()
    assert Holiday.objects.filter(date__year=2027).exists()
    demo.load(out=OutputWrapper(StringIO()))
    assert Holiday.objects.count() == count
