"""Compact JWS with RS256 and RSA JSON Web Keys, on top of ``cryptography``. Pure: no Django.

No JWT library is installed, and an ID token needs only this much: base64url, one algorithm,
one key type (docs/decisions/0013-citizen-identity.md). Anything but ``RS256`` is refused, so the
classic ``alg: none`` and RS→HS confusion attacks cannot apply.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ALGORITHM = "RS256"


class JoseError(ValueError):
    """The token or key is malformed, or the signature does not verify."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise JoseError("bad base64url") from exc


def _int_to_b64(value: int) -> str:
    return b64url_encode(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def public_jwk(key: rsa.RSAPublicKey, *, kid: str) -> dict[str, str]:
    numbers = key.public_numbers()
    return {
        "kty": "RSA",
        "use": "sig",
        "alg": ALGORITHM,
        "kid": kid,
        "n": _int_to_b64(numbers.n),
        "e": _int_to_b64(numbers.e),
    }


def key_from_jwk(jwk: dict[str, Any]) -> rsa.RSAPublicKey:
    if jwk.get("kty") != "RSA":
        raise JoseError("only RSA keys are accepted")
    try:
        n = int.from_bytes(b64url_decode(str(jwk["n"])), "big")
        e = int.from_bytes(b64url_decode(str(jwk["e"])), "big")
        return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, ValueError) as exc:
        raise JoseError("bad RSA key") from exc


def sign(claims: dict[str, Any], key: rsa.RSAPrivateKey, *, kid: str) -> str:
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": kid}
    signing_input = (
        b64url_encode(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url_encode(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    )
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url_encode(signature)


def unverified_header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise JoseError("a compact JWS has three parts")
    try:
        header = json.loads(b64url_decode(parts[0]))
    except ValueError as exc:
        raise JoseError("bad header") from exc
    if not isinstance(header, dict):
        raise JoseError("bad header")
    return header


def verify(token: str, keys: list[dict[str, Any]]) -> dict[str, Any]:
    """The claims of ``token`` when its RS256 signature verifies with one of ``keys`` (JWKs).

    Checks only the signature; the caller checks issuer, audience, expiry and nonce.
    """
    header = unverified_header(token)
    if header.get("alg") != ALGORITHM:
        raise JoseError(f"algorithm {header.get('alg')!r} is not accepted")
    kid = header.get("kid")
    candidates = [k for k in keys if kid is None or k.get("kid") == kid]
    if not candidates:
        raise JoseError("no key with this kid")
    head, body, sig = token.split(".")
    signature = b64url_decode(sig)
    for jwk in candidates:
        try:
            key_from_jwk(jwk).verify(
                signature, f"{head}.{body}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
            )
        except InvalidSignature:
            continue
        try:
            claims = json.loads(b64url_decode(body))
        except ValueError as exc:
            raise JoseError("bad payload") from exc
        if not isinstance(claims, dict):
            raise JoseError("bad payload")
        return claims
    raise JoseError("the signature does not verify")
