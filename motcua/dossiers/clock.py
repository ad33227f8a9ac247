"""The per-dossier clock ledger (pure: no ORM). DESIGN §3.3 and §3.3.1.

A dossier's due instant is derived from: the clock start (the received-at instant, or the moment
a supplement restarted the clock), the limit as *working time* (N working days = N × 8 h; a limit
in calendar days is converted once, at planning), extensions granted by an apology, and the pauses
during which the applicant had to act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from motcua.workdays.rules import WORKING_DAY, Pause, Unit, WorkingCalendar, as_local

NO_APPOINTMENT = "none"


@dataclass(frozen=True, slots=True)
class Plan:
    start: dt.datetime  # the first working moment the clock runs
    due: dt.datetime | None  # None while an open pause holds the clock
    at_risk_from: dt.datetime | None
    elapsed: dt.timedelta
    remaining: dt.timedelta


def limit_as_work(
    calendar: WorkingCalendar, start: dt.datetime, amount: int | None, unit: str
) -> dt.timedelta:
    """The limit as working time from ``start`` (a calendar-day limit is measured once)."""
    if unit == NO_APPOINTMENT or not amount:
        return dt.timedelta(0)
    if unit == Unit.WORKING_DAYS:
        return amount * WORKING_DAY
    if unit == Unit.WORKING_HOURS:
        return dt.timedelta(hours=amount)
    if unit == Unit.CALENDAR_DAYS:
        begin = calendar.next_working_moment(start)
        return calendar.working_time_between(begin, calendar.add_calendar_days(start, amount))
    raise ValueError(f"unknown time-limit unit {unit!r}")


def risk_threshold(
    limit: dt.timedelta, *, share: float = 0.25, floor: dt.timedelta = WORKING_DAY
) -> dt.timedelta:
    """At risk when the remaining working time is under ``share`` of the limit or under
    ``floor`` (both province settings; DESIGN §3.3.1)."""
    return max(limit * share, floor)


def plan(
    calendar: WorkingCalendar,
    *,
    start: dt.datetime,
    limit: dt.timedelta,
    pauses: Sequence[Pause] = (),
    as_of: dt.datetime | None = None,
    risk_share: float = 0.25,
    risk_floor: dt.timedelta = WORKING_DAY,
) -> Plan:
    ledger = calendar.apply_pauses(start, limit, pauses, as_of=as_of)
    threshold = risk_threshold(limit, share=risk_share, floor=risk_floor)
    risk_limit = max(limit - threshold, dt.timedelta(0))
    at_risk = calendar.apply_pauses(start, risk_limit, pauses).due if ledger.due else None
    return Plan(
        start=ledger.start,
        due=ledger.due,
        at_risk_from=at_risk,
        elapsed=ledger.elapsed,
        remaining=ledger.remaining,
    )


def step_dues(
    calendar: WorkingCalendar,
    *,
    start: dt.datetime,
    limit: dt.timedelta,
    shares: Sequence[int],
    pauses: Sequence[Pause] = (),
) -> list[dt.datetime | None]:
    """Each internal step's due instant: the cumulative share of the limit (shares sum to 100)."""
    dues: list[dt.datetime | None] = []
    cumulative = 0
    for share in shares:
        cumulative += share
        part = limit * cumulative / 100
        dues.append(calendar.apply_pauses(start, part, pauses).due)
    return dues


def classify(settled_at: dt.datetime, due_at: dt.datetime) -> str:
    """``late`` if settled after the due instant; else ``early`` if on an earlier date; else
    ``on_time`` (dates in Asia/Ho_Chi_Minh)."""
    if settled_at > due_at:
        return "late"
    if as_local(settled_at, field="settled_at").date() < as_local(due_at, field="due_at").date():
        return "early"
    return "on_time"


def apology_allowed(calendar: WorkingCalendar, *, now: dt.datetime, due: dt.datetime) -> bool:
    """An apology is allowed while at least one working day remains before the due instant."""
    return calendar.working_time_between(now, due) >= WORKING_DAY
