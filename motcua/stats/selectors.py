"""Statistics reads for the back-office pages: the agency tree as the user may pick it, the
drill-down behind a cell of report II.06a (scoped), monthly trends from the rollups, and the
Decision 766 indicators that lose the most points.

Scope (ADR 0004, ``accounts.scoping``): the *numbers* of report II.06a are aggregates and are
shown for any node — they carry no personal data and the province publishes them monthly
(DESIGN §3.5) — but the *dossiers* behind a number are listed only for the agencies the user
may see; a drill-down that would list none of them is a 404.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Sum

from motcua.accounts.scoping import AgencyScope
from motcua.core.errors import InvalidInput, NotFound
from motcua.stats.models import AgencyDayCount, DossierFact
from motcua.stats.report06a import CELLS, Period, agency_tree, cell_filter, row_nodes
from motcua.units.models import Agency

log = logging.getLogger(__name__)

#: The totals of the form, each the union of disjoint cells (so its drill-down lists exactly
#: the dossiers its number counts).
TOTALS: dict[str, tuple[str, ...]] = {
    "received_total": ("received_online", "received_direct_postal", "carried_over"),
    "settled_total": ("settled_early", "settled_on_time", "settled_late"),
    "pending_total": ("pending_within_time", "pending_overdue"),
}
DRILL_CELLS: tuple[str, ...] = (*CELLS, *TOTALS)


def tree_options(scope: AgencyScope) -> list[tuple[Agency, int]]:
    """The agencies a user may pick as a node, in tree order with their depth (one query)."""
    agencies, children = agency_tree()
    out: list[tuple[Agency, int]] = []

    def walk(ids: Iterable[int], depth: int) -> None:
        for pk in ids:
            if pk in scope:
                out.append((agencies[pk], depth))
            walk(children.get(pk, []), depth + 1)

    walk(children.get(None, []), 0)
    return out


def find_agency(code: str) -> Agency | None:
    """The node named by an agency code ("" is the province)."""
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(f"Unknown agency {code!r}")
    return agency


def drill_filter(cell: str, period: Period) -> Q:
    if cell in TOTALS:
        q = Q(pk__in=[])
        for part in TOTALS[cell]:
            q |= cell_filter(part, period)
        return q
    if cell in CELLS:
        return cell_filter(cell, period)
    raise InvalidInput(f"unknown report II.06a cell {cell!r}", field="cell")


@dataclass(frozen=True)
class Drill:
    """The dossiers behind one number: the facts (a lazy queryset), the agencies of the row and
    the part of them the user may see."""

    facts: QuerySet[DossierFact]
    row_name: str
    row_agency_ids: frozenset[int]
    visible_agency_ids: frozenset[int]

    @property
    def partial(self) -> bool:
        return self.visible_agency_ids != self.row_agency_ids


def row_agency_ids(node: Agency | None, row: str) -> tuple[str, frozenset[int]]:
    """The agencies counted in ``row`` (an agency code) of the report on ``node``; the empty
    row is the total. Same rows as :func:`report06a.report_06a` (``row_nodes``)."""
    nodes, all_ids = row_nodes(node)
    if not row:
        return "", all_ids
    for n in nodes:
        if n.code == row:
            return n.name, n.agency_ids
    raise NotFound(f"No row {row!r} in this report")


def drill(*, scope: AgencyScope, cell: str, period: Period, node: Agency | None, row: str) -> Drill:
    """The facts behind a cell, limited to the agencies in ``scope``; ``NotFound`` when the
    row has none the user may see."""
    condition = drill_filter(cell, period)
    name, ids = row_agency_ids(node, row)
    visible = ids if scope.everything else frozenset(i for i in ids if i in scope)
    if not visible:
        raise NotFound("The dossiers of this row are not visible to you")
    facts = (
        DossierFact.objects.filter(condition, agency_id__in=sorted(visible))
        .select_related("agency", "procedure__current_version")
        .order_by("-received_at", "code")
    )
    return Drill(facts=facts, row_name=name, row_agency_ids=ids, visible_agency_ids=visible)


# -- trends ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthPoint:
    first: dt.date
    received: int
    settled: int


def month_starts(last: dt.date, months: int) -> list[dt.date]:
    """The first days of the ``months`` months ending with ``last``'s month, oldest first."""
    y, m = last.year, last.month
    out = []
    for _ in range(months):
        out.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def monthly_trend(node: Agency | None, today: dt.date, months: int = 12) -> list[MonthPoint]:
    """Dossiers received and settled per month over the last ``months`` months (the current
    one included, to date) for a node: one grouped query on the daily rollups."""
    _, agency_ids = row_nodes(node)
    starts = month_starts(today, months)
    rows = (
        AgencyDayCount.objects.filter(
            agency_id__in=sorted(agency_ids), day__gte=starts[0], day__lte=today
        )
        .values("day")
        .annotate(
            received=Sum(F("received_online") + F("received_direct") + F("received_postal")),
            settled=Sum(F("settled_early") + F("settled_on_time") + F("settled_late")),
        )
    )
    received = dict.fromkeys(starts, 0)
    settled = dict.fromkeys(starts, 0)
    for r in rows:
        key = r["day"].replace(day=1)
        received[key] += r["received"] or 0
        settled[key] += r["settled"] or 0
    return [MonthPoint(s, received[s], settled[s]) for s in starts]


# -- Decision 766: where the points are lost ------------------------------------------------------


@dataclass(frozen=True)
class Loss:
    group: str
    code: str
    name: str
    score: float
    max_points: float
    lost: float
    numerator: int | None
    denominator: int | None
    rule: str
    drill: str = ""


@dataclass(frozen=True)
class IndexLosses:
    available: bool
    period: str = ""
    unit_slug: str = "tinh"  # the unit in the public index's URLs
    total: float | None = None
    losses: tuple[Loss, ...] = ()


def index_losses(year: int, month: int, unit: str = "", *, limit: int = 5) -> IndexLosses:
    """The Decision 766 indicators of ``unit`` (agency code, "" for the province) that lose the
    most points in a month, each with its rule, numbers and drill-down; if the computation
    fails, the section is reported unavailable instead of breaking the dashboard."""
    from motcua.stats import index766

    period = index766.IndexPeriod("month", year, month)
    try:
        result = index766.compute_index(period, unit)
    except Exception:  # the dashboard must not fail with the index
        log.exception("compute_index failed for %s %r", period, unit)
        return IndexLosses(available=False)
    losses = [
        Loss(
            group=g.name,
            code=i.code,
            name=i.name,
            score=i.score,
            max_points=i.max_points,
            lost=i.lost,
            numerator=i.numerator,
            denominator=i.denominator,
            rule=i.rule,
            drill=i.drill,
        )
        for g in result.groups
        for i in g.indicators
        if i.lost > 0
    ]
    losses.sort(key=lambda loss: (-loss.lost, loss.code))
    return IndexLosses(
        available=True,
        period=str(period),
        unit_slug=unit or "tinh",
        total=result.total,
        losses=tuple(losses[:limit]),
    )
