"""Tags of the page frame (``templates/base.html``) that every page renders.

``language_links``: the language picker's list items, built in Python. The same markup as the
``{% get_language_info_list %}`` loop with a ``{% url %}`` per language it replaces, which was
two thirds of the frame's rendering cost on every page (bench/portal.py, BENCHMARKS.md).
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()


@functools.cache
def _languages() -> tuple[tuple[str, str, str], ...]:
    """(code, escaped link path, escaped local name) per language in ``settings.LANGUAGES``."""
    return tuple(
        (
            code,
            escape(reverse("language", args=[code])),
            escape(get_language_info(code)["name_local"]),
        )
        for code, _name in settings.LANGUAGES
    )


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> SafeString:
    """``<li><a href="/ngon-ngu/<code>/?next=<this page>" …>`` for each language, the current
    one marked ``aria-current``."""
    request = context.get("request")
    # ``language_next``: a stand-in for the page's path in a frame kept for many pages
    # (``motcua.portal.page_cache.framed_page``)
    path = context.get("language_next") or (request.get_full_path() if request else "")
    # like ``{{ request.get_full_path|urlencode }}``: quoted, "/" kept, then HTML-escaped
    here = escape(quote(path, safe="/"))
    current = get_language()
    marked = ' aria-current="true"'
    return mark_safe(  # noqa: S308 - every part escaped above
        "".join(
            f'<li><a href="{path}?next={here}" lang="{code}" hreflang="{code}"'
            f"{marked if code == current else ''}>{name}</a></li>"
            for code, path, name in _languages()
        )
    )
