"""Writes to the outbox by people (the admin's "retry now"). Producers use ``outbox.enqueue``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record
from motcua.core.errors import PermissionDenied
from motcua.integrations.models import OutboxMessage, OutboxStatus

RETRY_PERMISSION = "integrations.retry_outboxmessage"


def can_retry(user: Any) -> bool:
    return bool(user and user.is_active and user.has_perm(RETRY_PERMISSION))


@transaction.atomic
def outbox_message_retry(*, message_ids: Iterable[int], actor: Any) -> list[OutboxMessage]:
    """Give dead messages a fresh set of attempts, due now. Other messages are left alone.

    One audit event per message, with the error it died of.
    """
    if not can_retry(actor):
        raise PermissionDenied(_("Bạn không có quyền gửi lại thông điệp."))
    now = timezone.now()
    retried: list[OutboxMessage] = []
    for msg in (
        OutboxMessage.objects.select_for_update()
        .filter(id__in=list(message_ids), status=OutboxStatus.DEAD)
        .order_by("id")
    ):
        before = {"status": msg.status, "attempts": msg.attempts, "last_error": msg.last_error}
        msg.status = OutboxStatus.PENDING
        msg.attempts = 0
        msg.next_attempt_at = now
        msg.claimed_by = ""
        msg.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_by"])
        record(
            action="outbox.retried",
            actor=actor,
            subject=msg,
            before=before,
            after={"status": msg.status, "attempts": msg.attempts},
            extra={"system": msg.system, "kind": msg.kind, "dossier_id": msg.dossier_id},
        )
        retried.append(msg)
    return retried
