"""The signing rules (pure): HMAC-SHA256 over a canonical form, fresh timestamps, no surprises."""

from __future__ import annotations

import pytest

from motcua.integrations.paygate import signing

SECRET = "s3cret"
FIELDS = {"order_id": "TT1", "amount": "200000", "status": "paid", "transaction_id": "TXN-1"}
NOW = 1_780_000_000


def _headers(fields: dict[str, str] = FIELDS, **kw: object) -> dict[str, str]:
    opts: dict[str, object] = {"secret": SECRET, "timestamp": NOW, "nonce": "n1", **kw}
    return signing.sign(fields, **opts).headers()  # type: ignore[arg-type]


def test_it_accepts_its_own_signature_whatever_the_field_order_or_header_case() -> None:
    headers = {k.lower(): v for k, v in _headers().items()}
    reordered = dict(reversed(list(FIELDS.items())))
    signed = signing.verify(reordered, headers, secret=SECRET, now=NOW + 10)
    assert signed.nonce == "n1" and signed.timestamp == NOW


@pytest.mark.parametrize(
    ("fields", "headers", "secret", "reason"),
    [
        ({**FIELDS, "amount": "1"}, None, SECRET, "bad_signature"),
        ({**FIELDS, "extra": "x"}, None, SECRET, "bad_signature"),
        (FIELDS, None, "other", "bad_signature"),
        (FIELDS, {"X-Paygate-Nonce": "n2"}, SECRET, "bad_signature"),
        (FIELDS, {"X-Paygate-Timestamp": str(NOW + 1)}, SECRET, "bad_signature"),
        (FIELDS, {"X-Paygate-Signature": ""}, SECRET, "missing"),
        (FIELDS, {"X-Paygate-Timestamp": "-5"}, SECRET, "bad_timestamp"),
        (FIELDS, {"X-Paygate-Signature": "é" * 64}, SECRET, "bad_signature"),
    ],
)
def test_it_rejects_tampered_or_incomplete_messages(
    fields: dict[str, str], headers: dict[str, str] | None, secret: str, reason: str
) -> None:
    sent = {**_headers(), **(headers or {})}
    with pytest.raises(signing.SignatureError) as exc:
        signing.verify(fields, sent, secret=secret, now=NOW)
    assert exc.value.reason == reason


@pytest.mark.parametrize(("skew", "ok"), [(300, True), (-300, True), (301, False), (-301, False)])
def test_it_rejects_a_timestamp_more_than_five_minutes_away(skew: int, ok: bool) -> None:
    if ok:
        signing.verify(FIELDS, _headers(), secret=SECRET, now=NOW + skew)
        return
    with pytest.raises(signing.SignatureError, match="away") as exc:
        signing.verify(FIELDS, _headers(), secret=SECRET, now=NOW + skew)
    assert exc.value.reason == "stale"


def test_it_encodes_separators_so_fields_cannot_be_shifted() -> None:
    a = signing.canonical({"a": "1&b=2"}, timestamp=1, nonce="n")
    b = signing.canonical({"a": "1", "b": "2"}, timestamp=1, nonce="n")
    assert a != b
    assert b == b"a=1&b=2&nonce=n&timestamp=1"


def test_it_refuses_reserved_names_non_strings_and_an_empty_secret() -> None:
    with pytest.raises(ValueError, match="reserved"):
        signing.canonical({"nonce": "x"}, timestamp=1, nonce="n")
    with pytest.raises(TypeError):
        signing.canonical({"amount": 5}, timestamp=1, nonce="n")  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="empty"):
        signing.sign(FIELDS, secret="", timestamp=1)
