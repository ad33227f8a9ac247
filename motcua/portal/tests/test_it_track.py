"""Tracking a dossier without logging in, and a citizen's own dossiers."""

from __future__ import annotations

import re
import time
from typing import Any
from unittest.mock import patch
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import signing
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.core.models import RateCounter
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    ComponentIn,
    dossier_act,
    dossier_receive,
    dossier_submit_online,
)
from motcua.portal import page_cache, tracking

pytestmark = pytest.mark.django_db

PHONE = "0905123456"
ID_NUMBER = "066190004321"
SECRET = "NỘI BỘ: chữ ký nghi giả mạo, đối chiếu với công an"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def receive(world: Any, name: str = "Nguyễn Thị Ánh Tuyết") -> Dossier:
    version = Procedure.objects.get(code="1.000001").current_version
    assert version is not None
    return dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=ApplicantIn(name=name, id_number=ID_NUMBER, phone=PHONE),
        components=[ComponentIn(component_id=c.pk) for c in version.components.all()],
    )


def lookup(client: Client, code: str, contact: str) -> Any:
    return client.post("/tra-cuu/", {"code": code, "contact": contact})


def result_page(client: Client, code: str, contact: str) -> str:
    """Look the dossier up and open the signed result link the lookup redirects to."""
    response = lookup(client, code, contact)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/tra-cuu/ket-qua/{code}:")
    page = client.get(response["Location"])
    assert page.status_code == 200
    return str(page.content.decode())


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
    token = response["Location"].removeprefix("/tra-cuu/ket-qua/").removesuffix("/")
    assert response["Location"] == f"/tra-cuu/ket-qua/{token}/"
    assert tracking.token_code(token) == code
    page = client.get(response["Location"]).content.decode()
    assert "Chờ bổ sung hồ sơ" in page
    assert "08:00 02/03/2026" in page  # received
    assert "Hạn trả kết quả" in page
    assert "Đang tạm dừng tính thời gian từ 09:00 Thứ Ba 03/03/2026" in page  # explanation
    assert "Bản chụp căn cước công dân bị mờ" in page
    assert "<li>Bản chụp căn cước công dân</li>" in page
    assert f'href="/ho-so/{code}/bo-sung/?t={token}"' in page
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
    page = result_page(client, dossier.code, PHONE)
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
    page = result_page(client, dossier.code, ID_NUMBER)
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
    world: Any, client: Client, django_assert_num_queries: Any
) -> None:
    """Form: none. Lookup: the rate counter and the dossier's code and contacts (no session) —
    one statement on PostgreSQL. Result page: the dossier with its names, its public events,
    its pauses — reads only, in one statement on PostgreSQL."""
    from django.db import connection

    dossier = receive(world)
    with django_assert_num_queries(0):
        client.get("/tra-cuu/")
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        response = lookup(client, dossier.code, PHONE)
    assert response.status_code == 302
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 3) as captured:
        page = client.get(response["Location"])
    assert page.status_code == 200
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in captured.captured_queries)
    # neither a session nor a CSRF cookie: nothing was written for this visitor
    assert not page.cookies
    assert settings.SESSION_COOKIE_NAME not in client.cookies


# -- the signed result link --------------------------------------------------------------------


def test_it_opens_the_result_link_again_without_a_new_lookup(
    client: Client, asked_to_supplement: Dossier, settings: Any
) -> None:
    """The link is the proof of the lookup: reloading it is not a guess and costs no attempt."""
    settings.MOTCUA_TRACK_MAX_ATTEMPTS = 1
    location = lookup(client, asked_to_supplement.code, PHONE)["Location"]
    stranger = Client(REMOTE_ADDR="10.0.0.8")  # another browser given the link (same as a share)
    for visitor in (client, client, stranger):
        page = visitor.get(location)
        assert page.status_code == 200 and asked_to_supplement.code in page.content.decode()
    assert RateCounter.objects.get().hits == 1
    # the one attempt is spent: a further lookup from this address is refused
    assert lookup(client, asked_to_supplement.code, PHONE).status_code == 429


def test_it_keeps_the_result_link_out_of_caches_and_referers(
    client: Client, asked_to_supplement: Dossier
) -> None:
    location = lookup(client, asked_to_supplement.code, PHONE)["Location"]
    page = client.get(location)
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "no-referrer"


def test_the_result_path_is_what_reverse_gives(world: Any) -> None:
    from django.urls import reverse

    for code in ("000.00.02.H16-261128-0015", "KHONG-CO", "MÃ LẠ %?#"):
        token = tracking.result_token(code)
        assert tracking.result_path(token) == reverse("portal:track_token", args=[token])


def test_it_refuses_a_forged_or_altered_result_link(
    client: Client, world: Any, asked_to_supplement: Dossier
) -> None:
    code = asked_to_supplement.code
    other = receive(world)
    token = tracking.result_token(code)
    value, stamp, signature = token.rsplit(":", 2)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forged = [
        f"{other.code}:{stamp}:{signature}",  # the same signature moved to another code
        f"{value}:{stamp}:{flipped}",  # a changed signature
        f"{value}:{stamp[:-1] + ('0' if stamp[-1] != '0' else '1')}:{signature}",  # another time
        code,  # the bare code
        signing.TimestampSigner(salt="another.salt").sign(code),  # signed for something else
        signing.TimestampSigner(key="not-the-site-key", salt=tracking.TOKEN_SALT).sign(code),
    ]
    for bad in forged:
        response = client.get(f"/tra-cuu/ket-qua/{bad}/")
        assert response.status_code == 302, bad
        assert response["Location"] == "/tra-cuu/", bad  # nothing said about the code
    page = client.get(f"/tra-cuu/ket-qua/{token}/")
    assert page.status_code == 200 and other.code not in page.content.decode()


def test_it_sends_an_expired_result_link_back_to_the_form(
    client: Client, asked_to_supplement: Dossier
) -> None:
    code = asked_to_supplement.code
    with patch("django.core.signing.time.time", return_value=time.time() - 31 * 60):
        old = tracking.result_token(code)
    response = client.get(f"/tra-cuu/ket-qua/{old}/")
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/?code={code}"
    with patch("django.core.signing.time.time", return_value=time.time() - 29 * 60):
        recent = tracking.result_token(code)
    assert client.get(f"/tra-cuu/ket-qua/{recent}/").status_code == 200


def test_it_asks_a_visitor_with_the_result_link_to_log_in_to_supplement(
    client: Client, world: Any, asked_to_supplement: Dossier
) -> None:
    code = asked_to_supplement.code
    token = tracking.result_token(code)
    r = client.get(f"/ho-so/{code}/bo-sung/?t={token}")
    assert r.status_code == 401 and "/accounts/login/?next=" in r.content.decode()
    # a link for another dossier proves nothing about this one
    other = tracking.result_token(receive(world).code)
    r = client.get(f"/ho-so/{code}/bo-sung/?t={other}")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


# -- the form page, kept whole -------------------------------------------------------------------


def test_it_gives_every_visitor_their_own_csrf_token_on_the_kept_form(
    asked_to_supplement: Dossier,
) -> None:
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        page = visitor.get("/tra-cuu/")
        assert page.status_code == 200 and page_cache.CSRF_HOLE not in page.content.decode()
        tokens.append(CSRF_INPUT.search(page.content.decode()).group(1))  # type: ignore[union-attr]
        assert settings.CSRF_COOKIE_NAME in page.cookies
    assert tokens[0] != tokens[1]
    assert _unmask_cipher_token(tokens[0]) != _unmask_cipher_token(tokens[1])  # own secrets
    for visitor, token in zip(visitors, tokens, strict=True):
        response = visitor.post(
            "/tra-cuu/",
            {"csrfmiddlewaretoken": token, "code": asked_to_supplement.code, "contact": PHONE},
        )
        assert response.status_code == 302
    # another visitor's token does not pass with this visitor's cookie
    intruder = Client(enforce_csrf_checks=True)
    intruder.get("/tra-cuu/")
    response = intruder.post(
        "/tra-cuu/",
        {"csrfmiddlewaretoken": tokens[0], "code": asked_to_supplement.code, "contact": PHONE},
    )
    assert response.status_code == 403


def test_it_keeps_the_form_page_per_language(client: Client) -> None:
    vietnamese = client.get("/tra-cuu/").content.decode()
    client.get("/ngon-ngu/en/?next=/tra-cuu/")
    english = client.get("/tra-cuu/").content.decode()
    assert "Tra cứu hồ sơ" in vietnamese and 'lang="vi"' in vietnamese
    assert '<html lang="en">' in english and "<h1>Tra cứu hồ sơ</h1>" not in english
    prefilled = client.get("/tra-cuu/?code=000.00.20.H16-260302-0001").content.decode()
    assert 'value="000.00.20.H16-260302-0001"' in prefilled


def test_it_answers_a_valid_link_to_a_missing_dossier_with_404(client: Client, world: Any) -> None:
    assert client.get(f"/tra-cuu/ket-qua/{tracking.result_token('KHONG-CO')}/").status_code == 404


def test_it_escapes_what_the_applicant_and_the_agency_wrote(
    client: Client, world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    dossier = receive(world, name="<script>alert(1)</script> Ánh")
    dossier_act(
        actor=world.specialist,
        code=dossier.code,
        action="request_supplement",
        params=ActionIn(reason='Thiếu <img src=x onerror="alert(2)">', components=["<b>CCCD</b>"]),
    )
    page = result_page(client, dossier.code, PHONE)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Ánh" in page
    assert "<img" not in page and "Thiếu &lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page
    assert "<li>&lt;b&gt;CCCD&lt;/b&gt;</li>" in page


def test_it_frames_the_result_page_like_the_full_render(
    client: Client, asked_to_supplement: Dossier
) -> None:
    """The anonymous result page is its body in the kept frame (``page_cache.framed_page``):
    the same page as the whole template renders, in each language, holes filled."""
    token = tracking.result_token(asked_to_supplement.code)
    url = f"/tra-cuu/ket-qua/{token}/"

    def normalized(html: str) -> str:
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))

    for language in ("vi", "en"):
        framed = Client(HTTP_ACCEPT_LANGUAGE=language).get(url).content.decode()
        whole = Client(HTTP_ACCEPT_LANGUAGE=language)
        whole.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"  # not shareable
        rendered = whole.get(url).content.decode()
        assert normalized(framed) == normalized(rendered)
        for hole in (page_cache.TITLE_HOLE, page_cache.BODY_HOLE, page_cache.PATH_HOLE):
            assert hole not in framed
        assert f"?next={quote(url)}" in framed  # this page's own path in the language links
        assert (
            f"<title>{'Hồ sơ' if language == 'vi' else 'Dossier'} {asked_to_supplement.code}"
            in framed
        )


def test_the_result_pages_read_gives_what_the_orm_reads(
    world: Any, asked_to_supplement: Dossier, clock_at: Any
) -> None:
    """The anonymous page reads the dossier, its public events and its pauses in one statement
    on PostgreSQL (JSON arrays) and three elsewhere: both give what the ORM gives."""
    from motcua.dossiers.selectors import dossier_public_events
    from motcua.portal import selectors

    loaded = selectors._load_public(asked_to_supplement.code)
    dossier = Dossier.objects.get(pk=asked_to_supplement.pk)
    orm_events = [
        (e.at, e.action, e.to_status, e.note, e.data, e.agency.name if e.agency else "")
        for e in dossier_public_events(dossier)
    ]
    assert len(orm_events) >= 2
    assert [
        (e.at, e.action, e.to_status, e.note, e.data, e.agency_name) for e in loaded.events
    ] == orm_events
    orm_pauses = [
        (p.kind, p.started_at, p.ended_at, p.reason, p.restarted_clock)
        for p in dossier.pauses.all().order_by("started_at", "id")
    ]
    assert orm_pauses and orm_pauses[0][2] is None  # the open supplement pause
    assert [
        (p.kind, p.started_at, p.ended_at, p.reason, p.restarted_clock) for p in loaded.pauses
    ] == orm_pauses
    assert (loaded.dossier.pk, loaded.dossier.due_at) == (dossier.pk, dossier.due_at)
    assert loaded.agency_name == dossier.agency.name
