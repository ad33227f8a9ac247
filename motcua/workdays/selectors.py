"""Reads: the working calendar (cached per process) and the calendar rows."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput, NotFound
from motcua.workdays.models import CalendarRevision, Holiday
from motcua.workdays.rules import (
    RANGE_END,
    RANGE_START,
    DayKind,
    DayRule,
    WorkingCalendar,
)

#: Django cache key holding an opaque token that changes whenever a Holiday row changes.
CALENDAR_VERSION_KEY = "workdays:calendar-version"

#: Roles allowed to edit the calendar (besides superusers).
EDITOR_ROLES: frozenset[str] = frozenset({"province_office", "administrator"})

_lock = threading.Lock()


@dataclass(frozen=True)
class _Cached:
    key: tuple[str, str]
    calendar: WorkingCalendar
    revision: int
    checked_at: float


_cached: _Cached | None = None


def calendar_version() -> str:
    version = cache.get(CALENDAR_VERSION_KEY)
    if version is None:
        cache.add(CALENDAR_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(CALENDAR_VERSION_KEY)
    return str(version)


def bump_calendar_version() -> None:
    """Invalidate every process's cached calendar (they compare tokens on their next check);
    this process forgets its copy at once."""
    cache.set(CALENDAR_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    reset_calendar_cache()


def calendar_revision() -> int:
    """The number of calendar changes so far (see ``CalendarRevision``)."""
    row = CalendarRevision.objects.filter(pk=1).values_list("number", flat=True).first()
    return row or 0


def reset_calendar_cache() -> None:
    """Forget this process's calendar (tests call it after rolling back rows)."""
    global _cached
    with _lock:
        _cached = None


def build_calendar() -> WorkingCalendar:
    rules = [
        DayRule(
            day=row.date,
            kind=DayKind(row.kind),
            name_vi=row.name_vi,
            name_en=row.name_en,
            source=row.source,
        )
        for row in Holiday.objects.order_by("date")
    ]
    return WorkingCalendar.build(office_hours=settings.MOTCUA_OFFICE_HOURS, rules=rules)


def _current() -> _Cached:
    """The cached calendar, re-validated against the shared version token at most every
    ``MOTCUA_CALENDAR_CHECK_SECONDS`` (the token lives in the shared cache: one round trip)."""
    global _cached
    now = time.monotonic()
    cached = _cached
    ttl = float(getattr(settings, "MOTCUA_CALENDAR_CHECK_SECONDS", 1.0))
    hours = settings.MOTCUA_OFFICE_HOURS
    if cached is not None and cached.key[1] == hours and now - cached.checked_at < ttl:
        return cached
    key = (calendar_version(), hours)
    with _lock:
        if _cached is not None and _cached.key == key:
            _cached = _Cached(key, _cached.calendar, _cached.revision, now)
            return _cached
        _cached = _Cached(key, build_calendar(), calendar_revision(), now)
        return _cached


def working_calendar() -> WorkingCalendar:
    """The province's calendar, rebuilt only when the rows or the office hours change."""
    return _current().calendar


def working_calendar_revision() -> int:
    """The ``CalendarRevision`` the cached calendar was built from (dossiers record it)."""
    return _current().revision


def holiday_list(*, year: int | None = None) -> QuerySet[Holiday]:
    qs = Holiday.objects.order_by("date")
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs


def holiday_get(*, pk: int) -> Holiday:
    try:
        return Holiday.objects.get(pk=pk)
    except Holiday.DoesNotExist:
        raise NotFound(_("Không tìm thấy ngày này trong lịch."), field="id") from None


def check_year(year: int, *, field: str = "year") -> int:
    if not RANGE_START.year <= year <= RANGE_END.year:
        raise InvalidInput(
            _("Năm phải trong khoảng %(a)s–%(b)s.") % {"a": RANGE_START.year, "b": RANGE_END.year},
            field=field,
        )
    return year


def can_edit_calendar(user: Any) -> bool:
    """Superusers and officials holding an active province-office or administrator role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(user.memberships.filter(is_active=True, role__in=EDITOR_ROLES).exists())


@dataclass(frozen=True)
class DayCell:
    date: dt.date
    working: bool
    kind: str  # "", "weekend" or a HolidayKind value
    label: str  # the reason, empty for an ordinary working day
    holiday: Holiday | None


@dataclass(frozen=True)
class MonthGrid:
    month: int
    weeks: list[list[DayCell | None]]  # Monday-first weeks; None pads outside the month


def calendar_months(*, year: int) -> list[MonthGrid]:
    """Twelve Monday-first month grids with each special day's reason (for the back office)."""
    check_year(year)
    cal = working_calendar()
    rows = {h.date: h for h in holiday_list(year=year)}
    weekend_label = _("Nghỉ cuối tuần")
    months: list[MonthGrid] = []
    grid = pycalendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks: list[list[DayCell | None]] = []
        for week in grid.monthdatescalendar(year, month):
            cells: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                row = rows.get(day)
                if row is not None:
                    cell = DayCell(day, row.is_working, row.kind, row.name_vi, row)
                elif day.weekday() in cal.weekend:
                    cell = DayCell(day, False, DayKind.WEEKEND.value, weekend_label, None)
                else:
                    cell = DayCell(day, True, "", "", None)
                cells.append(cell)
            weeks.append(cells)
        months.append(MonthGrid(month=month, weeks=weeks))
    return months
