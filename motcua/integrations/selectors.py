"""Reads of the outbox, for the admin today and a back-office "outbox" page later.

Only users who may view outbox messages (administrators, or a role given
``integrations.view_outboxmessage``) see anything: a message names applicants and addresses.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from motcua.integrations.models import OutboxMessage, OutboxStatus

VIEW_PERMISSION = "integrations.view_outboxmessage"


def can_view_outbox(user: Any) -> bool:
    return bool(user and user.is_active and user.has_perm(VIEW_PERMISSION))


def outbox_message_list(
    *,
    user: Any,
    status: str | None = None,
    system: str | None = None,
    dossier_id: int | None = None,
) -> QuerySet[OutboxMessage]:
    """Messages the user may see, newest first, optionally filtered."""
    if not can_view_outbox(user):
        return OutboxMessage.objects.none()
    qs = OutboxMessage.objects.all()
    if status:
        qs = qs.filter(status=status)
    if system:
        qs = qs.filter(system=system)
    if dossier_id is not None:
        qs = qs.filter(dossier_id=dossier_id)
    return qs.order_by("-created_at", "-id")


def outbox_status_counts(*, user: Any) -> dict[str, int]:
    """``{"pending": n, "sending": n, "sent": n, "dead": n}`` (zeros included)."""
    counts = dict.fromkeys(OutboxStatus.values, 0)
    if not can_view_outbox(user):
        return counts
    for row in OutboxMessage.objects.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts
