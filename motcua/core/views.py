"""Operational endpoints."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers; also the minimal view that bench/portal.py compares with."""
    return HttpResponse("ok", content_type="text/plain")


def language(request: HttpRequest, code: str) -> HttpResponse:
    """``/ngon-ngu/<code>/?next=``: the language picker's links. Remembers the language in the
    language cookie and goes back to ``next`` (only a path on this site; else the home page).

    A plain link instead of a POST form, so pages carry no per-visitor CSRF token and the
    portal's catalog pages can be cached whole (``motcua.portal.page_cache``)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(code)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
