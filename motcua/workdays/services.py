"""Writes to the calendar: create / update / delete a row, and seed a year. All audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record
from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.workdays import schedule
from motcua.workdays.models import CalendarRevision, Holiday, HolidayKind
from motcua.workdays.rules import RANGE_END, RANGE_START, WORKING_KINDS, DayKind
from motcua.workdays.selectors import bump_calendar_version, can_edit_calendar, check_year

HOLIDAY_FIELDS = ("date", "kind", "name_vi", "name_en", "source", "note")


def _snapshot(holiday: Holiday) -> dict[str, Any]:
    return {
        "date": holiday.date.isoformat(),
        "kind": holiday.kind,
        "name_vi": holiday.name_vi,
        "name_en": holiday.name_en,
        "source": holiday.source,
        "note": holiday.note,
    }


def _calendar_changed() -> None:
    revision_bump()
    # Now, so this process (and this transaction's reads) see the change at once; and again after
    # commit, so no other process keeps a calendar it rebuilt from the rows before the commit.
    bump_calendar_version()
    transaction.on_commit(bump_calendar_version)


def revision_bump() -> int:
    """Count one more calendar change (in the caller's transaction); returns the new number."""
    CalendarRevision.objects.bulk_create([CalendarRevision(pk=1)], ignore_conflicts=True)
    CalendarRevision.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())
    return CalendarRevision.objects.get(pk=1).number


def _require_editor(actor: Any) -> None:
    if not can_edit_calendar(actor):
        raise PermissionDenied(
            _("Chỉ Văn phòng UBND tỉnh hoặc quản trị hệ thống được sửa lịch làm việc.")
        )


def _clean(
    *,
    date: dt.date,
    kind: str,
    name_vi: str,
    name_en: str,
    source: str,
    note: str,
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise InvalidInput(_("Ngày không hợp lệ."), field="date")
    if not RANGE_START <= date <= RANGE_END:
        raise InvalidInput(
            _("Ngày phải trong khoảng %(a)s–%(b)s.") % {"a": RANGE_START.year, "b": RANGE_END.year},
            field="date",
        )
    if kind not in HolidayKind.values:
        raise InvalidInput(_("Loại ngày không hợp lệ."), field="kind")
    name_vi, name_en, source, note = name_vi.strip(), name_en.strip(), source.strip(), note.strip()
    if not name_vi:
        raise InvalidInput(_("Cần nhập tên ngày (tiếng Việt)."), field="name_vi")
    if not source:
        raise InvalidInput(
            _("Cần ghi căn cứ: số, ký hiệu văn bản quyết định ngày này."), field="source"
        )
    if DayKind(kind) in WORKING_KINDS and date.weekday() < 5:
        raise InvalidInput(
            _("Ngày làm việc bù phải là Thứ Bảy hoặc Chủ nhật (ngày thường đã là ngày làm việc)."),
            field="kind",
        )
    clash = Holiday.objects.filter(date=date)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise InvalidInput(
            _("Ngày %(d)s đã có trong lịch; hãy sửa dòng đó.") % {"d": f"{date:%d/%m/%Y}"},
            field="date",
        )
    return {
        "date": date,
        "kind": kind,
        "name_vi": name_vi,
        "name_en": name_en,
        "source": source,
        "note": note,
    }


@transaction.atomic
def holiday_create(
    *,
    actor: Any,
    date: dt.date,
    kind: str,
    name_vi: str,
    source: str,
    name_en: str = "",
    note: str = "",
) -> Holiday:
    _require_editor(actor)
    data = _clean(date=date, kind=kind, name_vi=name_vi, name_en=name_en, source=source, note=note)
    holiday = Holiday.objects.create(**data)
    record(action="holiday.created", actor=actor, subject=holiday, after=_snapshot(holiday))
    _calendar_changed()
    return holiday


@transaction.atomic
def holiday_update(
    *,
    actor: Any,
    holiday: Holiday,
    date: dt.date,
    kind: str,
    name_vi: str,
    source: str,
    name_en: str = "",
    note: str = "",
) -> Holiday:
    _require_editor(actor)
    locked = Holiday.objects.select_for_update().get(pk=holiday.pk)
    data = _clean(
        date=date,
        kind=kind,
        name_vi=name_vi,
        name_en=name_en,
        source=source,
        note=note,
        exclude_pk=locked.pk,
    )
    before_all = _snapshot(locked)
    for name, value in data.items():
        setattr(locked, name, value)
    after_all = _snapshot(locked)
    changed = [f for f in HOLIDAY_FIELDS if before_all[f] != after_all[f]]
    if not changed:
        return locked
    locked.save()
    record(
        action="holiday.updated",
        actor=actor,
        subject=locked,
        before={f: before_all[f] for f in changed},
        after={f: after_all[f] for f in changed},
    )
    _calendar_changed()
    return locked


@transaction.atomic
def holiday_delete(*, actor: Any, holiday: Holiday) -> None:
    _require_editor(actor)
    locked = Holiday.objects.select_for_update().get(pk=holiday.pk)
    pk = locked.pk
    before = _snapshot(locked)
    locked.delete()
    record(
        action="holiday.deleted",
        actor=actor,
        subject_type="workdays.holiday",
        subject_id=str(pk),
        before=before,
    )
    _calendar_changed()


@transaction.atomic
def seed_year(*, year: int, actor: Any | None = None) -> list[Holiday]:
    """Add the statutory days and official schedule of ``year``; returns the rows created.

    Idempotent, and never overwrites a date that already has a row: a province's own decision
    (or a correction made in the back office) wins over the seed. To cancel a seeded day off,
    change it to an ``override_workday`` row rather than deleting it, or the next seed restores it.
    """
    check_year(year)
    existing = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
    created: list[Holiday] = []
    for row in schedule.seed_rows(year):
        if row.day in existing or Holiday.objects.filter(date=row.day).exists():
            continue
        created.append(
            Holiday.objects.create(
                date=row.day,
                kind=row.kind.value,
                name_vi=row.name_vi,
                name_en=row.name_en,
                source=row.source,
                note=row.note,
            )
        )
    if created:
        record(
            action="calendar.seeded",
            actor=actor,
            subject_type="workdays.calendar",
            subject_id=str(year),
            after={"year": year, "dates": [h.date.isoformat() for h in created]},
        )
        _calendar_changed()
    return created
