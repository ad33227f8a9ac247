"""An official's first hour in the back office, in Debian's Chromium (issue 2's promise):
log in, browse the procedure catalog without typing diacritics, and ask when a dossier
received at a given moment would be due — with the explanation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_province() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.usefixtures("demo_province")
def test_an_official_logs_in_browses_the_catalog_and_asks_for_a_due_date(page: Any) -> None:
    page.goto("/office/")
    assert "/accounts/login/" in page.url  # anonymous → login

    page.fill("#id_o-username", "tuphap.cv")
    page.fill("#id_o-password", "motcua2026")
    page.press("#id_o-password", "Enter")
    page.wait_for_url("**/office/")
    assert page.locator("h1").inner_text() == "Bàn làm việc"
    assert "Sở Tư pháp" in page.locator("main").inner_text()

    # Catalog: search without diacritics; htmx swaps the results in as we type.
    page.get_by_role("link", name="Danh mục thủ tục hành chính").click()
    page.fill("#id_q", "giay phep xay dung")
    results = page.locator("#results")
    expect(results).not_to_contain_text("Thủ tục đăng ký khai sinh")
    expect(results).to_contain_text("Cấp giấy phép xây dựng mới")
    results.get_by_role("link", name="Cấp giấy phép xây dựng mới", exact=False).first.click()
    page.wait_for_url("**/office/catalog/1.*/")
    detail = page.locator("main").inner_text()
    assert "Hoạt động xây dựng" in detail
    assert "Cấp xã" in detail and "ngày làm việc" in detail

    # The legal clock: received Friday 13/02/2026 at 16:59 with one working day → the Tết
    # break (14–22/02) is skipped and the result is due Monday 23/02/2026 at 16:59.
    page.goto("/office/calendar/2026/")
    page.fill("#id_start", "2026-02-13T16:59")
    page.fill("#id_amount", "1")
    page.select_option("#id_unit", "working_days")
    page.get_by_role("button", name="Tính hạn").click()
    result = page.locator("#due-result")
    expect(result).to_contain_text("23/02/2026")
    explanation = result.inner_text()
    assert "16:59" in explanation and "Tết Nguyên đán" in explanation
