"""Applying online (/nop-ho-so/): the steps, uploads checked by content and size, reuse from the
data store, the review's missing components, drafts kept and resumed, one dossier per draft."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.documents.models import StoredDocument
from motcua.documents.services import document_store
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.integrations.models import OutboxMessage
from motcua.portal import drafts
from motcua.portal.models import ApplicationDraft

pytestmark = pytest.mark.django_db

CODE = "1.000001"
FORM, ID_CARD = "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp căn cước công dân"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def pdf_bytes(text: str = "To khai") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, text)
    c.save()
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> ContentFile[bytes]:
    return ContentFile(content, name=name)


def component_ids() -> dict[str, int]:
    version = Procedure.objects.get(code=CODE).current_version
    assert version is not None
    return {c.name: c.pk for c in version.components.all()}


@pytest.fixture
def citizen(world: Any) -> Client:
    client = Client()
    client.force_login(world.citizen)
    return client


def start(client: Client, world: Any) -> ApplicationDraft:
    """Steps 1 and 2 through the pages; returns the draft."""
    page = client.get(f"/nop-ho-so/{CODE}/")
    assert page.status_code == 200
    assert "Bước 1" in page.content.decode()
    version = Procedure.objects.get(code=CODE).current_version
    assert version is not None
    case = version.cases.get()
    r = client.post(f"/nop-ho-so/{CODE}/", {"case": case.pk, "agency": world.justice.code})
    draft = ApplicationDraft.objects.get(user=world.citizen)
    assert r.status_code == 302 and r["Location"] == f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-2/"
    page = client.get(r["Location"])
    assert "Nguyễn Thị Ánh Tuyết" in page.content.decode()  # prefilled from the account
    assert "066090004321" in page.content.decode()
    r = client.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-2/",
        {
            "name": "Nguyễn Thị Ánh Tuyết",
            "id_number": "066090004321",
            "phone": "0905 123 456",
            "email": "tuyet@example.vn",
            "address": "12 Lê Duẩn",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/buoc-3/")
    draft.refresh_from_db()
    assert draft.step == 3 and draft.applicant["phone"] == "0905 123 456"
    return draft


def test_it_files_a_dossier_online_with_real_pdf_and_png(citizen: Client, world: Any) -> None:
    draft = start(citizen, world)
    ids = component_ids()
    r = citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {
            f"file_{ids[FORM]}": upload("to-khai.pdf", pdf_bytes()),
            f"file_{ids[ID_CARD]}": upload("cccd.png", png_bytes()),
            "next": "1",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/buoc-4/")
    review = citizen.get(r["Location"]).content.decode()
    assert "to-khai.pdf" in review and "cccd.png" in review and "chưa thể nộp" not in review

    r = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/")
    assert r.status_code == 302 and r["Location"] == f"/nop-ho-so/ban-nhap/{draft.pk}/da-nop/"
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED and dossier.applicant_user == world.citizen
    assert dossier.applicant_email == "tuyet@example.vn"
    done = citizen.get(r["Location"]).content.decode()
    assert dossier.code in done and "Các bước tiếp theo" in done
    attached = StoredDocument.objects.filter(dossier=dossier).order_by("component__order")
    assert [(d.component_id, d.content_type) for d in attached] == [
        (ids[FORM], "application/pdf"),
        (ids[ID_CARD], "image/png"),
    ]
    assert all(d.reused_from is not None for d in attached)  # same files as the draft's uploads
    assert set(dossier.components.values_list("component_id", flat=True)) == set(ids.values())
    draft.refresh_from_db()
    assert draft.dossier == dossier
    mail = OutboxMessage.objects.get(system="email", dossier_id=dossier.pk)
    assert mail.payload["template"] == "submitted" and mail.payload["to"] == "tuyet@example.vn"
    # The tracking code is on the applicant's own dossier page too.
    assert citizen.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 200


def test_it_reuses_a_data_store_document(citizen: Client, world: Any) -> None:
    kept = document_store(
        uploaded_file=upload("cccd.pdf", pdf_bytes("CCCD")),
        owner=world.citizen,
        uploaded_by=world.citizen,
        kind="component",
        title="Căn cước công dân",
    )
    draft = start(citizen, world)
    ids = component_ids()
    page = citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/").content.decode()
    assert "dùng lại tài liệu đã có" in page and "Căn cước công dân" in page
    r = citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {
            f"reuse_{ids[ID_CARD]}": str(kept.pk),
            f"file_{ids[FORM]}": upload("to-khai.pdf", pdf_bytes()),
            "next": "1",
        },
    )
    assert r.status_code == 302
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/")
    dossier = Dossier.objects.get()
    reused = StoredDocument.objects.get(dossier=dossier, component_id=ids[ID_CARD])
    assert reused.reused_from == kept and reused.file.name == kept.file.name


def test_it_refuses_a_renamed_executable_and_keeps_the_draft(citizen: Client, world: Any) -> None:
    draft = start(citizen, world)
    ids = component_ids()
    before = StoredDocument.objects.count()
    r = citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {
            f"file_{ids[FORM]}": upload("to-khai.pdf", pdf_bytes()),
            f"file_{ids[ID_CARD]}": upload("cccd.pdf", b"MZ\x90\x00" + b"\x00" * 200),
            "next": "1",
        },
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "tệp thực thi" in page and f'id="error-{ids[ID_CARD]}"' in page
    draft.refresh_from_db()
    # The good file was kept, the executable left nothing behind; the draft is still there.
    assert list(draft.documents) == [str(ids[FORM])]
    assert StoredDocument.objects.count() == before + 1
    assert draft.step == 3 and draft.dossier is None


def test_it_refuses_an_oversized_file(citizen: Client, world: Any, settings: Any) -> None:
    settings.MOTCUA_UPLOAD_MAX_BYTES = 2048
    draft = start(citizen, world)
    ids = component_ids()
    r = citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {f"file_{ids[FORM]}": upload("lon.pdf", b"%PDF-1.4\n" + b"0" * 3000)},
    )
    assert r.status_code == 400
    assert "Tệp quá lớn: 3 KB &gt; 2 KB (tệp “lon.pdf”)." in r.content.decode()
    assert not StoredDocument.objects.exists()
    draft.refresh_from_db()
    assert draft.documents == {}


def test_it_names_the_missing_required_component_on_review(citizen: Client, world: Any) -> None:
    draft = start(citizen, world)
    ids = component_ids()
    citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {f"file_{ids[FORM]}": upload("to-khai.pdf", pdf_bytes()), "next": "1"},
    )
    page = citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/").content.decode()
    assert f"Thiếu thành phần bắt buộc: {ID_CARD}." in page
    r = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/")
    assert r.status_code == 400 and ID_CARD in r.content.decode()
    assert not Dossier.objects.exists()
    draft.refresh_from_db()
    assert draft.dossier is None


def test_it_never_creates_two_dossiers_for_one_draft(citizen: Client, world: Any) -> None:
    draft = start(citizen, world)
    ids = component_ids()
    citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {
            f"file_{ids[FORM]}": upload("a.pdf", pdf_bytes()),
            f"file_{ids[ID_CARD]}": upload("b.png", png_bytes()),
            "next": "1",
        },
    )
    first = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/")
    again = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/")  # double click / retry
    assert first["Location"] == again["Location"] == f"/nop-ho-so/ban-nhap/{draft.pk}/da-nop/"
    dossier = Dossier.objects.get()
    assert drafts.draft_submit(user=world.citizen, pk=draft.pk) == dossier
    assert StoredDocument.objects.filter(dossier=dossier).count() == 2
    # Every step of a submitted draft leads to its result.
    assert citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/")["Location"].endswith("/da-nop/")


def test_a_failure_while_attaching_files_leaves_no_dossier(citizen: Client, world: Any) -> None:
    """Creating the dossier, attaching the files and closing the draft are one transaction."""
    from motcua.documents.models import StoredDocument as Doc

    draft = start(citizen, world)
    ids = component_ids()
    citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {
            f"file_{ids[FORM]}": upload("a.pdf", pdf_bytes()),
            f"file_{ids[ID_CARD]}": upload("b.png", png_bytes()),
            "next": "1",
        },
    )
    # A document of the draft belongs to someone else by now: reuse refuses it.
    Doc.objects.filter(owner_identifier__isnull=False).update(owner_identifier="001099000001")
    from motcua.core.errors import NotFound, PermissionDenied

    with pytest.raises((PermissionDenied, NotFound)):
        drafts.draft_submit(user=world.citizen, pk=draft.pk)
    assert not Dossier.objects.exists()
    draft.refresh_from_db()
    assert draft.dossier is None


def test_it_keeps_drafts_to_resume(citizen: Client, world: Any) -> None:
    draft = start(citizen, world)
    listing = citizen.get("/nop-ho-so/ban-nhap/").content.decode()
    assert f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/" in listing
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in listing
    # A later step than reached leads back to the step to do.
    r = citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/")
    assert r.status_code == 302 and r["Location"].endswith("/buoc-3/")
    # Earlier steps stay editable with what was saved.
    page = citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-2/").content.decode()
    assert "12 Lê Duẩn" in page


def test_it_refuses_bad_applicant_details(citizen: Client, world: Any) -> None:
    start(citizen, world)
    draft = ApplicationDraft.objects.get()
    r = citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-2/",
        {"name": "  ", "id_number": "123", "phone": "abc"},
    )
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    draft.refresh_from_db()
    assert draft.applicant["phone"] == "0905 123 456"  # unchanged


def test_it_explains_a_procedure_without_online_level(citizen: Client, world: Any) -> None:
    version = Procedure.objects.get(code="1.000002").current_version
    assert version is not None
    ProcedureVersion.objects.filter(pk=version.pk).update(online_level="none")
    r = citizen.get("/nop-ho-so/1.000002/")
    assert r.status_code == 404
    assert "chưa được nộp trực tuyến" in r.content.decode()
    assert citizen.get("/nop-ho-so/9.999999/").status_code == 404
    assert not ApplicationDraft.objects.exists()


def test_it_sends_an_anonymous_visitor_to_log_in(client: Client, world: Any) -> None:
    r = client.get(f"/nop-ho-so/{CODE}/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/") and f"next=/nop-ho-so/{CODE}/" in r[
        "Location"
    ].replace("%2F", "/")


def test_it_lets_only_citizens_and_businesses_apply(world: Any) -> None:
    client = Client()
    client.force_login(world.clerk)
    r = client.get(f"/nop-ho-so/{CODE}/")
    assert r.status_code == 403 and "công dân hoặc doanh nghiệp" in r.content.decode()


def test_another_citizen_cannot_see_or_change_the_draft(
    citizen: Client, world: Any, alice: Any
) -> None:
    draft = start(citizen, world)
    other = Client()
    other.force_login(alice)
    for step in (1, 2, 3, 4):
        assert other.get(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-{step}/").status_code == 404
    assert other.post(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/").status_code == 404
    assert other.get(f"/nop-ho-so/ban-nhap/{draft.pk}/da-nop/").status_code == 404
    assert f"/ban-nhap/{draft.pk}/" not in other.get("/nop-ho-so/ban-nhap/").content.decode()
    with pytest.raises(Exception, match="nháp"):
        drafts.draft_submit(user=alice, pk=draft.pk)
    assert not Dossier.objects.exists()
