"""The page frame's tags (``motcua/core/templatetags/chrome.py``)."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

# What ``language_links`` replaced in templates/base.html.
LOOP = (
    "{% load i18n %}{% get_current_language as LANGUAGE_CODE %}"
    "{% get_available_languages as LANGUAGES %}"
    "{% get_language_info_list for LANGUAGES as languages %}"
    "{% for language in languages %}<li><a href=\"{% url 'language' language.code %}"
    '?next={{ request.get_full_path|urlencode }}" lang="{{ language.code }}" '
    'hreflang="{{ language.code }}"{% if language.code == LANGUAGE_CODE %} aria-current="true"'
    "{% endif %}>{{ language.name_local }}</a></li>{% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en", "es"])
@pytest.mark.parametrize(
    "path",
    ["/tra-cuu/", "/thu-tuc/?q=đăng ký&x=<a>\"'", "/tra-cuu/ket-qua/000.00.20.H16-1:1x:a_b-/"],
)
def test_it_writes_the_language_links_like_the_template_loop(language: str, path: str) -> None:
    engine = engines["django"]
    request = RequestFactory().get(path)
    with translation.override(language):
        expected = engine.from_string(LOOP).render({}, request)
        written = engine.from_string("{% load chrome %}{% language_links %}").render({}, request)
    assert written == expected
    assert written.count("<li>") == 3 and written.count('aria-current="true"') == 1
