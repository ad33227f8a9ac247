"""The public portal: find a procedure, see what it takes and when it would be due, track a
dossier. Thin views: parse, one selector call, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
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
from motcua.core.reverse import cached_reverse
from motcua.portal import jinja_env, page_cache, results_cache, selectors, tracking
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
        if not request.GET:  # the empty form: kept whole, with each visitor's own CSRF token
            return page_cache.anonymous_form_page(
                request,
                lambda: render(
                    request,
                    "portal/track.html",
                    {
                        "form": TrackForm(),
                        "csrf_token": page_cache.CSRF_HOLE,
                        "cacheable_page": True,
                    },
                ),
            )
        initial = {"code": request.GET.get("code", "")[:60]}
        return render(request, "portal/track.html", {"form": TrackForm(initial=initial)})
    form = TrackForm(request.POST)
    limit, window = _track_limit()
    ip = ratelimit.client_ip(request.META)
    # The attempt is counted and the dossier read in one statement (PostgreSQL), whatever the
    # form's validity: a malformed attempt counts too.
    query, params = selectors.track_lookup(str(request.POST.get("code", ""))[:60])
    allowed, row = ratelimit.hit_and_read(
        f"portal-track:{ip}", limit=limit, window_seconds=window, query=query, params=params
    )
    if not allowed:
        form.is_valid()
        message = _(
            "Bạn đã tra cứu quá %(n)d lần trong %(m)d phút. Vui lòng thử lại sau ít phút."
        ) % {"n": limit, "m": max(1, window // 60)}
        return render(request, "portal/track.html", {"form": form, "blocked": message}, status=429)
    if form.is_valid():
        code = selectors.track_match(row, form.cleaned_data["contact"])
        if code is not None and code == selectors.normalize_code(form.cleaned_data["code"]):
            # A signed, short-lived link instead of a session: the result page then costs no
            # write and no new lookup (see ``tracking``).
            return HttpResponseRedirect(tracking.result_path(tracking.result_token(code)))
        form.add_error(
            None,
            _(
                "Không tìm thấy hồ sơ với mã và số điện thoại hoặc số giấy tờ này. "
                "Vui lòng kiểm tra lại giấy tiếp nhận."
            ),
        )
    return render(request, "portal/track.html", {"form": form}, status=200)


def _dossier_page(
    request: HttpRequest, public: selectors.PublicDossier, back: str, token: str = ""
) -> HttpResponse:
    from motcua.documents.selectors import eresult_for

    code = public.dossier.code
    is_owner = request.user.is_authenticated and public.dossier.applicant_user_id == request.user.pk
    eresult = eresult_for(user=request.user, dossier=public.dossier) if is_owner else None
    returned = public.dossier.returned_at is not None
    supplement_url = f"/ho-so/{code}/bo-sung/"
    if token and not request.user.is_authenticated:
        # so that page knows the visitor proved the pair (it then asks them to log in)
        supplement_url += f"?t={token}"
    context = {
        "d": public,
        "dossier": public.dossier,
        "back": back,
        "supplement_url": supplement_url,
        "eresult": eresult,
        "rating_url": reverse("feedback:rate", args=[code]) if is_owner and returned else "",
        # no form for an anonymous visitor here: no htmx CSRF header (nor CSRF cookie)
        "cacheable_page": bool(token),
    }
    # Jinja2 (motcua.portal.jinja_env): this body is most of the tracking result's rendering.
    body = jinja_env.render("portal/_dossier_body.html", context)
    if token:  # the tracking result: for an anonymous visitor, in the kept page frame
        title = _("Hồ sơ %(code)s") % {"code": code}
        framed = page_cache.framed_page(request, title=title, body=body)
        if framed is not None:
            return framed
    return render(request, "portal/dossier.html", {**context, "body": mark_safe(body)})  # noqa: S308 - autoescaped


def track_token(request: HttpRequest, token: str) -> HttpResponse:
    """``/tra-cuu/ket-qua/<token>/``: the page a successful lookup redirects to.

    The token (``tracking.result_token``) is the proof of the lookup: signed, bound to the code,
    good for ``tracking.TOKEN_MAX_AGE`` seconds. A forged or altered one goes back to the empty
    form; an expired one to the form with its code filled in.
    """
    code = tracking.token_code(token)
    if code is None:
        expired = tracking.token_code(token, max_age=None)
        query = f"?code={quote(expired)}" if expired else ""
        return HttpResponseRedirect(f"{reverse('portal:track')}{query}")
    try:
        public = selectors.dossier_public_get(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = _dossier_page(request, public, back=cached_reverse("portal:track"), token=token)
    # The link is the capability: kept out of shared caches and of Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def track_result(request: HttpRequest, code: str) -> HttpResponse:
    """``/tra-cuu/<code>/``: for a dossier remembered in this session (see ``tracking``)."""
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
