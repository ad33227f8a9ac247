"""API shapes of the statistics endpoints."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class Report06aRowOut(Schema):
    code: str
    name: str
    received_online: int
    received_direct_postal: int
    carried_over: int
    received_total: int
    settled_early: int
    settled_on_time: int
    settled_late: int
    settled_total: int
    pending_within_time: int
    pending_overdue: int
    pending_total: int
    withdrawn: int
    stopped: int
    identity_holds: bool


class Report06aOut(Schema):
    date_from: dt.date
    date_to: dt.date
    agency: str | None
    unit: str | None = None
    rows: list[Report06aRowOut]
    total: Report06aRowOut


class StatsErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


class IndicatorOut(Schema):
    code: str
    key: str
    name: str
    max_points: float
    score: float
    numerator: int | None
    denominator: int | None
    ratio: float | None
    rule: str
    drill: str


class GroupOut(Schema):
    code: str
    name: str
    max_points: float
    score: float
    indicators: list[IndicatorOut]


class IndexOut(Schema):
    period: str
    unit: str
    unit_name: str
    level: str
    eresult_method: str
    total: float
    rank: int | None = None
    groups: list[GroupOut]
