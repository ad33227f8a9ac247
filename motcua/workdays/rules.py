"""The legal clock: pure working-time arithmetic (DESIGN §3.3 and §3.3.1). No Django imports.

Model
-----
Working time is measured on one axis, ``W(t)``: the number of working microseconds between
1990-01-01 00:00 and the instant ``t`` (in Asia/Ho_Chi_Minh). ``W`` is constant outside office
hours, so every question becomes arithmetic on that axis:

- the start instant of a dossier is its received-at instant if that is working time, else the next
  working moment;
- adding ``d`` of working time to ``s`` gives the *earliest* instant ``t`` with
  ``W(t) >= W(s) + d``;
- the working time between ``a`` and ``b`` is ``W(b) - W(a)``;
- a ledger of pauses subtracts the working time inside each pause.

Office hours are closed intervals (07:00–11:30 and 13:30–17:00 by default): 11:30 and 17:00 are
working moments, so a due instant is always working time. Because we pick the *earliest* instant,
a limit that is used up exactly at the end of a working day is due at **17:00 on that day**, never
at 07:00 of the next working day (the same working moment, DESIGN §3.3.1). See
``docs/decisions/0002-legal-clock.md``.

No day-by-day loops: for every date of 1990–2100 the calendar precomputes (once, lazily) the number
of working days before it (a prefix sum) and the ordinal of every working day, so a due date costs
the same for 5 or 500 working days.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR

#: DESIGN §3.3: one working day is eight working hours, whatever the office hours are.
WORKING_DAY = dt.timedelta(hours=8)
_WORKING_DAY_US = 8 * US_PER_HOUR

#: The dates the calendar can compute on (the prefix sums cover exactly this range).
RANGE_START = dt.date(1990, 1, 1)
RANGE_END = dt.date(2100, 12, 31)
_BASE_ORD = RANGE_START.toordinal()
_NDAYS = RANGE_END.toordinal() - _BASE_ORD + 1

DEFAULT_OFFICE_HOURS = "07:00-11:30,13:30-17:00"
DEFAULT_WEEKEND: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday (date.weekday())

#: Largest amount accepted per unit (a guard against absurd requests, not a legal limit).
MAX_AMOUNT: dict[str, int] = {
    "working_days": 5_000,
    "working_hours": 40_000,
    "calendar_days": 10_000,
}


class ClockError(ValueError):
    """Bad input to the clock; ``field`` names the offending argument when known."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NaiveDatetimeError(ClockError):
    pass


class CalendarRangeError(ClockError):
    pass


class OfficeHoursError(ClockError):
    pass


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


class DayKind(StrEnum):
    """Why a date differs from an ordinary Monday–Friday working day.

    The first six values are the ``Holiday.kind`` choices stored in the database.
    """

    HOLIDAY = "holiday"  # statutory holiday (Labour Code Art. 112), incl. the Tết days
    COMPENSATORY = "compensatory"  # nghỉ bù: a holiday fell on the weekly rest day
    SWAP_DAY_OFF = "swap_day_off"  # official swap: a weekday given off ...
    SWAP_WORKDAY = "swap_workday"  # ... and the weekend day worked instead
    OVERRIDE_DAY_OFF = "override_day_off"  # the province's own decision
    OVERRIDE_WORKDAY = "override_workday"
    WEEKEND = "weekend"  # implicit; never stored


WORKING_KINDS: frozenset[DayKind] = frozenset({DayKind.SWAP_WORKDAY, DayKind.OVERRIDE_WORKDAY})


@dataclass(frozen=True, slots=True)
class DayRule:
    """One exception to the weekly pattern, with its reason and source decision."""

    day: dt.date
    kind: DayKind
    name_vi: str = ""
    name_en: str = ""
    source: str = ""

    @property
    def working(self) -> bool:
        return self.kind in WORKING_KINDS


@dataclass(frozen=True, slots=True)
class Pause:
    """An interval during which the clock does not run; ``end=None`` means still paused."""

    start: dt.datetime
    end: dt.datetime | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LedgerResult:
    start: dt.datetime  # the start instant (next working moment of the received-at instant)
    due: dt.datetime | None  # None while an open pause holds the clock
    elapsed: dt.timedelta  # working time counted (pauses excluded) up to ``as_of``
    paused: dt.timedelta  # working time spent inside pauses up to ``as_of``
    remaining: dt.timedelta  # limit - elapsed (negative when overdue)


def parse_office_hours(spec: str) -> tuple[tuple[int, int], ...]:
    """Parse ``"07:00-11:30,13:30-17:00"`` into microsecond-of-day segments."""
    segments: list[tuple[int, int]] = []
    for raw in spec.split(","):
        part = raw.strip()
        try:
            a, b = part.split("-")
            start, end = _parse_hhmm(a), _parse_hhmm(b)
        except ValueError:
            raise OfficeHoursError(
                f"office hours: cannot read {part!r}; expected HH:MM-HH:MM[,HH:MM-HH:MM...]",
                field="office_hours",
            ) from None
        if start >= end:
            raise OfficeHoursError(
                f"office hours: {part!r} ends before it starts", field="office_hours"
            )
        if segments and start < segments[-1][1]:
            raise OfficeHoursError(
                "office hours: segments must be in order and must not overlap",
                field="office_hours",
            )
        segments.append((start, end))
    return tuple(segments)


def _parse_hhmm(text: str) -> int:
    hh, mm = text.strip().split(":")
    if len(hh) not in (1, 2) or len(mm) != 2 or not (hh.isdigit() and mm.isdigit()):
        raise ValueError(text)
    h, m = int(hh), int(mm)
    if m >= 60 or h > 24 or (h == 24 and m):
        raise ValueError(text)
    return h * US_PER_HOUR + m * US_PER_MINUTE


def format_office_hours(segments: Sequence[tuple[int, int]]) -> str:
    return ", ".join(f"{_hhmm(s)}–{_hhmm(e)}" for s, e in segments)


def _hhmm(us: int) -> str:
    minutes = us // US_PER_MINUTE
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def as_local(t: dt.datetime, *, field: str = "start") -> dt.datetime:
    """``t`` in Asia/Ho_Chi_Minh; a naive datetime is refused (its zone would be a guess)."""
    tz = t.tzinfo
    if tz is TZ:
        return t
    if tz is None or tz.utcoffset(t) is None:
        raise NaiveDatetimeError(
            f"{field}: the datetime has no time zone; give an offset such as +07:00",
            field=field,
        )
    return t.astimezone(TZ)


def _duration_us(duration: dt.timedelta, field: str) -> int:
    us = (duration.days * 86_400 + duration.seconds) * US_PER_SECOND + duration.microseconds
    if us < 0:
        raise ClockError(f"{field}: must not be negative", field=field)
    return us


class _Tables:
    """Prefix sums over the supported date range (built once per calendar)."""

    __slots__ = ("cum", "workdays")

    def __init__(self, cum: array[int], workdays: array[int]) -> None:
        # cum[i] = number of working days strictly before the date RANGE_START + i
        self.cum = cum
        # workdays[k] = ordinal of the k-th working day (0-based) of the range
        self.workdays = workdays


@dataclass(frozen=True)
class WorkingCalendar:
    """Office hours + weekly rest days + dated exceptions. Immutable; build with ``build``."""

    office_hours: tuple[tuple[int, int], ...] = field(
        default_factory=lambda: parse_office_hours(DEFAULT_OFFICE_HOURS)
    )
    weekend: frozenset[int] = DEFAULT_WEEKEND
    rules: tuple[DayRule, ...] = ()

    def __post_init__(self) -> None:
        if not self.office_hours:
            raise OfficeHoursError("office hours: at least one segment is required")
        seen: set[dt.date] = set()
        for rule in self.rules:
            if rule.day in seen:
                raise ClockError(f"two calendar rules for {rule.day.isoformat()}")
            seen.add(rule.day)

    @classmethod
    def build(
        cls,
        *,
        office_hours: str = DEFAULT_OFFICE_HOURS,
        weekend: Iterable[int] = DEFAULT_WEEKEND,
        rules: Iterable[DayRule] = (),
    ) -> WorkingCalendar:
        return cls(
            office_hours=parse_office_hours(office_hours),
            weekend=frozenset(weekend),
            rules=tuple(sorted(rules, key=lambda r: r.day)),
        )

    # -- precomputed tables ------------------------------------------------------------------

    @cached_property
    def _rule_by_date(self) -> dict[dt.date, DayRule]:
        return {r.day: r for r in self.rules}

    @cached_property
    def capacity_us(self) -> int:
        """Working microseconds in one working day of the calendar (8 h by default)."""
        return sum(e - s for s, e in self.office_hours)

    @cached_property
    def _tables(self) -> _Tables:
        overrides = {
            r.day.toordinal(): r.working for r in self.rules if RANGE_START <= r.day <= RANGE_END
        }
        weekend = self.weekend
        cum = array("q", [0]) * (_NDAYS + 1)
        workdays = array("q")
        count = 0
        weekday = RANGE_START.weekday()
        for i in range(_NDAYS):
            cum[i] = count
            o = _BASE_ORD + i
            working = overrides.get(o)
            if working is None:
                working = weekday not in weekend
            if working:
                workdays.append(o)
                count += 1
            weekday = 0 if weekday == 6 else weekday + 1
        cum[_NDAYS] = count
        return _Tables(cum, workdays)

    # -- days ----------------------------------------------------------------------------------

    def _index(self, d: dt.date, field: str) -> int:
        i = d.toordinal() - _BASE_ORD
        if not 0 <= i < _NDAYS:
            raise CalendarRangeError(
                f"{field}: {d.isoformat()} is outside the supported calendar "
                f"({RANGE_START.isoformat()} to {RANGE_END.isoformat()})",
                field=field,
            )
        return i

    def is_working_day(self, d: dt.date) -> bool:
        cum = self._tables.cum
        i = self._index(d, "date")
        return cum[i + 1] != cum[i]

    def day_rule(self, d: dt.date) -> DayRule | None:
        """Why ``d`` is not an ordinary working day (``None`` when it is one)."""
        rule = self._rule_by_date.get(d)
        if rule is not None:
            return rule
        if d.weekday() in self.weekend:
            return DayRule(day=d, kind=DayKind.WEEKEND)
        return None

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Number of working days in ``[first, last]`` (inclusive)."""
        cum = self._tables.cum
        return cum[self._index(last, "date") + 1] - cum[self._index(first, "date")]

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day on or after ``d``."""
        tables = self._tables
        k = tables.cum[self._index(d, "date")]
        if k >= len(tables.workdays):
            raise CalendarRangeError("no working day left in the supported calendar")
        return dt.date.fromordinal(tables.workdays[k])

    # -- instants ------------------------------------------------------------------------------

    def _w(self, local: dt.datetime, field: str) -> int:
        """W(t): working microseconds from the start of the range to ``local``."""
        cum = self._tables.cum
        i = local.toordinal() - _BASE_ORD
        if not 0 <= i < _NDAYS:
            self._index(local.date(), field)  # raises
        c = cum[i]
        base = c * self.capacity_us
        if cum[i + 1] == c:  # not a working day
            return base
        tod = (
            (local.hour * 60 + local.minute) * 60 + local.second
        ) * US_PER_SECOND + local.microsecond
        acc = 0
        for s, e in self.office_hours:
            if tod <= s:
                break
            if tod < e:
                acc += tod - s
                break
            acc += e - s
        return base + acc

    def _instant(self, w: int, field: str) -> dt.datetime:
        """The earliest instant ``t`` with ``W(t) >= w`` (``w > 0``)."""
        k, rem = divmod(w, self.capacity_us)
        if rem == 0:  # exactly at the end of a working day: 17:00 on that day (canonical)
            k -= 1
            rem = self.capacity_us
        workdays = self._tables.workdays
        if not 0 <= k < len(workdays):
            raise CalendarRangeError(
                f"{field}: the result falls outside the supported calendar "
                f"({RANGE_START.isoformat()} to {RANGE_END.isoformat()})",
                field=field,
            )
        tod = 0
        for s, e in self.office_hours:
            length = e - s
            if rem <= length:
                tod = s + rem
                break
            rem -= length
        return _at(workdays[k], tod)

    def is_working_time(self, t: dt.datetime) -> bool:
        local = as_local(t, field="instant")
        if not self.is_working_day(local.date()):
            return False
        tod = _tod(local)
        return any(s <= tod <= e for s, e in self.office_hours)

    def next_working_moment(self, t: dt.datetime, *, field: str = "start") -> dt.datetime:
        """``t`` itself if it is working time, else the start of the next office-hours block."""
        local = as_local(t, field=field)
        tables = self._tables
        i = self._index(local.date(), field)
        cum = tables.cum
        if cum[i + 1] != cum[i]:
            tod = _tod(local)
            for s, e in self.office_hours:
                if tod < s:
                    return _at(_BASE_ORD + i, s)
                if tod <= e:
                    return local
        k = cum[i + 1]
        if k >= len(tables.workdays):
            raise CalendarRangeError(
                f"{field}: no working day left in the supported calendar", field=field
            )
        return _at(tables.workdays[k], self.office_hours[0][0])

    start_instant = next_working_moment

    def add_working_time(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """Add working time to ``start`` (counted from its start instant)."""
        d_us = _duration_us(duration, "amount")
        local = as_local(start)
        if d_us == 0:
            return self.next_working_moment(local)
        return self._instant(self._w(local, "start") + d_us, "amount")

    def add_working_hours(self, start: dt.datetime, hours: int) -> dt.datetime:
        return self.add_working_time(start, dt.timedelta(hours=hours))

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """N working days = N × 8 working hours from the start instant (DESIGN §3.3.1)."""
        return self.add_working_time(start, days * WORKING_DAY)

    def add_calendar_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Add N days to the start instant, then move to the next working moment if needed."""
        if days < 0:
            raise ClockError("amount: must not be negative", field="amount")
        begin = self.next_working_moment(start)
        return self.next_working_moment(begin + dt.timedelta(days=days), field="amount")

    def due(self, start: dt.datetime, amount: int, unit: Unit | str) -> dt.datetime:
        """The due instant of a limit of ``amount`` ``unit`` counted from ``start``."""
        unit = _unit(unit)
        if amount < 0:
            raise ClockError("amount: must not be negative", field="amount")
        if unit is Unit.WORKING_DAYS:
            return self.add_working_time(start, dt.timedelta(microseconds=amount * _WORKING_DAY_US))
        if unit is Unit.WORKING_HOURS:
            return self.add_working_time(start, dt.timedelta(hours=amount))
        return self.add_calendar_days(start, amount)

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        wa = self._w(as_local(a, field="from"), "from")
        wb = self._w(as_local(b, field="to"), "to")
        return dt.timedelta(microseconds=wb - wa)

    # -- the clock ledger ----------------------------------------------------------------------

    def apply_pauses(
        self,
        start: dt.datetime,
        limit: dt.timedelta,
        pauses: Sequence[Pause] = (),
        *,
        as_of: dt.datetime | None = None,
    ) -> LedgerResult:
        """Due instant and elapsed working time of a limit whose clock stops during ``pauses``.

        Pauses may overlap or extend before ``start``; only the working time inside them counts.
        ``as_of`` is the instant at which elapsed time is measured (default: the due instant, or
        the start of the open pause while the clock is stopped).
        """
        limit_us = _duration_us(limit, "limit")
        begin = self.next_working_moment(start)
        ws = self._w(begin, "start")
        intervals: list[tuple[int, int | None]] = []
        for n, pause in enumerate(pauses):
            p_start = max(self._w(as_local(pause.start, field=f"pauses[{n}].start"), "pauses"), ws)
            if pause.end is None:
                intervals.append((p_start, None))
                continue
            if pause.end < pause.start:
                raise ClockError(f"pauses[{n}]: ends before it starts", field="pauses")
            p_end = self._w(as_local(pause.end, field=f"pauses[{n}].end"), "pauses")
            if p_end > p_start:
                intervals.append((p_start, p_end))
        merged = _merge(intervals)

        due_w: int | None
        cursor, remaining = ws, limit_us
        due_w = None
        open_at: int | None = None
        for ps, pe in merged:
            run = ps - cursor
            if run >= remaining:
                due_w = cursor + remaining
                break
            remaining -= run
            if pe is None:
                open_at = ps
                break
            cursor = pe
        else:
            due_w = cursor + remaining

        due: dt.datetime | None
        if due_w is None:
            due = None
        elif due_w == ws:
            due = begin
        else:
            due = self._instant(due_w, "limit")

        if as_of is not None:
            wt = self._w(as_local(as_of, field="as_of"), "as_of")
        elif due_w is not None:
            wt = due_w
        else:
            wt = open_at if open_at is not None else ws
        total = max(0, wt - ws)
        paused = 0
        for ps, pe in merged:
            hi = wt if pe is None else min(pe, wt)
            if hi > ps:
                paused += hi - ps
        elapsed = total - paused
        return LedgerResult(
            start=begin,
            due=due,
            elapsed=dt.timedelta(microseconds=elapsed),
            paused=dt.timedelta(microseconds=paused),
            remaining=dt.timedelta(microseconds=limit_us - elapsed),
        )


def _merge(intervals: list[tuple[int, int | None]]) -> list[tuple[int, int | None]]:
    merged: list[tuple[int, int | None]] = []
    for ps, pe in sorted(intervals, key=lambda iv: iv[0]):
        if merged:
            last_s, last_e = merged[-1]
            if last_e is None:
                break  # an open pause swallows everything after it
            if ps <= last_e:
                new_e = None if pe is None else max(last_e, pe)
                merged[-1] = (last_s, new_e)
                continue
        merged.append((ps, pe))
    return merged


def _tod(local: dt.datetime) -> int:
    return (
        (local.hour * 60 + local.minute) * 60 + local.second
    ) * US_PER_SECOND + local.microsecond


def _at(ordinal: int, tod: int) -> dt.datetime:
    d = dt.date.fromordinal(ordinal)
    if tod >= US_PER_DAY:  # a segment ending at 24:00
        return dt.datetime(d.year, d.month, d.day, tzinfo=TZ) + dt.timedelta(microseconds=tod)
    seconds, us = divmod(tod, US_PER_SECOND)
    minutes, s = divmod(seconds, 60)
    h, m = divmod(minutes, 60)
    return dt.datetime(d.year, d.month, d.day, h, m, s, us, tzinfo=TZ)


def _unit(unit: Unit | str) -> Unit:
    try:
        return Unit(unit)
    except ValueError:
        allowed = ", ".join(u.value for u in Unit)
        raise ClockError(f"unit: must be one of {allowed}", field="unit") from None
