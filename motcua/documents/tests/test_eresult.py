"""E-results: rendered with Vietnamese text, really signed (PAdES), verified in public without a
login, tampering detected, downloads scoped."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.test import Client
from pypdf import PdfReader

from motcua.audit.models import AuditEvent
from motcua.core.errors import Conflict, NotFound, PermissionDenied
from motcua.documents.models import DocumentKind, StoredDocument
from motcua.documents.selectors import documents_of, eresult_for
from motcua.documents.services import eresult_issue
from motcua.documents.tests.conftest import APPLICANT_ID, APPLICANT_NAME, APPLICANT_PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def eresult(world: Any, settled_dossier: Any) -> StoredDocument:
    return eresult_issue(dossier=settled_dossier, actor=world.leader)


def verify_path(doc: StoredDocument) -> str:
    return f"/xac-thuc/{doc.verify_token}/"


def test_it_issues_a_signed_pdf_into_the_applicants_data_store(
    world: Any, settled_dossier: Any, eresult: StoredDocument, signing_pair: tuple[Path, Path]
) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    assert eresult.kind == DocumentKind.ERESULT and eresult.dossier == settled_dossier
    assert eresult.owner_identifier == APPLICANT_ID
    assert list(documents_of(user=world.citizen)) == [eresult]
    assert eresult_for(user=world.citizen, dossier=settled_dossier) == eresult
    assert AuditEvent.objects.filter(action="document.eresult_issued").count() == 1

    data = eresult.file.read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert APPLICANT_NAME in text and settled_dossier.code in text
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in text
    assert f"https://dichvucong.example.vn/xac-thuc/{eresult.verify_token}/" in text

    pem = x509.load_pem_x509_certificate(signing_pair[1].read_bytes())
    root = asn1_x509.Certificate.load(pem.public_bytes(serialization.Encoding.DER))
    [signature] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line


def test_only_a_settled_dossier_gets_one_e_result(
    world: Any, online_dossier: Any, settled_dossier: Any, alice: Any
) -> None:
    with pytest.raises(PermissionDenied):
        eresult_issue(dossier=settled_dossier, actor=world.citizen)
    with pytest.raises(NotFound):
        eresult_issue(dossier=settled_dossier, actor=world.outsider)
    eresult_issue(dossier=settled_dossier, actor=world.leader)
    with pytest.raises(Conflict, match="already issued"):
        eresult_issue(dossier=settled_dossier, actor=world.justice_clerk)
    assert StoredDocument.objects.filter(kind=DocumentKind.ERESULT).count() == 1


def test_an_open_dossier_has_no_e_result(world: Any, online_dossier: Any) -> None:
    with pytest.raises(Conflict, match="must be settled"):
        eresult_issue(dossier=online_dossier, actor=world.justice_clerk)
    assert not StoredDocument.objects.exists()


def test_the_verification_page_needs_no_login_and_shows_only_what_is_intended(
    eresult: StoredDocument, settled_dossier: Any
) -> None:
    response = Client().get(verify_path(eresult))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hợp lệ" in page and "Không hợp lệ" not in page
    assert settled_dossier.code in page
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in page
    assert "Nguyễn T** Á** T****" in page
    assert "Khớp với bản đã lưu" in page
    # Nothing more: not the full name, the ID number, the phone, the result, nor a download.
    for secret in (APPLICANT_NAME, "Ánh Tuyết", APPLICANT_ID, APPLICANT_PHONE, "123/LLTP"):
        assert secret not in page
    assert "tai-ve" not in page and str(eresult.file.name) not in page
    assert response["Cache-Control"] == "no-store"


def test_tampering_with_the_stored_file_makes_the_page_say_invalid(
    eresult: StoredDocument, media_root: Path
) -> None:
    path = media_root / str(eresult.file.name)
    data = bytearray(path.read_bytes())
    at = data.index(b"/Title")
    data[at + 8] ^= 0x01  # one bit of the document information, inside the signed range
    path.write_bytes(bytes(data))
    page = Client().get(verify_path(eresult)).content.decode()
    assert "Không hợp lệ" in page
    assert "Không khớp" in page  # the checksum
    assert re.search(r"Chữ ký số</dt>\s*<dd>Không hợp lệ", page)


def test_a_re_signed_forgery_with_the_right_checksum_still_fails_the_signature(
    eresult: StoredDocument, media_root: Path
) -> None:
    """Someone who can write the storage and the row: the checksum agrees, the signature not."""
    path = media_root / str(eresult.file.name)
    data = bytearray(path.read_bytes())
    at = data.index(b"/Title")
    data[at + 8] ^= 0x01
    path.write_bytes(bytes(data))
    StoredDocument.objects.filter(pk=eresult.pk).update(sha256=hashlib.sha256(data).hexdigest())
    page = Client().get(verify_path(eresult)).content.decode()
    assert "Khớp với bản đã lưu" in page
    assert "Không hợp lệ" in page


def test_an_unknown_token_is_a_404_and_guessing_is_rate_limited(eresult: StoredDocument) -> None:
    client = Client()
    assert client.get("/xac-thuc/khong-co-ma-nay-1234/").status_code == 404
    assert client.get("/xac-thuc/%3Cscript%3E/").status_code == 404
    statuses = [client.get(f"/xac-thuc/guess-{i:016d}/").status_code for i in range(40)]
    assert statuses[-1] == 429 and 404 in statuses


def test_the_download_is_for_the_owner_and_the_agency_only(
    world: Any, eresult: StoredDocument, alice: Any
) -> None:
    path = f"/tai-lieu/{eresult.pk}/tai-ve/"
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in (world.citizen, world.justice_clerk):
        client = Client()
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for stranger in (alice, world.outsider):
        client = Client()
        client.force_login(stranger)
        assert client.get(path).status_code == 404
