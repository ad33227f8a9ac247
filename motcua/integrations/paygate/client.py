"""Our HTTP client for the payment gateway (HTTP only: no database, no domain rules)."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from motcua.integrations.paygate import signing

TIMEOUT_SECONDS = 10


class GatewayError(Exception):
    """The gateway could not be reached or refused the request."""


@dataclass(frozen=True)
class GatewayPayment:
    payment_id: str
    payment_url: str


def gateway_url() -> str:
    url = getattr(settings, "MOTCUA_PAYGATE_URL", "") or os.environ.get("MOTCUA_PAYGATE_URL", "")
    return str(url).rstrip("/")


def gateway_secret() -> str:
    secret = getattr(settings, "MOTCUA_PAYGATE_SECRET", "") or os.environ.get(
        "MOTCUA_PAYGATE_SECRET", ""
    )
    return str(secret)


def create_payment(
    *, order_id: str, amount_vnd: int, description: str, return_url: str, callback_url: str
) -> GatewayPayment:
    base, secret = gateway_url(), gateway_secret()
    if not base or not secret:
        raise GatewayError("MOTCUA_PAYGATE_URL and MOTCUA_PAYGATE_SECRET are not configured")
    if not base.startswith(("http://", "https://")):
        raise GatewayError("MOTCUA_PAYGATE_URL must be an http(s) URL")
    fields = {
        "order_id": order_id,
        "amount": str(amount_vnd),
        "description": description,
        "return_url": return_url,
        "callback_url": callback_url,
    }
    signed = signing.sign(fields, secret=secret, timestamp=int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        f"{base}/payments",
        data=json.dumps(fields).encode(),
        headers={"Content-Type": "application/json", **signed.headers()},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as resp:  # noqa: S310
            data: Any = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"the gateway answered HTTP {exc.code}") from exc
    except (OSError, ValueError) as exc:
        raise GatewayError(f"the gateway is unreachable: {exc}") from exc
    try:
        return GatewayPayment(str(data["payment_id"]), str(data["payment_url"]))
    except (KeyError, TypeError) as exc:
        raise GatewayError("the gateway's answer lacks payment_id or payment_url") from exc
