"""The login page in Debian's Chromium: labels work and errors are shown without JavaScript.

A successful or failed login writes audit rows; the append-only triggers then stop the
transactional test's flush on SQLite, so only a form-validation error is driven here (the
login flows themselves are covered with the test client)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_tells_a_citizen_what_is_wrong_with_the_identifier(page: Any) -> None:
    page.goto("/accounts/login/?tab=public")
    page.get_by_label("Số định danh cá nhân hoặc mã số thuế").fill("003090004321")
    page.get_by_label("Mật khẩu").fill("x")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "mã tỉnh" in page.locator("main").inner_text()
