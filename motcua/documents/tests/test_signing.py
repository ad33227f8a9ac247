"""The signing key: a demo pair generated on first use, a configured one never replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.documents.signing import check_pdf, material, sign_pdf
from motcua.documents.tests.conftest import pdf_bytes


def test_it_generates_a_demo_pair_once_when_none_is_configured(
    settings: Any, tmp_path: Path
) -> None:
    settings.MOTCUA_SIGNING_KEY_FILE = ""
    settings.MOTCUA_SIGNING_CERT_FILE = ""
    settings.VAR_DIR = tmp_path
    first = material()
    key = tmp_path / "signing" / "eresult-key.pem"
    assert key.is_file() and (key.stat().st_mode & 0o077) == 0  # private to the owner
    assert material().cert.dump() == first.cert.dump()  # reused, not regenerated
    signed = sign_pdf(pdf_bytes(), reason="thử", location="Đắk Lắk")
    assert check_pdf(signed).ok
    assert not check_pdf(pdf_bytes()).present  # unsigned
    assert not check_pdf(b"%PDF-garbage").ok


def test_a_configured_but_missing_key_is_an_error(settings: Any, tmp_path: Path) -> None:
    settings.MOTCUA_SIGNING_KEY_FILE = str(tmp_path / "nope-key.pem")
    settings.MOTCUA_SIGNING_CERT_FILE = str(tmp_path / "nope-cert.pem")
    with pytest.raises(ImproperlyConfigured, match=r"nope-key\.pem"):
        material()
    assert not (tmp_path / "nope-key.pem").exists()
