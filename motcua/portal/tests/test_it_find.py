"""Finding a procedure: search without diacritics, browsing, the procedure page."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from motcua.portal.tests.conftest import COMMUNE, CONSTRUCTION, at

pytestmark = pytest.mark.django_db

MAX_PAGE_BYTES = 300 * 1024
LINK = re.compile(r'<li><a href="/thu-tuc/([0-9.]+)/">')


def _codes(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return LINK.findall(response.content.decode())


@pytest.mark.parametrize(
    "q", ["khai sinh", "KHAI SINH", "Khai sinh", "đăng ký khai sinh", "dang ky khai sinh"]
)
def test_it_ranks_birth_registration_first_with_or_without_diacritics(
    client: Client, demo_slice: Any, q: str
) -> None:
    codes = _codes(client, f"/thu-tuc/?q={q}")
    assert codes[0] == "1.001193"
    assert {"1.000689", "1.004884"} <= set(codes)
    assert "1.013225" not in codes


@pytest.mark.parametrize("q", ["giay phep xay dung", "Giấy phép xây dựng", "GIAY PHEP XAY DUNG"])
def test_it_ranks_the_house_building_permit_first(client: Client, demo_slice: Any, q: str) -> None:
    codes = _codes(client, f"/thu-tuc/?q={q}")
    # The commune's permit for houses before the provincial one for grade-I works.
    assert codes[0] == "1.013225"
    assert codes.index("1.013225") < codes.index("1.013236")
    assert set(codes) == {"1.013225", "1.013236", "1.013226"}
    assert "1.001193" not in codes


def test_it_says_so_when_nothing_matches(client: Client, demo_slice: Any) -> None:
    response = client.get("/thu-tuc/?q=tau+vu+tru")
    assert "Không tìm thấy thủ tục phù hợp" in response.content.decode()


def test_it_browses_by_field_level_agency_and_life_event(client: Client, demo_slice: Any) -> None:
    index = client.get("/thu-tuc/").content.decode()
    for href in (
        "/thu-tuc/linh-vuc/ho-tich/",
        "/thu-tuc/cap/commune/",
        f"/thu-tuc/co-quan/{CONSTRUCTION}/",
        "/thu-tuc/su-kien/xay-nha/",
    ):
        assert href in index

    assert set(_codes(client, "/thu-tuc/linh-vuc/hoat-dong-xay-dung/")) == {
        "1.013225",
        "1.013236",
        "1.013226",
    }
    assert set(_codes(client, "/thu-tuc/cap/province/")) == {"1.013236", "2.000635"}
    # The construction department implements only the grade-I permit; a commune every
    # commune-level procedure.
    assert _codes(client, f"/thu-tuc/co-quan/{CONSTRUCTION}/") == ["1.013236"]
    commune = set(_codes(client, f"/thu-tuc/co-quan/{COMMUNE}/"))
    assert {"1.001193", "1.013225", "2.000815"} <= commune and "1.013236" not in commune
    events = set(_codes(client, "/thu-tuc/su-kien/khai-sinh-khai-tu/"))
    assert events == {"1.001193", "1.000689", "1.004884", "2.000635", "1.000656"}
    assert set(_codes(client, "/thu-tuc/su-kien/cu-tru/")) == {"1.004222"}
    # A search inside a browse page stays inside it.
    assert _codes(client, "/thu-tuc/su-kien/xay-nha/?q=dieu+chinh") == ["1.013226"]


@pytest.mark.parametrize(
    "url",
    [
        "/thu-tuc/linh-vuc/khong-co/",
        "/thu-tuc/cap/galaxy/",
        "/thu-tuc/co-quan/999.99.99.H16/",
        "/thu-tuc/su-kien/khong-co/",
        "/thu-tuc/9.999999/",
    ],
)
def test_it_answers_404_for_unknown_browse_keys(client: Client, demo_slice: Any, url: str) -> None:
    assert client.get(url).status_code == 404


def test_it_keeps_the_search_page_to_a_constant_number_of_queries(
    client: Client, demo_slice: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for url in ("/thu-tuc/?q=khai+tu", "/thu-tuc/?q=thu+tuc", "/thu-tuc/?q=a"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert LINK.findall(response.content.decode())
        counts.append(len(ctx))
    assert counts[0] == counts[1] == counts[2] <= 3  # count, page, the page's cases
    with django_assert_max_num_queries(5):  # + the field's existence, checked twice
        client.get("/thu-tuc/linh-vuc/ho-tich/")


def test_it_shows_the_live_due_date_with_its_explanation(client: Client, demo_slice: Any) -> None:
    # Friday 16:00, one working day → Monday 16:00 (the weekend is not counted).
    with time_machine.travel(at("2026-03-06 16:00"), tick=False):
        page = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Nếu nộp ngay bây giờ, kết quả dự kiến có vào" in page
    assert "16:00 Thứ Hai 09/03/2026" in page
    assert "<details><summary>Vì sao là ngày này?</summary>" in page
    assert "Thứ Bảy" in page  # the explanation names the skipped weekend
    assert 'href="/nop-ho-so/1.001193/"' in page
    # What to bring, where, and on what legal basis.
    assert "Tờ khai đăng ký khai sinh" in page and "bản chính" in page
    assert "Ủy ban nhân dân phường Buôn Ma Thuột" in page
    assert "Căn cứ pháp lý" in page and "Quyết định công bố" in page


def test_it_hides_the_online_button_without_an_online_level(
    client: Client, demo_slice: Any
) -> None:
    page = client.get("/thu-tuc/2.000815/").content.decode()
    assert "/nop-ho-so/" not in page
    assert "chưa nhận hồ sơ trực tuyến" in page


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/thu-tuc/",
        "/thu-tuc/?q=giay+phep+xay+dung",
        "/thu-tuc/cap/commune/",
        "/thu-tuc/su-kien/xay-nha/",
        "/thu-tuc/1.013225/",
        "/thu-tuc/1.013236/",
        "/tra-cuu/",
    ],
)
def test_it_keeps_every_page_under_300_kb(client: Client, demo_slice: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.content) < MAX_PAGE_BYTES


def test_it_offers_search_life_events_tracking_and_login_on_the_home_page(
    client: Client, demo_slice: Any
) -> None:
    page = client.get("/").content.decode()
    assert 'action="/thu-tuc/"' in page and 'name="q"' in page
    assert "/thu-tuc/su-kien/khai-sinh-khai-tu/" in page and "Xây nhà, sửa nhà" in page
    assert 'href="/tra-cuu/"' in page and "/accounts/login/" in page
