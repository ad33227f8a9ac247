"""The per-process cache of search results follows the catalog: an import invalidates it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalog.demo import CATALOG_FILE
from motcua.catalog.services import catalog_import
from motcua.portal import results_cache

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"


def _catalog_queries(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    return body, sum("catalog_" in q["sql"] for q in captured.captured_queries)


def _results(body: str) -> str:
    start = body.index('<div id="results"')
    return body[start : body.index("</ol>", start)]


def _import_renamed(name: str) -> None:
    data = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    procedure = next(p for p in data["procedures"] if p["code"] == BIRTH)
    procedure["name"] = name
    catalog = {
        "format": data["format"],
        "fields": [f for f in data["fields"] if f["code"] == procedure["field"]],
        "procedures": [procedure],
    }
    catalog_import(text=json.dumps(catalog, ensure_ascii=False))


def test_it_serves_a_repeated_search_without_reading_the_catalog(
    client: Client, demo_slice: Any
) -> None:
    first, queries = _catalog_queries(client, "/thu-tuc/?q=khai+sinh")
    assert queries > 0 and "Thủ tục đăng ký khai sinh" in first
    again, queries = _catalog_queries(client, "/thu-tuc/?q=khai+sinh")
    assert queries == 0 and _results(again) == _results(first)
    # a different page or query is another entry
    _body, queries = _catalog_queries(client, "/thu-tuc/?q=khai+tu")
    assert queries > 0


def test_it_shows_an_imported_change_at_once(
    client: Client, demo_slice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.get("/thu-tuc/?q=khai+sinh")
    shared_before = cache.get(results_cache.SHARED_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        _import_renamed("Thủ tục đăng ký khai sinh (mẫu mới)")
    # other web processes see the new shared token within TOKEN_TTL
    assert cache.get(results_cache.SHARED_KEY) not in (None, shared_before)
    body, queries = _catalog_queries(client, "/thu-tuc/?q=khai+sinh")
    assert queries > 0 and "Thủ tục đăng ký khai sinh (mẫu mới)" in body
    # the browse pages share the cache and are invalidated the same way
    assert "(mẫu mới)" in client.get("/thu-tuc/su-kien/khai-sinh-khai-tu/").content.decode()


def test_it_ignores_a_rolled_back_change_after_one_miss(client: Client, demo_slice: Any) -> None:
    """Inside a transaction that is rolled back, the local bump only costs one re-render."""
    client.get("/thu-tuc/?q=khai+sinh")
    token = results_cache.catalog_token()
    _import_renamed("Tên tạm: khai sinh")  # never committed in this test: no shared bump
    assert results_cache.catalog_token() != token
    body, queries = _catalog_queries(client, "/thu-tuc/?q=khai+sinh")
    assert queries > 0 and "Tên tạm: khai sinh" in body  # this transaction sees its own write
