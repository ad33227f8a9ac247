"""The Jinja2 environment of the few templates rendered on the hottest public paths.

Django's template language stays the default. Jinja2 compiles a template to Python code, which
renders the tracking result body about three times faster than the same template in Django's
engine (ADR 0018). Templates live in ``<app>/jinja2/`` and use the same gettext catalogue:
translatable text is written ``{{ _("…") }}`` (with ``|format(name=…)`` for placeholders) so
that ``makemessages`` finds it as it finds ``{{ _("…") }}`` in a Django template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import formats, timezone, translation
from jinja2 import Environment

from motcua.catalog.templatetags.catalog_tags import vnd
from motcua.core.reverse import cached_reverse
from motcua.portal.templatetags.portal_tags import instant


def url(name: str, *args: Any) -> str:
    """``{{ url("portal:procedure", code) }}``: the ``{% url %}`` tag (answers kept)."""
    return cached_reverse(name, *args)


# The formats the hot templates use, written directly (Django's formatter is general and slow);
# ``portal/tests/test_jinja_env.py`` checks they give what Django's ``date`` filter gives.
_DIRECT: dict[str, Callable[[dt.datetime], str]] = {
    "H:i d/m/Y": lambda v: f"{v.hour:02d}:{v.minute:02d} {v.day:02d}/{v.month:02d}/{v.year:04d}",
    "c": dt.datetime.isoformat,
}


def date(value: dt.datetime | dt.date | None, fmt: str) -> str:
    """``{{ x|date("H:i d/m/Y") }}``: Django's ``date`` filter (local time, the same format
    characters)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        direct = _DIRECT.get(fmt)
        if direct is not None:
            return direct(value)
    return formats.date_format(value, fmt)


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    # Django's gettext as plain globals, not Jinja's i18n extension: its ``_`` is a wrapper
    # that resolves and calls ``gettext`` through the context again (half a render's cost of
    # translating); the templates use no ``{% trans %}`` block.
    env.globals.update(
        _=translation.gettext, gettext=translation.gettext, ngettext=translation.ngettext, url=url
    )
    env.filters.update(date=date, instant=instant, vnd=vnd)
    return env


def render(template_name: str, context: dict[str, Any]) -> str:
    """Render a template of the Jinja2 engine straight through Jinja (no request, no CSRF
    context: these templates hold no form)."""
    from django.template import engines

    return str(engines["jinja2"].env.get_template(template_name).render(context))  # type: ignore[attr-defined]
