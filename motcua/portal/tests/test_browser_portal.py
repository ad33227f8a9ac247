"""A citizen on a phone (375×740) finds a procedure without typing diacritics and sees when the
result would be due — on the demo province, in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    context = browser.new_context(
        locale="vi-VN",
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_citizen_on_a_phone_searches_without_diacritics_and_sees_the_due_date(
    phone: Any,
) -> None:
    phone.goto("/")
    phone.fill("#id_q", "giay phep xay dung")
    phone.press("#id_q", "Enter")
    phone.wait_for_url("**/thu-tuc/?q=giay+phep+xay+dung")
    first = phone.locator("#results ol.results > li a").first
    expect(first).to_contain_text("Cấp giấy phép xây dựng mới đối với công trình cấp III")
    first.click()
    phone.wait_for_url("**/thu-tuc/1.013225/")

    due = phone.locator("#due-now")
    expect(due).to_contain_text("Nếu nộp ngay bây giờ, kết quả dự kiến có vào")
    assert due.is_visible()
    box = due.bounding_box()
    assert box is not None and box["width"] <= 375  # no horizontal scrolling on a phone
    phone.get_by_text("Vì sao là ngày này?").click()
    expect(due.locator("ol.explanation li").first).to_be_visible()
    expect(phone.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_the_search_page_updates_its_results_while_typing(phone: Any) -> None:
    phone.goto("/thu-tuc/")
    phone.locator("#id_q").press_sequentially("khai sinh", delay=30)
    first = phone.locator("#results ol.results > li a").first
    expect(first).to_have_text("Thủ tục đăng ký khai sinh")
    assert phone.locator("#results").count() == 1
