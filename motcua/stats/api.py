"""Statistics API, mounted at /api/v1/stats (officials; aggregate numbers only — the dossiers
behind a number are listed by the scoped drill-down pages)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router

from motcua.accounts.api_auth import token_auth
from motcua.core.errors import InvalidInput, NotFound, PermissionDenied
from motcua.stats.index766 import (
    ERESULT_METHODS,
    IndexPeriod,
    IndexResult,
    UnknownUnit,
    compute_index,
)
from motcua.stats.report06a import Period, report_06a
from motcua.stats.schemas import IndexOut, Report06aOut, StatsErrorOut
from motcua.units.models import AdministrativeUnit, Agency

router = Router(tags=["statistics"], auth=token_auth)
ERRORS: dict[int, type[StatsErrorOut]] = {
    403: StatsErrorOut,
    404: StatsErrorOut,
    422: StatsErrorOut,
}


def require_official(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not (user.is_superuser or getattr(user, "kind", "") == "official"):
        raise PermissionDenied("Statistics are for officials")
    return user


def parse_date(raw: str | None, name: str) -> dt.date:
    if not raw:
        raise InvalidInput(f"`{name}` is required (YYYY-MM-DD)", field=name)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"`{name}` must be a date YYYY-MM-DD, got {raw!r}", field=name) from exc


def parse_period(date_from: str | None, date_to: str | None) -> Period:
    first, last = parse_date(date_from, "from"), parse_date(date_to, "to")
    if last < first:
        raise InvalidInput("`to` is before `from`", field="to")
    if (last - first).days > 366 * 5:
        raise InvalidInput("A report covers at most five years", field="to")
    return Period(first, last)


def find_agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code.strip()).first()
    if agency is None:
        raise NotFound(f"Unknown agency {code!r}")
    return agency


def find_unit(code: str) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.filter(code=code.strip(), valid_to__isnull=True).first()
    if unit is None:
        raise NotFound(f"Unknown administrative unit {code!r}")
    return unit


@router.get(
    "/report-06a",
    response={200: Report06aOut, **ERRORS},
    summary="Report II.06a: received, settled and pending dossiers",
)
def report_06a_api(
    request: HttpRequest,
    date_from: Annotated[
        str | None, Query(alias="from", description="First day, YYYY-MM-DD")
    ] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Last day, YYYY-MM-DD")] = None,
    agency: Annotated[
        str | None, Query(description="Agency code; its children are the rows (none: province)")
    ] = None,
    unit: Annotated[
        str | None,
        Query(description="Or a locality (administrative-unit code): its child units are the rows"),
    ] = None,
) -> Any:
    """One row per child of the agency (the province without `agency`) and the total. The
    identity carried over + received = settled + withdrawn + pending + stopped is checked per
    row (`identity_holds`)."""
    require_official(request)
    period = parse_period(date_from, date_to)
    if agency and unit:
        raise InvalidInput("Give `agency` or `unit`, not both", field="unit")
    report = report_06a(period, find_unit(unit) if unit else find_agency(agency))
    return {
        "date_from": period.first,
        "date_to": period.last,
        "agency": agency or None,
        "unit": unit or None,
        "rows": [r.as_dict() for r in report.rows],
        "total": {**report.total.as_dict(), "code": "", "name": "Tổng cộng"},
    }


def index_as_dict(result: IndexResult) -> dict[str, Any]:
    return {
        "period": str(result.period),
        "unit": result.unit_code,
        "unit_name": result.unit_name,
        "level": result.level,
        "eresult_method": result.eresult_method,
        "total": result.total,
        "rank": result.rank,
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "max_points": g.max_points,
                "score": g.score,
                "indicators": [
                    {
                        "code": i.code,
                        "key": i.key,
                        "name": i.name,
                        "max_points": i.max_points,
                        "score": round(i.score, 4),
                        "numerator": i.numerator,
                        "denominator": i.denominator,
                        "ratio": i.ratio,
                        "rule": i.rule,
                        "drill": i.drill,
                    }
                    for i in g.indicators
                ],
            }
            for g in result.groups
        ],
    }


@router.get(
    "/index-766",
    response={200: IndexOut, **ERRORS},
    summary="The Decision 766 service-quality index",
)
def index_766_api(
    request: HttpRequest,
    period: Annotated[str | None, Query(description="YYYY-MM, YYYY-Qn or YYYY")] = None,
    unit: Annotated[
        str | None,
        Query(description="Agency code or administrative-unit code (none: the province)"),
    ] = None,
    eresult_method: Annotated[
        str | None, Query(description="national (default) or all_settled")
    ] = None,
) -> Any:
    """Six groups (100 points), each indicator with its numerator, denominator and rule."""
    require_official(request)
    try:
        parsed = IndexPeriod.parse(period or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="period") from exc
    method = eresult_method or "national"
    if method not in ERESULT_METHODS:
        raise InvalidInput(
            f"`eresult_method` must be one of {', '.join(ERESULT_METHODS)}", field="eresult_method"
        )
    try:
        result = compute_index(parsed, unit or "", eresult_method=method)
    except UnknownUnit as exc:
        raise NotFound(str(exc)) from exc
    return index_as_dict(result)
