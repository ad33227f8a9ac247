"""A citizen on a phone opens the published 766 index: the ranking and its chart, one unit's
indicators, and the dossiers behind a number (Playwright, Debian chromium).

Screenshots go to test-results/; ``MOTCUA_UPDATE_SCREENSHOTS=1`` writes the README's
(docs/screenshots/index-766*.png) instead."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import time_machine

from motcua.catalog.models import Procedure
from motcua.dossiers.tests.conftest import at
from motcua.stats.publication import publish_month
from motcua.stats.tests.helpers import store_fact
from motcua.stats.tests.test_index766 import MARCH, dossier, march  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[3]
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("MOTCUA_UPDATE_SCREENSHOTS")
    else ROOT / "test-results"
)


def _construction_facts(world: Any) -> None:
    """A second department, slower than Justice, so the ranking has two rows."""
    procedure = Procedure.objects.get(code="1.000002")
    for n in range(4):
        late = n % 2 == 0
        fact = dossier(
            "direct",
            f"2026-03-0{n + 2} 08:00",
            f"2026-03-0{n + 4} 17:00",
            f"2026-03-{12 if late else n + 3:02d} 10:00",
            synced=True,
        )
        store_fact(
            f"XD-2026-{n + 1:03d}",
            fact,
            agency=world.construction,
            receiving_agency=world.centre,
            procedure=procedure,
            applicant_name="Trần Văn Riêng Tư",
        )


def test_it_shows_the_published_index_on_a_phone(
    transactional_db: Any,
    world: Any,
    march: None,  # noqa: F811
    browser: Any,
    live_server: Any,
) -> None:
    _construction_facts(world)
    with time_machine.travel(at("2026-04-06 09:00"), tick=False):
        publish_month(MARCH)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        locale="vi-VN",
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/")
        page.get_by_role("link", name="Chỉ số phục vụ người dân, doanh nghiệp").click()
        page.wait_for_url("**/chi-so-766/")
        page.get_by_role("link", name="03/2026").click()
        page.wait_for_url("**/chi-so-766/2026-03/")
        ranking = page.locator('table[data-ranking="agencies"] tbody tr')
        assert ranking.count() == 3
        first = ranking.nth(0).inner_text()
        assert "Sở Tư pháp" in first and first.split()[0] == "1"
        chart = page.get_by_role("img", name="Điểm toàn tỉnh theo nhóm chỉ số")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300  # the SVG scales to the phone's width
        assert page.locator('svg[data-chart="chart-agencies"] rect').count() >= 6
        page.screenshot(path=str(SHOTS / "index-766.png"), full_page=True)

        page.get_by_role("link", name="Sở Tư pháp").first.click()
        page.wait_for_url(f"**/chi-so-766/2026-03/{world.justice.code}/")
        row = page.locator('tr[data-indicator="2.1"]')
        assert "7" in row.inner_text() and "10" in row.inner_text()
        row.get_by_role("link", name="Xem hồ sơ").click()
        page.wait_for_url(f"**/chi-so-766/2026-03/{world.justice.code}/progress/")
        codes = page.locator("table.drill tbody code").all_inner_texts()
        assert {f"IMP-{i:03d}" for i in range(1, 11)} <= set(codes)
        page.get_by_role("link", name="Hồ sơ làm mất điểm").click()
        page.wait_for_url("**/progress/?loai=mat-diem")
        lost = page.locator("table.drill tbody tr td:first-child code").all_inner_texts()
        assert sorted(lost) == ["IMP-003", "IMP-008", "IMP-010"]
        assert "Riêng Tư" not in page.content()
        page.screenshot(path=str(SHOTS / "index-766-drilldown.png"), full_page=True)
    finally:
        context.close()
