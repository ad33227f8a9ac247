"""Documents tests: files go to a temporary MEDIA_ROOT; e-results are signed with a demo key
generated once per session into a temporary directory."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers.tests import conftest as dossier_fixtures

# The dossier tests' small province and clock, shared.
world = dossier_fixtures.world
clock_at = dossier_fixtures.clock_at

APPLICANT_NAME = "Nguyễn Thị Ánh Tuyết"
APPLICANT_ID = "066090004321"  # world.citizen's citizen ID
APPLICANT_PHONE = "0905123456"


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from motcua.documents.signing import generate_demo_pair

    directory = tmp_path_factory.mktemp("signing")
    key, cert = directory / "key.pem", directory / "cert.pem"
    generate_demo_pair(key, cert)
    return key, cert


@pytest.fixture(autouse=True)
def _media_and_signing(settings: Any, tmp_path: Path, signing_pair: tuple[Path, Path]) -> Path:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    settings.MOTCUA_SIGNING_KEY_FILE = str(signing_pair[0])
    settings.MOTCUA_SIGNING_CERT_FILE = str(signing_pair[1])
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.example.vn"
    return media


@pytest.fixture
def media_root(_media_and_signing: Path) -> Path:
    return _media_and_signing


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def pdf_bytes(text: str = "Bản chụp căn cước") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, text.encode("ascii", "ignore").decode())
    c.save()
    return buffer.getvalue()


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def online_dossier(world: Any, clock_at: Any) -> Any:
    """An online dossier of ``world.citizen`` (status 1)."""
    from motcua.dossiers.services import ApplicantIn, dossier_submit_online

    clock_at("2026-03-02 08:00")
    return dossier_submit_online(
        actor=world.citizen,
        procedure_code="1.000001",
        case=None,
        applicant=ApplicantIn(name=APPLICANT_NAME, id_number=APPLICANT_ID, phone=APPLICANT_PHONE),
    )


@pytest.fixture
def settled_dossier(world: Any, online_dossier: Any, clock_at: Any) -> Any:
    from motcua.dossiers.services import ActionIn, dossier_act

    clock_at("2026-03-02 09:00")
    d = dossier_act(actor=world.justice_clerk, code=online_dossier.code, action="accept")
    clock_at("2026-03-03 10:00")
    return dossier_act(
        actor=world.leader,
        code=d.code,
        action="settle",
        params=ActionIn(result="Cấp Phiếu lý lịch tư pháp số 123/LLTP cho bà Nguyễn Thị Ánh Tuyết"),
    )
