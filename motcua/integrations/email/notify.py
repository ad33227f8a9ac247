"""Queue an e-mail notification in the caller's transaction (the producers' entry point).

from motcua.integrations.email.notify import enqueue_email

enqueue_email(
    to=dossier.applicant_email,
    context={"code": dossier.code, "status": "received", "due_at": dossier.due_at.isoformat()},
    idempotency_key=f"dossier:{dossier.pk}:event:{event.pk}:email",
    dossier_id=dossier.pk,
)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from motcua.integrations import outbox
from motcua.integrations.models import OutboxMessage


def email_enabled() -> bool:
    return bool(getattr(settings, "MOTCUA_NOTIFY_EMAIL", True))


def enqueue_email(
    *,
    to: str,
    context: dict[str, Any],
    idempotency_key: str,
    template: str = "dossier_status",
    kind: str = "dossier.status_changed",
    dossier_id: int | None = None,
) -> OutboxMessage | None:
    """Queue one e-mail; ``None`` (nothing queued) when e-mail is off or there is no address."""
    if not email_enabled() or not to.strip():
        return None
    return outbox.enqueue(
        system="email",
        kind=kind,
        payload={"to": to.strip(), "template": template, "context": context},
        idempotency_key=idempotency_key,
        dossier_id=dossier_id,
        subject_type="dossiers.dossier" if dossier_id is not None else "",
        subject_id=str(dossier_id) if dossier_id is not None else "",
    )
