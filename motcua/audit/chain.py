"""Pure hashing rules for the audit chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

GENESIS_HASH = "0" * 64


def canonical(
    *,
    seq: int,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_repr: str,
    request_id: str,
    action: str,
    subject_type: str,
    subject_id: str,
    data: Any,
) -> bytes:
    """A stable byte form of one event (key order and the database's JSON storage don't matter)."""
    body = {
        "seq": seq,
        "at": occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor": actor_repr,
        "request_id": request_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "data": data,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link_hash(key: bytes, prev_hash: str, payload: bytes) -> str:
    return hmac.new(key, prev_hash.encode() + b"|" + payload, hashlib.sha256).hexdigest()
