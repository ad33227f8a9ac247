from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def vnd(value: object) -> str:
    """200000 → "200.000" (Vietnamese thousands separator)."""
    try:
        return f"{int(str(value)):,}".replace(",", ".")
    except ValueError:
        return str(value)
