"""The Jinja2 environment of the hot public fragments: it escapes, translates and formats like
Django's template language."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template, engines
from django.utils import translation

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def jinja(source: str, **context: object) -> str:
    return str(engines["jinja2"].env.from_string(source).render(context))


def django(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_it_escapes_whatever_it_prints() -> None:
    assert jinja("{{ name }}", name='<script>alert("x")</script>') == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    )
    assert jinja('{{ _("Hồ sơ %(code)s")|format(code=c) }}', c="<b>") == "Hồ sơ &lt;b&gt;"


@pytest.mark.parametrize("fmt", ["H:i d/m/Y", "c", "d/m/Y", "j F Y"])
@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 3, 2, 1, 5, 7, 120, tzinfo=dt.UTC),  # 08:05 in Hồ Chí Minh City
        dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC),  # already 1 January there
        dt.datetime(2026, 3, 2, 8, 0, tzinfo=HCM),
        dt.datetime(987, 7, 9, 23, 59, 59, tzinfo=dt.UTC),  # a short year, zero-padded
    ],
)
def test_its_date_filter_writes_what_djangos_writes(value: dt.datetime, fmt: str) -> None:
    with translation.override("vi"):
        assert jinja("{{ v|date(f) }}", v=value, f=fmt) == django("{{ v|date:f }}", v=value, f=fmt)
    assert jinja("{{ v|date('H:i') }}", v=None) == ""


def test_it_translates_in_the_active_language() -> None:
    source = '{{ _("Quay lại") }} · {{ _("Hồ sơ %(code)s")|format(code="H16") }}'
    with translation.override("vi"):
        assert jinja(source) == "Quay lại · Hồ sơ H16"
    with translation.override("en"):
        assert jinja(source) == "Back · Dossier H16"
    with translation.override("es"):
        assert jinja(source).startswith("Volver · ")


def test_its_url_function_reverses_like_the_url_tag() -> None:
    assert jinja("{{ url('portal:procedure', '1.000001') }}") == django(
        "{% url 'portal:procedure' '1.000001' %}"
    )
