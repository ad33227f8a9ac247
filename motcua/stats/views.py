"""Back-office statistics pages, mounted under /office/thong-ke/ in config/urls.py: the
dashboards, report II.06a with its drill-down, and its Excel and PDF exports.

Scope: the report's numbers are aggregates and any official may read them for any node (they
carry no personal data and are published monthly); the dossiers behind a number are listed only
for the agencies the user may see (``selectors.drill``), else 404. The dashboards, which list
open dossiers, are offered for the province (officials who see every agency) and for the
agencies the user may see.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.scoping import AgencyScope, agency_ids_visible_to
from motcua.core.errors import NotFound
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.views import official_required
from motcua.stats import exports, selectors
from motcua.stats.chart import bar_chart
from motcua.stats.facts import EndKind, Outcome
from motcua.stats.forms import DrillForm, PeriodForm, month_period
from motcua.stats.models import DossierFact
from motcua.stats.report06a import Period, Report, report_06a, row_nodes
from motcua.units.models import Agency

DRILL_PER_PAGE = 50
DASHBOARD_LIST = 10

#: The table's number columns, in the order of the form, then the identity's two columns.
COLUMNS: tuple[str, ...] = (
    "received_total",
    "received_online",
    "received_direct_postal",
    "carried_over",
    "settled_total",
    "settled_early",
    "settled_on_time",
    "settled_late",
    "pending_total",
    "pending_within_time",
    "pending_overdue",
    "withdrawn",
    "stopped",
)
CELL_LABELS = {
    "received_total": gettext_lazy("Tổng số hồ sơ nhận giải quyết"),
    "received_online": gettext_lazy("Tiếp nhận trực tuyến trong kỳ"),
    "received_direct_postal": gettext_lazy("Tiếp nhận trực tiếp, dịch vụ bưu chính trong kỳ"),
    "carried_over": gettext_lazy("Từ kỳ trước chuyển sang"),
    "settled_total": gettext_lazy("Tổng số hồ sơ đã giải quyết"),
    "settled_early": gettext_lazy("Đã giải quyết trước hạn"),
    "settled_on_time": gettext_lazy("Đã giải quyết đúng hạn"),
    "settled_late": gettext_lazy("Đã giải quyết quá hạn"),
    "pending_total": gettext_lazy("Tổng số hồ sơ đang giải quyết"),
    "pending_within_time": gettext_lazy("Đang giải quyết trong hạn"),
    "pending_overdue": gettext_lazy("Đang giải quyết quá hạn"),
    "withdrawn": gettext_lazy("Rút hồ sơ"),
    "stopped": gettext_lazy("Dừng xử lý"),
}
ENDINGS = {
    (EndKind.SETTLED, Outcome.EARLY): gettext_lazy("Giải quyết trước hạn"),
    (EndKind.SETTLED, Outcome.ON_TIME): gettext_lazy("Giải quyết đúng hạn"),
    (EndKind.SETTLED, Outcome.LATE): gettext_lazy("Giải quyết quá hạn"),
    (EndKind.WITHDRAWN, ""): gettext_lazy("Rút hồ sơ"),
    (EndKind.STOPPED, ""): gettext_lazy("Dừng xử lý"),
}
PERIOD_FIELDS = ("kind", "year", "month", "quarter", "date_from", "date_to", "node")


# -- shared parsing -------------------------------------------------------------------------------


def _parse(form: PeriodForm) -> tuple[Period, Agency | None] | None:
    """The period and node of a valid form; ``None`` with the errors on the form otherwise."""
    if form.is_bound and not form.is_valid():
        return None
    try:
        node = selectors.find_agency(form.node_code())
    except NotFound:
        form.add_error(
            "node", _("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": form.node_code()}
        )
        return None
    return form.period(), node


def _period_params(form: PeriodForm, period: Period, node: Agency | None) -> dict[str, str]:
    """The query parameters that name this period and node (for links and exports)."""
    if not form.is_bound:
        return {
            "kind": "month",
            "year": str(period.first.year),
            "month": str(period.first.month),
            "node": "",
        }
    data = form.cleaned_data
    out = {"kind": data["kind"], "node": node.code if node is not None else ""}
    if data["kind"] == "range":
        out["date_from"] = period.first.isoformat()
        out["date_to"] = period.last.isoformat()
    else:
        out["year"] = str(period.first.year)
        if data["kind"] == "month":
            out["month"] = str(period.first.month)
        elif data["kind"] == "quarter":
            out["quarter"] = str((period.first.month - 1) // 3 + 1)
    return out


def _drillable(scope: AgencyScope, agency_ids: frozenset[int]) -> bool:
    return scope.everything or any(a in scope for a in agency_ids)


def _table(report: Report, scope: AgencyScope, params: dict[str, str]) -> dict[str, Any]:
    """The report's rows with, for every number, the link to the dossiers behind it (when the
    user may see some of them) and, for a unit with units under it, the link to its report."""
    nodes, all_ids = row_nodes(report.node)
    by_code = {n.code: n for n in nodes}
    drill_url = reverse("stats:drill")
    report_url = reverse("stats:report_06a")

    def cells(row: Any, row_code: str, ids: frozenset[int]) -> list[dict[str, Any]]:
        ok = _drillable(scope, ids)
        return [
            {
                "key": c,
                "value": getattr(row, c),
                "url": f"{drill_url}?{urlencode({**params, 'row': row_code, 'cell': c})}"
                if ok
                else "",
            }
            for c in COLUMNS
        ]

    rows: list[dict[str, Any]] = []
    for n, row in enumerate(report.rows, start=1):
        node = by_code.get(row.code)
        ids = node.agency_ids if node is not None else frozenset()
        sub = node is not None and not node.own and len(ids) > 1
        rows.append(
            {
                "n": n,
                "row": row,
                "own": node is not None and node.own,
                "subreport": f"{report_url}?{urlencode({**params, 'node': row.code})}"
                if sub
                else "",
                "cells": cells(row, row.code, ids),
            }
        )
    return {
        "rows": rows,
        "total": {"row": report.total, "cells": cells(report.total, "", all_ids)},
        "identity_fails": [r for r in report.rows if not r.identity_holds],
        "total_identity": report.total.identity_holds,
    }


def _context(form: PeriodForm, scope: AgencyScope) -> dict[str, Any]:
    return {"form": form, "scope_everything": scope.everything}


# -- report II.06a --------------------------------------------------------------------------------


@official_required
def report_page(request: HttpRequest) -> HttpResponse:
    scope = agency_ids_visible_to(request.user)
    form = PeriodForm(request.GET or None, agencies=selectors.tree_options(scope))
    context = _context(form, scope)
    parsed = _parse(form)
    if parsed is None:
        return render(request, "stats/report_06a.html", context, status=400)
    period, node = parsed
    report = report_06a(period, node)
    params = _period_params(form, period, node)
    query = urlencode(params)
    context.update(
        {
            "report": report,
            "period": period,
            "node": node,
            "table": _table(report, scope, params),
            "xlsx_url": f"{reverse('stats:report_06a_xlsx')}?{query}",
            "pdf_url": f"{reverse('stats:report_06a_pdf')}?{query}",
            "parent_url": _parent_url(node, params),
        }
    )
    return render(request, "stats/report_06a.html", context)


def _parent_url(node: Agency | None, params: dict[str, str]) -> str:
    if node is None:
        return ""
    parent = node.parent.code if node.parent_id and node.parent else ""
    return f"{reverse('stats:report_06a')}?{urlencode({**params, 'node': parent})}"


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    scope = agency_ids_visible_to(request.user)
    form = PeriodForm(request.GET or None, agencies=selectors.tree_options(scope))
    parsed = _parse(form)
    if parsed is None:
        return render(request, "stats/report_06a.html", _context(form, scope), status=400)
    report = report_06a(*parsed)
    if kind == "xlsx":
        body = exports.report_xlsx(report)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.report_pdf(report)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    disposition = "attachment" if kind == "xlsx" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{exports.filename(report, kind)}"'
    return response


@official_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@official_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    return _export(request, "pdf")


# -- the drill-down -------------------------------------------------------------------------------


def _ending(fact: DossierFact) -> str:
    if not fact.end_kind:
        return _("Đang giải quyết")
    outcome = fact.outcome if fact.end_kind == EndKind.SETTLED else ""
    return str(ENDINGS.get((fact.end_kind, outcome), fact.end_kind))


@official_required
def drill_page(request: HttpRequest) -> HttpResponse:
    scope = agency_ids_visible_to(request.user)
    form = DrillForm(request.GET or None, agencies=[])
    context: dict[str, Any] = {"form": form}
    if not form.is_bound:
        context["problem"] = _("Chọn một số liệu của báo cáo để xem danh sách hồ sơ.")
        return render(request, "stats/drill.html", context, status=400)
    parsed = _parse(form)
    if parsed is None:
        return render(request, "stats/drill.html", context, status=400)
    period, node = parsed
    cell, row = form.cleaned_data["cell"], form.cleaned_data["row"].strip()
    try:
        found = selectors.drill(scope=scope, cell=cell, period=period, node=node, row=row)
    except NotFound:
        raise Http404(_("Không có hồ sơ nào bạn được xem ở số liệu này.")) from None
    page = Paginator(found.facts, DRILL_PER_PAGE).get_page(request.GET.get("page"))
    params = _period_params(form, period, node)
    facts = [
        {
            "f": f,
            "url": reverse("dossiers:detail", args=[f.code]) if f.dossier_id else "",
            "ending": _ending(f),
        }
        for f in page.object_list
    ]
    paging = request.GET.copy()
    paging.pop("page", None)
    context.update(
        {
            "page": page,
            "facts": facts,
            "period": period,
            "node": node,
            "cell_label": CELL_LABELS[cell],
            "row_name": found.row_name or (node.name if node else _("Toàn tỉnh")),
            "partial": found.partial,
            "report_url": f"{reverse('stats:report_06a')}?{urlencode(params)}",
            "query": paging.urlencode(),
        }
    )
    return render(request, "stats/drill.html", context)


# -- dashboards -----------------------------------------------------------------------------------


def _dashboard_node(request: HttpRequest, scope: AgencyScope, options: list[Any]) -> Any:
    """The province for officials who see every agency, else one of the user's agencies."""
    code = (request.GET.get("node") or "").strip()
    if not code:
        if scope.everything or not options:
            return None
        return options[0][0]
    for agency, _depth in options:
        if agency.code == code:
            return agency
    raise Http404(_("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": code})


@official_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = agency_ids_visible_to(user)
    options = selectors.tree_options(scope)
    if not scope.everything and not options:
        return render(request, "stats/dashboard.html", {"unassigned": True})
    node = _dashboard_node(request, scope, options)
    today = timezone.localdate()
    now = timezone.now()
    trend = selectors.monthly_trend(node, today)
    chart = bar_chart(
        [f"{p.first:%m/%y}" for p in trend],
        [[p.received for p in trend], [p.settled for p in trend]],
    )
    agency_id = node.pk if node is not None else None
    counts = dossier_selectors.dossier_queue_counts(user=user, agency_id=agency_id, now=now)
    overdue = list(
        dossier_selectors.dossier_queue(user=user, which="overdue", agency_id=agency_id, now=now)[
            :DASHBOARD_LIST
        ]
    )
    at_risk = list(
        dossier_selectors.dossier_queue(user=user, which="at_risk", agency_id=agency_id, now=now)[
            :DASHBOARD_LIST
        ]
    )
    month = month_period(today.year, today.month)
    summary = report_06a(month, node)
    params = {
        "kind": "month",
        "year": str(today.year),
        "month": str(today.month),
        "node": node.code if node is not None else "",
    }
    context = {
        "node": node,
        "options": options,
        "node_options": [(a, "\u00a0\u00a0" * depth + a.name) for a, depth in options],
        "scope_everything": scope.everything,
        "today": today,
        "trend": trend,
        "chart": chart,
        "counts": counts,
        "overdue": overdue,
        "at_risk": at_risk,
        "summary": summary,
        "table": _table(summary, scope, params),
        "report_url": f"{reverse('stats:report_06a')}?{urlencode(params)}",
        "index": selectors.index_losses(
            today.year, today.month, node.code if node is not None else ""
        ),
        "late_rate": _late_rate(summary),
    }
    return render(request, "stats/dashboard.html", context)


def _late_rate(report: Report) -> float | None:
    """(pending overdue + settled late) ÷ (received + carried over), the published late rate
    (vn-rules §5)."""
    t = report.total
    if not t.received_total:
        return None
    return round(100 * (t.pending_overdue + t.settled_late) / t.received_total, 1)
