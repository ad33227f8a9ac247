"""Bad input on the public side (issue 4, "Done when"): a renamed executable, an oversized file,
a wrong tracking phone, guessed codes, a forged payment callback and a session that expires in
the middle of an application. Each gets a clear message, and nothing is lost or half-created:
the row counts (and the files on disk) are the same before and after."""

from __future__ import annotations

import io
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as dj_settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from motcua.audit.models import AuditEvent
from motcua.catalog.models import Procedure
from motcua.documents.models import StoredDocument
from motcua.dossiers.models import ClockPause, Dossier, DossierEvent
from motcua.dossiers.services import ActionIn, ApplicantIn, dossier_act, dossier_submit_online
from motcua.dossiers.workflow import Status
from motcua.integrations.models import OutboxMessage
from motcua.payments import services as payments
from motcua.payments.models import PaymentCallbackLog, PaymentRequest
from motcua.portal import tracking
from motcua.portal.models import ApplicationDraft

pytestmark = pytest.mark.django_db

CODE = "1.000001"  # world's procedure: two required components, a 200.000 đ fee
FORM, ID_CARD = "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp căn cước công dân"
PHONE = "0905123456"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 240  # a PE header
MODELS = (
    ApplicationDraft,
    StoredDocument,
    Dossier,
    DossierEvent,
    ClockPause,
    OutboxMessage,
    PaymentRequest,
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


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


def component_ids() -> dict[str, int]:
    version = Procedure.objects.get(code=CODE).current_version
    assert version is not None
    return {c.name: c.pk for c in version.components.all()}


def logged_in(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def csrf_token(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return str(page.context["csrf_token"])


def draft_at_step_3(client: Client, world: Any) -> ApplicationDraft:
    """Steps 1 and 2 through the pages."""
    case = Procedure.objects.get(code=CODE).current_version.cases.get()  # type: ignore[union-attr]
    r = client.post(f"/nop-ho-so/{CODE}/", {"case": case.pk, "agency": world.justice.code})
    assert r.status_code == 302
    draft = ApplicationDraft.objects.get(user=world.citizen)
    r = client.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-2/",
        {"name": "Nguyễn Thị Ánh Tuyết", "id_number": "066090004321", "phone": PHONE},
    )
    assert r.status_code == 302 and r["Location"].endswith("/buoc-3/")
    draft.refresh_from_db()
    return draft


def filed(world: Any) -> Dossier:
    return dossier_submit_online(
        actor=world.citizen,
        procedure_code=CODE,
        case=None,
        applicant=ApplicantIn(name="Nguyễn Thị Ánh Tuyết", id_number="066090004321", phone=PHONE),
    )


def asked_to_supplement(world: Any) -> Dossier:
    d = filed(world)
    dossier_act(actor=world.justice_clerk, code=d.code, action="accept")
    return dossier_act(
        actor=world.specialist,
        code=d.code,
        action="request_supplement",
        params=ActionIn(reason="Bản chụp căn cước bị mờ", components=[ID_CARD]),
    )


# -- wrong file types -----------------------------------------------------------------------------


def test_a_renamed_executable_is_refused_when_applying(world: Any, media: Path) -> None:
    client = logged_in(world.citizen)
    draft = draft_at_step_3(client, world)
    ids = component_ids()
    before, on_disk = counts(), files_in(media)
    r = client.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {f"file_{ids[ID_CARD]}": ContentFile(EXECUTABLE, name="cccd.pdf"), "next": "1"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    # The message names the problem and sits beside the component's own upload field.
    assert "tệp thực thi" in page and f'id="error-{ids[ID_CARD]}"' in page
    assert f'aria-describedby="error-{ids[ID_CARD]}"' in page
    assert counts() == before and files_in(media) == on_disk
    draft.refresh_from_db()
    assert draft.documents == {} and draft.step == 3 and draft.dossier is None


def test_a_renamed_executable_is_refused_when_supplementing(world: Any, media: Path) -> None:
    d = asked_to_supplement(world)
    client = logged_in(world.citizen)
    before, on_disk = counts(), files_in(media)
    r = client.post(
        f"/ho-so/{d.code}/bo-sung/",
        {"file_0": ContentFile(EXECUTABLE, name="can-cuoc.png"), "note": "Bản rõ hơn"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "tệp thực thi" in page and 'id="error-0"' in page
    assert counts() == before and files_in(media) == on_disk
    assert Dossier.objects.get(pk=d.pk).status == Status.AWAITING_SUPPLEMENT


# -- oversized files ------------------------------------------------------------------------------


def test_an_oversized_file_is_refused_with_both_sizes(
    world: Any, media: Path, settings: Any
) -> None:
    settings.MOTCUA_UPLOAD_MAX_BYTES = 4096
    client = logged_in(world.citizen)
    draft = draft_at_step_3(client, world)
    ids = component_ids()
    before, on_disk = counts(), files_in(media)
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 - 9)  # 10 KB exactly
    r = client.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/",
        {f"file_{ids[FORM]}": ContentFile(big, name="to-khai-lon.pdf"), "next": "1"},
    )
    assert r.status_code == 400
    assert "Tệp quá lớn: 10 KB &gt; 4 KB (tệp “to-khai-lon.pdf”)." in r.content.decode()
    assert counts() == before and files_in(media) == on_disk
    draft.refresh_from_db()
    assert draft.documents == {} and draft.step == 3

    # The same on the supplement page: nothing stored, the dossier still waits.
    d = asked_to_supplement(world)
    before, on_disk = counts(), files_in(media)
    r = client.post(f"/ho-so/{d.code}/bo-sung/", {"file_0": ContentFile(big, name="cccd.pdf")})
    assert r.status_code == 400 and "Tệp quá lớn" in r.content.decode()
    assert counts() == before and files_in(media) == on_disk
    assert Dossier.objects.get(pk=d.pk).status == Status.AWAITING_SUPPLEMENT


# -- tracking -------------------------------------------------------------------------------------


NOT_FOUND = "Không tìm thấy hồ sơ với mã và số điện thoại hoặc số giấy tờ này."


def test_a_wrong_tracking_phone_says_not_found_and_opens_nothing(
    world: Any, client: Client
) -> None:
    d = filed(world)
    wrong = client.post("/tra-cuu/", {"code": d.code, "contact": "0905999999"})
    assert wrong.status_code == 200 and NOT_FOUND in wrong.content.decode()
    # An unknown code gets exactly the same answer: no hint whether a code exists.
    unknown = client.post("/tra-cuu/", {"code": d.code[:-1] + "9", "contact": PHONE})
    assert unknown.status_code == 200 and NOT_FOUND in unknown.content.decode()
    # Nothing was remembered: the result page still asks for the code and phone.
    assert not tracking.is_tracked(client.session, d.code)
    r = client.get(f"/tra-cuu/{d.code}/")
    assert r.status_code == 302 and r["Location"] == f"/tra-cuu/?code={d.code}"
    # Empty fields are named, not guessed.
    empty = client.post("/tra-cuu/", {"code": "", "contact": ""})
    assert empty.status_code == 200 and empty.content.decode().count('class="errorlist"') == 2
    # The right pair still works.
    right = client.post("/tra-cuu/", {"code": d.code, "contact": PHONE})
    assert right.status_code == 302 and right["Location"].startswith("/tra-cuu/ket-qua/")
    token = right["Location"].removeprefix("/tra-cuu/ket-qua/").rstrip("/")
    assert tracking.token_code(token) == d.code


def test_guessing_codes_meets_the_rate_limit(world: Any, settings: Any) -> None:
    settings.MOTCUA_TRACK_MAX_ATTEMPTS = 5
    settings.MOTCUA_TRACK_WINDOW_SECONDS = 600
    d = filed(world)
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    prefix = d.code.rsplit("-", 1)[0]
    answers = [
        guesser.post("/tra-cuu/", {"code": f"{prefix}-{n:04d}", "contact": "0905000000"})
        for n in range(2, 9)
    ]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    assert "Bạn đã tra cứu quá 5 lần trong 10 phút" in answers[-1].content.decode()
    # While blocked even the right pair is refused (and not remembered) …
    right = guesser.post("/tra-cuu/", {"code": d.code, "contact": PHONE})
    assert right.status_code == 429 and not tracking.is_tracked(guesser.session, d.code)
    # … but another address is not.
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.post("/tra-cuu/", {"code": d.code, "contact": PHONE}).status_code == 302


# -- forged payment callback ----------------------------------------------------------------------


def test_a_forged_payment_callback_is_rejected_logged_and_changes_nothing(
    world: Any, paygate_simulator: Any
) -> None:
    d = filed(world)
    dossier_act(actor=world.justice_clerk, code=d.code, action="accept")
    dossier_act(actor=world.specialist, code=d.code, action="request_payment", params=ActionIn())
    payment = payments.payment_start(
        dossier=d,
        user=world.citizen,
        return_url="http://testserver" + reverse("payments:result"),
        callback_url="http://testserver" + reverse("payments:callback"),
    )
    before = counts()
    gateway = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.50")
    url = reverse("payments:callback")

    forged, headers = paygate_simulator.signed_callback(payment.gateway_payment_id, secret="guess")
    r = gateway.post(url, data=forged, content_type="application/json", headers=headers)
    assert r.status_code == 400 and r.json() == {"ok": False, "reason": "bad_signature"}

    # A genuine signature over another amount: the body no longer matches it.
    genuine, headers = paygate_simulator.signed_callback(payment.gateway_payment_id)
    tampered = genuine.replace(b'"200000"', b'"1000"')
    assert tampered != genuine
    r = gateway.post(url, data=tampered, content_type="application/json", headers=headers)
    assert r.status_code == 400 and r.json()["reason"] == "bad_signature"

    # Garbage is refused too.
    r = gateway.post(url, data=b"{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["reason"] == "malformed"

    logs = list(PaymentCallbackLog.objects.order_by("pk"))
    assert [(lg.outcome, lg.signature_ok, lg.reason) for lg in logs] == [
        ("rejected", False, "bad_signature"),
        ("rejected", False, "bad_signature"),
        ("rejected", False, "malformed"),
    ]
    assert logs[1].raw_body == tampered.decode() and logs[0].remote_addr == "192.0.2.50"
    payment.refresh_from_db()
    assert payment.status == "pending" and payment.paid_at is None
    assert Dossier.objects.get(pk=d.pk).status == Status.AWAITING_PAYMENT
    assert counts() == before
    assert not AuditEvent.objects.filter(action="payment.paid").exists()

    # The genuine callback is still accepted afterwards: nothing was used up by the forgeries.
    r = gateway.post(url, data=genuine, content_type="application/json", headers=headers)
    assert r.status_code == 200 and r.json() == {"ok": True}
    assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING


# -- an expired session in the middle of the application ------------------------------------------


def expire(client: Client) -> None:
    """The server forgets the session (as when it expires); the browser still sends its cookie."""
    key = client.cookies[dj_settings.SESSION_COOKIE_NAME].value
    engine = import_module(dj_settings.SESSION_ENGINE)
    engine.SessionStore(session_key=key).delete()


def test_an_expired_session_mid_form_sends_to_login_and_keeps_the_draft(
    world: Any, media: Path
) -> None:
    client = logged_in(world.citizen, csrf=True)
    step1 = f"/nop-ho-so/{CODE}/"
    token = csrf_token(client, step1)
    case = Procedure.objects.get(code=CODE).current_version.cases.get()  # type: ignore[union-attr]
    r = client.post(
        step1, {"csrfmiddlewaretoken": token, "case": case.pk, "agency": world.justice.code}
    )
    assert r.status_code == 302
    draft = ApplicationDraft.objects.get(user=world.citizen)
    step2 = f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-2/"
    r = client.post(
        step2,
        {
            "csrfmiddlewaretoken": token,
            "name": "Nguyễn Thị Ánh Tuyết",
            "id_number": "066090004321",
            "phone": PHONE,
        },
    )
    assert r.status_code == 302
    ids = component_ids()
    step3 = f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-3/"
    r = client.post(
        step3,
        {
            "csrfmiddlewaretoken": token,
            f"file_{ids[FORM]}": ContentFile(pdf_bytes(), name="to-khai.pdf"),
        },
    )
    assert r.status_code == 302
    draft.refresh_from_db()
    saved = (draft.step, draft.applicant, draft.documents, draft.updated_at)
    assert draft.documents == {str(ids[FORM]): [StoredDocument.objects.get().pk]}

    # The session expires while the citizen fills in step 3.
    expire(client)
    before, on_disk = counts(), files_in(media)
    r = client.post(
        step3,
        {
            "csrfmiddlewaretoken": token,
            f"file_{ids[ID_CARD]}": ContentFile(png_bytes(), name="cccd.png"),
            "next": "1",
        },
    )
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert f"next={step3}" in r["Location"].replace("%2F", "/")
    # The submit of step 4 too: no dossier from an anonymous request.
    r = client.post(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/", {"csrfmiddlewaretoken": token})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    login = client.get(r["Location"])
    assert login.status_code == 200 and "Đăng nhập" in login.content.decode()
    assert counts() == before and files_in(media) == on_disk
    draft.refresh_from_db()
    assert (draft.step, draft.applicant, draft.documents, draft.updated_at) == saved

    # Logged in again, the citizen finds the draft as it was and finishes it: one dossier.
    client.force_login(world.citizen)
    assert step3 in client.get("/nop-ho-so/ban-nhap/").content.decode()
    page = client.get(step3)
    assert "to-khai.pdf" in page.content.decode()
    token = str(page.context["csrf_token"])
    r = client.post(
        step3,
        {
            "csrfmiddlewaretoken": token,
            f"file_{ids[ID_CARD]}": ContentFile(png_bytes(), name="cccd.png"),
            "next": "1",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/buoc-4/")
    r = client.post(f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-4/", {"csrfmiddlewaretoken": token})
    assert r.status_code == 302 and r["Location"].endswith("/da-nop/")
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED and dossier.applicant_user == world.citizen
    assert StoredDocument.objects.filter(dossier=dossier).count() == 2
