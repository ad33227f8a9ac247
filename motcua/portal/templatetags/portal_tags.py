"""Template filters of the public portal."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import get_language

from motcua.workdays.explain import format_instant

register = template.Library()


@register.filter
def instant(value: dt.datetime | None) -> str:
    """An instant as the legal clock words it: "17:00 Thứ Hai 02/03/2026" (local time)."""
    if value is None:
        return ""
    return format_instant(value, get_language() or "vi")
