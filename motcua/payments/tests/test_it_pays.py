"""Paying a dossier's fees against the running gateway simulator (a real HTTP server)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.audit.models import AuditEvent
from motcua.core.errors import Conflict, NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.integrations.email.testing import free_port
from motcua.payments import services
from motcua.payments.models import CallbackOutcome, PaymentCallbackLog, PaymentRequest
from motcua.payments.services import GatewayUnavailable
from motcua.payments.tests.conftest import act, file_online

HOST = "http://testserver"
CALLBACK = reverse("payments:callback")


def start(dossier: Any, user: Any, base: str = HOST) -> PaymentRequest:
    return services.payment_start(
        dossier=dossier,
        user=user,
        return_url=base + reverse("payments:result"),
        callback_url=base + CALLBACK,
    )


def post_callback(body: bytes, headers: dict[str, str]) -> Any:
    client = Client(enforce_csrf_checks=True)  # the callback carries a signature, not a token
    return client.post(CALLBACK, data=body, content_type="application/json", headers=headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_it_pays_through_the_simulator_pages_and_confirms_the_dossier(
    transactional_db: Any, world: Any, awaiting: Any, paygate_simulator: Any, live_server: Any
) -> None:
    payment = start(awaiting, world.citizen, base=live_server.url)
    assert payment.amount_vnd == 200000  # the catalog's fee for the case, online, a citizen
    assert payment.fee_lines == [{"name": "Phí cấp Phiếu lý lịch tư pháp", "amount_vnd": 200000}]
    assert payment.gateway_url.startswith(paygate_simulator.url + "/pay/")
    assert payment.status == "pending"

    with urllib.request.urlopen(payment.gateway_url, timeout=5) as resp:  # noqa: S310 (the page a browser sees)
        page = resp.read().decode()
    assert "Thanh toán" in page and "Hủy" in page and "200,000" in page

    opener = urllib.request.build_opener(_NoRedirect)
    form = urllib.parse.urlencode({"decision": "pay"}).encode()
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(payment.gateway_url, data=form, timeout=10)
    assert redirect.value.code == 303
    location = redirect.value.headers["Location"]
    assert location.startswith(live_server.url + "/thanh-toan/ket-qua/?order_id=")

    # The simulator POSTed the signed callback to our live server, which accepted it.
    assert [(s.status, json.loads(s.answer)) for s in paygate_simulator.sent] == [
        (200, {"ok": True})
    ]
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.paid_at is not None
    assert payment.gateway_transaction_id == f"TXN-{payment.gateway_payment_id}"
    log = PaymentCallbackLog.objects.get()
    assert (log.outcome, log.signature_ok, log.payment_id) == ("accepted", True, payment.pk)
    assert log.headers["x-paygate-signature"]
    assert AuditEvent.objects.filter(action="payment.paid", subject_id=str(payment.pk)).exists()

    dossier = Dossier.objects.get(pk=awaiting.pk)
    assert dossier.status == Status.PROCESSING  # confirmed as the system
    assert payment.dossier_confirmed_at is not None
    event = dossier.events.get(action="confirm_payment")
    assert event.actor_role == "system"

    # The return page reads our state; the query string only names the order.
    client = Client()
    client.force_login(world.citizen)
    tampered = location.replace("status=paid", "status=cancelled")
    page = client.get(tampered.removeprefix(live_server.url)).content.decode()
    assert "Đã thanh toán thành công" in page


def test_it_shows_the_fees_and_starts_from_the_page_with_csrf(
    world: Any, awaiting: Any, paygate_simulator: Any
) -> None:
    url = reverse("payments:start", kwargs={"code": awaiting.code})
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.citizen)
    page = client.get(url)
    assert page.status_code == 200
    assert "200.000" in page.content.decode()
    assert client.post(url).status_code == 403  # no CSRF token
    token = page.context["csrf_token"]
    resp = client.post(url, {"csrfmiddlewaretoken": str(token)})
    assert resp.status_code == 302
    assert resp["Location"].startswith(paygate_simulator.url + "/pay/")
    # A second click reuses the open payment instead of opening another.
    resp2 = client.post(url, {"csrfmiddlewaretoken": str(token)})
    assert resp2["Location"] == resp["Location"]
    assert PaymentRequest.objects.count() == 1 and paygate_simulator.created_requests == 1


def test_it_uses_the_amount_the_official_asked_for(world: Any, paygate_simulator: Any) -> None:
    d = file_online(world)
    act(world.justice_clerk, d.code, "accept")
    act(world.specialist, d.code, "request_payment", amount_vnd=350000)
    payment = start(d, world.citizen)
    assert payment.amount_vnd == 350000
    assert paygate_simulator.payments[payment.gateway_payment_id].amount == 350000


def test_it_rejects_a_forged_callback_logs_it_and_changes_nothing(
    world: Any, awaiting: Any, paygate_simulator: Any
) -> None:
    payment = start(awaiting, world.citizen)
    body, headers = paygate_simulator.signed_callback(payment.gateway_payment_id, secret="guess")
    resp = post_callback(body, headers)
    assert resp.status_code == 400 and resp.json()["reason"] == "bad_signature"
    unsigned = post_callback(body, {"Content-Type": "application/json"})
    assert unsigned.json()["reason"] == "missing"
    payment.refresh_from_db()
    assert payment.status == "pending" and payment.paid_at is None
    logs = list(PaymentCallbackLog.objects.order_by("id"))
    assert [(lg.outcome, lg.signature_ok, lg.reason) for lg in logs] == [
        ("rejected", False, "bad_signature"),
        ("rejected", False, "missing"),
    ]
    assert logs[0].raw_body == body.decode()
    assert Dossier.objects.get(pk=awaiting.pk).status == Status.AWAITING_PAYMENT
    assert not AuditEvent.objects.filter(action="payment.paid").exists()


def test_it_accepts_a_transaction_once_and_rejects_its_replays(
    world: Any, awaiting: Any, paygate_simulator: Any
) -> None:
    payment = start(awaiting, world.citizen)
    body, headers = paygate_simulator.signed_callback(payment.gateway_payment_id)
    assert post_callback(body, headers).status_code == 200
    replay = post_callback(body, headers)  # the very same message again
    assert replay.status_code == 400 and replay.json()["reason"] == "replay"
    # Same transaction, freshly signed (a new nonce): still a replay.
    body2, headers2 = paygate_simulator.signed_callback(payment.gateway_payment_id)
    assert headers2["X-Paygate-Nonce"] != headers["X-Paygate-Nonce"]
    assert post_callback(body2, headers2).json()["reason"] == "replay"
    # Another transaction for an order already paid is refused too.
    body3, headers3 = paygate_simulator.signed_callback(
        payment.gateway_payment_id, transaction_id="TXN-OTHER"
    )
    assert post_callback(body3, headers3).json()["reason"] == "not_pending:paid"
    outcomes = list(PaymentCallbackLog.objects.order_by("id").values_list("outcome", "reason"))
    assert outcomes == [
        ("accepted", ""),
        ("rejected", "replay"),
        ("rejected", "replay"),
        ("rejected", "not_pending:paid"),
    ]
    assert AuditEvent.objects.filter(action="payment.paid").count() == 1
    assert Dossier.objects.get(pk=awaiting.pk).events.filter(action="confirm_payment").count() == 1


def test_it_rejects_a_stale_callback(world: Any, awaiting: Any, paygate_simulator: Any) -> None:
    import time

    payment = start(awaiting, world.citizen)
    body, headers = paygate_simulator.signed_callback(
        payment.gateway_payment_id, timestamp=int(time.time()) - 301
    )
    resp = post_callback(body, headers)
    assert resp.json()["reason"] == "stale"
    log = PaymentCallbackLog.objects.get()
    assert (log.outcome, log.signature_ok) == (CallbackOutcome.REJECTED, True)
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_it_rejects_a_signed_callback_with_another_amount_or_order(
    world: Any, awaiting: Any, paygate_simulator: Any
) -> None:
    payment = start(awaiting, world.citizen)
    paygate_simulator.payments[payment.gateway_payment_id].amount = 1000
    body, headers = paygate_simulator.signed_callback(payment.gateway_payment_id)
    assert post_callback(body, headers).json()["reason"] == "amount_mismatch"
    paygate_simulator.payments[payment.gateway_payment_id].order_id = "TT-NOPE"
    body, headers = paygate_simulator.signed_callback(
        payment.gateway_payment_id, transaction_id="TXN-2"
    )
    assert post_callback(body, headers).json()["reason"] == "unknown_order"
    assert post_callback(b"not json", {}).json()["reason"] == "malformed"
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert PaymentCallbackLog.objects.filter(outcome="rejected").count() == 3


def test_it_records_a_cancelled_payment_without_touching_the_dossier(
    world: Any, awaiting: Any, paygate_simulator: Any
) -> None:
    payment = start(awaiting, world.citizen)
    body, headers = paygate_simulator.signed_callback(payment.gateway_payment_id, "cancel")
    assert post_callback(body, headers).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "cancelled" and payment.paid_at is None
    assert Dossier.objects.get(pk=awaiting.pk).status == Status.AWAITING_PAYMENT
    # The citizen may try again: a new order.
    again = start(awaiting, world.citizen)
    assert again.pk != payment.pk and again.status == "pending"


def test_it_refuses_a_dossier_not_awaiting_payment(world: Any, paygate_simulator: Any) -> None:
    d = file_online(world)
    with pytest.raises(Conflict, match="chờ thực hiện nghĩa vụ tài chính"):
        start(d, world.citizen)
    assert not PaymentRequest.objects.exists() and paygate_simulator.created_requests == 0


def test_it_refuses_another_citizens_or_an_officials_payment(
    world: Any, awaiting: Any, alice: Any, paygate_simulator: Any
) -> None:
    for someone in (alice, world.specialist):
        with pytest.raises(NotFound):
            start(awaiting, someone)
    client = Client()
    client.force_login(alice)
    url = reverse("payments:start", kwargs={"code": awaiting.code})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not PaymentRequest.objects.exists() and paygate_simulator.created_requests == 0


def test_it_hides_another_citizens_payment_on_the_return_page(
    world: Any, awaiting: Any, alice: Any, paygate_simulator: Any
) -> None:
    payment = start(awaiting, world.citizen)
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("payments:result"), {"order_id": payment.order_id})
    assert page.status_code == 200
    html = page.content.decode()
    assert awaiting.code not in html and "data-status" not in html and "200.000" not in html
    assert "Không tìm thấy giao dịch" in html


def test_it_reports_a_gateway_that_is_down_and_marks_nothing_paid(
    world: Any, awaiting: Any, settings: Any
) -> None:
    settings.MOTCUA_PAYGATE_URL = f"http://127.0.0.1:{free_port()}"
    settings.MOTCUA_PAYGATE_SECRET = "x"
    with pytest.raises(GatewayUnavailable, match="tạm thời không kết nối được"):
        start(awaiting, world.citizen)
    payment = PaymentRequest.objects.get()
    assert payment.status == "failed" and payment.paid_at is None
    assert "unreachable" in payment.gateway_error
    assert AuditEvent.objects.filter(action="payment.gateway_failed").exists()
    assert Dossier.objects.get(pk=awaiting.pk).status == Status.AWAITING_PAYMENT
    client = Client()
    client.force_login(world.citizen)
    resp = client.post(reverse("payments:start", kwargs={"code": awaiting.code}))
    assert resp.status_code == 503
    assert "tạm thời không kết nối được" in resp.content.decode()


def test_it_keeps_a_payment_paid_when_the_dossier_was_confirmed_at_the_counter(
    world: Any, awaiting: Any, paygate_simulator: Any
) -> None:
    payment = start(awaiting, world.citizen)
    act(world.justice_clerk, awaiting.code, "confirm_payment")  # paid in cash meanwhile
    body, headers = paygate_simulator.signed_callback(payment.gateway_payment_id)
    assert post_callback(body, headers).status_code == 200  # the gateway took the money
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.dossier_confirmed_at is None  # for the office
    assert Dossier.objects.get(pk=awaiting.pk).events.filter(action="confirm_payment").count() == 1


def test_the_database_accepts_a_transaction_or_a_nonce_once(world: Any, awaiting: Any) -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    def log(txn: str, nonce: str, outcome: str = "accepted") -> None:
        PaymentCallbackLog.objects.create(
            received_at=timezone.now(),
            raw_body="{}",
            signature_ok=True,
            transaction_id=txn,
            nonce=nonce,
            outcome=outcome,
        )

    log("TXN-1", "n1")
    log("TXN-1", "n1", outcome="rejected")  # rejected rows may repeat
    for txn, nonce in (("TXN-1", "n2"), ("TXN-2", "n1")):
        with pytest.raises(IntegrityError), transaction.atomic():
            log(txn, nonce)


def test_the_worker_confirms_a_paid_payment_left_unconfirmed(
    world: Any, awaiting: Any, paygate_simulator: Any
) -> None:
    from django.utils import timezone

    from motcua.integrations.worker import periodic_jobs
    from motcua.payments.jobs import confirm_job

    assert "payments.confirm" in [job.name for job in periodic_jobs()]
    payment = start(awaiting, world.citizen)
    # As if the process died between the payment's transaction and the dossier's.
    PaymentRequest.objects.filter(pk=payment.pk).update(
        status="paid", paid_at=timezone.now(), gateway_transaction_id="TXN-X"
    )
    assert confirm_job() == 1
    assert confirm_job() == 0  # done once
    payment.refresh_from_db()
    assert payment.dossier_confirmed_at is not None
    assert Dossier.objects.get(pk=awaiting.pk).status == Status.PROCESSING
