"""API input/output schemas of the calendar endpoints."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class DueOut(Schema):
    due: str  # ISO 8601 with the +07:00 offset
    start: str  # the start instant (received-at, moved to the next working moment if needed)
    amount: int
    unit: str
    explanation: list[str]


class CalendarDayOut(Schema):
    date: dt.date
    kind: str
    working: bool
    name_vi: str
    name_en: str
    source: str
    note: str


class CalendarYearOut(Schema):
    year: int
    working_days: int
    office_hours: str
    days: list[CalendarDayOut]


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None
