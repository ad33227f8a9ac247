"""A citizen pays on a phone: our page → the simulator's page → "Thanh toán" → back to our result
page, which shows what the signed callback recorded (Playwright, Debian chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.payments.models import PaymentRequest

pytestmark = pytest.mark.browser


def _login(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("decision", ["Thanh toán", "Hủy"])
def test_it_pays_or_cancels_on_a_phone(
    transactional_db: Any,
    world: Any,
    awaiting: Any,
    paygate_simulator: Any,
    live_server: Any,
    page: Any,
    decision: str,
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    _login(page, live_server, world.citizen)
    page.goto(reverse("payments:start", kwargs={"code": awaiting.code}))
    assert "200.000" in page.inner_text("main")
    page.get_by_role("button", name="Thanh toán qua cổng thanh toán").click()
    page.wait_for_url(f"{paygate_simulator.url}/pay/*")
    page.get_by_role("button", name=decision, exact=True).click()
    page.wait_for_url(f"{live_server.url}/thanh-toan/ket-qua/*")
    payment = PaymentRequest.objects.get()
    dossier = Dossier.objects.get(pk=awaiting.pk)
    if decision == "Thanh toán":
        assert page.locator("[data-status=paid]").is_visible()
        assert payment.status == "paid" and dossier.status == Status.PROCESSING
    else:
        assert page.locator("[data-status=cancelled]").is_visible()
        assert payment.status == "cancelled" and dossier.status == Status.AWAITING_PAYMENT
        page.get_by_role("link", name="Thanh toán lại").click()
        page.wait_for_url(f"{live_server.url}/thanh-toan/{awaiting.code}/bat-dau/")
