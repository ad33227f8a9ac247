"""A VNPay-like payment gateway simulator: a real HTTP server on 127.0.0.1 (no Django).

- ``POST /payments`` (JSON, signed by the merchant with the shared secret): creates a payment and
  answers ``{"payment_id", "payment_url"}``.
- ``GET /pay/<id>``: a tiny HTML page with "Thanh toán" and "Hủy" buttons.
- ``POST /pay/<id>`` (``decision=pay|cancel``): POSTs a signed server-to-server callback to the
  merchant's callback URL, then redirects the browser (303) to the merchant's return URL.

Tests drive it through ``PaygateSimulator`` (``complete`` triggers the callback directly,
``signed_callback`` builds one without sending it). ``manage.py run_paygate_simulator`` serves it
for demos.
"""

from __future__ import annotations

import html
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from motcua.integrations.paygate import signing

OUTCOMES = {"pay": "paid", "cancel": "cancelled", "fail": "failed"}


@dataclass
class SimPayment:
    id: str
    order_id: str
    amount: int
    description: str
    return_url: str
    callback_url: str
    status: str = "pending"
    transaction_id: str = ""


@dataclass
class SentCallback:
    body: bytes
    headers: dict[str, str]
    status: int  # the merchant's HTTP answer (0 when it could not be reached)
    answer: str


@dataclass
class PaygateSimulator:
    secret: str
    host: str = "127.0.0.1"
    port: int = 0
    payments: dict[str, SimPayment] = field(default_factory=dict)
    sent: list[SentCallback] = field(default_factory=list)
    created_requests: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> PaygateSimulator:
        server = ThreadingHTTPServer((self.host, self.port), _handler(self))
        server.daemon_threads = True
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def serve_forever(self) -> None:
        server = ThreadingHTTPServer((self.host, self.port), _handler(self))
        self.port = int(server.server_address[1])
        self._server = server
        server.serve_forever()

    # -- the gateway's behaviour --------------------------------------------------------------

    def create(self, data: dict[str, Any]) -> SimPayment:
        with self._lock:
            pid = f"SIM{next(self._ids):06d}"
            payment = SimPayment(
                id=pid,
                order_id=str(data["order_id"]),
                amount=int(data["amount"]),
                description=str(data.get("description", "")),
                return_url=str(data["return_url"]),
                callback_url=str(data["callback_url"]),
            )
            self.payments[pid] = payment
            self.created_requests += 1
        return payment

    def signed_callback(
        self,
        payment_id: str,
        decision: str = "pay",
        *,
        timestamp: int | None = None,
        transaction_id: str | None = None,
        secret: str | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The callback the gateway would send (body, headers), without sending it."""
        p = self.payments[payment_id]
        txn = transaction_id or p.transaction_id or f"TXN-{p.id}"
        fields = {
            "payment_id": p.id,
            "order_id": p.order_id,
            "transaction_id": txn,
            "amount": str(p.amount),
            "status": OUTCOMES[decision],
        }
        signed = signing.sign(
            fields,
            secret=self.secret if secret is None else secret,
            timestamp=int(time.time()) if timestamp is None else timestamp,
        )
        body = json.dumps(fields).encode()
        return body, {"Content-Type": "application/json", **signed.headers()}

    def complete(self, payment_id: str, decision: str = "pay") -> SentCallback:
        """Decide the payment and POST the signed callback to the merchant (server to server)."""
        p = self.payments[payment_id]
        p.status = OUTCOMES[decision]
        p.transaction_id = p.transaction_id or f"TXN-{p.id}"
        body, headers = self.signed_callback(payment_id, decision)
        return self.post_callback(p.callback_url, body, headers)

    def post_callback(self, url: str, body: bytes, headers: dict[str, str]) -> SentCallback:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) callback URL: {url!r}")
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310
                sent = SentCallback(body, headers, resp.status, resp.read().decode())
        except urllib.error.HTTPError as exc:
            sent = SentCallback(body, headers, exc.code, exc.read().decode())
        except OSError as exc:
            sent = SentCallback(body, headers, 0, str(exc))
        self.sent.append(sent)
        return sent


def _page(p: SimPayment) -> str:
    esc = html.escape
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cổng thanh toán (mô phỏng)</title></head><body>
<main><h1>Cổng thanh toán (mô phỏng)</h1>
<p>Đơn hàng <strong>{esc(p.order_id)}</strong>: {esc(p.description)}</p>
<p>Số tiền: <strong>{p.amount:,} đ</strong></p>
<p>Trạng thái: {esc(p.status)}</p>
<form method="post" action="/pay/{esc(p.id)}">
<button type="submit" name="decision" value="pay">Thanh toán</button>
<button type="submit" name="decision" value="cancel">Hủy</button>
</form></main></body></html>"""


def _handler(sim: PaygateSimulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "PaygateSimulator/1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: dict[str, Any]) -> None:
            self._send(status, json.dumps(data).encode(), "application/json")

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(min(length, 64_000))

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path.startswith("/pay/") and path[5:] in sim.payments:
                page = _page(sim.payments[path[5:]]).encode()
                self._send(200, page, "text/html; charset=utf-8")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            if path == "/payments":
                self._create()
            elif path.startswith("/pay/") and path[5:] in sim.payments:
                self._decide(path[5:])
            else:
                self._send(404, b"not found", "text/plain")

        def _create(self) -> None:
            try:
                data = json.loads(self._body())
                fields = {k: str(v) for k, v in data.items()}
                signing.verify(
                    fields, dict(self.headers.items()), secret=sim.secret, now=int(time.time())
                )
            except signing.SignatureError as exc:
                self._json(401, {"error": exc.reason})
                return
            except (ValueError, AttributeError):
                self._json(400, {"error": "bad_request"})
                return
            try:
                payment = sim.create(data)
            except (KeyError, ValueError):
                self._json(400, {"error": "bad_request"})
                return
            self._json(
                201, {"payment_id": payment.id, "payment_url": f"{sim.url}/pay/{payment.id}"}
            )

        def _decide(self, payment_id: str) -> None:
            form = parse_qs(self._body().decode("utf-8", "replace"))
            decision = (form.get("decision") or ["cancel"])[0]
            if decision not in ("pay", "cancel"):
                decision = "cancel"
            p = sim.payments[payment_id]
            if p.status == "pending":
                sim.complete(payment_id, decision)
            query = urlencode({"order_id": p.order_id, "status": p.status})
            sep = "&" if "?" in p.return_url else "?"
            self._send(303, b"", "text/plain", Location=f"{p.return_url}{sep}{query}")

    return Handler
