"""Whole catalog pages kept for anonymous visitors (page_cache), and the language links that
made them the same for every visitor."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.portal.tests.test_it_results_cache import _import_renamed

pytestmark = pytest.mark.django_db

URL = "/thu-tuc/?q=khai+sinh"


def _get(client: Client, url: str = URL) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured.captured_queries)


def test_it_serves_the_same_anonymous_page_again_without_a_query_or_a_cookie(
    demo_slice: Any,
) -> None:
    first, queries = _get(Client())
    assert first.status_code == 200 and queries > 0
    assert "Thủ tục đăng ký khai sinh" in first.content.decode()
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert "X-CSRFToken" not in first.content.decode()
    again, queries = _get(Client())
    assert queries == 0 and again.content == first.content
    assert not again.cookies and again["Content-Type"] == first["Content-Type"]
    # browse pages too; the procedure page is not kept (its due dates move with the clock)
    _get(Client(), "/thu-tuc/su-kien/khai-sinh-khai-tu/")
    assert _get(Client(), "/thu-tuc/su-kien/khai-sinh-khai-tu/")[1] == 0


def test_a_catalog_change_empties_it(
    demo_slice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _get(Client())
    with django_capture_on_commit_callbacks(execute=True):
        _import_renamed("Thủ tục đăng ký khai sinh (mẫu mới)")
    body, queries = _get(Client())
    assert queries > 0 and "(mẫu mới)" in body.content.decode()


def test_a_logged_in_user_never_gets_the_anonymous_page(demo_slice: Any, alice: Any) -> None:
    anonymous, _queries = _get(Client())
    assert "Đăng xuất" not in anonymous.content.decode()
    client = Client()
    client.force_login(alice)
    mine, queries = _get(client)
    assert queries > 0
    body = mine.content.decode()
    assert "Đăng xuất" in body and str(alice) in body and "X-CSRFToken" in body
    # and what a logged-in user saw is not served to the next anonymous visitor
    assert "Đăng xuất" not in Client().get(URL).content.decode()


def test_each_language_has_its_own_page(demo_slice: Any) -> None:
    vi = Client().get(URL).content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    en = english.get(URL).content.decode()
    assert en != vi and '<html lang="en">' in en and '<html lang="vi">' in vi


def test_the_language_links_set_the_language_and_go_back(client: Client) -> None:
    response = client.get("/ngon-ngu/en/?next=/thu-tuc/%3Fq%3Dkhai%2Bsinh")
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/?q=khai+sinh"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/thu-tuc/").content.decode()
    page = client.get("/thu-tuc/").content.decode()
    for code in ("vi", "en", "es"):
        assert f'href="/ngon-ngu/{code}/?next=/thu-tuc/"' in page


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_the_language_links_refuse_an_off_site_next(client: Client, target: str) -> None:
    response = client.get("/ngon-ngu/es/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["django_language"].value == "es"


def test_an_unknown_language_is_not_found(client: Client) -> None:
    assert client.get("/ngon-ngu/xx/?next=/").status_code == 404


def test_an_agency_change_empties_it(
    demo_slice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The browse index of /thu-tuc/ lists the agencies."""
    agency = demo_slice["justice"]
    assert agency.name in _get(Client(), "/thu-tuc/")[0].content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        agency.name = "Sở Tư pháp (tên mới)"
        agency.save()
    assert "Sở Tư pháp (tên mới)" in _get(Client(), "/thu-tuc/")[0].content.decode()
