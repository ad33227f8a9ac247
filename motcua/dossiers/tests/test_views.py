"""The back-office dossier pages: intake, queues, the dossier page, its actions and PDFs."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.audit.models import AuditEvent
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    ComponentIn,
    dossier_act,
    dossier_receive,
)
from motcua.dossiers.tests.conftest import CENTRE, JUSTICE
from motcua.dossiers.workflow import Status

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Ánh Tuyết"


def receive(world: Any, *, name: str = NAME, id_number: str = "066190004321") -> Dossier:
    version = Procedure.objects.get(code="1.000001").current_version
    assert version is not None
    return dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=ApplicantIn(name=name, id_number=id_number, phone="0905123456"),
        components=[ComponentIn(component_id=c.pk) for c in version.components.all()],
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def intake_post(world: Any, **overrides: Any) -> dict[str, Any]:
    version = Procedure.objects.get(code="1.000001").current_version
    assert version is not None
    data: dict[str, Any] = {
        "procedure": "1.000001",
        "case": "1",
        "agency_code": JUSTICE,
        "receiving_agency_code": CENTRE,
        "applicant_name": NAME,
        "applicant_kind": "citizen",
        "applicant_id_number": "066190004321",
        "applicant_phone": "0905123456",
        "applicant_email": "tuyet@example.vn",
        "applicant_address": "12 Lê Duẩn",
        "channel": "direct",
        "set_count": "1",
    }
    for c in version.components.all():
        data[f"c{c.pk}"] = "on"
        data[f"c{c.pk}_o"] = str(c.original_count)
        data[f"c{c.pk}_s"] = str(c.copy_count)
    data.update(overrides)
    return data


# -- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dossiers:queue", "dossiers:intake", "dossiers:book"])
def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_sends_anonymous_visitors_of_a_dossier_to_the_login_page(
    client: Client, world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    for url in (
        reverse("dossiers:detail", args=[d.code]),
        reverse("dossiers:form_pdf", args=[d.code, "receipt"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_citizens(world: Any) -> None:
    assert client_for(world.citizen).get(reverse("dossiers:queue")).status_code == 403


def test_it_lets_only_clerks_open_the_counter_intake(world: Any) -> None:
    assert client_for(world.specialist).get(reverse("dossiers:intake")).status_code == 403
    response = client_for(world.clerk).get(reverse("dossiers:intake"))
    assert response.status_code == 200
    assert "autofocus" in response.content.decode()


# -- intake ---------------------------------------------------------------------------------------


def test_it_finds_procedures_without_diacritics_for_the_intake(world: Any) -> None:
    client = client_for(world.clerk)
    response = client.get(reverse("dossiers:intake"), {"q": "phieu ly lich tu phap"})
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in response.content.decode()
    partial = client.get(reverse("dossiers:intake"), {"q": "ly lich so 2"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "Cấp Phiếu lý lịch tư pháp số 2" in body and "<html" not in body


def test_it_lists_the_checklist_with_required_components_ticked(world: Any) -> None:
    response = client_for(world.clerk).get(reverse("dossiers:intake"), {"procedure": "1.000001"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in body
    assert body.count("checked") >= 2  # both required components, plus the channel radio


def test_it_receives_a_dossier_at_the_counter_and_offers_the_receipt(
    world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    client = client_for(world.clerk)
    response = client.post(reverse("dossiers:intake"), intake_post(world))
    d = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[d.code])
    assert d.applicant_name == NAME and d.agency.code == JUSTICE
    assert d.components.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "In giấy tiếp nhận (Mẫu 01)" in page
    assert reverse("dossiers:form_pdf", args=[d.code, "receipt"]) in page


def test_it_keeps_the_input_and_writes_nothing_on_intake_errors(world: Any) -> None:
    client = client_for(world.clerk)
    data = intake_post(world, applicant_name="  ", applicant_id_number="12345")
    response = client.post(reverse("dossiers:intake"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="tuyet@example.vn"' in body and 'value="12 Lê Duẩn"' in body
    assert "errorlist" in body
    assert not Dossier.objects.exists()
    assert not AuditEvent.objects.filter(action="dossier.received").exists()


def test_it_puts_service_errors_next_to_their_field(world: Any) -> None:
    client = client_for(world.clerk)
    response = client.post(
        reverse("dossiers:intake"), intake_post(world, applicant_id_number="123456789012")
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors.get("applicant_id_number")
    assert "autofocus" in str(form["applicant_id_number"])  # the cursor goes to the error
    assert 'value="Nguyễn Thị Ánh Tuyết"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_it_asks_for_at_least_one_component(world: Any) -> None:
    data = {k: v for k, v in intake_post(world).items() if not k.startswith("c")}
    data["case"] = "1"
    data["channel"] = "direct"
    response = client_for(world.clerk).post(reverse("dossiers:intake"), data)
    assert response.status_code == 422
    assert "ít nhất một thành phần" in response.content.decode()
    assert not Dossier.objects.exists()


# -- scope ----------------------------------------------------------------------------------------


def test_it_hides_a_dossier_from_officials_of_another_agency(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("dossiers:detail", args=[d.code])).status_code == 404
    for form in ("receipt", "control"):
        url = reverse("dossiers:form_pdf", args=[d.code, form])
        assert outsider.get(url).status_code == 404
    response = outsider.post(
        reverse("dossiers:action", args=[d.code, "forward"]),
        {"forward-expected_version": d.version, "forward-to_agency_code": JUSTICE},
    )
    assert response.status_code == 404
    assert _codes(outsider.get(reverse("dossiers:queue"), {"q": d.code})) == set()
    assert _codes(outsider.get(reverse("dossiers:queue"))) == set()
    assert outsider.get(reverse("dossiers:book"), {"agency": CENTRE}).status_code == 404
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and d.events.count() == 1

    # The competent agency sees it (boundary-free intake) in its pages.
    assert (
        client_for(world.specialist).get(reverse("dossiers:detail", args=[d.code])).status_code
        == 200
    )


# -- the dossier page and its actions -------------------------------------------------------------


def test_it_shows_the_timeline_clock_and_allowed_actions(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    clock_at("2026-03-02 09:00")
    dossier_act(
        actor=world.clerk, code=d.code, action="forward", params=ActionIn(note="Chuyển gấp")
    )
    response = client_for(world.leader).get(reverse("dossiers:detail", args=[d.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hạn trả kết quả hiện tại: " in body  # the explanation
    assert "08:00 09/03/2026" in body  # due 5 working days later
    assert "Hoàng Văn Nam" in body and "Chuyển gấp" in body  # actor and internal note
    assert reverse("dossiers:action", args=[d.code, "settle"]) in body
    assert reverse("dossiers:action", args=[d.code, "return"]) not in body
    assert 'name="settle-expected_version"' in body


def test_it_takes_an_action_and_redirects(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    client = client_for(world.clerk)
    response = client.post(
        reverse("dossiers:action", args=[d.code, "forward"]),
        {"forward-expected_version": d.version, "forward-to_agency_code": JUSTICE},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.current_agency.code == JUSTICE
    page = client.get(response["Location"]).content.decode()
    assert "Đã thực hiện: Chuyển xử lý." in page


def test_it_shows_a_conflict_on_a_stale_page_and_writes_nothing(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    stale = d.version
    dossier_act(actor=world.clerk, code=d.code, action="forward")  # someone else acts first
    d.refresh_from_db()
    events = d.events.count()
    audits = AuditEvent.objects.count()
    response = client_for(world.leader).post(
        reverse("dossiers:action", args=[d.code, "settle"]),
        {"settle-expected_version": stale, "settle-result": "Cấp phiếu"},
    )
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in response.content.decode()
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.events.count() == events
    assert AuditEvent.objects.count() == audits


def test_it_keeps_action_input_on_validation_errors(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    dossier_act(actor=world.clerk, code=d.code, action="forward")
    d.refresh_from_db()
    response = client_for(world.leader).post(
        reverse("dossiers:action", args=[d.code, "settle"]),
        {
            "settle-expected_version": d.version,
            "settle-result": "Từ chối cấp phiếu",
            "settle-is_refusal": "on",
        },
    )
    assert response.status_code == 422  # a refusal needs its reason (service rule)
    body = response.content.decode()
    assert "Từ chối cấp phiếu" in body and "<details open" in body
    d.refresh_from_db()
    assert d.status == Status.PROCESSING


def test_it_reports_a_disallowed_action_as_a_conflict(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    response = client_for(world.clerk).post(
        reverse("dossiers:action", args=[d.code, "return"]),
        {"return-expected_version": d.version, "return-method": "counter"},
    )
    assert response.status_code == 409
    assert "Không thể thực hiện thao tác này" in response.content.decode()
    assert not DossierEvent.objects.filter(action="return").exists()


def test_it_enforces_csrf_on_actions(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.clerk)
    response = client.post(
        reverse("dossiers:action", args=[d.code, "forward"]),
        {"forward-expected_version": d.version},
    )
    assert response.status_code == 403
    d.refresh_from_db()
    assert d.status == Status.RECEIVED


# -- queues ---------------------------------------------------------------------------------------


def _codes(response: Any) -> set[str]:
    return {row["d"].code for row in response.context["rows"]}


def test_it_filters_the_work_queues(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    late = receive(world, name="Trần Văn Muộn", id_number="066090000001")  # due 09/03 08:00
    clock_at("2026-03-05 08:00")
    fresh = receive(world, name="Lê Thị Mới", id_number="066190000002")  # due 12/03 08:00
    clock_at("2026-03-05 09:00")
    paused = receive(world, name="Phạm Văn Chờ", id_number="066090000003")
    dossier_act(
        actor=world.clerk,
        code=paused.code,
        action="request_supplement",
        params=ActionIn(reason="Thiếu bản chụp căn cước"),
    )
    client = client_for(world.clerk)
    url = reverse("dossiers:queue")

    clock_at("2026-03-09 10:00")  # `late` is overdue; `fresh` is not at risk yet
    assert _codes(client.get(url, {"which": "at_risk"})) == set()
    # `fresh` is at risk when 10 of its 40 working hours remain: from Tue 10/03 17:00.
    clock_at("2026-03-11 08:00")
    assert _codes(client.get(url)) == {late.code, fresh.code, paused.code}
    assert _codes(client.get(url, {"which": "overdue"})) == {late.code}
    assert _codes(client.get(url, {"which": "at_risk"})) == {fresh.code}
    assert _codes(client.get(url, {"which": "paused"})) == {paused.code}
    assert _codes(client.get(url, {"which": "closed"})) == set()
    response = client.get(url, {"which": "overdue"})
    body = response.content.decode()
    assert "Quá hạn" in body and 'aria-current="page"' in body
    tabs = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert tabs["all"] == 3 and tabs["overdue"] == 1 and tabs["paused"] == 1

    clock_at("2026-03-11 09:00")  # `fresh` due 12/03 08:00: within one working day
    assert _codes(client.get(url, {"which": "due_soon"})) == {fresh.code}

    # Search: the applicant's name without diacritics, the ID number, the code.
    assert _codes(client.get(url, {"q": "tran van muon"})) == {late.code}
    assert _codes(client.get(url, {"q": "066190000002"})) == {fresh.code}
    assert _codes(client.get(url, {"q": paused.code})) == {paused.code}


def _make_dossiers(world: Any, n: int) -> None:
    for i in range(n):
        receive(world, name=f"Người nộp {i}", id_number="")


def test_it_answers_a_queue_page_in_a_constant_number_of_queries(
    world: Any, clock_at: Any, django_assert_max_num_queries: Any
) -> None:
    clock_at("2026-03-02 08:00")
    client = client_for(world.clerk)
    url = reverse("dossiers:queue")
    _make_dossiers(world, 5)
    client.get(url)  # warm the calendar cache and the session
    with django_assert_max_num_queries(12) as small:
        assert len(client.get(url, {"per_page": 25}).context["rows"]) == 5
    _make_dossiers(world, 55)
    with django_assert_max_num_queries(len(small.captured_queries)) as big:
        assert len(client.get(url, {"per_page": 100}).context["rows"]) == 60
    assert len(big.captured_queries) == len(small.captured_queries)


def test_it_shows_a_dossier_tile_with_queue_counts_on_the_office_home(
    world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    receive(world)
    clock_at("2026-03-10 08:00")  # overdue since 09/03 08:00
    body = client_for(world.clerk).get(reverse("office:home")).content.decode()
    assert reverse("dossiers:queue") in body
    assert "1 hồ sơ đang giải quyết" in body and "1 quá hạn" in body


def test_the_flows_page_tells_the_receiving_counter_from_the_competent_agency(
    world: Any, clock_at: Any, client: Any
) -> None:
    from motcua.dossiers.tests.test_services_paths import receive

    clock_at("2026-03-02 08:00")
    receive(world)
    receive(world)
    client.force_login(world.leader)
    response = client.get("/office/dossiers/flows/?from=2026-03-01&to=2026-03-31")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trung tâm Phục vụ hành chính công tỉnh" in body and "Sở Tư pháp" in body
    assert '<td class="num">2</td>' in body
    client.force_login(world.outsider)
    body = client.get("/office/dossiers/flows/?from=2026-03-01&to=2026-03-31").content.decode()
    assert "Sở Tư pháp" not in body


def test_an_official_issues_the_signed_e_result_from_the_dossier_page(
    world: Any, clock_at: Any, client: Any
) -> None:
    from motcua.documents.models import StoredDocument
    from motcua.dossiers.tests.test_services_paths import act, receive

    clock_at("2026-03-02 08:00")
    d = act(world.leader, receive(world), "settle", result="Đã cấp phiếu")
    client.force_login(world.leader)
    page = client.get(f"/office/dossiers/{d.code}/").content.decode()
    assert f"/tai-lieu/ket-qua/{d.code}/phat-hanh/" in page
    response = client.post(f"/tai-lieu/ket-qua/{d.code}/phat-hanh/")
    assert response.status_code == 302
    assert StoredDocument.objects.filter(dossier=d, kind="eresult").count() == 1
