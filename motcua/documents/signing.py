"""The e-result signing key and certificate, and PAdES signing/validation with pyHanko.

A real deployment points ``MOTCUA_SIGNING_KEY_FILE`` / ``MOTCUA_SIGNING_CERT_FILE`` at the
agency's key and certificate (PEM). Without them a **demo** self-signed RSA pair is generated
into ``var/signing/`` on first use; it is its own trust root, so the verification page can say
"valid", but it proves nothing outside this instance.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured

from motcua.documents import conf

_lock = threading.Lock()
_cache: dict[tuple[str, str, float, float], Material] = {}


@dataclass(frozen=True)
class Material:
    key: asn1_keys.PrivateKeyInfo
    cert: asn1_x509.Certificate


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko says about the first signature of a PDF."""

    present: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.present and self.intact and self.valid and self.trusted and self.whole_file


def generate_demo_pair(key_path: Path, cert_path: Path) -> None:
    """Write a self-signed RSA-2048 key and certificate (10 years), atomically: a concurrent
    process either finds both files or writes its own pair and keeps the winner's."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "motcua — chứng thư ký số thử nghiệm"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    # The certificate is written last: its presence means the pair is complete.
    for path, data, mode in ((key_path, key_pem, 0o600), (cert_path, cert_pem, 0o644)):
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            os.fchmod(fd, mode)
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)


def material() -> Material:
    key_path, cert_path, generate = conf.signing_files()
    with _lock:
        if not (key_path.is_file() and cert_path.is_file()):
            if not generate:
                raise ImproperlyConfigured(
                    f"E-result signing: {key_path} or {cert_path} does not exist "
                    "(MOTCUA_SIGNING_KEY_FILE / MOTCUA_SIGNING_CERT_FILE)."
                )
            generate_demo_pair(key_path, cert_path)
        cache_key = (
            str(key_path),
            str(cert_path),
            key_path.stat().st_mtime,
            cert_path.stat().st_mtime,
        )
        found = _cache.get(cache_key)
        if found is None:
            found = _load(key_path, cert_path)
            _cache.clear()
            _cache[cache_key] = found
        return found


def _load(key_path: Path, cert_path: Path) -> Material:
    private = serialization.load_pem_private_key(
        key_path.read_bytes(), password=conf.signing_key_passphrase()
    )
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    der_key = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return Material(
        key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
    )


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Sign ``pdf`` (PAdES baseline B, SHA-256) with the configured key."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    m = material()
    signer = signers.SimpleSigner(
        signing_cert=m.cert,
        signing_key=m.key,
        cert_registry=SimpleCertificateStore.from_certs([m.cert]),  # type: ignore[no-untyped-call]
    )
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


def check_pdf(data: bytes) -> SignatureCheck:
    """Validate the first signature of ``data`` against the signing certificate as trust root.

    Never raises on bad input: a damaged or unsigned file gives ``ok == False``.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return SignatureCheck(present=False)
        status: Any = validate_pdf_signature(
            signatures[0], ValidationContext(trust_roots=[material().cert])
        )
    except Exception as exc:
        return SignatureCheck(present=True, error=f"{type(exc).__name__}: {exc}"[:300])
    from pyhanko.sign.validation.status import SignatureCoverageLevel as Coverage

    return SignatureCheck(
        present=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == Coverage.ENTIRE_FILE,
        signer=str(status.signing_cert.subject.human_friendly),
        signed_at=status.signer_reported_dt,
    )
