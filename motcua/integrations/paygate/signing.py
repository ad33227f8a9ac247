"""Signatures between motcua and the payment gateway (pure: no Django, ``mypy --strict``).

A message is a flat mapping of string fields. Its signature is HMAC-SHA256, in lowercase hex, over
the canonical form of the fields plus a ``timestamp`` (Unix seconds) and a single-use ``nonce``:
the fields sorted by name, each ``name=value`` with both parts percent-encoded (RFC 3986), joined
by ``&``. The timestamp, nonce and signature travel in the ``X-Paygate-Timestamp``,
``X-Paygate-Nonce`` and ``X-Paygate-Signature`` headers; a verifier rejects a bad signature
(compared in constant time) and a timestamp more than ``TOLERANCE_SECONDS`` away from its clock.
Replays inside the window are the caller's to refuse (the callback log remembers transaction ids).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

TOLERANCE_SECONDS = 300
SIGNATURE_HEADER = "X-Paygate-Signature"
TIMESTAMP_HEADER = "X-Paygate-Timestamp"
NONCE_HEADER = "X-Paygate-Nonce"
RESERVED = frozenset({"timestamp", "nonce"})


class SignatureError(Exception):
    """The message is not authentic or not fresh; ``reason`` is a stable machine-readable word."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Signed:
    timestamp: int
    nonce: str
    signature: str

    def headers(self) -> dict[str, str]:
        return {
            TIMESTAMP_HEADER: str(self.timestamp),
            NONCE_HEADER: self.nonce,
            SIGNATURE_HEADER: self.signature,
        }


def canonical(fields: Mapping[str, str], *, timestamp: int, nonce: str) -> bytes:
    """The bytes that are signed: sorted, percent-encoded ``name=value`` pairs joined by ``&``."""
    clash = RESERVED & set(fields)
    if clash:
        raise ValueError(f"reserved field names: {sorted(clash)}")
    items = {**fields, "timestamp": str(timestamp), "nonce": nonce}
    for name, value in items.items():
        if not isinstance(value, str):
            raise TypeError(f"field {name!r} must be a string, not {type(value).__name__}")
    pairs = (f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in sorted(items.items()))
    return "&".join(pairs).encode("utf-8")


def signature(fields: Mapping[str, str], *, secret: str, timestamp: int, nonce: str) -> str:
    if not secret:
        raise ValueError("the shared secret is empty")
    mac = hmac.new(
        secret.encode("utf-8"), canonical(fields, timestamp=timestamp, nonce=nonce), hashlib.sha256
    )
    return mac.hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def sign(
    fields: Mapping[str, str], *, secret: str, timestamp: int, nonce: str | None = None
) -> Signed:
    nonce = nonce or new_nonce()
    return Signed(
        timestamp, nonce, signature(fields, secret=secret, timestamp=timestamp, nonce=nonce)
    )


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return ""


def verify(
    fields: Mapping[str, str],
    headers: Mapping[str, str],
    *,
    secret: str,
    now: int,
    tolerance: int = TOLERANCE_SECONDS,
) -> Signed:
    """Check the signature headers of ``fields``; return them, or raise ``SignatureError``."""
    sig = _header(headers, SIGNATURE_HEADER).strip().lower()
    ts_text = _header(headers, TIMESTAMP_HEADER).strip()
    nonce = _header(headers, NONCE_HEADER).strip()
    if not sig or not ts_text or not nonce:
        raise SignatureError("missing", "signature, timestamp or nonce header missing")
    if not ts_text.isdigit() or len(ts_text) > 12:
        raise SignatureError("bad_timestamp", "the timestamp is not Unix seconds")
    if len(nonce) > 64:
        raise SignatureError("bad_nonce", "the nonce is too long")
    timestamp = int(ts_text)
    try:
        expected = signature(fields, secret=secret, timestamp=timestamp, nonce=nonce)
    except (TypeError, ValueError) as exc:
        raise SignatureError("malformed", str(exc)) from exc
    # Constant time: never reveal how many leading characters matched.
    if not hmac.compare_digest(expected.encode("ascii"), sig.encode("ascii", "replace")):
        raise SignatureError("bad_signature", "the signature does not match")
    # Freshness after authenticity, so a forger learns nothing about our clock.
    if abs(now - timestamp) > tolerance:
        raise SignatureError("stale", f"the timestamp is {now - timestamp} s away from ours")
    return Signed(timestamp, nonce, sig)
