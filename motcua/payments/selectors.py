"""Online payment reads, scoped to the dossier's applicant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import Status
from motcua.payments import rules
from motcua.payments.models import PaymentRequest


def _requested_amount(dossier: Dossier) -> int | None:
    event = (
        DossierEvent.objects.filter(dossier=dossier, action="request_payment")
        .order_by("-seq")
        .only("data")
        .first()
    )
    amount = (event.data or {}).get("amount_vnd") if event is not None else None
    return int(amount) if amount is not None else None


def payment_fee_lines(*, dossier: Dossier) -> list[dict[str, Any]]:
    """What the dossier owes now (the official's amount, else the catalog's matching fees)."""
    fees = [
        rules.FeeRow(f.name, f.amount_vnd, f.case_id, f.channel, f.payer_kind)
        for f in dossier.procedure_version.fees.all()
    ]
    return rules.fee_lines(
        fees,
        case_id=dossier.case_id,
        channel=dossier.channel,
        applicant_kind=dossier.applicant_kind,
        requested_amount=_requested_amount(dossier),
    )


def _own(user: Any) -> bool:
    return user is not None and user.is_authenticated


@dataclass(frozen=True)
class PaymentQuote:
    dossier: Dossier
    lines: list[dict[str, Any]]
    total: int
    payable: bool  # awaiting payment, with something to pay


def payment_quote(*, user: Any, code: str) -> PaymentQuote | None:
    """The applicant's view of what they owe on their dossier ``code`` (None: not theirs)."""
    if not _own(user):
        return None
    dossier = (
        Dossier.objects.select_related("procedure_version")
        .filter(code=code, applicant_user=user)
        .first()
    )
    if dossier is None:
        return None
    lines = payment_fee_lines(dossier=dossier)
    total = rules.total(lines)
    payable = dossier.status == Status.AWAITING_PAYMENT and total > 0
    return PaymentQuote(dossier, lines, total, payable)


def payment_get(*, user: Any, order_id: str) -> PaymentRequest | None:
    """The payment ``order_id`` if ``user`` is its dossier's applicant."""
    if not _own(user) or not order_id:
        return None
    return (
        PaymentRequest.objects.select_related("dossier")
        .filter(order_id=order_id[:40], dossier__applicant_user=user)
        .first()
    )
