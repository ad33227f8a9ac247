"""``Idempotency-Key`` for ``POST /api/v1/dossiers``: a retried intake answers the same dossier.

The key is claimed (a row with no dossier yet) in its own short transaction *before* the intake
runs, so two concurrent retries cannot both create a dossier: the unique constraint lets one
through and the other gets a 409 ("in progress"). The intake services own a durable transaction,
so the claim cannot share it; a claim left behind by a crashed request expires after
``STALE_AFTER`` and may then be taken over. A failed intake gives its key back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from motcua.core.errors import Conflict

STALE_AFTER = dt.timedelta(minutes=5)
MAX_KEY_LENGTH = 100


class IdempotencyKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=MAX_KEY_LENGTH)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body")
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "dossiers"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="dossier_idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


def fingerprint(body: Any) -> str:
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def claim(*, user: Any, key: str, body_fingerprint: str) -> tuple[IdempotencyKey, int | None]:
    """Claim ``key`` for ``user``; returns the row and the dossier id of an earlier success."""
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=body_fingerprint, created_at=now
                )
            return row, None
        except IntegrityError:
            pass
        row = IdempotencyKey.objects.select_for_update().get(user=user, key=key)
        if row.fingerprint != body_fingerprint:
            raise Conflict(
                "This Idempotency-Key was already used with a different request body",
                code="idempotency_key_reused",
                field="Idempotency-Key",
            )
        if row.dossier_id is not None:
            return row, row.dossier_id
        if now - row.created_at < STALE_AFTER:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed; retry later",
                code="idempotency_in_progress",
            )
        row.created_at = now  # a crashed request's claim: take it over
        row.save(update_fields=["created_at"])
        return row, None


def complete(row: IdempotencyKey, *, dossier_id: int) -> None:
    IdempotencyKey.objects.filter(pk=row.pk).update(dossier_id=dossier_id)


def release(row: IdempotencyKey) -> None:
    """The intake failed (nothing was written): the key may be used again."""
    IdempotencyKey.objects.filter(pk=row.pk, dossier__isnull=True).delete()
