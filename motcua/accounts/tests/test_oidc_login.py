"""The VNeID login (OpenID Connect) against the simulator provider, a real HTTP server: the
Django test client and a plain HTTP connection follow the redirects by hand."""

from __future__ import annotations

import http.client
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from motcua.accounts.models import User, UserKind
from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.audit.models import AuditEvent
from motcua.integrations.email.testing import free_port
from motcua.integrations.vneid.simulator import VneidSimulator

pytestmark = pytest.mark.django_db

AN = "066090004321"  # Nguyễn Văn An in the simulator's demo people
REFUSED = "kết quả xác thực không hợp lệ"


def at_provider(url: str, **extra: str) -> tuple[int, str]:
    """GET ``url`` at the provider without following redirects: (status, Location)."""
    parts = urlsplit(url)
    query = parts.query + ("&" + urlencode(extra) if extra else "")
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        conn.request("GET", f"{parts.path}?{query}")
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        conn.close()


def start(client: Client, **query: str) -> str:
    response = client.get("/accounts/oidc/login/", query)
    assert response.status_code == 302
    return str(response.url)


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/accounts/oidc/callback/"
    return f"{parts.path}?{parts.query}"


def login_through(client: Client, person: str = AN, **query: str) -> Any:
    status, location = at_provider(start(client, **query), demo_person=person)
    assert status == 302
    return client.get(callback_path(location))


def refused_with(client: Client, response: Any, text: str) -> None:
    assert response.status_code == 302 and response.url == "/accounts/login/?tab=public"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert text in page


def test_it_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(
    client: Client, oidc_provider: VneidSimulator
) -> None:
    url = start(client)
    assert url.startswith(oidc_provider.issuer + "/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["client_id"] == "motcua" and query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["state"] and query["nonce"] and query["state"] != query["nonce"]
    assert query["redirect_uri"] == "http://testserver/accounts/oidc/callback/"
    assert "openid" in query["scope"].split()


def test_it_creates_a_verified_citizen_on_first_login(
    client: Client, oidc_provider: VneidSimulator
) -> None:
    response = login_through(client)
    assert response.status_code == 302 and response.url == "/"
    user = User.objects.get(id_number=AN)
    assert user.kind == UserKind.CITIZEN and user.username == AN
    assert user.full_name == "Nguyễn Văn An"
    assert user.identity_verified_at is not None
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="account.identity_verified")
    assert event.data["after"]["created"] is True
    assert AuditEvent.objects.filter(action="auth.login", data__after__channel="vneid").exists()
    # Logging in again finds the same account.
    client.logout()
    assert login_through(client).url == "/"
    assert User.objects.filter(id_number=AN).count() == 1


def test_it_links_an_existing_account_with_the_same_citizen_id(
    client: Client, oidc_provider: VneidSimulator, alice: User
) -> None:
    assert alice.identity_verified_at is None
    response = login_through(client, person=str(alice.id_number), next="/tra-cuu/")
    assert response.url == "/tra-cuu/"
    alice.refresh_from_db()
    assert alice.identity_verified_at is not None
    assert alice.check_password(PASSWORD)  # the password login keeps working
    assert alice.full_name == "Nguyễn Thị Ánh"
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert User.objects.filter(kind=UserKind.CITIZEN).count() == 1


def test_it_ignores_an_unsafe_next(client: Client, oidc_provider: VneidSimulator) -> None:
    assert login_through(client, next="https://evil.example/").url == "/"


def test_it_refuses_an_official_holding_the_citizen_id(
    client: Client, oidc_provider: VneidSimulator
) -> None:
    UserFactory(username="an.cb", id_number=AN, kind=UserKind.OFFICIAL)
    refused_with(client, login_through(client), "không phải tài khoản công dân")


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("signature", REFUSED),
        ("nonce", REFUSED),
        ("issuer", REFUSED),
        ("audience", REFUSED),
        ("expired", "đã hết hạn"),
    ],
)
def test_it_refuses_a_bad_id_token(
    client: Client, oidc_provider: VneidSimulator, fault: str, message: str
) -> None:
    oidc_provider.faults.add(fault)
    refused_with(client, login_through(client), message)
    assert not User.objects.exists()
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.data["after"]["channel"] == "vneid"


def test_it_refuses_a_wrong_state(client: Client, oidc_provider: VneidSimulator) -> None:
    _, location = at_provider(start(client), demo_person=AN)
    query = parse_qs(urlsplit(location).query)
    forged = "/accounts/oidc/callback/?" + urlencode({"code": query["code"][0], "state": "x"})
    refused_with(client, client.get(forged), "đã hết hạn. Vui lòng bắt đầu lại")
    assert oidc_provider.token_requests == 0  # the code was never exchanged
    # The flow is single-use: the genuine callback now fails too.
    refused_with(client, client.get(callback_path(location)), "Vui lòng bắt đầu lại")
    assert not User.objects.exists()


def test_it_refuses_a_callback_from_another_browser(
    client: Client, oidc_provider: VneidSimulator
) -> None:
    _, location = at_provider(start(client), demo_person=AN)
    intruder = Client()
    refused_with(intruder, intruder.get(callback_path(location)), "Vui lòng bắt đầu lại")
    assert not User.objects.exists()


def test_it_refuses_a_replayed_code(client: Client, oidc_provider: VneidSimulator) -> None:
    _, first = at_provider(start(client), demo_person=AN)
    assert client.get(callback_path(first)).url == "/"
    client.logout()
    # A new flow in the same browser, but the old (spent) code pasted with the new state.
    url = start(client)
    state = parse_qs(urlsplit(url).query)["state"][0]
    code = parse_qs(urlsplit(first).query)["code"][0]
    replay = "/accounts/oidc/callback/?" + urlencode({"code": code, "state": state})
    refused_with(client, client.get(replay), REFUSED)


def test_it_says_so_when_the_citizen_declines(
    client: Client, oidc_provider: VneidSimulator
) -> None:
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    declined = "/accounts/oidc/callback/?" + urlencode({"error": "access_denied", "state": state})
    refused_with(client, client.get(declined), "không đồng ý xác thực")


def test_it_says_so_when_the_provider_is_down(client: Client, settings: Any) -> None:
    settings.MOTCUA_OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    settings.MOTCUA_OIDC_CLIENT_ID = "motcua"
    response = client.get("/accounts/oidc/login/")
    refused_with(client, response, "Không kết nối được với hệ thống định danh điện tử VNeID")


def test_it_says_so_when_the_provider_goes_down_mid_login(
    client: Client, oidc_provider: VneidSimulator
) -> None:
    _, location = at_provider(start(client), demo_person=AN)
    oidc_provider.stop()
    refused_with(client, client.get(callback_path(location)), "Không kết nối được")
    assert not User.objects.exists()


def test_it_says_so_when_not_configured(client: Client, settings: Any) -> None:
    settings.MOTCUA_OIDC_ISSUER = ""
    refused_with(client, client.get("/accounts/oidc/login/"), "chưa được cấu hình")


def test_it_rate_limits_the_callback(client: Client, oidc_provider: VneidSimulator) -> None:
    for _ in range(20):
        client.get("/accounts/oidc/callback/?state=guess&code=guess")
    response = login_through(client)
    refused_with(client, response, "quá nhiều lần")
    assert not User.objects.exists()


def test_the_password_login_rate_limit_still_applies_to_a_vneid_account(
    client: Client, oidc_provider: VneidSimulator, settings: Any
) -> None:
    login_through(client)
    client.logout()
    for _ in range(settings.MOTCUA_LOGIN_MAX_ATTEMPTS):
        response = client.post(
            "/accounts/login/", {"tab": "public", "p-identifier": AN, "p-password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post(
        "/accounts/login/", {"tab": "public", "p-identifier": AN, "p-password": "wrong"}
    )
    assert response.status_code == 429


def test_the_simulator_serves_a_pick_a_person_page(oidc_provider: VneidSimulator) -> None:
    client = Client()
    url = start(client)
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    conn.request("GET", f"{parts.path}?{parts.query}")
    page = conn.getresponse().read().decode()
    conn.close()
    assert "Nguyễn Văn An" in page and 'name="demo_person"' in page
