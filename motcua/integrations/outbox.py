"""The outbox: ``enqueue`` in the producer's transaction, ``claim`` and ``deliver`` in the worker.

Delivery is at-least-once: a message may be handed to its system more than once (a worker that
dies after sending but before recording it), never zero times once its transaction committed.
Receivers deduplicate on ``idempotency_key``. See ``docs/decisions/0007-outbox.md``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from motcua.core.sql import insert
from motcua.integrations import handlers
from motcua.integrations.backoff import retry_delay
from motcua.integrations.errors import DeliveryError, OutboxUsageError
from motcua.integrations.models import OutboxMessage, OutboxStatus

logger = logging.getLogger("motcua.outbox")

DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_LEASE_SECONDS = 300
ERROR_MAX_CHARS = 2000


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"
    DEAD = "dead"
    LOST_LEASE = "lost_lease"  # another worker took the message over (our lease had expired)


def max_attempts() -> int:
    return int(getattr(settings, "MOTCUA_OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def lease_seconds() -> int:
    return int(getattr(settings, "MOTCUA_OUTBOX_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def _jsonable(value: Any) -> Any:
    """What the JSON column will hold, so a payload that cannot round-trip fails at enqueue."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _insert(
    *,
    system: str,
    kind: str,
    payload: dict[str, Any],
    idempotency_key: str,
    dossier_id: int | None = None,
    subject_type: str = "",
    subject_id: str = "",
    deliver_after: dt.datetime | None = None,
) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise OutboxUsageError(
            "outbox.enqueue must run inside the transaction of the change it reports"
        )
    if not system or not kind:
        raise ValueError("system and kind are required")
    if not idempotency_key or len(idempotency_key) > 200:
        raise ValueError("idempotency_key must have 1 to 200 characters")
    if deliver_after is not None and timezone.is_naive(deliver_after):
        raise ValueError("deliver_after must be an aware datetime")
    now = timezone.now()
    # ON CONFLICT DO NOTHING: no exception to poison the caller's transaction, and a concurrent
    # producer with the same key waits for the first one's transaction instead of duplicating.
    # Plain SQL (core.sql.insert): every dossier action enqueues here.
    insert(
        OutboxMessage(
            system=system,
            kind=kind,
            payload=_jsonable(payload),
            idempotency_key=idempotency_key,
            status=OutboxStatus.PENDING,
            next_attempt_at=max(deliver_after, now) if deliver_after else now,
            created_at=now,
            dossier_id=dossier_id,
            subject_type=subject_type,
            subject_id=str(subject_id),
        ),
        ignore_conflicts=True,
    )


def enqueue(
    *,
    system: str,
    kind: str,
    payload: dict[str, Any],
    idempotency_key: str,
    dossier_id: int | None = None,
    subject_type: str = "",
    subject_id: str = "",
    deliver_after: dt.datetime | None = None,
) -> OutboxMessage:
    """Queue a message in the caller's transaction; it is sent only if that transaction commits.

    Idempotent on ``idempotency_key``: a second call with the same key returns the existing row
    (whatever its payload) and writes nothing.
    """
    _insert(
        system=system,
        kind=kind,
        payload=payload,
        idempotency_key=idempotency_key,
        dossier_id=dossier_id,
        subject_type=subject_type,
        subject_id=subject_id,
        deliver_after=deliver_after,
    )
    return OutboxMessage.objects.get(idempotency_key=idempotency_key)


def enqueue_quietly(**kwargs: Any) -> None:
    """``enqueue`` (same keyword arguments) for hot paths that do not need the row back: it
    saves reading the row again."""
    _insert(**kwargs)


def _due(now: dt.datetime) -> Q:
    """Pending and due, or sending with an expired lease (the worker that claimed it is gone)."""
    return Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING], next_attempt_at__lte=now)


def _bury_exhausted(now: dt.datetime) -> int:
    """Abandoned messages that already used every attempt die instead of being claimed again.

    A message that crashes the worker itself (so it is never marked failed) ends here.
    """
    return OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, next_attempt_at__lte=now, attempts__gte=max_attempts()
    ).update(
        status=OutboxStatus.DEAD,
        claimed_by="",
        last_error=Concat(
            Value("the worker's lease expired on the last attempt; "),
            F("last_error"),
            output_field=TextField(),
        ),
    )


def claim(batch: int, worker_id: str) -> list[OutboxMessage]:
    """Take up to ``batch`` due messages for ``worker_id``: status ``sending``, ``attempts + 1``
    and a lease of ``MOTCUA_OUTBOX_LEASE_SECONDS``. No message is given to two workers at once.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED``. SQLite (no row locks): a compare-and-swap
    ``UPDATE`` per candidate, kept only when it changed exactly one row.
    """
    if batch < 1:
        return []
    now = timezone.now()
    _bury_exhausted(now)
    if connection.features.has_select_for_update_skip_locked:
        return _claim_locking(batch, worker_id, now)
    return _claim_cas(_candidates(batch, now), worker_id, now)


def _claim_locking(batch: int, worker_id: str, now: dt.datetime) -> list[OutboxMessage]:
    lease_end = now + dt.timedelta(seconds=lease_seconds())
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return []
        OutboxMessage.objects.filter(id__in=ids).update(
            status=OutboxStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=lease_end,
            claimed_by=worker_id,
        )
        return list(OutboxMessage.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))


Candidate = tuple[int, str, dt.datetime, int]


def _candidates(batch: int, now: dt.datetime) -> list[Candidate]:
    """Due messages as last seen: (id, status, next_attempt_at, attempts), oldest first."""
    return list(
        OutboxMessage.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values_list("id", "status", "next_attempt_at", "attempts")[:batch]
    )


def _claim_cas(
    candidates: Sequence[Candidate], worker_id: str, now: dt.datetime
) -> list[OutboxMessage]:
    """Claim each candidate only if its row is still exactly as it was seen (healthchecks CAS)."""
    lease_end = now + dt.timedelta(seconds=lease_seconds())
    won: list[int] = []
    for pk, status, next_attempt_at, attempts in candidates:
        changed = OutboxMessage.objects.filter(
            id=pk, status=status, next_attempt_at=next_attempt_at, attempts=attempts
        ).update(
            status=OutboxStatus.SENDING,
            attempts=attempts + 1,
            next_attempt_at=lease_end,
            claimed_by=worker_id,
        )
        if changed == 1:
            won.append(pk)
    if not won:
        return []
    return list(OutboxMessage.objects.filter(id__in=won).order_by("next_attempt_at", "id"))


def _held(msg: OutboxMessage) -> Q:
    """The row is still under the claim that produced ``msg`` (fencing for outcome writes)."""
    return Q(id=msg.pk, status=OutboxStatus.SENDING, attempts=msg.attempts)


def deliver(msg: OutboxMessage) -> Outcome:
    """Hand a claimed message to its system's handler and record the outcome.

    Runs outside any transaction (the handler talks to the network). A handler's
    ``DeliveryError`` is retried with backoff, or buries the message if permanent or after
    ``MOTCUA_OUTBOX_MAX_ATTEMPTS`` attempts; any other exception is a temporary failure too.
    """
    if transaction.get_connection().in_atomic_block:
        raise OutboxUsageError("outbox.deliver talks to the network: call it outside transactions")
    if msg.status != OutboxStatus.SENDING:
        raise OutboxUsageError(f"message {msg.pk} is {msg.status}, not claimed")
    handler = handlers.get(msg.system)
    started = time.monotonic()
    try:
        if handler is None:
            raise DeliveryError(f"no handler registered for system {msg.system!r}")
        handler(msg)
    except DeliveryError as exc:
        return _failed(msg, exc.message, permanent=exc.permanent, started=started)
    except Exception as exc:  # a handler bug must not stop the worker; retried, then dead
        logger.exception("outbox handler %s crashed on message %s", msg.system, msg.pk)
        return _failed(msg, f"{type(exc).__name__}: {exc}", permanent=False, started=started)
    return _succeeded(msg, started=started)


def _elapsed_ms(started: float) -> float:
    return (time.monotonic() - started) * 1000


def _succeeded(msg: OutboxMessage, *, started: float) -> Outcome:
    now = timezone.now()
    # A success is recorded even if our lease expired meanwhile: the message did go out.
    OutboxMessage.objects.filter(id=msg.pk).exclude(status=OutboxStatus.SENT).update(
        status=OutboxStatus.SENT, sent_at=now, claimed_by=""
    )
    msg.status, msg.sent_at, msg.claimed_by = OutboxStatus.SENT, now, ""
    logger.info(
        "outbox sent %s %s #%s (attempt %s, %.0f ms)",
        msg.system,
        msg.kind,
        msg.pk,
        msg.attempts,
        _elapsed_ms(started),
    )
    return Outcome.SENT


def _failed(msg: OutboxMessage, error: str, *, permanent: bool, started: float) -> Outcome:
    error = error[:ERROR_MAX_CHARS]
    now = timezone.now()
    if permanent or msg.attempts >= max_attempts():
        changed = OutboxMessage.objects.filter(_held(msg)).update(
            status=OutboxStatus.DEAD, last_error=error, claimed_by=""
        )
        outcome, status, next_at = Outcome.DEAD, OutboxStatus.DEAD, msg.next_attempt_at
    else:
        next_at = now + dt.timedelta(seconds=retry_delay(msg.attempts))
        changed = OutboxMessage.objects.filter(_held(msg)).update(
            status=OutboxStatus.PENDING, last_error=error, claimed_by="", next_attempt_at=next_at
        )
        outcome, status = Outcome.RETRY, OutboxStatus.PENDING
    if not changed:
        logger.warning("outbox message %s was taken over by another worker: %s", msg.pk, error)
        return Outcome.LOST_LEASE
    msg.status, msg.last_error, msg.claimed_by, msg.next_attempt_at = status, error, "", next_at
    log = logger.error if outcome is Outcome.DEAD else logger.warning
    log(
        "outbox %s %s %s #%s (attempt %s, %.0f ms): %s",
        "gave up on" if outcome is Outcome.DEAD else "will retry",
        msg.system,
        msg.kind,
        msg.pk,
        msg.attempts,
        _elapsed_ms(started),
        error,
    )
    return outcome


def release(msgs: Sequence[OutboxMessage]) -> int:
    """Give back claimed messages that were not tried (a worker stopping): pending again, due
    now, the claim's attempt not counted. Messages another worker took over are left alone."""
    now = timezone.now()
    released = 0
    for msg in msgs:
        released += OutboxMessage.objects.filter(_held(msg)).update(
            status=OutboxStatus.PENDING,
            attempts=F("attempts") - 1,
            next_attempt_at=now,
            claimed_by="",
        )
    return released
