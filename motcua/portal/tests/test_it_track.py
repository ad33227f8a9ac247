"""Tracking a dossier without logging in, and a citizen's own dossiers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    ComponentIn,
    dossier_act,
    dossier_receive,
    dossier_submit_online,
)

pytestmark = pytest.mark.django_db

PHONE = "0905123456"
ID_NUMBER = "066190004321"
SECRET = "NỘI BỘ: chữ ký nghi giả mạo, đối chiếu với công an"


def receive(world: Any) -> Dossier:
    version = Procedure.objects.get(code="1.000001").current_version
    assert version is not None
    return dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=ApplicantIn(name="Nguyễn Thị Ánh Tuyết", id_number=ID_NUMBER, phone=PHONE),
        components=[ComponentIn(component_id=c.pk) for c in version.components.all()],
    )


def lookup(client: Client, code: str, contact: str) -> Any:
    return client.post("/tra-cuu/", {"code": code, "contact": contact})


@pytest.fixture
def asked_to_supplement(world: Any, clock_at: Any) -> Dossier:
    clock_at("2026-03-02 08:00")
    dossier = receive(world)
    clock_at("2026-03-03 09:00")
    dossier_act(
        actor=world.specialist,
        code=dossier.code,
        action="request_supplement",
        params=ActionIn(
            reason="Bản chụp căn cước công dân bị mờ",
            components=["Bản chụp căn cước công dân"],
            note=SECRET,
        ),
    )
    return dossier


def test_it_shows_the_dossier_for_the_right_code_and_phone(
    client: Client, asked_to_supplement: Dossier
) -> None:
    code = asked_to_supplement.code
    response = lookup(client, f"  {code.lower()} ", "0905 123 456")
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{code}/"
    page = client.get(response["Location"]).content.decode()
    assert "Chờ bổ sung hồ sơ" in page
    assert "08:00 02/03/2026" in page  # received
    assert "Hạn trả kết quả" in page
    assert "Đang tạm dừng tính thời gian từ 09:00 Thứ Ba 03/03/2026" in page  # explanation
    assert "Bản chụp căn cước công dân bị mờ" in page
    assert "<li>Bản chụp căn cước công dân</li>" in page
    assert f'href="/ho-so/{code}/bo-sung/"' in page
    assert "NỘI BỘ" not in page and "giả mạo" not in page


@pytest.mark.parametrize("contact", [ID_NUMBER, "+84 905 123 456", "0905.123.456"])
def test_it_accepts_the_id_number_or_the_phone_in_any_notation(
    client: Client, asked_to_supplement: Dossier, contact: str
) -> None:
    response = lookup(client, asked_to_supplement.code, contact)
    assert response.status_code == 302


@pytest.mark.parametrize("contact", ["0905123457", "066190004322", "", "123", "0000000000"])
def test_it_says_not_found_for_a_wrong_phone_or_id_number(
    client: Client, asked_to_supplement: Dossier, contact: str
) -> None:
    response = lookup(client, asked_to_supplement.code, contact)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chờ bổ sung hồ sơ" not in page
    assert "Bản chụp căn cước công dân bị mờ" not in page
    if contact:
        assert "Không tìm thấy hồ sơ với mã và số điện thoại hoặc số giấy tờ này" in page
    assert client.get(f"/tra-cuu/{asked_to_supplement.code}/").status_code == 302


def test_it_answers_an_unknown_code_exactly_like_a_wrong_phone(
    client: Client, asked_to_supplement: Dossier
) -> None:
    wrong_phone = lookup(client, asked_to_supplement.code, "0911111111")
    unknown_code = lookup(client, "000.00.20.H16-260302-9999", "0911111111")
    assert wrong_phone.status_code == unknown_code.status_code == 200
    message = "Không tìm thấy hồ sơ với mã và số điện thoại hoặc số giấy tờ này"
    assert message in wrong_phone.content.decode() and message in unknown_code.content.decode()


def test_it_does_not_open_the_result_page_without_a_lookup(
    client: Client, asked_to_supplement: Dossier
) -> None:
    response = client.get(f"/tra-cuu/{asked_to_supplement.code}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tra-cuu/?code=")


def test_it_rate_limits_guessing_per_ip(
    client: Client, asked_to_supplement: Dossier, settings: Any
) -> None:
    settings.MOTCUA_TRACK_MAX_ATTEMPTS = 3
    for n in range(2, 5):  # guessed codes
        assert lookup(client, f"000.00.20.H16-260302-{n:04d}", PHONE).status_code == 200
    blocked = lookup(client, asked_to_supplement.code, PHONE)  # even the right pair
    assert blocked.status_code == 429
    assert "Bạn đã tra cứu quá 3 lần trong 10 phút" in blocked.content.decode()
    other_ip = Client(REMOTE_ADDR="10.0.0.9")
    assert lookup(other_ip, asked_to_supplement.code, PHONE).status_code == 302


def test_it_shows_the_amount_to_pay_and_how(client: Client, world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    dossier = receive(world)
    dossier_act(
        actor=world.head,
        code=dossier.code,
        action="request_payment",
        params=ActionIn(reason="Lệ phí cấp phiếu", amount_vnd=200000, note=SECRET),
    )
    lookup(client, dossier.code, PHONE)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Chờ thực hiện nghĩa vụ tài chính" in page
    assert "200.000 đồng" in page
    assert f'href="/thanh-toan/{dossier.code}/bat-dau/"' in page
    assert "NỘI BỘ" not in page


def test_it_shows_the_outcome_once_settled_and_returned(
    client: Client, world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    dossier = receive(world)
    clock_at("2026-03-04 10:00")
    dossier_act(
        actor=world.leader,
        code=dossier.code,
        action="settle",
        params=ActionIn(result="Đã cấp Phiếu lý lịch tư pháp số 12/2026", note=SECRET),
    )
    dossier_act(
        actor=world.clerk,
        code=dossier.code,
        action="return",
        params=ActionIn(method="counter"),
    )
    lookup(client, dossier.code, ID_NUMBER)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Đã trả kết quả" in page
    assert "Đã cấp Phiếu lý lịch tư pháp số 12/2026" in page
    assert "trước hạn" in page
    assert "NỘI BỘ" not in page


def test_it_lists_a_citizens_own_dossiers_newest_first(
    world: Any, alice: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    first = dossier_submit_online(
        actor=world.citizen,
        procedure_code="1.000001",
        case=None,
        applicant=ApplicantIn(name="Nguyễn Thị Ánh Tuyết", id_number="066090004321"),
    )
    clock_at("2026-03-03 08:00")
    second = dossier_submit_online(
        actor=world.citizen,
        procedure_code="1.000002",
        case=None,
        applicant=ApplicantIn(name="Nguyễn Thị Ánh Tuyết", id_number="066090004321"),
    )
    counter = receive(world)  # same person at the counter, not linked to the account

    mine = Client()
    mine.force_login(world.citizen)
    page = mine.get("/ho-so-cua-toi/").content.decode()
    assert page.index(second.code) < page.index(first.code)
    assert counter.code not in page
    detail = mine.get(f"/ho-so-cua-toi/{first.code}/")
    assert detail.status_code == 200
    assert "Mới đăng ký" in detail.content.decode()

    other = Client()
    other.force_login(alice)
    assert first.code not in other.get("/ho-so-cua-toi/").content.decode()
    assert other.get(f"/ho-so-cua-toi/{first.code}/").status_code == 404

    official = Client()
    official.force_login(world.specialist)  # sees it in the back office, but it is not theirs
    assert official.get(f"/ho-so-cua-toi/{first.code}/").status_code == 404


def test_it_sends_anonymous_visitors_of_my_dossiers_to_the_login(client: Client) -> None:
    response = client.get("/ho-so-cua-toi/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_lookup_costs_a_handful_of_queries(
    world: Any, client: Client, django_assert_max_num_queries: Any
) -> None:
    """Form: none. Lookup: the rate counter, the dossier, the new session (one insert, in a
    savepoint). Result page: the session, the dossier with its joins, its events, its pauses."""
    dossier = receive(world)
    with django_assert_max_num_queries(0):
        client.get("/tra-cuu/")
    with django_assert_max_num_queries(5):
        assert lookup(client, dossier.code, PHONE).status_code == 302
    with django_assert_max_num_queries(4):
        assert client.get(f"/tra-cuu/{dossier.code}/").status_code == 200
