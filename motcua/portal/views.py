"""The public portal: find a procedure, see what it takes and when it would be due, track a
dossier. Thin views: parse, one selector call, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.catalog.models import Level, OnlineLevel
from motcua.catalog.selectors import procedure_get, version_agencies
from motcua.core import ratelimit
from motcua.core.errors import InvalidInput, NotFound
from motcua.portal import results_cache, selectors, tracking
from motcua.portal.forms import SearchForm, TrackForm
from motcua.portal.life_events import LIFE_EVENTS, LifeEvent, life_event_get
from motcua.portal.page_cache import anonymous_page
from motcua.units.models import Agency


def _track_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "MOTCUA_TRACK_MAX_ATTEMPTS", 10)),
        int(getattr(settings, "MOTCUA_TRACK_WINDOW_SECONDS", 600)),
    )


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"form": SearchForm(), "life_events": LIFE_EVENTS, "track_form": TrackForm()},
    )


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("trang", "1")
    return max(1, int(raw)) if raw.isdigit() and len(raw) < 6 else 1


def _listing(
    request: HttpRequest,
    *,
    title: str,
    intro: str = "",
    field: str = "",
    level: str = "",
    agency: Agency | None = None,
    event: LifeEvent | None = None,
    template: str = "portal/procedure_list.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    number = _page_number(request)

    def render_results() -> str:
        try:
            page = selectors.procedure_find(
                q=q,
                field=field,
                level=level,
                agency=agency,
                event=event,
                offset=(number - 1) * selectors.PAGE_SIZE,
            )
        except InvalidInput as exc:
            raise Http404(exc.message) from exc
        return render_to_string(
            "portal/_results.html",
            {"q": q, "page": page, "page_number": page.offset // selectors.PAGE_SIZE + 1},
            request=request,
        )

    # The same query gives the same results until the catalog changes (results_cache).
    key = (
        get_language(),
        q,
        field,
        level,
        agency.code if agency else "",
        event.slug if event else "",
        number,
    )
    results = mark_safe(results_cache.cached_html(key, render_results))  # noqa: S308 - our template
    if request.headers.get("HX-Request") == "true" and request.GET.get("partial") == "1":
        return HttpResponse(results)
    context = {
        "title": title,
        "intro": intro,
        "form": form,
        "q": q,
        "results": results,
        "cacheable_page": True,  # no per-visitor token in it (page_cache)
    }
    return render(request, template, {**context, **(extra or {})})


@anonymous_page
def procedure_search(request: HttpRequest) -> HttpResponse:
    """``/thu-tuc/?q=``: results for a query; without one, the ways to browse."""
    q = request.GET.get("q", "").strip()
    extra: dict[str, Any] = {"life_events": LIFE_EVENTS}
    if not q:
        extra["browse"] = selectors.browse_index()
    return _listing(
        request,
        title=_("Tìm thủ tục hành chính"),
        template="portal/procedure_search.html",
        extra=extra,
    )


@anonymous_page
def procedures_by_field(request: HttpRequest, code: str) -> HttpResponse:
    try:
        found = selectors.field_get(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _listing(
        request,
        title=_("Lĩnh vực: %(name)s") % {"name": found.name},
        field=found.code,
    )


def procedures_by_agency(request: HttpRequest, code: str) -> HttpResponse:
    try:
        agency = selectors.agency_get(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _listing(
        request,
        title=_("Cơ quan: %(name)s") % {"name": agency.name},
        intro=agency.address or (agency.unit.name if agency.unit_id else ""),
        agency=agency,
    )


@anonymous_page
def procedures_by_level(request: HttpRequest, level: str) -> HttpResponse:
    labels = dict(Level.choices)
    if level not in labels:
        raise Http404(_("Không có cấp thực hiện này."))
    return _listing(
        request, title=_("Thủ tục %(level)s") % {"level": str(labels[level]).lower()}, level=level
    )


@anonymous_page
def procedures_by_event(request: HttpRequest, slug: str) -> HttpResponse:
    event = life_event_get(slug)
    if event is None:
        raise Http404(_("Không có sự kiện này."))
    return _listing(request, title=str(event.name), intro=str(event.description), event=event)


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = procedure_get(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    version = procedure.current_version
    if version is None:  # procedure_get returns only procedures that have one
        raise Http404(code)
    components = list(version.components.all())
    fees = list(version.fees.all())
    estimates = selectors.procedure_due_estimates(version, now=timezone.now())
    cases = [
        {
            "case": case,
            "components": [c for c in components if c.case_id == case.pk],
            "fees": [f for f in fees if f.case_id == case.pk],
            "estimates": [e for e in estimates if e.case.pk == case.pk],
        }
        for case in version.cases.all()
    ]
    context = {
        "procedure": procedure,
        "version": version,
        "cases": cases,
        "components": [c for c in components if c.case_id is None],
        "fees": [f for f in fees if f.case_id is None],
        "agencies": version_agencies(version),
        "first_estimate": next((e for e in estimates if e.due is not None), None),
        "can_apply_online": version.online_level != OnlineLevel.NONE,
    }
    return render(request, "portal/procedure_detail.html", context)


# -- tracking -------------------------------------------------------------------------------------


def track(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/``: code + phone or ID number, no login; rate-limited per IP."""
    if request.method != "POST":
        initial = {"code": request.GET.get("code", "")[:60]}
        return render(request, "portal/track.html", {"form": TrackForm(initial=initial)})
    form = TrackForm(request.POST)
    limit, window = _track_limit()
    ip = ratelimit.client_ip(request.META)
    if not ratelimit.hit(f"portal-track:{ip}", limit=limit, window_seconds=window):
        form.is_valid()
        message = _(
            "Bạn đã tra cứu quá %(n)d lần trong %(m)d phút. Vui lòng thử lại sau ít phút."
        ) % {"n": limit, "m": max(1, window // 60)}
        return render(request, "portal/track.html", {"form": form, "blocked": message}, status=429)
    if form.is_valid():
        dossier = selectors.dossier_track(
            code=form.cleaned_data["code"], contact=form.cleaned_data["contact"]
        )
        if dossier is not None:
            tracking.remember(request.session, dossier.code)
            return redirect("portal:track_result", code=dossier.code)
        form.add_error(
            None,
            _(
                "Không tìm thấy hồ sơ với mã và số điện thoại hoặc số giấy tờ này. "
                "Vui lòng kiểm tra lại giấy tiếp nhận."
            ),
        )
    return render(request, "portal/track.html", {"form": form}, status=200)


def _dossier_page(request: HttpRequest, public: selectors.PublicDossier, back: str) -> HttpResponse:
    from motcua.documents.selectors import eresult_for

    code = public.dossier.code
    is_owner = request.user.is_authenticated and public.dossier.applicant_user_id == request.user.pk
    eresult = eresult_for(user=request.user, dossier=public.dossier) if is_owner else None
    returned = public.dossier.returned_at is not None
    return render(
        request,
        "portal/dossier.html",
        {
            "d": public,
            "dossier": public.dossier,
            "back": back,
            "supplement_url": f"/ho-so/{code}/bo-sung/",
            "payment_url": reverse("payments:start", args=[code]),
            "eresult": eresult,
            "rating_url": reverse("feedback:rate", args=[code]) if is_owner and returned else "",
        },
    )


def track_result(request: HttpRequest, code: str) -> HttpResponse:
    if not tracking.is_tracked(request.session, code):
        return HttpResponseRedirect(f"{reverse('portal:track')}?code={code[:60]}")
    try:
        public = selectors.dossier_public_get(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _dossier_page(request, public, back=reverse("portal:track"))


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    dossiers = list(selectors.dossiers_of_applicant(user=request.user)[:200])
    return render(request, "portal/my_dossiers.html", {"dossiers": dossiers})


@login_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    try:
        public = selectors.dossier_public_get(code=code, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    tracking.remember(request.session, public.dossier.code)
    return _dossier_page(request, public, back=reverse("portal:my_dossiers"))
