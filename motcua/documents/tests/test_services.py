"""Storing uploads (real files on a real storage), the data store and reuse, with scoping."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEvent
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.documents.models import DocumentKind, StoredDocument
from motcua.documents.selectors import document_get, documents_of, documents_of_dossier
from motcua.documents.services import document_reuse, document_store
from motcua.documents.tests.conftest import image_bytes, pdf_bytes, stored_files

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def components(dossier: Any) -> list[Any]:
    return list(dossier.procedure_version.components.order_by("order"))


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("to-khai.pdf", pdf_bytes(), "application/pdf"),
        ("cccd.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("cccd.png", image_bytes("PNG"), "image/png"),
        ("anh-chup.pdf", image_bytes("PNG"), "image/png"),  # by content, not by name
    ],
)
def test_it_stores_a_valid_upload_with_its_checksum(
    world: Any, online_dossier: Any, media_root: Path, name: str, data: bytes, content_type: str
) -> None:
    doc = document_store(
        uploaded_file=upload(name, data),
        owner=world.citizen,
        uploaded_by=world.citizen,
        kind=DocumentKind.COMPONENT,
        dossier=online_dossier,
        component=components(online_dossier)[1],
    )
    doc.refresh_from_db()
    assert doc.original_name == name and doc.content_type == content_type
    assert doc.size == len(data) and doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.owner_identifier == world.citizen.id_number
    assert doc.uploaded_by == world.citizen and doc.title == "Bản chụp căn cước công dân"
    [path] = stored_files(media_root)
    assert path.read_bytes() == data and name not in path.name  # never the uploader's name
    assert path.suffix == "." + content_type.split("/")[1].replace("jpeg", "jpg")
    event = AuditEvent.objects.get(action="document.stored")
    assert event.subject_id == str(doc.pk) and event.data["after"]["sha256"] == doc.sha256


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "giay-to.pdf",
            b"MZ\x90\x00" + b"\x00" * 200,
            "Tệp “giay-to.pdf” không phải PDF/JPEG/PNG (nội dung là tệp thực thi).",
        ),
        ("giay-to.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "(nội dung là tệp thực thi)"),
        ("trong.pdf", b"", "Tệp “trong.pdf” rỗng (0 byte)."),
        ("lon.pdf", b"%PDF-1.4\n" + b"0" * 3000, "Tệp quá lớn: 3 KB > 2 KB (tệp “lon.pdf”)."),
    ],
)
def test_it_refuses_bad_uploads_and_stores_nothing(
    world: Any,
    online_dossier: Any,
    media_root: Path,
    settings: Any,
    name: str,
    data: bytes,
    message: str,
) -> None:
    settings.MOTCUA_UPLOAD_MAX_BYTES = 2048
    with pytest.raises(InvalidInput) as err:
        document_store(
            uploaded_file=upload(name, data),
            owner=world.citizen,
            uploaded_by=world.citizen,
            kind=DocumentKind.COMPONENT,
            dossier=online_dossier,
        )
    assert message in err.value.message and err.value.field == "file"
    assert not StoredDocument.objects.exists()
    assert stored_files(media_root) == []
    assert not AuditEvent.objects.filter(action__startswith="document.").exists()


def test_it_refuses_the_file_over_the_count(
    world: Any, online_dossier: Any, media_root: Path, settings: Any
) -> None:
    settings.MOTCUA_UPLOAD_MAX_FILES = 2
    for i in range(2):
        document_store(
            uploaded_file=upload(f"{i}.pdf", pdf_bytes(str(i))),
            owner=world.citizen,
            uploaded_by=world.citizen,
            kind=DocumentKind.COMPONENT,
            dossier=online_dossier,
        )
    with pytest.raises(InvalidInput, match="Hồ sơ đã có 2 tệp, tối đa 2 tệp") as err:
        document_store(
            uploaded_file=upload("3.pdf", pdf_bytes("3")),
            owner=world.citizen,
            uploaded_by=world.citizen,
            kind=DocumentKind.COMPONENT,
            dossier=online_dossier,
        )
    assert err.value.code == "too_many_files"
    assert StoredDocument.objects.count() == 2 and len(stored_files(media_root)) == 2


def test_it_keeps_people_out_of_other_data_stores_and_dossiers(
    world: Any, online_dossier: Any, alice: Any, media_root: Path
) -> None:
    with pytest.raises(PermissionDenied):  # alice storing into the citizen's data store
        document_store(
            uploaded_file=upload("a.pdf", pdf_bytes()),
            owner=world.citizen,
            uploaded_by=alice,
            kind=DocumentKind.OTHER,
        )
    with pytest.raises(NotFound):  # alice attaching to someone else's dossier
        document_store(
            uploaded_file=upload("a.pdf", pdf_bytes()),
            owner=alice,
            uploaded_by=alice,
            kind=DocumentKind.COMPONENT,
            dossier=online_dossier,
        )
    with pytest.raises(NotFound):  # an official of another agency
        document_store(
            uploaded_file=upload("a.pdf", pdf_bytes()),
            owner=world.citizen.id_number,
            uploaded_by=world.outsider,
            kind=DocumentKind.COMPONENT,
            dossier=online_dossier,
        )
    assert not StoredDocument.objects.exists() and stored_files(media_root) == []
    # The competent agency's clerk digitizes a component for the applicant.
    doc = document_store(
        uploaded_file=upload("scan.pdf", pdf_bytes()),
        owner=online_dossier.applicant_id_number,
        uploaded_by=world.justice_clerk,
        kind=DocumentKind.COMPONENT,
        dossier=online_dossier,
    )
    assert doc.owner_identifier == world.citizen.id_number
    assert list(documents_of(user=world.citizen)) == [doc]
    assert document_get(user=world.justice_clerk, pk=doc.pk) == doc
    for stranger in (world.outsider, alice):
        with pytest.raises(NotFound):
            document_get(user=stranger, pk=doc.pk)
        assert not documents_of_dossier(user=stranger, dossier=online_dossier).exists()
    assert list(documents_of(user=alice)) == []
    assert list(documents_of(user=world.outsider)) == []


def test_the_owner_reuses_a_data_store_document_in_a_new_dossier(
    world: Any, online_dossier: Any, media_root: Path, clock_at: Any
) -> None:
    from motcua.dossiers.services import ApplicantIn, dossier_submit_online

    kept = document_store(
        uploaded_file=upload("cccd.png", image_bytes("PNG")),
        owner=world.citizen,
        uploaded_by=world.citizen,
        kind=DocumentKind.OTHER,
        title="Căn cước công dân",
    )
    component = components(online_dossier)[1]
    reused = document_reuse(
        document=kept, dossier=online_dossier, component=component, user=world.citizen
    )
    assert reused.dossier == online_dossier and reused.reused_from == kept
    assert reused.file.name == kept.file.name and reused.sha256 == kept.sha256
    assert len(stored_files(media_root)) == 1  # no second copy of the bytes
    assert list(documents_of(user=world.citizen)) == [kept]  # listed once
    assert AuditEvent.objects.filter(action="document.reused").count() == 1
    with pytest.raises(Conflict):
        document_reuse(
            document=kept, dossier=online_dossier, component=component, user=world.citizen
        )
    # Reusing the reuse row goes back to the original, into another dossier.
    other = dossier_submit_online(
        actor=world.citizen,
        procedure_code="1.000001",
        case=None,
        applicant=ApplicantIn(name="Nguyễn Thị Ánh Tuyết", id_number="066090004321"),
    )
    again = document_reuse(
        document=reused, dossier=other, component=components(other)[1], user=world.citizen
    )
    assert again.reused_from == kept


def test_nobody_else_may_reuse_a_document(
    world: Any, online_dossier: Any, alice: Any, media_root: Path
) -> None:
    kept = document_store(
        uploaded_file=upload("cccd.png", image_bytes("PNG")),
        owner=world.citizen,
        uploaded_by=world.citizen,
        kind=DocumentKind.OTHER,
    )
    for stranger in (alice, world.justice_clerk, world.outsider):
        with pytest.raises(NotFound):
            document_reuse(document=kept, dossier=online_dossier, component=None, user=stranger)
    assert StoredDocument.objects.count() == 1


def test_an_expired_document_is_not_reused(
    world: Any, online_dossier: Any, media_root: Path
) -> None:
    import datetime as dt

    kept = document_store(
        uploaded_file=upload("cccd.png", image_bytes("PNG")),
        owner=world.citizen,
        uploaded_by=world.citizen,
        kind=DocumentKind.OTHER,
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2026, 3, 1),  # the clock is at 2026-03-02
    )
    with pytest.raises(InvalidInput, match="hết hiệu lực từ 01/03/2026"):
        document_reuse(document=kept, dossier=online_dossier, component=None, user=world.citizen)
    assert StoredDocument.objects.count() == 1
