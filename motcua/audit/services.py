"""Write the audit trail. Services call ``record`` inside their own transaction."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from motcua.audit.chain import canonical, link_hash
from motcua.audit.models import AuditChainHead, AuditEvent
from motcua.core.request_context import get_request_id
from motcua.core.sql import insert


def audit_key() -> bytes:
    return str(getattr(settings, "MOTCUA_AUDIT_KEY", "") or settings.SECRET_KEY).encode()


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so the hashed form equals what the database returns."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


_HEAD_TABLE = AuditChainHead._meta.db_table


def _locked_head() -> tuple[int, str]:
    """``(seq, hash)`` of the chain head, locked until commit; recreated if missing.

    Plain SQL: every audited write passes here, and the ORM's query building would cost more
    than the statement itself (bench/lifecycle.py).
    """
    connection = transaction.get_connection()
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT seq, hash FROM {_HEAD_TABLE} WHERE id = 1{lock}"  # noqa: S608 (constants)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
        if row is None:
            AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
            cursor.execute(sql)
            row = cursor.fetchone()
    return int(row[0]), str(row[1])


def _move_head(seq: int, digest: str) -> None:
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"UPDATE {_HEAD_TABLE} SET seq = %s, hash = %s WHERE id = 1",  # noqa: S608
            [seq, digest],
        )


def record(
    *,
    action: str,
    actor: Any | None = None,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event, chained to the previous one.

    ``before``/``after`` should hold only the changed fields. The chain head is locked until the
    caller's transaction commits, so concurrent writers append in a single order.
    """
    if subject is not None:
        subject_type = subject_type or subject._meta.label_lower
        subject_id = subject_id or str(subject.pk)
    data: dict[str, Any] = {}
    if before is not None:
        data["before"] = before
    if after is not None:
        data["after"] = after
    if extra:
        data.update(extra)
    data = _jsonable(data)
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    actor_repr = ""
    if actor_obj is not None:
        actor_repr = f"{actor_obj.get_username()} ({actor_obj})"[:255]

    # No savepoint of its own: an audit failure must fail the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        head_seq, head_hash = _locked_head()
        seq = head_seq + 1
        occurred_at = timezone.now().replace(tzinfo=dt.UTC)
        request_id = get_request_id() or ""
        payload = canonical(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_obj.pk if actor_obj else None,
            actor_repr=actor_repr,
            request_id=request_id,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            data=data,
        )
        digest = link_hash(audit_key(), head_hash, payload)
        event = AuditEvent(
            seq=seq,
            occurred_at=occurred_at,
            actor=actor_obj,
            actor_repr=actor_repr,
            request_id=request_id,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            data=data,
            prev_hash=head_hash,
            hash=digest,
        )
        insert(event)  # a new row (append-only), in plain SQL: every audited write passes here
        _move_head(seq, digest)
    return event
