"""The profile page /accounts/ho-so-ca-nhan/: contact details and the password."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import PASSWORD
from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/accounts/ho-so-ca-nhan/"
NEW_PASSWORD = "Buon-Ma-Thuot-2026"


def test_it_asks_to_log_in_first(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_it_shows_the_profile_with_labels(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert str(alice.id_number) in page and "Nguyễn Thị Ánh" in page
    assert 'for="id_phone"' in page and 'for="id_address"' in page
    assert 'for="id_old_password"' in page
    assert "Chưa xác thực" in page


def test_it_updates_the_contact_details_and_audits_the_change(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(
        URL,
        {"form": "profile", "phone": "0912 345 678", "email": "anh@example.vn",
         "address": "12 Lê Duẩn, Buôn Ma Thuột"},
    )  # fmt: skip
    assert response.status_code == 302 and response.url == URL
    alice.refresh_from_db()
    assert (alice.phone, alice.email) == ("0912345678", "anh@example.vn")
    assert alice.address == "12 Lê Duẩn, Buôn Ma Thuột"
    event = AuditEvent.objects.get(action="account.profile_updated")
    assert event.data["after"]["phone"] == "0912345678"
    assert "Đã lưu thông tin liên hệ" in client.get(URL).content.decode()


def test_it_refuses_a_bad_phone_and_changes_nothing(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(URL, {"form": "profile", "phone": "abc", "email": "", "address": ""})
    assert response.status_code == 400
    assert "Số điện thoại gồm 10 chữ số" in response.content.decode()
    alice.refresh_from_db()
    assert alice.phone == "" and not AuditEvent.objects.filter(action="account.profile_updated")


def test_it_changes_the_password_and_keeps_the_session(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(
        URL,
        {"form": "password", "old_password": PASSWORD, "new_password1": NEW_PASSWORD,
         "new_password2": NEW_PASSWORD},
    )  # fmt: skip
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert client.get(URL).status_code == 200  # still logged in
    event = AuditEvent.objects.get(action="account.password_changed")
    assert NEW_PASSWORD not in str(event.data) and PASSWORD not in str(event.data)


def test_it_refuses_a_wrong_old_password(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(
        URL,
        {"form": "password", "old_password": "wrong", "new_password1": NEW_PASSWORD,
         "new_password2": NEW_PASSWORD},
    )  # fmt: skip
    assert response.status_code == 400
    assert "old_password" in response.context["password_form"].errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_vneid_account_sets_a_first_password_without_an_old_one(
    client: Client, alice: User
) -> None:
    alice.set_unusable_password()
    alice.save()
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "Đặt mật khẩu" in page and 'id="id_old_password"' not in page
    response = client.post(
        URL, {"form": "password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_it_only_edits_the_logged_in_users_own_profile(
    client: Client, alice: User, bob: User
) -> None:
    client.force_login(bob)
    client.post(URL, {"form": "profile", "phone": "0912345678", "email": "", "address": "x",
                      "username": alice.username})  # fmt: skip
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.phone == "" and bob.phone == "0912345678"
