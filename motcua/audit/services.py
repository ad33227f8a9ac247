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


def audit_key() -> bytes:
    return str(getattr(settings, "MOTCUA_AUDIT_KEY", "") or settings.SECRET_KEY).encode()


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so the hashed form equals what the database returns."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _locked_head() -> AuditChainHead:
    """The chain head, locked until commit. Recreated if missing (an emptied test database)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


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
        head = _locked_head()
        seq = head.seq + 1
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
        digest = link_hash(audit_key(), head.hash, payload)
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
            prev_hash=head.hash,
            hash=digest,
        )
        event.save()
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return event
