"""Online payment writes: start a payment, receive the gateway's callback.

Nothing talks to the network inside a transaction: ``payment_start`` creates the row, commits,
calls the gateway, then stores the gateway's reference in a second transaction. A callback is
verified (signature, freshness, replay, order, amount) and logged whatever the outcome; an
accepted "paid" callback marks the request paid and then, in its own transaction, confirms the
payment on the dossier as the system.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record
from motcua.core.errors import Conflict, DomainError, InvalidInput, NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_act_as_system
from motcua.dossiers.workflow import Status
from motcua.integrations.paygate import client, signing
from motcua.payments import rules, selectors
from motcua.payments.models import (
    CallbackOutcome,
    PaymentCallbackLog,
    PaymentRequest,
    PaymentStatus,
)

log = logging.getLogger(__name__)

# A pending request without a gateway URL younger than this is another click still in flight.
IN_FLIGHT = dt.timedelta(seconds=30)
LOGGED_HEADERS = (
    "content-type",
    "user-agent",
    signing.SIGNATURE_HEADER.lower(),
    signing.TIMESTAMP_HEADER.lower(),
    signing.NONCE_HEADER.lower(),
)
CALLBACK_FIELDS = ("payment_id", "order_id", "transaction_id", "amount", "status")
GATEWAY_OUTCOMES = {
    "paid": PaymentStatus.PAID,
    "failed": PaymentStatus.FAILED,
    "cancelled": PaymentStatus.CANCELLED,
}


class GatewayUnavailable(DomainError):
    status_code = 503
    code = "gateway_unavailable"


def _now() -> dt.datetime:
    return timezone.now()


def _snapshot(p: PaymentRequest) -> dict[str, Any]:
    return {
        "order_id": p.order_id,
        "dossier": p.dossier.code,
        "amount_vnd": p.amount_vnd,
        "status": p.status,
        "gateway_payment_id": p.gateway_payment_id,
        "gateway_transaction_id": p.gateway_transaction_id,
    }


def _order_id(now: dt.datetime) -> str:
    return f"TT{timezone.localtime(now):%y%m%d}{secrets.token_hex(5).upper()}"


@transaction.atomic(durable=True)
def _payment_open(*, code: str, user: Any) -> tuple[PaymentRequest, bool]:
    """Lock the dossier, check it may be paid by ``user`` and return its pending request (new or
    reusable: True when the gateway has already been asked)."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version")
        .filter(code=code)
        .first()
    )
    # Another citizen's dossier does not exist, as far as they can tell.
    if (
        dossier is None
        or user is None
        or not user.is_authenticated
        or dossier.applicant_user_id != user.pk
    ):
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    if dossier.status != Status.AWAITING_PAYMENT:
        raise Conflict(
            _("Hồ sơ %(code)s không ở trạng thái chờ thực hiện nghĩa vụ tài chính.")
            % {"code": code},
            code="not_awaiting_payment",
        )
    now = _now()
    pending = list(
        PaymentRequest.objects.select_for_update().filter(
            dossier=dossier, status=PaymentStatus.PENDING
        )
    )
    for p in pending:
        if p.gateway_url:
            return p, True
        if now - p.created_at < IN_FLIGHT:
            raise Conflict(
                _("Yêu cầu thanh toán đang được khởi tạo, vui lòng thử lại sau giây lát."),
                code="payment_in_flight",
            )
        p.status = PaymentStatus.CANCELLED
        p.gateway_error = "abandoned before the gateway answered"
        p.save(update_fields=["status", "gateway_error"])
        record(action="payment.abandoned", actor=user, subject=p, after={"status": p.status})
    lines = selectors.payment_fee_lines(dossier=dossier)
    amount = rules.total(lines)
    if amount <= 0:
        raise InvalidInput(
            _("Hồ sơ %(code)s không có khoản phí, lệ phí nào phải nộp trực tuyến.")
            % {"code": code},
            code="nothing_to_pay",
        )
    payment = PaymentRequest.objects.create(
        order_id=_order_id(now),
        dossier=dossier,
        requested_by=user,
        amount_vnd=amount,
        fee_lines=lines,
        created_at=now,
    )
    record(action="payment.started", actor=user, subject=payment, after=_snapshot(payment))
    return payment, False


@transaction.atomic(durable=True)
def _payment_gateway_answered(
    *, pk: int, actor: Any, gateway: client.GatewayPayment | None, error: str
) -> PaymentRequest:
    payment = PaymentRequest.objects.select_for_update().select_related("dossier").get(pk=pk)
    before = _snapshot(payment)
    if gateway is not None:
        payment.gateway_payment_id = gateway.payment_id
        payment.gateway_url = gateway.payment_url
        action = "payment.gateway_created"
    else:
        if payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.FAILED
        payment.gateway_error = error[:300]
        action = "payment.gateway_failed"
    payment.save(update_fields=["gateway_payment_id", "gateway_url", "status", "gateway_error"])
    record(action=action, actor=actor, subject=payment, before=before, after=_snapshot(payment))
    return payment


def payment_start(
    *, dossier: Dossier | str, user: Any, return_url: str, callback_url: str
) -> PaymentRequest:
    """Open (or reuse) the dossier's payment at the gateway; the caller redirects the browser to
    ``payment.gateway_url``. Raises ``GatewayUnavailable`` when the gateway cannot be reached."""
    code = dossier if isinstance(dossier, str) else dossier.code
    payment, asked = _payment_open(code=code, user=user)
    if asked:
        return payment
    try:
        gateway = client.create_payment(
            order_id=payment.order_id,
            amount_vnd=payment.amount_vnd,
            description=f"Nộp phí, lệ phí hồ sơ {code}",
            return_url=return_url,
            callback_url=callback_url,
        )
    except client.GatewayError as exc:
        log.warning("payment %s: gateway error: %s", payment.order_id, exc)
        _payment_gateway_answered(pk=payment.pk, actor=user, gateway=None, error=str(exc))
        raise GatewayUnavailable(
            _(
                "Cổng thanh toán tạm thời không kết nối được. Hồ sơ chưa được ghi nhận là đã "
                "nộp phí; vui lòng thử lại sau."
            )
        ) from exc
    return _payment_gateway_answered(pk=payment.pk, actor=user, gateway=gateway, error="")


# -- the callback ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallbackResult:
    accepted: bool
    reason: str
    payment: PaymentRequest | None = None


def _log(
    *,
    body: bytes,
    headers: Mapping[str, str],
    remote_addr: str,
    signature_ok: bool,
    fields: Mapping[str, str],
    nonce: str,
    outcome: str,
    reason: str,
    payment: PaymentRequest | None,
) -> PaymentCallbackLog:
    kept = {k.lower(): v[:200] for k, v in headers.items() if k.lower() in LOGGED_HEADERS}
    return PaymentCallbackLog.objects.create(
        received_at=_now(),
        payment=payment,
        raw_body=body[:64_000].decode("utf-8", "replace"),
        headers=kept,
        remote_addr=remote_addr[:45],
        signature_ok=signature_ok,
        transaction_id=str(fields.get("transaction_id", ""))[:64],
        nonce=nonce[:64],
        outcome=outcome,
        reason=reason[:300],
    )


def _parse(body: bytes) -> dict[str, str] | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        return None
    if any(not data.get(name) for name in CALLBACK_FIELDS):
        return None
    return data


def _reject(
    reason: str, *, fields: Mapping[str, str], nonce: str = "", signature_ok: bool, **kw: Any
) -> CallbackResult:
    with transaction.atomic():
        payment = None
        if signature_ok and fields.get("order_id"):
            payment = PaymentRequest.objects.filter(order_id=fields["order_id"]).first()
        _log(
            fields=fields,
            nonce=nonce,
            signature_ok=signature_ok,
            outcome=CallbackOutcome.REJECTED,
            reason=reason,
            payment=payment,
            **kw,
        )
    log.warning("payment callback rejected: %s", reason)
    return CallbackResult(False, reason, payment)


@transaction.atomic(durable=True)
def _accept(*, fields: Mapping[str, str], nonce: str, raw: dict[str, Any]) -> CallbackResult:
    payment = (
        PaymentRequest.objects.select_for_update()
        .select_related("dossier")
        .filter(order_id=fields["order_id"])
        .first()
    )
    if payment is None:
        return CallbackResult(False, "unknown_order")
    replayed = PaymentCallbackLog.objects.filter(outcome=CallbackOutcome.ACCEPTED).filter(
        transaction_id=fields["transaction_id"]
    ) | PaymentCallbackLog.objects.filter(outcome=CallbackOutcome.ACCEPTED, nonce=nonce)
    if replayed.exists():
        return CallbackResult(False, "replay", payment)
    if payment.status != PaymentStatus.PENDING:
        return CallbackResult(False, f"not_pending:{payment.status}", payment)
    if fields["amount"] != str(payment.amount_vnd):
        return CallbackResult(False, "amount_mismatch", payment)
    if fields["payment_id"] != payment.gateway_payment_id:
        return CallbackResult(False, "payment_id_mismatch", payment)
    new_status = GATEWAY_OUTCOMES.get(fields["status"])
    if new_status is None:
        return CallbackResult(False, "unknown_status", payment)
    before = _snapshot(payment)
    payment.status = new_status
    payment.gateway_transaction_id = fields["transaction_id"][:64]
    if new_status == PaymentStatus.PAID:
        payment.paid_at = _now()
    payment.save(update_fields=["status", "gateway_transaction_id", "paid_at"])
    _log(
        fields=fields,
        nonce=nonce,
        signature_ok=True,
        outcome=CallbackOutcome.ACCEPTED,
        reason="",
        payment=payment,
        **raw,
    )
    record(
        action=f"payment.{new_status}",
        actor=None,
        subject=payment,
        before=before,
        after=_snapshot(payment),
        extra={"source": "paygate"},
    )
    return CallbackResult(True, "", payment)


def payment_callback(
    *, body: bytes, headers: Mapping[str, str], remote_addr: str = ""
) -> CallbackResult:
    """Verify and apply one gateway callback; every callback is logged, accepted or not."""
    raw: dict[str, Any] = {"body": body, "headers": headers, "remote_addr": remote_addr}
    fields = _parse(body)
    if fields is None:
        return _reject("malformed", fields={}, signature_ok=False, **raw)
    try:
        signed = signing.verify(
            fields, headers, secret=client.gateway_secret(), now=int(_now().timestamp())
        )
    except signing.SignatureError as exc:
        # A stale but authentic callback did carry a good signature.
        return _reject(exc.reason, fields=fields, signature_ok=exc.reason == "stale", **raw)
    try:
        result = _accept(fields=fields, nonce=signed.nonce, raw=raw)
    except IntegrityError:
        # A concurrent duplicate won the unique index on accepted transaction ids / nonces.
        result = CallbackResult(False, "replay")
    if not result.accepted:
        return _reject(result.reason, fields=fields, nonce=signed.nonce, signature_ok=True, **raw)
    if result.payment is not None and result.payment.status == PaymentStatus.PAID:
        payment_confirm_on_dossier(payment=result.payment)
    return result


def payment_confirm_on_dossier(*, payment: PaymentRequest) -> bool:
    """Take the dossier's ``confirm_payment`` action as the system for a paid request (its own
    transaction, after the payment's has committed); idempotent. False when the dossier refused
    (it is no longer awaiting payment, say): the payment stays paid and the office sees it."""
    if payment.status != PaymentStatus.PAID or payment.dossier_confirmed_at is not None:
        return payment.dossier_confirmed_at is not None
    try:
        dossier_act_as_system(
            code=payment.dossier.code,
            action="confirm_payment",
            source=f"paygate:{payment.gateway_transaction_id}",
        )
    except DomainError as exc:
        log.warning("payment %s paid but not confirmed: %s", payment.order_id, exc)
        return False
    with transaction.atomic():
        PaymentRequest.objects.filter(pk=payment.pk).update(dossier_confirmed_at=_now())
    payment.refresh_from_db(fields=["dossier_confirmed_at"])
    return True
