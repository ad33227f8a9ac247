"""The public pages of the Decision 766 index, mounted at /chi-so-766/ (no login).

A published month is always shown from its frozen payload (``stats.publication``); the current
month and the unpublished months of the last year are computed live, cached for a few minutes and
marked provisional. The drill-down lists the dossiers behind a number (code, procedure, agency,
dates, outcome: never the applicant), is paginated and rate-limited per address.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.core import ratelimit
from motcua.stats.facts import EndKind, Outcome
from motcua.stats.hbars import hbar_chart
from motcua.stats.index766 import IndexPeriod, UnknownUnit, drill_facts
from motcua.stats.models import PublishedIndex
from motcua.stats.publication import RANKING_KINDS, build_payload, current_month

PROVINCE = "tinh"  # the province's slug in /chi-so-766/<month>/<unit>/
PROVISIONAL_MONTHS = 12  # unpublished months shown live, counting back from the current one
PROVISIONAL_CACHE_SECONDS = 600
PER_PAGE = 50

RANKING_LABELS = {
    "agencies": _("Xếp hạng sở, ban, ngành"),
    "communes": _("Xếp hạng xã, phường"),
}
ENDINGS = {
    (EndKind.SETTLED, Outcome.EARLY): _("Giải quyết trước hạn"),
    (EndKind.SETTLED, Outcome.ON_TIME): _("Giải quyết đúng hạn"),
    (EndKind.SETTLED, Outcome.LATE): _("Giải quyết quá hạn"),
    (EndKind.WITHDRAWN, ""): _("Rút hồ sơ"),
    (EndKind.STOPPED, ""): _("Dừng xử lý"),
}


# -- which month, which numbers --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Month:
    period: IndexPeriod
    payload: dict[str, Any]
    publication: PublishedIndex | None

    @property
    def provisional(self) -> bool:
        return self.publication is None

    @property
    def label(self) -> str:
        return self.period.first.strftime("%m/%Y")


def _months_back(period: IndexPeriod, n: int) -> IndexPeriod:
    index = period.year * 12 + period.number - 1 - n
    return IndexPeriod("month", index // 12, index % 12 + 1)


def _parse(month: str) -> IndexPeriod:
    try:
        period = IndexPeriod.parse(month)
    except ValueError as exc:
        raise Http404("not a month") from exc
    if period.kind != "month":
        raise Http404("not a month")
    return period


def load_month(month: str) -> Month:
    """The frozen payload of a published month, else a provisional computation of the current
    month or an unpublished month of the last year; anything else is not offered (404)."""
    period = _parse(month)
    publication = PublishedIndex.objects.filter(month=str(period)).first()
    if publication is not None:
        return Month(period, publication.payload, publication)
    now = current_month()
    if period.first > now.first or period.first < _months_back(now, PROVISIONAL_MONTHS).first:
        raise Http404("this month is not offered")
    key = f"index766-provisional:{period}"
    payload = cache.get(key)
    if payload is None:
        payload = build_payload(period)
        cache.set(key, payload, PROVISIONAL_CACHE_SECONDS)
    return Month(period, payload, None)


def find_unit(payload: dict[str, Any], unit: str) -> tuple[dict[str, Any], str]:
    """(the unit's index, its ranking: "province" / "agencies" / "communes")."""
    if unit == PROVINCE:
        return payload["province"], "province"
    for kind in RANKING_KINDS:
        for row in payload["rankings"].get(kind, []):
            if row["unit"] == unit:
                return row, kind
    raise Http404("unknown unit")


def _tr(text: str) -> str:
    """Names and rules are stored in Vietnamese, the msgids: translated on display."""
    return gettext(text) if text else text


def _display(index: dict[str, Any]) -> dict[str, Any]:
    groups = []
    for g in index["groups"]:
        indicators = [
            {
                **i,
                "name": _tr(i["name"]),
                "rule": _tr(i["rule"]),
                "percent": None if i["ratio"] is None else 100 * i["ratio"],
            }
            for i in g["indicators"]
        ]
        groups.append({**g, "name": _tr(g["name"]), "indicators": indicators})
    return {**index, "groups": groups}


def _group_names(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"code": g["code"], "name": _tr(g["name"]), "max_points": g["max_points"]}
        for g in payload["province"]["groups"]
    ]


def _rankings(payload: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for kind in RANKING_KINDS:
        rows = payload["rankings"].get(kind, [])
        out.append(
            {
                "kind": kind,
                "label": RANKING_LABELS[kind],
                "rows": [
                    {
                        "rank": r["rank"],
                        "unit": r["unit"],
                        "unit_name": r["unit_name"],
                        "scores": [g["score"] for g in r["groups"]],
                        "total": r["total"],
                    }
                    for r in rows
                ],
                "chart": hbar_chart([(r["unit_name"], r["total"], 100.0) for r in rows]),
            }
        )
    return out


def _context(month: Month, **extra: Any) -> dict[str, Any]:
    return {
        "month": month,
        "period": month.period,
        "province_slug": PROVINCE,
        "cacheable_page": True,  # no form, no CSRF token: the same bytes for every visitor
        "published_months": PublishedIndex.objects.order_by("-month").only("month", "published_at")[
            :24
        ],
        **extra,
    }


# -- pages -----------------------------------------------------------------------------------------


@require_GET
def index_home(request: HttpRequest) -> HttpResponse:
    """``/chi-so-766/``: the published months and the latest ranking."""
    publications = list(
        PublishedIndex.objects.order_by("-month").values_list(
            "month", "published_at", "payload__province__total"
        )
    )
    latest = None
    if publications:
        full = PublishedIndex.objects.get(month=publications[0][0])
        latest = Month(IndexPeriod.parse(full.month), full.payload, full)
    now = current_month()
    published = {month for month, *_ in publications}
    provisional = [m for m in (now, _months_back(now, 1)) if str(m) not in published]
    return render(
        request,
        "stats/public/home.html",
        {
            "publications": [
                {"month": month, "label": f"{month[5:]}/{month[:4]}", "at": at, "total": total}
                for month, at, total in publications
            ],
            "latest": latest,
            "rankings": _rankings(latest.payload) if latest else [],
            "groups": _group_names(latest.payload) if latest else [],
            "provisional": provisional,
            "province_slug": PROVINCE,
            "cacheable_page": True,
        },
    )


@require_GET
def month_page(request: HttpRequest, month: str) -> HttpResponse:
    """``/chi-so-766/<YYYY-MM>/``: the province by group and both rankings, with charts."""
    m = load_month(month)
    province = _display(m.payload["province"])
    chart = hbar_chart(
        [(g["name"], g["score"], g["max_points"]) for g in province["groups"]], scale=22.0
    )
    return render(
        request,
        "stats/public/month.html",
        _context(
            m,
            province=province,
            province_chart=chart,
            rankings=_rankings(m.payload),
            groups=_group_names(m.payload),
            report=m.payload["report_06a"],
        ),
    )


@require_GET
def unit_page(request: HttpRequest, month: str, unit: str) -> HttpResponse:
    """``/chi-so-766/<YYYY-MM>/<unit>/``: every indicator of one unit with its rule."""
    m = load_month(month)
    index, kind = find_unit(m.payload, unit)
    return render(
        request,
        "stats/public/unit.html",
        _context(
            m,
            index=_display(index),
            unit_slug=unit,
            ranking_label=RANKING_LABELS.get(kind, ""),
        ),
    )


def _drill_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "MOTCUA_PUBLIC_DRILL_MAX", 60)),
        int(getattr(settings, "MOTCUA_PUBLIC_DRILL_WINDOW_SECONDS", 60)),
    )


def _ending(end_kind: str, outcome: str) -> str:
    if not end_kind:
        return gettext("Đang giải quyết")
    return str(ENDINGS.get((end_kind, outcome if end_kind == EndKind.SETTLED else ""), end_kind))


@require_GET
def drill_page(request: HttpRequest, month: str, unit: str, drill: str) -> HttpResponse:
    """``/chi-so-766/<YYYY-MM>/<unit>/<drill>/``: the dossiers behind an indicator."""
    m = load_month(month)
    index, _kind = find_unit(m.payload, unit)
    indicator = next(
        (i for g in index["groups"] for i in g["indicators"] if i["drill"] == drill), None
    )
    if indicator is None:
        raise Http404("unknown drill-down")
    limit, window = _drill_limit()
    if not ratelimit.hit(
        f"public-index-drill:{ratelimit.client_ip(request.META)}",
        limit=limit,
        window_seconds=window,
    ):
        return render(
            request,
            "stats/public/busy.html",
            {"minutes": max(1, window // 60)},
            status=429,
        )
    against = request.GET.get("loai") == "mat-diem"
    try:
        facts = drill_facts(drill, m.period, "" if unit == PROVINCE else unit, against=against)
    except UnknownUnit as exc:  # a unit published then removed from the agency tree
        raise Http404("unknown unit") from exc
    # Only what the page shows: never the applicant's name or any other personal data.
    rows = facts.values(
        "code",
        "procedure__code",
        "agency__name",
        "received_at",
        "due_at",
        "ended_at",
        "end_kind",
        "outcome",
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("trang"))
    items = [{**r, "ending": _ending(r["end_kind"], r["outcome"])} for r in page.object_list]
    return render(
        request,
        "stats/public/drill.html",
        _context(
            m,
            index=index,
            unit_slug=unit,
            indicator={**indicator, "name": _tr(indicator["name"]), "rule": _tr(indicator["rule"])},
            page=page,
            items=items,
            against=against,
            query="loai=mat-diem" if against else "",
        ),
    )


# -- open data -------------------------------------------------------------------------------------


def _published_or_404(month: str) -> PublishedIndex:
    period = _parse(month)
    publication = PublishedIndex.objects.filter(month=str(period)).first()
    if publication is None:
        raise Http404("not published")
    return publication


def _open_data_headers(response: HttpResponse, publication: PublishedIndex, ext: str) -> None:
    response["Content-Disposition"] = f'inline; filename="chi-so-766-{publication.month}.{ext}"'
    response["ETag"] = f'"{publication.sha256}"'
    response["X-Content-SHA256-Signature"] = publication.signature
    response["Access-Control-Allow-Origin"] = "*"


@require_GET
def month_json(request: HttpRequest, month: str) -> HttpResponse:
    """``/chi-so-766/<YYYY-MM>.json``: the frozen payload, with its hash and sign-off."""
    publication = _published_or_404(month)
    body = {
        "month": publication.month,
        "published_at": timezone.localtime(publication.published_at).isoformat(),
        "sha256": publication.sha256,
        "signature": publication.signature,
        "payload": publication.payload,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    _open_data_headers(response, publication, "json")
    return response


CSV_HEADER = (
    "month",
    "ranking",
    "rank",
    "unit_code",
    "unit_name",
    "group",
    "indicator_code",
    "indicator_key",
    "numerator",
    "denominator",
    "score",
    "max_points",
)


def csv_rows(payload: dict[str, Any]) -> list[list[Any]]:
    """One row per unit and indicator: the province first, then each ranking in rank order."""
    units: list[tuple[str, dict[str, Any]]] = [("province", payload["province"])]
    for kind in RANKING_KINDS:
        units += [(kind, r) for r in payload["rankings"].get(kind, [])]
    out = []
    for ranking, index in units:
        for g in index["groups"]:
            for i in g["indicators"]:
                out.append(
                    [
                        payload["month"],
                        ranking,
                        "" if index["rank"] is None else index["rank"],
                        index["unit"],
                        index["unit_name"],
                        g["code"],
                        i["code"],
                        i["key"],
                        "" if i["numerator"] is None else i["numerator"],
                        "" if i["denominator"] is None else i["denominator"],
                        i["score"],
                        i["max_points"],
                    ]
                )
    return out


@require_GET
def month_csv(request: HttpRequest, month: str) -> HttpResponse:
    """``/chi-so-766/<YYYY-MM>.csv``: one row per unit and indicator (UTF-8 with BOM)."""
    publication = _published_or_404(month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(publication.payload))
    _open_data_headers(response, publication, "csv")
    return response
