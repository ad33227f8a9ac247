from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_serves_the_portal_in_vietnamese_to_a_real_browser(page: Any) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Cổng dịch vụ công" in page.locator("h1").inner_text()
