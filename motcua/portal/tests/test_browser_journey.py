"""Issue 4's whole promise in Debian's Chromium, on the demo province: a citizen on a phone
(390×844) logs in → searches without diacritics → opens a procedure filed online → applies with
a real PDF and PNG → gets the tracking code; officials on desktops accept it, ask for a
supplement (answered online with a file) and for the fees (paid through the gateway simulator),
settle it, return it electronically and issue the e-result; the citizen tracks it (due date and
its explanation), downloads the signed e-result (a PDF with the Vietnamese name) and rates it.

On failure every open page is screenshotted into ``test-results/`` (gitignored)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "motcua2026"  # the documented demo password
CITIZEN = "066090004321"  # the demo citizen, Nguyễn Văn Hùng
CITIZEN_NAME = "Nguyễn Văn Hùng"
PHONE = "0905123456"
PROCEDURE = "2.000635"  # Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh (online: partial)
JUSTICE = "000.00.03.H16"  # Sở Tư pháp: competent for it, no clerk among the demo users
CLERK = "tuphap.mc"  # created below: the one-stop clerk of the Department of Justice
ONLINE_FORM = "Mẫu điện tử tương tác"  # the required component uploaded online (prefix)
ID_PAPER = "Hộ chiếu/Thẻ căn cước công dân"  # the identity paper (prefix)
RESULT = "Cấp bản sao Trích lục khai sinh cho ông Nguyễn Văn Hùng"
SHOTS = Path(__file__).resolve().parents[3] / "test-results"


def pdf_bytes(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, text)
    c.save()
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def demo_province(settings: Any, tmp_path: Path) -> None:
    """The demo data, a clerk for the Department of Justice, files and a signing pair in a
    temporary directory."""
    from motcua.accounts.models import Membership, Role, User
    from motcua.documents.signing import generate_demo_pair
    from motcua.units.models import Agency

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.MEDIA_ROOT = str(tmp_path / "media")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    generate_demo_pair(key, cert)
    settings.MOTCUA_SIGNING_KEY_FILE = str(key)
    settings.MOTCUA_SIGNING_CERT_FILE = str(cert)
    clerk = User.objects.filter(username=CLERK).first() or User(username=CLERK)
    clerk.full_name = "Đặng Thị Thu Trang"
    clerk.set_password(PASSWORD)
    clerk.save()
    Membership.objects.update_or_create(
        user=clerk,
        agency=Agency.objects.get(code=JUSTICE),
        role=Role.CLERK,
        defaults={"is_active": True},
    )


@pytest.fixture
def screens(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """``screens(phone=True)`` opens a new browser context's page; every page is screenshotted
    into ``test-results/`` when the test fails."""
    contexts: list[Any] = []
    pages: list[tuple[str, Any]] = []
    failed_before = request.session.testsfailed

    def open_page(name: str, *, phone: bool = False) -> Any:
        options: dict[str, Any] = {"locale": "vi-VN", "base_url": live_server.url}
        if phone:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1280, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        pages.append((name, page))
        return page

    yield open_page
    # The call phase's report is logged before teardown: a failure has been counted by now.
    if request.session.testsfailed > failed_before:
        SHOTS.mkdir(exist_ok=True)
        for name, page in pages:
            try:
                page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)
            except Exception:  # noqa: S112 (a closed page has nothing to show)
                continue
    for context in contexts:
        context.close()


def official_log_in(page: Any, username: str, next_url: str) -> None:
    page.goto(next_url)
    assert "/accounts/login/" in page.url  # anonymous → login, then back to next_url
    page.fill("#id_o-username", username)
    page.fill("#id_o-password", PASSWORD)
    page.press("#id_o-password", "Enter")
    page.wait_for_url(f"**{next_url}")


def action_panel(page: Any, label: str) -> Any:
    summary = page.locator("summary", has_text=re.compile(f"^{label}$"))
    return page.locator("details.action", has=summary)


def take(page: Any, label: str, fill: dict[str, str] | None = None) -> Any:
    """Open an action's panel on the back-office dossier page, fill it and submit it."""
    panel = action_panel(page, label)
    panel.locator("summary").click()
    for selector, value in (fill or {}).items():
        panel.locator(selector).fill(value)
    panel.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".messages, main").first).to_contain_text(f"Đã thực hiện: {label}.")
    return panel


@pytest.mark.usefixtures("demo_province")
def test_a_citizen_files_online_follows_pays_downloads_and_rates(
    screens: Any, live_server: Any, paygate_simulator: Any
) -> None:
    from motcua.documents.models import DocumentKind, StoredDocument
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.workflow import Status
    from motcua.feedback.models import Rating
    from motcua.payments.models import PaymentRequest

    phone = screens("citizen", phone=True)

    # -- The citizen logs in on the phone and finds the procedure without typing diacritics.
    phone.goto("/accounts/login/?tab=public")
    phone.fill("#id_p-identifier", CITIZEN)
    phone.fill("#id_p-password", PASSWORD)
    phone.press("#id_p-password", "Enter")
    phone.wait_for_url(f"{live_server.url}/")
    phone.fill("#id_q", "trich luc ho tich")
    phone.press("#id_q", "Enter")
    phone.wait_for_url("**/thu-tuc/?q=trich+luc+ho+tich")
    first = phone.locator("#results ol.results > li a").first
    expect(first).to_contain_text("Cấp bản sao Trích lục hộ tịch")
    first.click()
    phone.wait_for_url(f"**/thu-tuc/{PROCEDURE}/")
    expect(phone.locator("#due-now")).to_contain_text("Nếu nộp ngay bây giờ")
    phone.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    # -- Apply online: agency, applicant (prefilled from the account), uploads, review, submit.
    phone.wait_for_url(f"**/nop-ho-so/{PROCEDURE}/")
    phone.select_option("#id_agency", JUSTICE)
    phone.get_by_role("button", name="Lưu và tiếp tục").click()
    phone.wait_for_url("**/buoc-2/")
    expect(phone.locator("#id_name")).to_have_value(CITIZEN_NAME)
    expect(phone.locator("#id_id_number")).to_have_value(CITIZEN)
    phone.fill("#id_phone", PHONE)
    phone.fill("#id_email", "hung@example.vn")
    phone.get_by_role("button", name="Lưu và tiếp tục").click()
    phone.wait_for_url("**/buoc-3/")
    online_form = phone.locator("fieldset.card", has_text=ONLINE_FORM)
    online_form.locator("input[type=file]").set_input_files(
        files=[
            {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("To khai")}
        ]
    )
    id_paper = phone.locator("fieldset.card", has_text=ID_PAPER)
    id_paper.locator("input[type=file]").set_input_files(
        files=[{"name": "cccd.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    phone.get_by_role("button", name="Lưu và xem lại").click()
    phone.wait_for_url("**/buoc-4/")
    review = phone.locator("main")
    expect(review).to_contain_text("to-khai.pdf")
    expect(review).to_contain_text("cccd.png")
    expect(phone.locator("#problems")).to_have_count(0)
    phone.get_by_role("button", name="Nộp hồ sơ").click()
    phone.wait_for_url("**/da-nop/")
    code = phone.locator("#tracking-code").inner_text().strip()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.SUBMITTED and dossier.applicant_name == CITIZEN_NAME
    assert StoredDocument.objects.filter(dossier=dossier).count() == 2
    office_url = f"/office/dossiers/{code}/"

    # -- The Department's clerk accepts it in the back office (desktop).
    clerk = screens("clerk")
    official_log_in(clerk, CLERK, office_url)
    take(clerk, "Tiếp nhận")
    expect(clerk.locator("#dossier-status")).to_have_text("Đã tiếp nhận")

    # -- The citizen tracks it by code and phone: the due date and why.
    phone.goto("/tra-cuu/")
    phone.fill("#id_code", code)
    phone.fill("#id_contact", PHONE)
    phone.get_by_role("button", name="Tra cứu").click()
    phone.wait_for_url(f"**/tra-cuu/ket-qua/{code}:*/")  # the signed result link
    dossier.refresh_from_db()
    assert dossier.due_at is not None
    expect(phone.locator("#due strong")).to_contain_text(f"{dossier.due_at.year}")
    phone.locator("#explanation summary").click()
    expect(phone.locator("#explanation ol.explanation li").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # -- The specialist asks for a clearer online form.
    specialist = screens("specialist")
    official_log_in(specialist, "tuphap.cv", office_url)
    panel = action_panel(specialist, "Yêu cầu bổ sung")
    panel.locator("summary").click()
    panel.locator(f"input[type=checkbox][value^='{ONLINE_FORM}']").check()
    panel.locator("textarea[name$=reason]").fill("Tờ khai thiếu chữ ký, đề nghị tải lại bản có ký")
    panel.get_by_role("button", name="Yêu cầu bổ sung", exact=True).click()
    expect(specialist.locator("#dossier-status")).to_have_text("Chờ bổ sung hồ sơ")

    # -- The citizen answers it online with a file.
    phone.reload()
    ask = phone.locator("#ask-supplement")
    expect(ask).to_contain_text("Tờ khai thiếu chữ ký")
    ask.get_by_role("link", name="Bổ sung trực tuyến").click()
    phone.wait_for_url(f"**/ho-so/{code}/bo-sung/")
    phone.locator("#file_0").set_input_files(
        files=[{"name": "to-khai-ky.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Ky")}]
    )
    phone.get_by_role("button", name="Gửi bổ sung").click()
    phone.wait_for_url(f"**/ho-so-cua-toi/{code}/")
    expect(phone.locator("#status")).to_have_text("Đang xử lý")

    # -- The specialist asks for the fees (the catalog's amount).
    specialist.reload()
    take(specialist, "Yêu cầu thực hiện nghĩa vụ tài chính", {"textarea[name$=reason]": "Lệ phí"})
    expect(specialist.locator("#dossier-status")).to_contain_text("nghĩa vụ tài chính")

    # -- The citizen pays through the simulator's page; the dossier is processed again.
    phone.reload()
    phone.locator("#ask-payment").get_by_role("link", name="Thanh toán trực tuyến").click()
    phone.wait_for_url(f"**/thanh-toan/{code}/bat-dau/")
    expect(phone.locator("main")).to_contain_text("8.000")
    phone.get_by_role("button", name="Thanh toán qua cổng thanh toán").click()
    phone.wait_for_url(f"{paygate_simulator.url}/pay/*")
    phone.get_by_role("button", name="Thanh toán", exact=True).click()
    phone.wait_for_url(f"{live_server.url}/thanh-toan/ket-qua/*")
    expect(phone.locator("[data-status=paid]")).to_be_visible()
    assert PaymentRequest.objects.get(dossier=dossier).status == "paid"
    phone.goto(f"/ho-so-cua-toi/{code}/")
    expect(phone.locator("#status")).to_have_text("Đang xử lý")

    # -- The leader settles it; the clerk returns it electronically and issues the e-result.
    leader = screens("leader")
    official_log_in(leader, "tuphap.ld", office_url)
    take(leader, "Hoàn thành giải quyết", {"textarea[name$=result]": RESULT})
    expect(leader.locator("#dossier-status")).to_have_text("Đã xử lý xong")
    clerk.reload()
    panel = action_panel(clerk, "Trả kết quả")
    panel.locator("summary").click()
    panel.locator("select[name$=method]").select_option("electronic")
    panel.get_by_role("button", name="Trả kết quả", exact=True).click()
    expect(clerk.locator("#dossier-status")).to_have_text("Đã trả kết quả")
    clerk.get_by_role("button", name="Phát hành kết quả điện tử (ký số)").click()
    expect(clerk.locator("main")).to_contain_text("Đã phát hành kết quả điện tử")

    # -- The citizen downloads the e-result: a signed PDF naming them with diacritics.
    phone.reload()
    expect(phone.locator("#outcome")).to_contain_text(RESULT)
    link = phone.get_by_role("link", name="Tải kết quả điện tử (PDF có chữ ký số)")
    with phone.expect_download() as download_info:
        link.click()
    downloaded = Path(download_info.value.path()).read_bytes()
    assert downloaded.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(downloaded))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert CITIZEN_NAME in text and code in text
    eresult = StoredDocument.objects.get(dossier=dossier, kind=DocumentKind.ERESULT)
    assert eresult.content_type == "application/pdf"

    # -- And rates it.
    phone.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    phone.wait_for_url(f"**/danh-gia/{code}/")
    for fieldset in phone.locator("form fieldset").all():
        fieldset.get_by_label("Rất hài lòng").check()
    phone.get_by_role("button", name="Gửi đánh giá").click()
    expect(phone.locator("main")).to_contain_text("Cảm ơn ông/bà đã đánh giá")
    rating = Rating.objects.get(dossier=dossier)
    assert rating.overall == "very_satisfied" and not rating.unhappy
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.return_method == "electronic"
