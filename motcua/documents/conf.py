"""This app's settings: a Django setting wins, then the environment, then the default.

(The lead may move these into ``config/settings/base.py``; reading them here keeps the app
self-contained meanwhile.)
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from motcua.documents.validation import DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES


def _get(name: str) -> str | None:
    value = getattr(settings, name, None)
    if value is not None and value != "":
        return str(value)
    return os.environ.get(name) or None


def upload_max_bytes() -> int:
    return int(_get("MOTCUA_UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES)


def upload_max_files() -> int:
    return int(_get("MOTCUA_UPLOAD_MAX_FILES") or DEFAULT_MAX_FILES)


def public_base_url() -> str:
    """Where the public portal is reached (the QR code of an e-result points there)."""
    return (_get("MOTCUA_PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")


def signing_files() -> tuple[Path, Path, bool]:
    """``(key, certificate, generate_if_missing)``. When neither file is configured, a demo
    self-signed pair under ``var/signing/`` is generated on first use; configured files must
    exist."""
    key, cert = _get("MOTCUA_SIGNING_KEY_FILE"), _get("MOTCUA_SIGNING_CERT_FILE")
    if key and cert:
        return Path(key), Path(cert), False
    var_dir = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var"))
    return var_dir / "signing" / "eresult-key.pem", var_dir / "signing" / "eresult-cert.pem", True


def signing_key_passphrase() -> bytes | None:
    value = _get("MOTCUA_SIGNING_KEY_PASSPHRASE")
    return value.encode() if value else None
