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
from urllib.parse import quote

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
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


# A stand-in for the visitor's CSRF token in a kept form page (letters, digits and hyphens: the
# template's escaping leaves it as it is).
CSRF_HOLE = "csrf-token-hole-4f1c9e2b7a"


def anonymous_form_page(
    request: HttpRequest, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """A form page that is the same for every anonymous visitor but for its CSRF token.

    ``render_page`` renders it with ``csrf_token`` set to ``CSRF_HOLE``; each visitor then gets
    the page with their own token in its place (``get_token``: a fresh mask of their secret, the
    CSRF cookie set as usual). For anonymous visitors, under the same conditions as
    ``anonymous_page``, the page is rendered once per (language, full path) and kept.
    """
    cacheable = _cacheable(request)
    key = ("form", get_language(), request.get_full_path())
    content: bytes | None = results_cache.cached_get(key) if cacheable else None
    if content is None:
        response = render_page()
        if response.status_code != 200 or response.streaming:
            return response
        content = response.content
        if CSRF_HOLE.encode() not in content:
            raise ValueError(f"{request.path}: rendered without the CSRF stand-in")
        if not cacheable or response.cookies:
            response.content = content.replace(CSRF_HOLE.encode(), get_token(request).encode())
            return response
        results_cache.cached_put(key, content)
    return HttpResponse(content.replace(CSRF_HOLE.encode(), get_token(request).encode()))


# Stand-ins in a kept page frame (letters, digits and hyphens: escaping leaves them as they are).
TITLE_HOLE = "frame-title-hole-8d2e61f0"
BODY_HOLE = "frame-body-hole-3a7c95d4"
PATH_HOLE = "frame-path-hole-c41b0e7a"


def framed_page(
    request: HttpRequest, *, title: str, body: str, frame: str = "portal/frame.html"
) -> HttpResponse | None:
    """``body`` (HTML rendered apart) in the page frame ``frame`` (``base.html`` and the portal
    navigation), for an anonymous visitor; None when the frame cannot be shared (see
    ``anonymous_page``: a session or messages cookie, an htmx request).

    The frame is the same for every anonymous visitor but for the page's title and path (in the
    language links), so it is rendered once per language with stand-ins for them, kept, and
    filled in: the frame was half the rendering cost of the tracking result page.
    """
    if not _cacheable(request):
        return None
    key = ("frame", frame, get_language())
    kept: bytes | None = results_cache.cached_get(key)
    if kept is None:
        html = render_to_string(
            frame,
            {
                "frame_title": TITLE_HOLE,
                "frame_body": BODY_HOLE,
                "language_next": PATH_HOLE,
                "cacheable_page": True,  # no htmx CSRF header: no per-visitor token in it
            },
            request=request,
        )
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or not all(
            hole in html for hole in (TITLE_HOLE, BODY_HOLE, PATH_HOLE)
        ):
            raise ValueError(f"{frame}: not a shareable frame")
        kept = html.encode()
        results_cache.cached_put(key, kept)
    here = quote(request.get_full_path(), safe="/")  # as ``language_links`` writes it
    page = (
        kept.replace(TITLE_HOLE.encode(), escape(title).encode())
        .replace(PATH_HOLE.encode(), escape(here).encode())
        .replace(BODY_HOLE.encode(), body.encode())
    )
    return HttpResponse(page)
