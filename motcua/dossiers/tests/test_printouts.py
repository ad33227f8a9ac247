"""Dossiers mapped onto the printed forms: the PDFs carry the applicant's Vietnamese name, the
code and the due date (text extracted with pypdf), the right forms apply at the right time, and
the PDF pages are scoped."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from motcua.dossiers import printouts
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    ComponentIn,
    dossier_act,
    dossier_receive,
    dossier_submit_online,
)
from motcua.dossiers.tests.conftest import CENTRE, at

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Ánh Tuyết"


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def receive(world: Any) -> Dossier:
    from motcua.catalog.models import Procedure

    version = Procedure.objects.get(code="1.000001").current_version
    assert version is not None
    return dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=ApplicantIn(name=NAME, id_number="066190004321", address="12 Lê Duẩn"),
        components=[ComponentIn(component_id=c.pk) for c in version.components.all()],
    )


def loaded(world: Any, d: Dossier) -> Dossier:
    return dossier_get(user=world.clerk, code=d.code)


def test_it_prints_the_receipt_with_name_code_and_due_date(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = loaded(world, receive(world))
    data = printouts.receipt_data(d)
    assert data.regime == "2025" and data.due_at == at("2026-03-09 08:00")
    assert data.receiver_name == "Hoàng Văn Nam"
    assert data.time_limit_text == "05 ngày làm việc"
    text = flat(text_of(printouts.render_form(d, "receipt")))
    assert NAME in text
    assert d.code in text
    assert "09/03/2026" in text


def test_it_offers_the_forms_that_apply(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    assert [b.form for b in printouts.available_forms(loaded(world, d))] == ["receipt", "control"]
    with pytest.raises(printouts.FormNotAvailable):
        printouts.render_form(loaded(world, d), "apology")

    dossier_act(actor=world.clerk, code=d.code, action="forward")
    dossier_act(
        actor=world.specialist,
        code=d.code,
        action="request_supplement",
        params=ActionIn(reason="Bản chụp bị mờ", components=["Bản chụp căn cước công dân"]),
    )
    clock_at("2026-03-03 08:00")
    dossier_act(actor=world.clerk, code=d.code, action="supplement")
    dossier_act(
        actor=world.leader,
        code=d.code,
        action="apologize",
        params=ActionIn(reason="Cần xác minh thêm", new_due_at=at("2026-03-13 17:00")),
    )
    full = loaded(world, d)
    forms = [b.form for b in printouts.available_forms(full)]
    assert forms == ["receipt", "supplement", "apology", "control"]

    supplement = flat(text_of(printouts.render_form(full, "supplement")))
    assert NAME in supplement and "Bản chụp bị mờ" in supplement
    apology = flat(text_of(printouts.render_form(full, "apology")))
    assert NAME in apology and "13/03/2026" in apology and "Cần xác minh thêm" in apology

    dossier_act(actor=world.leader, code=d.code, action="stop", params=ActionIn(reason="Rút"))
    stopped = loaded(world, d)
    assert "stop" in [b.form for b in printouts.available_forms(stopped)]
    assert NAME in flat(text_of(printouts.render_form(stopped, "stop")))


def test_it_prints_the_control_sheet_with_every_hand_over(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    clock_at("2026-03-02 10:00")
    dossier_act(actor=world.clerk, code=d.code, action="forward")
    clock_at("2026-03-04 10:00")
    dossier_act(actor=world.specialist, code=d.code, action="forward")
    data = printouts.control_data(loaded(world, d))
    assert len(data.handovers) == 2
    assert data.handovers[0].giver_name == "Hoàng Văn Nam"
    assert data.handovers[0].outcome == "on_time"  # due Mon 14:00, handed over Mon 10:00
    text = flat(text_of(printouts.render_form(loaded(world, d), "control")))
    assert d.code in text and NAME in text and "Phạm Minh Đức" in text


def test_it_prints_the_refusal_of_an_online_dossier(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = dossier_submit_online(
        actor=world.citizen,
        procedure_code="1.000001",
        case=None,
        applicant=ApplicantIn(name=NAME, id_number="066090004321"),
    )
    dossier_act(
        actor=world.justice_clerk,
        code=d.code,
        action="refuse",
        params=ActionIn(reason="Thủ tục không thuộc thẩm quyền\nThiếu tờ khai"),
    )
    full = dossier_get(user=world.justice_clerk, code=d.code)
    assert [b.form for b in printouts.available_forms(full)] == ["refusal", "control"]
    text = flat(text_of(printouts.render_form(full, "refusal")))
    assert NAME in text and "Thiếu tờ khai" in text


def test_it_chooses_the_regime_by_the_received_date(world: Any, clock_at: Any) -> None:
    clock_at("2025-06-30 08:00")
    old = loaded(world, receive(world))
    assert printouts.regime_of(old) == "2018"
    assert printouts.filename(old, "control") == f"mau-05-control-{old.code}.pdf"
    clock_at("2025-07-01 08:00")
    new = loaded(world, receive(world))
    assert printouts.regime_of(new) == "2025"
    assert printouts.filename(new, "control") == f"mau-06-control-{new.code}.pdf"


def test_it_serves_the_pdfs_inline_and_scoped(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    client = Client()
    client.force_login(world.clerk)
    response = client.get(reverse("dossiers:form_pdf", args=[d.code, "receipt"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="mau-01-receipt-{d.code}.pdf"'
    assert NAME in flat(text_of(response.content))
    assert client.get(reverse("dossiers:form_pdf", args=[d.code, "refusal"])).status_code == 404
    assert client.get(reverse("dossiers:form_pdf", args=[d.code, "nope"])).status_code == 404

    book = client.get(
        reverse("dossiers:book"), {"from": "2026-03-01", "to": "2026-03-31", "agency": CENTRE}
    )
    assert book.status_code == 200 and book["Content-Type"] == "application/pdf"
    text = flat(text_of(book.content))
    assert d.code in text and NAME in text

    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(reverse("dossiers:form_pdf", args=[d.code, "receipt"])).status_code == 404
    assert outsider.get(reverse("dossiers:book"), {"agency": CENTRE}).status_code == 404
