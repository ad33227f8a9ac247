"""Reads for units and agencies. Agency reads that depend on the user go through
``Agency.objects.visible_to(user)`` (the scoping choke point in ``accounts.scoping``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.text import fold
from motcua.units.models import AdministrativeUnit, Agency, UnitSuccession

if TYPE_CHECKING:
    from motcua.accounts.scoping import AnyUser


# --- administrative units -------------------------------------------------------------------


def unit_list_valid_on(
    *, day: dt.date, level: str | None = None, parent: AdministrativeUnit | None = None
) -> QuerySet[AdministrativeUnit]:
    """Units in force on ``day`` (optionally of one level / under one parent)."""
    qs = AdministrativeUnit.objects.valid_on(day)
    if level is not None:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.order_by("code")


def unit_get(*, code: str, day: dt.date) -> AdministrativeUnit:
    """The unit with GSO ``code`` in force on ``day``."""
    unit = AdministrativeUnit.objects.valid_on(day).filter(code=code).first()
    if unit is None:
        raise NotFound(
            _("Không có đơn vị hành chính mã %(code)s vào ngày %(day)s.")
            % {"code": code, "day": f"{day:%d/%m/%Y}"}
        )
    return unit


@dataclass(frozen=True)
class Successor:
    unit: AdministrativeUnit
    change: str
    effective_on: dt.date


def unit_successors(*, unit: AdministrativeUnit) -> list[Successor]:
    """The unit(s) that took over ``unit`` (several when it was split), by code."""
    rows = UnitSuccession.objects.filter(predecessor=unit).select_related("successor")
    return [
        Successor(unit=r.successor, change=r.change, effective_on=r.effective_on)
        for r in rows.order_by("successor__code")
    ]


def unit_current_successors(*, unit: AdministrativeUnit, day: dt.date) -> list[AdministrativeUnit]:
    """Follow successions until units in force on ``day`` (handles successive reforms)."""
    if unit.is_valid_on(day):
        return [unit]
    found: dict[int, AdministrativeUnit] = {}
    frontier = [unit]
    seen = {unit.pk}
    while frontier:
        nxt: list[AdministrativeUnit] = []
        for s in UnitSuccession.objects.filter(predecessor__in=frontier).select_related(
            "successor"
        ):
            succ = s.successor
            if succ.pk in seen:
                continue
            seen.add(succ.pk)
            if succ.is_valid_on(day):
                found[succ.pk] = succ
            else:
                nxt.append(succ)
        frontier = nxt
    return sorted(found.values(), key=lambda u: u.code)


def unit_predecessors(*, unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    rows = UnitSuccession.objects.filter(successor=unit).select_related("predecessor")
    return [r.predecessor for r in rows.order_by("predecessor__code")]


@dataclass
class UnitNode:
    unit: AdministrativeUnit
    children: list[UnitNode] = field(default_factory=list)

    def count(self) -> int:
        return 1 + sum(c.count() for c in self.children)


def unit_tree(*, day: dt.date, root_code: str) -> UnitNode:
    """The tree under province ``root_code`` as it stood on ``day`` (one query)."""
    units = list(AdministrativeUnit.objects.valid_on(day).order_by("code"))
    nodes = {u.pk: UnitNode(u) for u in units}
    roots = [n for n in nodes.values() if n.unit.code == root_code and n.unit.parent_id is None]
    if not roots:
        raise NotFound(
            _("Không có tỉnh mã %(code)s vào ngày %(day)s.")
            % {"code": root_code, "day": f"{day:%d/%m/%Y}"}
        )
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        if parent is not None:
            parent.children.append(node)
    return roots[0]


# --- agencies -------------------------------------------------------------------------------


def _search(qs: QuerySet[Agency], q: str | None) -> QuerySet[Agency]:
    for word in fold(q or "").split():
        qs = qs.filter(search_key__contains=word)
    return qs


def agency_list_public(*, level: str | None = None, q: str | None = None) -> QuerySet[Agency]:
    """Active agencies for the public directory (no scoping: the directory is public)."""
    qs = Agency.objects.active().select_related("unit", "parent")
    if level:
        qs = qs.filter(level=level)
    return _search(qs, q).order_by("code")


def agency_list_visible_to(*, user: AnyUser, q: str | None = None) -> QuerySet[Agency]:
    qs = Agency.objects.visible_to(user).select_related("unit", "parent")
    return _search(qs, q).order_by("code")


def agency_get_visible(*, user: AnyUser, code: str) -> Agency:
    """The agency ``code`` if ``user`` may see it; otherwise NotFound (never "forbidden",
    which would confirm that it exists)."""
    agency = Agency.objects.visible_to(user).select_related("unit", "parent").filter(code=code)
    found = agency.first()
    if found is None:
        raise NotFound(_("Không tìm thấy cơ quan %(code)s.") % {"code": code})
    return found


def agencies_by_code(codes: Iterable[str]) -> dict[str, Agency]:
    return {a.code: a for a in Agency.objects.filter(Q(code__in=list(codes)))}
