"""Answering a supplement request online (/ho-so/<code>/bo-sung/): from the request to
processing, refused files with nothing half-written, and only the applicant may act."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from motcua.documents.models import StoredDocument
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ActionIn, ApplicantIn, dossier_act, dossier_submit_online
from motcua.dossiers.workflow import Status
from motcua.portal import tracking

pytestmark = pytest.mark.django_db

ID_CARD = "Bản chụp căn cước công dân"
REASON = "Bản chụp căn cước bị mờ, không đọc được số định danh"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, "CCCD")
    c.save()
    return buffer.getvalue()


@pytest.fixture
def asked(world: Any, clock_at: Any) -> Dossier:
    """An online dossier of ``world.citizen``, accepted, then asked for a clearer ID card."""
    clock_at("2026-03-02 08:00")
    d = dossier_submit_online(
        actor=world.citizen,
        procedure_code="1.000001",
        case=None,
        applicant=ApplicantIn(
            name="Nguyễn Thị Ánh Tuyết", id_number="066090004321", phone="0905123456"
        ),
    )
    dossier_act(actor=world.justice_clerk, code=d.code, action="accept")
    clock_at("2026-03-03 09:00")
    dossier_act(
        actor=world.specialist,
        code=d.code,
        action="request_supplement",
        params=ActionIn(reason=REASON, components=[ID_CARD]),
    )
    d.refresh_from_db()
    assert d.status == Status.AWAITING_SUPPLEMENT
    return d


@pytest.fixture
def citizen(world: Any) -> Client:
    client = Client()
    client.force_login(world.citizen)
    return client


def test_it_answers_a_supplement_request_online(citizen: Client, asked: Dossier) -> None:
    url = f"/ho-so/{asked.code}/bo-sung/"
    page = citizen.get(url).content.decode()
    assert REASON in page and ID_CARD in page
    r = citizen.post(url, {"file_0": ContentFile(pdf_bytes(), name="cccd-ro.pdf"), "note": ""})
    assert r.status_code == 302 and r["Location"] == f"/ho-so-cua-toi/{asked.code}/"
    asked.refresh_from_db()
    assert asked.status == Status.PROCESSING
    doc = StoredDocument.objects.get(dossier=asked)
    assert doc.component is not None and doc.component.name == ID_CARD
    assert doc.content_type == "application/pdf"
    assert asked.events.filter(action="supplement").exists()
    # Nothing more to supplement now.
    again = citizen.get(url).content.decode()
    assert "không cần bổ sung" in again


def test_it_refuses_a_renamed_executable_and_writes_nothing(
    citizen: Client, asked: Dossier
) -> None:
    r = citizen.post(
        f"/ho-so/{asked.code}/bo-sung/",
        {"file_0": ContentFile(b"\x7fELF\x02\x01\x01" + b"\x00" * 100, name="cccd.pdf")},
    )
    assert r.status_code == 400 and "tệp thực thi" in r.content.decode()
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_SUPPLEMENT
    assert not StoredDocument.objects.filter(dossier=asked).exists()


def test_it_asks_for_a_file(citizen: Client, asked: Dossier) -> None:
    r = citizen.post(f"/ho-so/{asked.code}/bo-sung/", {"note": "đã gửi"})
    assert r.status_code == 400 and "ít nhất một tệp" in r.content.decode()
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_SUPPLEMENT


def test_another_citizen_cannot_see_or_answer(asked: Dossier, alice: Any) -> None:
    other = Client()
    other.force_login(alice)
    url = f"/ho-so/{asked.code}/bo-sung/"
    assert other.get(url).status_code == 404
    r = other.post(url, {"file_0": ContentFile(pdf_bytes(), name="x.pdf")})
    assert r.status_code == 404
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_SUPPLEMENT
    assert not StoredDocument.objects.filter(dossier=asked).exists()


def test_a_tracked_visitor_is_asked_to_log_in(client: Client, asked: Dossier) -> None:
    url = f"/ho-so/{asked.code}/bo-sung/"
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    session = client.session
    tracking.remember(session, asked.code)
    session.save()
    r = client.get(url)
    assert r.status_code == 401
    page = r.content.decode()
    assert "đăng nhập" in page and "/accounts/login/?next=" in page
