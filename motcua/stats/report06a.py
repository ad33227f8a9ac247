"""Report II.06a (Circular 01/2020/TT-VPCP): received, settled and pending dossiers of a period,
one row per child of a node of the agency tree (vn-rules §5, DESIGN §3.5).

Every cell has one definition, :func:`cell_filter`, over the facts: the drill-down lists the facts
it selects and :func:`report_06a_scan` counts them. :func:`report_06a` reads the same numbers from
the daily rollups (sums of prefix counters, ``stats.facts``); a test and the benchmark check that
both agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, F, Q, Sum

from motcua.stats.facts import VN, EndKind
from motcua.stats.models import AgencyDayCount, DossierFact
from motcua.units.models import AdministrativeUnit, Agency

CELLS: tuple[str, ...] = (
    "received_online",
    "received_direct_postal",
    "carried_over",
    "settled_early",
    "settled_on_time",
    "settled_late",
    "pending_within_time",
    "pending_overdue",
    # Not columns of the printed form, but needed for its identity (DESIGN §3.5).
    "withdrawn",
    "stopped",
)


@dataclass(frozen=True, slots=True)
class Period:
    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("the period ends before it starts")

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=VN)

    @property
    def end(self) -> dt.datetime:
        """The instant after the period (exclusive): midnight after its last day."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min, tzinfo=VN)


@dataclass(slots=True)
class Row:
    code: str
    name: str
    received_online: int = 0
    received_direct_postal: int = 0
    carried_over: int = 0
    settled_early: int = 0
    settled_on_time: int = 0
    settled_late: int = 0
    pending_within_time: int = 0
    pending_overdue: int = 0
    withdrawn: int = 0
    stopped: int = 0

    @property
    def received_total(self) -> int:
        return self.received_online + self.received_direct_postal + self.carried_over

    @property
    def settled_total(self) -> int:
        return self.settled_early + self.settled_on_time + self.settled_late

    @property
    def pending_total(self) -> int:
        return self.pending_within_time + self.pending_overdue

    @property
    def identity_holds(self) -> bool:
        """carried over + received = settled + withdrawn + pending + stopped (DESIGN §3.5), and
        no cell is negative."""
        return self.received_total == (
            self.settled_total + self.withdrawn + self.pending_total + self.stopped
        ) and all(getattr(self, c) >= 0 for c in CELLS)

    def add(self, other: Row) -> None:
        for c in CELLS:
            setattr(self, c, getattr(self, c) + getattr(other, c))

    def numbers(self) -> dict[str, int]:
        return {c: getattr(self, c) for c in CELLS}

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "received_total": self.received_total,
            "settled_total": self.settled_total,
            "pending_total": self.pending_total,
            "identity_holds": self.identity_holds,
        }


@dataclass(slots=True)
class Report:
    period: Period
    node: Agency | AdministrativeUnit | None
    rows: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row(code="", name=""))


# -- the agency tree -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """A report row: an agency and every agency under it (or the agency alone: ``own``), or a
    locality (administrative unit) and every agency located in it."""

    code: str
    name: str
    agency_ids: frozenset[int]
    own: bool = False


def _agency_node(agency: Agency, ids: frozenset[int], *, own: bool = False) -> Node:
    return Node(agency.code, agency.name, ids, own)


def agency_tree() -> tuple[dict[int, Agency], dict[int | None, list[int]]]:
    agencies = {
        a.pk: a for a in Agency.objects.only("pk", "code", "name", "parent_id", "level", "unit_id")
    }
    children: dict[int | None, list[int]] = {}
    for a in sorted(agencies.values(), key=lambda a: a.code):
        children.setdefault(a.parent_id, []).append(a.pk)
    return agencies, children


def subtree(root: int, children: dict[int | None, list[int]]) -> frozenset[int]:
    out, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in out:
                out.add(child)
                stack.append(child)
    return frozenset(out)


def unit_row_nodes(unit: AdministrativeUnit) -> tuple[list[Node], frozenset[int]]:
    """The rows of a locality: the agencies located in the unit itself, then one row per child
    unit in force with the agencies located anywhere in it (units without agencies left out)."""
    located: dict[int, set[int]] = {}
    for pk, unit_id in Agency.objects.values_list("pk", "unit_id"):
        located.setdefault(unit_id, set()).add(pk)
    units = {u.pk: u for u in AdministrativeUnit.objects.filter(valid_to__isnull=True)}
    units.setdefault(unit.pk, unit)
    children: dict[int | None, list[int]] = {}
    for u in sorted(units.values(), key=lambda u: u.code):
        children.setdefault(u.parent_id, []).append(u.pk)

    def agencies_in(unit_ids: frozenset[int]) -> frozenset[int]:
        return frozenset().union(*(located.get(u, set()) for u in unit_ids))

    rows = [Node(unit.code, unit.name, frozenset(located.get(unit.pk, set())), own=True)]
    for child in children.get(unit.pk, []):
        ids = agencies_in(subtree(child, children))
        if ids:
            rows.append(Node(units[child].code, units[child].name, ids))
    return rows, agencies_in(subtree(unit.pk, children))


def row_nodes(node: Agency | AdministrativeUnit | None) -> tuple[list[Node], frozenset[int]]:
    """The rows under ``node`` (``None``: the province, i.e. the tree's roots) and all their
    agencies. The node's own dossiers form a row of their own when it has children."""
    if isinstance(node, AdministrativeUnit):
        return unit_row_nodes(node)
    agencies, children = agency_tree()
    if node is None:
        roots = children.get(None, [])
        if len(roots) == 1:
            node = agencies[roots[0]]
        else:
            rows = [_agency_node(agencies[r], subtree(r, children)) for r in roots]
            return rows, frozenset().union(*(n.agency_ids for n in rows))
    kids = children.get(node.pk, [])
    if not kids:
        return [_agency_node(node, frozenset({node.pk}))], frozenset({node.pk})
    rows = [_agency_node(node, frozenset({node.pk}), own=True)]
    rows += [_agency_node(agencies[k], subtree(k, children)) for k in kids]
    return rows, subtree(node.pk, children)


# -- one definition per cell -----------------------------------------------------------------------


def cell_filter(cell: str, period: Period) -> Q:
    """The facts behind one cell of report II.06a for ``period``."""
    start, end = period.start, period.end
    received_in = Q(received_at__gte=start, received_at__lt=end)
    ended_in = Q(ended_at__gte=start, ended_at__lt=end)
    pending_at_end = Q(received_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end))
    overdue_at_end = Q(due_at__isnull=False, due_at__lt=end)
    match cell:
        case "received_online":
            return received_in & Q(channel="online")
        case "received_direct_postal":
            return received_in & Q(channel__in=["direct", "postal"])
        case "carried_over":
            return Q(received_at__lt=start) & (Q(ended_at__isnull=True) | Q(ended_at__gte=start))
        case "settled_early" | "settled_on_time" | "settled_late":
            return ended_in & Q(end_kind=EndKind.SETTLED, outcome=cell.removeprefix("settled_"))
        case "withdrawn" | "stopped":
            return ended_in & Q(end_kind=cell)
        case "pending_within_time":
            return pending_at_end & ~overdue_at_end
        case "pending_overdue":
            return pending_at_end & overdue_at_end
    raise ValueError(f"unknown report II.06a cell {cell!r}")


def cell_facts(cell: str, period: Period, agency_ids: Iterable[int]) -> Any:
    """The drill-down: the facts behind a cell, newest first."""
    return (
        DossierFact.objects.filter(cell_filter(cell, period), agency_id__in=list(agency_ids))
        .select_related("agency", "procedure")
        .order_by("-received_at", "code")
    )


# -- the report ------------------------------------------------------------------------------------


def received_counters() -> Any:
    """A rollup row's dossiers received that day (every channel)."""
    return F("received_online") + F("received_direct") + F("received_postal")


def ended_counters() -> Any:
    """A rollup row's dossiers that left the pending pool that day (settled, withdrawn,
    stopped)."""
    return (
        F("settled_early")
        + F("settled_on_time")
        + F("settled_late")
        + F("withdrawn")
        + F("stopped")
    )


def _fold(nodes: Sequence[Node], per_agency: dict[int, Row], period: Period, node: Any) -> Report:
    report = Report(period=period, node=node)
    for n in nodes:
        row = Row(code=n.code, name=n.name)
        for agency_id in n.agency_ids:
            if agency_id in per_agency:
                row.add(per_agency[agency_id])
        if n.own and not any(row.numbers().values()):
            continue  # the node itself handles no dossiers: no row of its own
        report.rows.append(row)
        report.total.add(row)
    return report


def report_06a(period: Period, node: Agency | AdministrativeUnit | None = None) -> Report:
    """Report II.06a from the daily rollups (prefix sums; one grouped query)."""
    nodes, agency_ids = row_nodes(node)
    before = Q(day__lt=period.first)
    within = Q(day__gte=period.first, day__lte=period.last)
    received, ended = received_counters(), ended_counters()
    sums = (
        AgencyDayCount.objects.filter(agency_id__in=agency_ids, day__lte=period.last)
        .values("agency_id")
        .annotate(
            carried=Sum(received - ended, filter=before, default=0),
            r_online=Sum("received_online", filter=within, default=0),
            r_other=Sum(F("received_direct") + F("received_postal"), filter=within, default=0),
            s_early=Sum("settled_early", filter=within, default=0),
            s_on_time=Sum("settled_on_time", filter=within, default=0),
            s_late=Sum("settled_late", filter=within, default=0),
            e_withdrawn=Sum("withdrawn", filter=within, default=0),
            e_stopped=Sum("stopped", filter=within, default=0),
            overdue=Sum(F("overdue_start") - F("overdue_end"), default=0),
        )
    )
    per_agency: dict[int, Row] = {}
    for s in sums:
        pending = (
            s["carried"]
            + s["r_online"]
            + s["r_other"]
            - s["s_early"]
            - s["s_on_time"]
            - s["s_late"]
            - s["e_withdrawn"]
            - s["e_stopped"]
        )
        per_agency[s["agency_id"]] = Row(
            code="",
            name="",
            received_online=s["r_online"],
            received_direct_postal=s["r_other"],
            carried_over=s["carried"],
            settled_early=s["s_early"],
            settled_on_time=s["s_on_time"],
            settled_late=s["s_late"],
            pending_within_time=pending - s["overdue"],
            pending_overdue=s["overdue"],
            withdrawn=s["e_withdrawn"],
            stopped=s["e_stopped"],
        )
    return _fold(nodes, per_agency, period, node)


def report_06a_scan(period: Period, node: Agency | AdministrativeUnit | None = None) -> Report:
    """The same report counted straight from the facts (one scan): the reference the rollups are
    checked against, and the benchmark's baseline."""
    nodes, agency_ids = row_nodes(node)
    counts = (
        DossierFact.objects.filter(agency_id__in=agency_ids)
        .values("agency_id")
        .annotate(**{c: Count("pk", filter=cell_filter(c, period)) for c in CELLS})
    )
    per_agency: dict[int, Row] = {}
    for c in counts:
        values: dict[str, Any] = dict(c)
        per_agency[values["agency_id"]] = Row(code="", name="", **{k: values[k] for k in CELLS})
    return _fold(nodes, per_agency, period, node)
