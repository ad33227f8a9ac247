"""Periodic payment job run by the worker (``manage.py run_worker``).

``confirm_job``: a payment marked paid whose dossier was not confirmed (a crash between the two
transactions, a lock timeout) and that is still awaiting payment gets ``confirm_payment`` again.
"""

from __future__ import annotations

import logging

from motcua.dossiers.workflow import Status
from motcua.payments.models import PaymentRequest, PaymentStatus
from motcua.payments.services import payment_confirm_on_dossier

logger = logging.getLogger("motcua.payments")

CONFIRM_EVERY_SECONDS = 60.0


def confirm_job(*, batch: int = 100) -> int:
    """Confirm paid payments on dossiers still awaiting payment; returns how many succeeded."""
    stuck = PaymentRequest.objects.select_related("dossier").filter(
        status=PaymentStatus.PAID,
        dossier_confirmed_at__isnull=True,
        dossier__status=Status.AWAITING_PAYMENT,
    )[:batch]
    done = sum(1 for p in stuck if payment_confirm_on_dossier(payment=p))
    if done:
        logger.info("confirmed %s paid payments on their dossiers", done)
    return done


def register_jobs() -> None:
    from motcua.integrations.worker import register_periodic

    register_periodic("payments.confirm", confirm_job, every_seconds=CONFIRM_EVERY_SECONDS)
