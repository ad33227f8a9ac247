"""User.clean() and the database checks use the identifier rules; the admin shows them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from motcua.accounts.models import User, UserKind
from motcua.accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_it_normalises_a_valid_tax_code() -> None:
    user = User(username="cn1", kind=UserKind.BUSINESS, tax_code="0314409058 002")
    user.full_clean(exclude=["password"])
    assert user.tax_code == "0314409058-002"


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"kind": UserKind.CITIZEN}, "id_number", "phải có số định danh"),
        ({"kind": UserKind.CITIZEN, "id_number": "003090004321"}, "id_number", "003"),
        ({"kind": UserKind.BUSINESS}, "tax_code", "phải có mã số thuế"),
        ({"kind": UserKind.BUSINESS, "tax_code": "0100233480"}, "tax_code", "kiểm tra"),
    ],
)
def test_it_explains_a_bad_identifier(fields: dict[str, str], field: str, fragment: str) -> None:
    user = User(username="x", **fields)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert fragment in " ".join(exc.value.message_dict[field])


def test_it_refuses_malformed_identifiers_in_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="c", kind=UserKind.CITIZEN, id_number="12345")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="b", kind=UserKind.BUSINESS, tax_code="0314409058002")
    assert not User.objects.filter(username__in=["c", "b"]).exists()


def test_it_shows_users_with_memberships_in_the_admin(client: Client, admin_user: User) -> None:
    m = MembershipFactory()
    client.force_login(admin_user)
    assert client.get("/admin/accounts/user/").status_code == 200
    page = client.get(f"/admin/accounts/user/{m.user.pk}/change/").content.decode()
    assert m.agency.code in page or str(m.agency) in page
    assert "id_number" in page and "tax_code" in page
    for url in ("/admin/accounts/membership/", "/admin/accounts/apitoken/",
                "/admin/units/agency/", "/admin/units/administrativeunit/",
                "/admin/accounts/user/add/"):  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_it_validates_identifiers_when_an_admin_adds_a_citizen(
    client: Client, admin_user: User
) -> None:
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "003090004321",
            "kind": UserKind.CITIZEN,
            "full_name": "Thử Nghiệm",
            "id_number": "003090004321",
            "password1": "Kh0ng-de-doan!",
            "password2": "Kh0ng-de-doan!",
        },
    )
    assert response.status_code == 200
    assert "003" in response.content.decode()
    assert not User.objects.filter(username="003090004321").exists()
