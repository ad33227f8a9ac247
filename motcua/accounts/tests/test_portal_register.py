"""Registration of citizens and businesses at /accounts/dang-ky/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User, UserKind
from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/accounts/dang-ky/"
GOOD_PASSWORD = "Ea-Tam-cafe-2026"


def citizen(**overrides: str) -> dict[str, str]:
    data = {
        "loai": "cong-dan",
        "full_name": "Y Bhim Niê",
        "id_number": "066 200 123456",
        "phone": "0905 123 456",
        "email": "ybhim@example.vn",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    return {**data, **overrides}


def business(**overrides: str) -> dict[str, str]:
    data = {
        "loai": "doanh-nghiep",
        "full_name": "Công ty TNHH Cà phê Ea Tam",
        "tax_code": "6001234562",
        "representative": "Lê Văn Tâm",
        "phone": "+84905123456",
        "email": "info@eatam.example.vn",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    return {**data, **overrides}


def test_it_shows_both_forms_with_labels(client: Client) -> None:
    page = client.get(URL).content.decode()
    assert 'for="id_id_number"' in page and "Số định danh cá nhân" in page
    page = client.get(URL + "?loai=doanh-nghiep").content.decode()
    assert 'for="id_tax_code"' in page and "Người đại diện theo pháp luật" in page
    assert "csrfmiddlewaretoken" in page


def test_it_registers_a_citizen_logs_in_and_lands_home(client: Client) -> None:
    response = client.post(URL, citizen())
    assert response.status_code == 302 and response.url == "/"
    user = User.objects.get(id_number="066200123456")
    assert user.kind == UserKind.CITIZEN and user.username == "066200123456"
    assert user.phone == "0905123456" and user.email == "ybhim@example.vn"
    assert user.check_password(GOOD_PASSWORD) and user.identity_verified_at is None
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="account.registered")
    assert event.data["after"]["username"] == "066200123456"
    assert GOOD_PASSWORD not in str(event.data)
    # The new citizen can log in with the ID and the password.
    client.logout()
    login = client.post(
        "/accounts/login/",
        {"tab": "public", "p-identifier": "066200123456", "p-password": GOOD_PASSWORD},
    )
    assert login.status_code == 302 and login.url == "/"


def test_it_registers_a_business(client: Client) -> None:
    response = client.post(URL, business())
    assert response.status_code == 302 and response.url == "/"
    user = User.objects.get(tax_code="6001234562")
    assert user.kind == UserKind.BUSINESS and user.representative == "Lê Văn Tâm"
    assert user.phone == "0905123456" and user.id_number is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (citizen(full_name=""), "full_name", "bắt buộc"),
        (citizen(id_number="06620012345"), "id_number", "đúng 12 chữ số"),
        (citizen(id_number="999200123456"), "id_number", "không phải mã tỉnh"),
        (citizen(id_number="066299123456"), "id_number", "sau năm hiện tại"),
        (citizen(phone="12345"), "phone", "Số điện thoại gồm 10 chữ số"),
        (citizen(email="not-an-email"), "email", "email"),
        (citizen(password2="something-else-2026"), "password2", "không giống nhau"),
        (citizen(password1="short", password2="short"), "password1", "8"),
        (citizen(password1="12345678901", password2="12345678901"), "password1", "hoàn toàn là số"),
        (citizen(password1="password123", password2="password123"), "password1", "quá phổ biến"),
        (business(tax_code="6001234563"), "tax_code", "chữ số kiểm tra"),
        (business(tax_code="60012345"), "tax_code", "10 chữ số"),
        (business(representative=""), "representative", "bắt buộc"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_writes_nothing(
    client: Client, data: dict[str, str], field: str, message: str
) -> None:
    response = client.post(URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message.lower() in " ".join(form.errors[field]).lower()
    assert not User.objects.exists()
    assert not AuditEvent.objects.filter(action="account.registered").exists()
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_duplicate_citizen_id(client: Client, alice: User) -> None:
    response = client.post(URL, citizen(id_number=str(alice.id_number)))
    assert response.status_code == 409
    assert "đã có tài khoản" in " ".join(response.context["form"].errors["id_number"])
    assert User.objects.count() == 1 and "_auth_user_id" not in client.session


def test_it_refuses_a_duplicate_tax_code(client: Client) -> None:
    assert client.post(URL, business()).status_code == 302
    client.logout()
    response = client.post(URL, business(email="other@example.vn"))
    assert response.status_code == 409
    assert "Mã số thuế này đã có tài khoản" in response.content.decode()
    assert User.objects.count() == 1


def test_it_rate_limits_registrations_per_ip(client: Client, settings: Any) -> None:
    settings.MOTCUA_REGISTER_MAX_PER_HOUR = 3
    for _ in range(3):
        assert client.post(URL, citizen(phone="x")).status_code == 200
    response = client.post(URL, citizen())
    assert response.status_code == 429
    assert "quá nhiều yêu cầu đăng ký" in response.content.decode()
    assert not User.objects.exists()
