"""The OpenID Connect client for the national identity login (VNeID): authorization-code flow
with PKCE (S256), ``state`` and ``nonce``; RS256 ID tokens checked against the provider's JWKS.

Settings: ``MOTCUA_OIDC_ISSUER``, ``MOTCUA_OIDC_CLIENT_ID``, ``MOTCUA_OIDC_CLIENT_SECRET`` (read
from the environment when the settings module does not define them). The provider is found by
discovery (``<issuer>/.well-known/openid-configuration``). Network calls happen in the request,
never inside a transaction. See docs/decisions/0013-citizen-identity.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.identifiers import InvalidIdentifier, parse_citizen_id
from motcua.integrations.vneid import jose

SESSION_KEY = "oidc_flow"
FLOW_LIFETIME = 600  # seconds a login may take at the provider
LEEWAY = 60  # seconds of clock skew tolerated on exp/iat
TIMEOUT = 5  # seconds per HTTP call to the provider
METADATA_TTL = 300  # seconds discovery and JWKS are cached


class OidcError(Exception):
    """The login through the provider failed; ``message`` is for the citizen, ``reason`` for
    the audit log."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Identity:
    citizen_id: str
    full_name: str
    subject: str
    issuer: str


def _setting(name: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, ""))


def config() -> OidcConfig | None:
    """The configured provider, or None when the national identity login is off."""
    issuer = _setting("MOTCUA_OIDC_ISSUER").rstrip("/")
    client_id = _setting("MOTCUA_OIDC_CLIENT_ID")
    if not issuer or not client_id:
        return None
    return OidcConfig(issuer, client_id, _setting("MOTCUA_OIDC_CLIENT_SECRET"))


def _provider_down() -> OidcError:
    return OidcError(
        _("Không kết nối được với hệ thống định danh điện tử VNeID. Vui lòng thử lại sau."),
        reason="provider_unreachable",
    )


def _refused(reason: str) -> OidcError:
    return OidcError(
        _(
            "Đăng nhập bằng VNeID không thành công: kết quả xác thực không hợp lệ. "
            "Vui lòng thử lại."
        ),
        reason=reason,
    )


def _http_json(url: str, *, data: dict[str, str] | None = None) -> dict[str, Any]:
    if urlsplit(url).scheme not in ("http", "https"):
        raise _provider_down()
    body = urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            payload = json.loads(response.read(1_000_000))
    except urllib.error.HTTPError as exc:
        if data is not None and 400 <= exc.code < 500:
            raise _refused(f"token_endpoint_{exc.code}") from exc
        raise _provider_down() from exc
    except (OSError, ValueError) as exc:
        raise _provider_down() from exc
    if not isinstance(payload, dict):
        raise _provider_down()
    return payload


def _cached_json(url: str, *, refresh: bool = False) -> dict[str, Any]:
    key = "oidc:" + hashlib.sha256(url.encode()).hexdigest()
    if not refresh:
        hit = cache.get(key)
        if isinstance(hit, dict):
            return hit
    payload = _http_json(url)
    cache.set(key, payload, METADATA_TTL)
    return payload


def discovery(cfg: OidcConfig) -> dict[str, Any]:
    meta = _cached_json(cfg.issuer + "/.well-known/openid-configuration")
    if meta.get("issuer", "").rstrip("/") != cfg.issuer:
        raise _refused("discovery_issuer_mismatch")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(meta.get(key), str):
            raise _provider_down()
    return meta


def _s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def begin(*, session: Any, redirect_uri: str, next_url: str = "") -> str:
    """Start a login: remember state, nonce and the PKCE verifier in the session and return
    the provider's authorization URL."""
    cfg = config()
    if cfg is None:
        raise OidcError(
            _("Đăng nhập bằng VNeID chưa được cấu hình trên hệ thống này."), reason="not_configured"
        )
    meta = discovery(cfg)
    state = secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "next": next_url,
        "started": int(time.time()),
    }
    query = urlencode(
        {
            "response_type": "code",
            "client_id": cfg.client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid profile citizen_id",
            "state": state,
            "nonce": nonce,
            "code_challenge": _s256(verifier),
            "code_challenge_method": "S256",
        }
    )
    endpoint = str(meta["authorization_endpoint"])
    return endpoint + ("&" if "?" in endpoint else "?") + query


def complete(*, session: Any, params: dict[str, str]) -> tuple[Identity, str]:
    """Finish a login from the callback's query ``params``: check state, exchange the code,
    verify the ID token. Returns the identity and the ``next`` URL saved at the start. The
    flow is single-use: it is removed from the session whatever the outcome."""
    cfg = config()
    flow = session.pop(SESSION_KEY, None)
    if cfg is None:
        raise OidcError(
            _("Đăng nhập bằng VNeID chưa được cấu hình trên hệ thống này."), reason="not_configured"
        )
    expired_flow = OidcError(
        _("Phiên đăng nhập bằng VNeID không hợp lệ hoặc đã hết hạn. Vui lòng bắt đầu lại."),
        reason="bad_state",
    )
    if not isinstance(flow, dict) or not hmac.compare_digest(
        str(params.get("state", "")), str(flow.get("state", ""))
    ):
        raise expired_flow
    if int(flow.get("started", 0)) + FLOW_LIFETIME < time.time():
        raise expired_flow
    if params.get("error"):
        raise OidcError(
            _("Bạn đã không đồng ý xác thực qua VNeID, nên chưa đăng nhập."),
            reason=f"provider_error:{params['error'][:40]}",
        )
    code = params.get("code", "")
    if not code:
        raise _refused("no_code")
    meta = discovery(cfg)
    tokens = _http_json(
        str(meta["token_endpoint"]),
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": str(flow["redirect_uri"]),
            "client_id": cfg.client_id,
            "client_secret": cfg.client_secret,
            "code_verifier": str(flow["verifier"]),
        },
    )
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise _refused("no_id_token")
    claims = verify_id_token(id_token, cfg=cfg, meta=meta, nonce=str(flow["nonce"]))
    return identity_from_claims(claims, issuer=cfg.issuer), str(flow.get("next", ""))


def verify_id_token(
    token: str, *, cfg: OidcConfig, meta: dict[str, Any], nonce: str, now: float | None = None
) -> dict[str, Any]:
    """The claims of a valid ID token: signature (RS256, the provider's JWKS), issuer,
    audience, expiry, issue time and nonce. Raises ``OidcError`` otherwise."""
    jwks_uri = str(meta["jwks_uri"])
    try:
        header = jose.unverified_header(token)
        keys = _cached_json(jwks_uri).get("keys", [])
        if header.get("kid") and not any(k.get("kid") == header["kid"] for k in keys):
            keys = _cached_json(jwks_uri, refresh=True).get("keys", [])  # key rotation
        claims = jose.verify(token, list(keys))
    except jose.JoseError as exc:
        raise _refused(f"bad_signature: {exc}") from exc
    now = time.time() if now is None else now
    if claims.get("iss") != cfg.issuer:
        raise _refused("bad_issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if cfg.client_id not in audiences:
        raise _refused("bad_audience")
    if len(audiences) > 1 and claims.get("azp") != cfg.client_id:
        raise _refused("bad_azp")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or exp + LEEWAY < now:
        raise OidcError(
            _("Kết quả xác thực VNeID đã hết hạn. Vui lòng đăng nhập lại."), reason="expired"
        )
    if not isinstance(iat, int | float) or iat - LEEWAY > now:
        raise _refused("issued_in_future")
    if not isinstance(claims.get("nonce"), str) or not hmac.compare_digest(claims["nonce"], nonce):
        raise _refused("bad_nonce")
    return claims


def identity_from_claims(claims: dict[str, Any], *, issuer: str) -> Identity:
    try:
        citizen = parse_citizen_id(str(claims.get("citizen_id", "")), today=timezone.localdate())
    except InvalidIdentifier as exc:
        raise _refused("bad_citizen_id") from exc
    return Identity(
        citizen_id=citizen.number,
        full_name=str(claims.get("name", ""))[:200],
        subject=str(claims.get("sub", ""))[:200],
        issuer=issuer,
    )
