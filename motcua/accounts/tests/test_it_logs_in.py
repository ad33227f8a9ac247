"""The login page: officials and citizens/businesses, rate limiting, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from motcua.accounts.models import User, UserKind
from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/accounts/login/"


def post_official(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post(URL, {"tab": "official", "o-username": username, "o-password": password,
                             **extra})  # fmt: skip


def post_public(client: Client, identifier: str, password: str) -> Any:
    return client.post(URL, {"tab": "public", "p-identifier": identifier, "p-password": password})


@pytest.fixture
def business(db: Any) -> Any:
    return UserFactory(
        username="6001234562",
        kind=UserKind.BUSINESS,
        tax_code="6001234562",
        full_name="Công ty TNHH Cà phê Ea Tam",
    )


def test_it_shows_both_forms_with_labels(client: Client) -> None:
    page = client.get(URL).content.decode()
    assert "Cán bộ, công chức" in page and "Công dân, doanh nghiệp" in page
    assert 'for="id_o-username"' in page
    page = client.get(URL + "?tab=public").content.decode()
    assert 'for="id_p-identifier"' in page


def test_it_sends_an_official_to_the_back_office(client: Client, bob: User) -> None:
    response = post_official(client, "bob", PASSWORD)
    assert response.status_code == 302 and response.url == "/office/"
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_it_honours_a_safe_next_and_ignores_an_unsafe_one(client: Client, bob: User) -> None:
    assert post_official(client, "bob", PASSWORD, next="/office/catalog/").url == "/office/catalog/"
    client.logout()
    assert post_official(client, "bob", PASSWORD, next="https://evil.example/").url == "/office/"


def test_it_sends_a_citizen_home_by_citizen_id(client: Client, alice: User) -> None:
    response = post_public(client, "001 190 012345", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_it_lets_a_business_log_in_by_tax_code(client: Client, business: User) -> None:
    response = post_public(client, "6001234562", PASSWORD)
    assert response.status_code == 302 and response.url == "/"


def test_it_rejects_a_wrong_password_without_saying_which_part(client: Client, bob: User) -> None:
    response = post_official(client, "bob", "wrong")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_keeps_citizens_out_of_the_official_form(client: Client, alice: User) -> None:
    response = post_official(client, alice.username, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "không đúng" in response.content.decode()


def test_it_keeps_officials_out_of_the_citizen_form(client: Client, bob: User) -> None:
    bob.id_number = "066090004321"
    bob.save()
    post_public(client, "066090004321", PASSWORD)
    assert "_auth_user_id" not in client.session


def test_it_explains_a_malformed_identifier(client: Client) -> None:
    page = post_public(client, "12345", "x").content.decode()
    assert "mã số thuế" in page and "10 hoặc 13 chữ số" in page
    page = post_public(client, "003090004321", "x").content.decode()
    assert "003" in page and "mã tỉnh" in page
    page = post_public(client, "6001234560", "x").content.decode()
    assert "chữ số kiểm tra" in page
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_it_audits_logins_without_the_password(client: Client, bob: User) -> None:
    post_official(client, "bob", "s3cret-typo")
    post_official(client, "bob", PASSWORD)
    failed = AuditEvent.objects.get(action="auth.login_failed")
    ok = AuditEvent.objects.get(action="auth.login")
    assert failed.data["after"]["username"] == "bob"
    assert failed.data["after"]["reason"] == "bad_credentials"
    assert ok.actor_id == bob.pk and ok.data["after"]["channel"] == "web"
    for event in (failed, ok):
        assert "s3cret-typo" not in str(event.data) and PASSWORD not in str(event.data)


@override_settings(MOTCUA_LOGIN_MAX_ATTEMPTS=3, MOTCUA_LOGIN_WINDOW_SECONDS=600)
def test_it_locks_a_username_and_ip_after_too_many_attempts(client: Client, bob: User) -> None:
    for _ in range(3):
        assert post_official(client, "bob", "wrong").status_code == 200
    response = post_official(client, "bob", PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "thử lại sau 10 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action="auth.login_failed", data__after__reason="locked"
    ).exists()
    # another IP is not locked
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert post_official(other, "bob", PASSWORD).status_code == 302


@override_settings(MOTCUA_LOGIN_MAX_ATTEMPTS=3)
def test_it_resets_the_counter_after_a_success(client: Client, bob: User) -> None:
    post_official(client, "bob", "wrong")
    post_official(client, "bob", "wrong")
    assert post_official(client, "bob", PASSWORD).status_code == 302
    client.logout()
    post_official(client, "bob", "wrong")
    post_official(client, "bob", "wrong")
    assert post_official(client, "bob", PASSWORD).status_code == 302


def test_it_refuses_an_inactive_account(client: Client, bob: User) -> None:
    bob.is_active = False
    bob.save()
    assert post_official(client, "bob", PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session
