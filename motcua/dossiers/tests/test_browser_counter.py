"""A dossier's whole life through the back-office pages, in Debian's Chromium (issue 3):
counter intake of a real procedure of the demo catalog → the printed receipt shows the
applicant's Vietnamese name → forwarded to the Department of Justice → settled by its leader
→ returned at the counter."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Nguyễn Thị Ánh Tuyết"
JUSTICE = "000.00.03.H16"  # Sở Tư pháp in the demo province


@pytest.fixture
def demo_province() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def log_in(page: Any, username: str, next_url: str) -> None:
    page.goto(next_url)
    assert "/accounts/login/" in page.url  # anonymous → login, then back to next_url
    page.fill("#id_o-username", username)
    page.fill("#id_o-password", "motcua2026")
    page.press("#id_o-password", "Enter")
    page.wait_for_url(f"**{next_url}")


def take(page: Any, label: str, fill: dict[str, str] | None = None) -> None:
    """Open an action's panel on the dossier page, fill its fields and submit it."""
    panel = page.locator("details.action", has=page.locator("summary", has_text=label))
    panel.locator("summary").click()
    for selector, value in (fill or {}).items():
        panel.locator(selector).fill(value)
    panel.get_by_role("button", name=label).click()
    page.wait_for_load_state()


@pytest.mark.usefixtures("demo_province")
def test_a_dossier_goes_from_the_counter_to_the_returned_result(
    page: Any, browser: Any, live_server: Any
) -> None:
    # The counter clerk of the provincial centre; the search box has the focus.
    log_in(page, "motcua.tt", "/office/dossiers/new/")
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("trich luc ho tich")  # no diacritics; htmx shows results as we type
    results = page.locator("#procedure-results")
    expect(results).to_contain_text("Cấp bản sao Trích lục hộ tịch")
    results.get_by_role("link", name="Cấp bản sao Trích lục hộ tịch", exact=False).first.click()
    page.wait_for_url("**/office/dossiers/new/?procedure=2.000635")

    # Boundary-free intake: the centre is not competent; the clerk picks the department.
    expect(page.locator("#id_agency_code")).to_be_focused()  # the next thing to fill
    page.select_option("#id_agency_code", JUSTICE)
    from motcua.catalog.models import Component

    required = Component.objects.filter(
        version__procedure__code="2.000635",
        version__procedure__current_version=F("version"),
        required=True,
    ).count()
    assert required >= 1
    checked = page.locator("#checklist input[type=checkbox]:checked")
    expect(checked).to_have_count(required)  # every required component is pre-ticked
    page.fill("#id_applicant_name", NAME)
    page.fill("#id_applicant_id_number", "066190004321")
    page.fill("#id_applicant_phone", "0905123456")
    page.fill("#id_applicant_address", "12 Lê Duẩn, phường Buôn Ma Thuột")
    page.press("#id_applicant_address", "Enter")  # Enter receives the dossier
    page.wait_for_url("**/office/dossiers/000.00.02.H16-*/")
    expect(page.locator("#dossier-status")).to_have_text("Đã tiếp nhận")
    dossier_url = page.url.removeprefix(live_server.url)

    # The receipt (Form 01), fetched with the clerk's session; the name keeps its diacritics.
    receipt = page.get_by_role("link", name="In giấy tiếp nhận (Mẫu 01)")
    response = page.request.get(receipt.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert NAME in text

    take(page, "Chuyển xử lý")
    expect(page.locator("#dossier-status")).to_have_text("Đang xử lý")
    expect(page.locator("main")).to_contain_text("Đã thực hiện: Chuyển xử lý.")

    # The department's leader settles it, in another browser context.
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    try:
        leader = context.new_page()
        leader.set_default_timeout(15_000)
        log_in(leader, "tuphap.ld", dossier_url)
        take(leader, "Hoàn thành giải quyết", {"textarea[name$=result]": "Cấp bản sao trích lục"})
        expect(leader.locator("#dossier-status")).to_have_text("Đã xử lý xong")
    finally:
        context.close()

    # Back at the counter: the clerk hands the result over.
    page.reload()
    take(page, "Trả kết quả")
    expect(page.locator("#dossier-status")).to_have_text("Đã trả kết quả")
