"""Template filters for catalog pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureCase, TimeUnit

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """8000 → "8.000 đồng" (Vietnamese digit grouping); 0 → "Miễn phí"."""
    if amount is None:
        return ""
    if amount == 0:
        return _("Miễn phí")
    return _("%(amount)s đồng") % {"amount": f"{amount:,}".replace(",", ".")}


@register.filter
def time_limit(case: ProcedureCase) -> str:
    """The case's time limit in words: "3 ngày làm việc", "không hẹn (giải quyết ngay)"."""
    if case.time_limit_unit == TimeUnit.NONE:
        return str(TimeUnit.NONE.label)
    return f"{case.time_limit_amount} {TimeUnit(case.time_limit_unit).label}"


@register.filter
def online_time_limit(case: ProcedureCase) -> str:
    if not case.online_time_limit_unit:
        return ""
    if case.online_time_limit_unit == TimeUnit.NONE:
        return str(TimeUnit.NONE.label)
    return f"{case.online_time_limit_amount} {TimeUnit(case.online_time_limit_unit).label}"
