"""Whole rendered catalog pages for anonymous visitors, per process.

The portal's catalog pages (search, browse by field / level / life event) are the same for every
anonymous visitor: no per-visitor token in them (the language picker is a list of links, and
these pages leave out the htmx CSRF header — their htmx requests are GETs). So the response is
kept per (language, full path) and the catalog token of ``results_cache``: any catalog change
empties it, like the results fragments.

Used only when it is safe: a GET without a session cookie (so never for a logged-in user, and
never with messages kept in the session) and without a messages cookie; stored only when the
view answered 200 without setting a cookie. The procedure page is not cached: its due dates
("if you submit now") move with the clock.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from motcua.portal import results_cache

View = Callable[..., HttpResponse]
_HEADERS = ("Content-Type",)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and request.headers.get("HX-Request") != "true"
    )


def anonymous_page(view: View) -> View:
    """Serve and keep the whole page for anonymous visitors (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        # The token read before rendering: a page rendered across a catalog change is kept
        # under the old token, which is never asked for again.
        key = ("page", results_cache.catalog_token(), get_language(), request.get_full_path())
        hit = results_cache.cached_get(key)
        if hit is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            # Cookies the middleware would add on the way out: a CSRF token was rendered,
            # or the session was written.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not getattr(getattr(request, "session", None), "modified", False)
        ):
            headers = {h: response[h] for h in _HEADERS if h in response}
            results_cache.cached_put(key, (response.content, headers))
        return response

    return wrapper
