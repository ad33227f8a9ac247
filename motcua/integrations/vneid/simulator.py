"""A small OpenID Connect provider in the style of VNeID, as a real HTTP server on 127.0.0.1.

For tests and demos only: authorization-code flow with PKCE (S256), RS256 ID tokens, discovery,
JWKS, token and userinfo endpoints. ``/authorize`` shows a tiny form to pick a demo person; with
``demo_person=<citizen ID>`` in the query it approves at once (tests follow the redirects by
hand). ``faults`` makes the next ID tokens wrong in one chosen way, so tests can prove the client
refuses them: ``"signature"``, ``"nonce"``, ``"expired"``, ``"issuer"``, ``"audience"``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa

from motcua.integrations.vneid import jose

CODE_LIFETIME = 120  # seconds
TOKEN_LIFETIME = 300  # seconds
FAULTS = frozenset({"signature", "nonce", "expired", "issuer", "audience"})


@functools.cache
def _process_key(name: str) -> rsa.RSAPrivateKey:
    """One RSA key per name and process: generating 2048-bit keys for every test is slow."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class DemoPerson:
    citizen_id: str
    name: str
    birthdate: str = ""
    phone_number: str = ""

    @property
    def sub(self) -> str:
        # An opaque, stable subject, as a real provider gives (not the citizen ID itself).
        return hashlib.sha256(f"vneid:{self.citizen_id}".encode()).hexdigest()[:32]


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("066090004321", "Nguyễn Văn An", "1990-03-14", "0905123456"),
    DemoPerson("066195001234", "Trần Thị Bích", "1995-11-02", "0912345678"),
    DemoPerson("001190012345", "Nguyễn Thị Ánh", "1990-07-21", "0987654321"),
)


@dataclass
class _Grant:
    person: DemoPerson
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    expires: float


@dataclass
class VneidSimulator:
    client_id: str = "motcua"
    client_secret: str = "motcua-simulator-secret"  # noqa: S105 (a demo value)
    host: str = "127.0.0.1"
    port: int = 0
    people: tuple[DemoPerson, ...] = DEMO_PEOPLE
    faults: set[str] = field(default_factory=set)
    kid: str = "sim-1"
    token_requests: int = 0
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _tokens: dict[str, DemoPerson] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.key = _process_key("signing")
        # A second key nobody publishes: tokens signed with it must be refused.
        self.rogue_key = _process_key("rogue")

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> VneidSimulator:
        simulator = self

        class Handler(_Handler):
            sim = simulator

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def issuer(self) -> str:
        return f"http://{self.host}:{self.port}"

    def person(self, citizen_id: str) -> DemoPerson | None:
        return next((p for p in self.people if p.citizen_id == citizen_id), None)

    # --- protocol ---------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [jose.ALGORITHM],
            "scopes_supported": ["openid", "profile", "citizen_id"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "name", "citizen_id", "birthdate", "phone_number"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [jose.public_jwk(self.key.public_key(), kid=self.kid)]}

    def issue_code(self, query: dict[str, str], person: DemoPerson) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Grant(
                person=person,
                client_id=query.get("client_id", ""),
                redirect_uri=query.get("redirect_uri", ""),
                nonce=query.get("nonce", ""),
                code_challenge=query.get("code_challenge", ""),
                expires=time.time() + CODE_LIFETIME,
            )
        return code

    def check_authorize(self, query: dict[str, str]) -> str | None:
        """The reason an authorization request is refused, or None."""
        if query.get("response_type") != "code":
            return "unsupported_response_type"
        if query.get("client_id") != self.client_id:
            return "unauthorized_client"
        if "openid" not in query.get("scope", "").split():
            return "invalid_scope"
        if not query.get("redirect_uri") or not query.get("state"):
            return "invalid_request"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return "invalid_request"
        return None

    def exchange(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict[str, Any]:
        """The token response for an authorization code, or raise ``_OAuthError``."""
        with self._lock:
            self.token_requests += 1
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if client_id != self.client_id or not hmac.compare_digest(secret, self.client_secret):
            raise _OAuthError("invalid_client", 401)
        if form.get("grant_type") != "authorization_code":
            raise _OAuthError("unsupported_grant_type")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None or grant.expires < time.time() or grant.client_id != client_id:
            raise _OAuthError("invalid_grant")
        if grant.redirect_uri != form.get("redirect_uri"):
            raise _OAuthError("invalid_grant")
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if not verifier or not hmac.compare_digest(challenge, grant.code_challenge):
            raise _OAuthError("invalid_grant")
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[access_token] = grant.person
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "id_token": self.id_token(grant),
        }

    def id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        person = grant.person
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": person.sub,
            "aud": grant.client_id,
            "iat": now,
            "auth_time": now,
            "exp": now + TOKEN_LIFETIME,
            "nonce": grant.nonce,
            "name": person.name,
            "citizen_id": person.citizen_id,
        }
        if person.birthdate:
            claims["birthdate"] = person.birthdate
        if person.phone_number:
            claims["phone_number"] = person.phone_number
        faults = set(self.faults)
        if "nonce" in faults:
            claims["nonce"] = secrets.token_urlsafe(16)
        if "expired" in faults:
            claims["iat"] = claims["auth_time"] = now - 3600
            claims["exp"] = now - 1800
        if "issuer" in faults:
            claims["iss"] = "https://vneid.example.invalid"
        if "audience" in faults:
            claims["aud"] = "someone-else"
        key = self.rogue_key if "signature" in faults else self.key
        return jose.sign(claims, key, kid=self.kid)

    def userinfo(self, bearer: str) -> dict[str, Any] | None:
        with self._lock:
            person = self._tokens.get(bearer)
        if person is None:
            return None
        return {"sub": person.sub, "name": person.name, "citizen_id": person.citizen_id}


class _OAuthError(Exception):
    def __init__(self, error: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.status = status


def _flat(qs: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(qs, keep_blank_values=True).items()}


_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VNeID (mô phỏng)</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem}}
button{{display:block;width:100%;margin:.4rem 0;padding:.7rem;font:inherit}}</style></head>
<body><h1>VNeID (mô phỏng)</h1>
<p>Ứng dụng <strong>{client}</strong> đề nghị xác thực danh tính của bạn. Chọn người dùng mẫu:</p>
<form method="post" action="/authorize">{hidden}{buttons}
<button type="submit" name="deny" value="1">Từ chối</button></form></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    sim: VneidSimulator
    server_version = "VNeIDSimulator/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: tests and demos read the app's logs, not ours

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict[str, Any], **headers: str) -> None:
        self._send(status, json.dumps(data).encode(), "application/json", **headers)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/plain", Location=location)

    def _finish(self, query: dict[str, str], person: DemoPerson | None) -> None:
        sep = "&" if "?" in query["redirect_uri"] else "?"
        if person is None:
            params = {"error": "access_denied", "state": query["state"]}
        else:
            params = {"code": self.sim.issue_code(query, person), "state": query["state"]}
        self._redirect(query["redirect_uri"] + sep + urlencode(params))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/.well-known/openid-configuration":
            self._json(200, self.sim.discovery())
        elif url.path == "/jwks":
            self._json(200, self.sim.jwks())
        elif url.path == "/authorize":
            self._authorize(_flat(url.query))
        elif url.path == "/userinfo":
            auth = self.headers.get("Authorization", "")
            info = self.sim.userinfo(auth[7:] if auth.startswith("Bearer ") else "")
            if info is None:
                self._json(401, {"error": "invalid_token"})
            else:
                self._json(200, info)
        else:
            self._json(404, {"error": "not_found"})

    def _authorize(self, query: dict[str, str]) -> None:
        problem = self.sim.check_authorize(query)
        if problem is not None:
            self._json(400, {"error": problem})
            return
        if "demo_person" in query:
            person = self.sim.person(query["demo_person"])
            if person is None:
                self._json(400, {"error": "unknown demo_person"})
                return
            self._finish(query, person)
            return
        keep = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                "code_challenge", "code_challenge_method")  # fmt: skip
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(query.get(k, ""))}">'
            for k in keep
        )
        buttons = "".join(
            f'<button type="submit" name="demo_person" value="{html.escape(p.citizen_id)}">'
            f"{html.escape(p.name)} · {html.escape(p.citizen_id)}</button>"
            for p in self.sim.people
        )
        page = _PAGE.format(client=html.escape(self.sim.client_id), hidden=hidden, buttons=buttons)
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = _flat(self.rfile.read(min(length, 65536)).decode("utf-8", "replace"))
        path = urlsplit(self.path).path
        if path == "/authorize":
            problem = self.sim.check_authorize(form)
            if problem is not None:
                self._json(400, {"error": problem})
            elif form.get("deny"):
                self._finish(form, None)
            else:
                person = self.sim.person(form.get("demo_person", ""))
                if person is None:
                    self._json(400, {"error": "unknown demo_person"})
                else:
                    self._finish(form, person)
        elif path == "/token":
            basic = None
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                try:
                    user, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                except ValueError:
                    user, secret = "", ""
                basic = (user, secret)
            try:
                self._json(200, self.sim.exchange(form, basic))
            except _OAuthError as exc:
                self._json(exc.status, {"error": exc.error})
        else:
            self._json(404, {"error": "not_found"})
