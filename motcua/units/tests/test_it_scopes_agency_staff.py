"""Agency staff pages (/office/agencies/) and API: one official cannot see or change another
agency's staff; managers change their own agency's memberships, audited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import Membership, Role, User
from motcua.accounts.services import api_token_create
from motcua.accounts.tests.factories import MembershipFactory, UserFactory
from motcua.audit.models import AuditEvent
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_a(agency_a: Agency) -> Any:
    user = UserFactory(username="leader.a", full_name="Đặng Văn Lâm")
    MembershipFactory(user=user, agency=agency_a, role=Role.LEADER)
    return user


@pytest.fixture
def newcomer(db: Any) -> Any:
    return UserFactory(username="newcomer", full_name="Bùi Thị Ngọc")


def snapshot() -> list[tuple[int, int, str, bool]]:
    return sorted(Membership.objects.values_list("user_id", "agency_id", "role", "is_active"))


def api(user: User) -> Client:
    _, key = api_token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def api_post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


# --- pages ----------------------------------------------------------------------------------


def test_it_lists_only_the_agencies_an_official_belongs_to(
    client: Client, bob: User, carol: User, agency_a: Agency, agency_b: Agency
) -> None:
    client.force_login(bob)
    page = client.get("/office/agencies/").content.decode()
    assert agency_a.name in page and agency_b.name not in page


def test_it_shows_every_agency_to_the_province_office(
    client: Client, agency_a: Agency, agency_b: Agency
) -> None:
    vp: Any = UserFactory(username="vp")
    MembershipFactory(user=vp, role=Role.PROVINCE_OFFICE)
    client.force_login(vp)
    page = client.get("/office/agencies/").content.decode()
    assert agency_a.name in page and agency_b.name in page
    assert client.get(f"/office/agencies/{agency_b.code}/").status_code == 200


def test_it_searches_the_list_without_diacritics(
    client: Client, admin_user: User, agency_a: Agency, agency_b: Agency
) -> None:
    client.force_login(admin_user)
    page = client.get("/office/agencies/", {"q": "so xay dung"}).content.decode()
    assert agency_b.name in page and agency_a.name not in page


def test_it_hides_another_agencys_staff_page(
    client: Client, bob: User, carol: User, agency_b: Agency
) -> None:
    client.force_login(bob)
    response = client.get(f"/office/agencies/{agency_b.code}/")
    assert response.status_code == 404
    assert "Lê Thị Cúc" not in response.content.decode()


def test_it_shows_the_own_agencys_staff(client: Client, bob: User, agency_a: Agency) -> None:
    client.force_login(bob)
    page = client.get(f"/office/agencies/{agency_a.code}/").content.decode()
    assert "Trần Văn Bình" in page
    assert "Giao vai trò cho cán bộ" not in page  # a specialist cannot manage


def test_it_keeps_citizens_out_of_the_back_office(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/office/agencies/").status_code == 403


def test_it_sends_anonymous_users_to_login(client: Client, agency_a: Agency) -> None:
    response = client.get(f"/office/agencies/{agency_a.code}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_refuses_changes_to_another_agency_through_pages(
    client: Client, leader_a: User, carol: User, newcomer: User, agency_b: Agency
) -> None:
    client.force_login(leader_a)
    before = snapshot()
    add = client.post(
        f"/office/agencies/{agency_b.code}/memberships/",
        {"username": "newcomer", "role": Role.SPECIALIST},
    )
    carol_m = Membership.objects.get(user=carol)
    off = client.post(f"/office/agencies/{agency_b.code}/memberships/{carol_m.pk}/deactivate/")
    # carol's membership through leader_a's own agency URL: not found either
    cross = client.post(
        f"/office/agencies/{leader_a.memberships.get().agency.code}/memberships/"
        f"{carol_m.pk}/deactivate/"
    )
    assert (add.status_code, off.status_code, cross.status_code) == (404, 404, 404)
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action__startswith="membership.").exists()


def test_it_refuses_changes_by_a_specialist(
    client: Client, bob: User, newcomer: User, agency_a: Agency
) -> None:
    client.force_login(bob)
    before = snapshot()
    response = client.post(
        f"/office/agencies/{agency_a.code}/memberships/",
        {"username": "newcomer", "role": Role.SPECIALIST},
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_it_lets_a_leader_add_and_deactivate_a_membership(
    client: Client, leader_a: User, bob: User, newcomer: User, agency_a: Agency
) -> None:
    client.force_login(leader_a)
    url = f"/office/agencies/{agency_a.code}/memberships/"
    response = client.post(url, {"username": "newcomer", "role": Role.CLERK}, follow=True)
    assert "Đã giao vai trò." in response.content.decode()
    m = Membership.objects.get(user=newcomer, agency=agency_a, role=Role.CLERK, is_active=True)
    created = AuditEvent.objects.get(action="membership.created")
    assert (created.actor_id, created.subject_id) == (leader_a.pk, str(m.pk))

    client.post(f"{url}{m.pk}/deactivate/")
    m.refresh_from_db()
    assert m.is_active is False
    assert AuditEvent.objects.get(action="membership.deactivated").data["before"] == {
        "is_active": True
    }
    # adding it again reactivates the same row
    client.post(url, {"username": "newcomer", "role": Role.CLERK})
    m.refresh_from_db()
    assert m.is_active is True
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_it_refuses_a_global_role_from_an_agency_leader(
    client: Client, leader_a: User, newcomer: User, agency_a: Agency
) -> None:
    client.force_login(leader_a)
    before = snapshot()
    for role in (Role.PROVINCE_OFFICE, Role.ADMINISTRATOR):
        response = client.post(
            f"/office/agencies/{agency_a.code}/memberships/",
            {"username": "newcomer", "role": role},
        )
        assert response.status_code == 422
    assert snapshot() == before


def test_it_explains_bad_membership_input(
    client: Client, leader_a: User, alice: User, agency_a: Agency
) -> None:
    client.force_login(leader_a)
    url = f"/office/agencies/{agency_a.code}/memberships/"
    before = snapshot()
    page = client.post(url, {"username": "ghost", "role": Role.CLERK}).content.decode()
    assert "Không có tài khoản “ghost”" in page
    page = client.post(url, {"username": alice.username, "role": Role.CLERK}).content.decode()
    assert "tài khoản cán bộ" in page
    assert snapshot() == before


def test_it_does_not_let_a_leader_remove_themselves(
    client: Client, leader_a: User, agency_a: Agency
) -> None:
    client.force_login(leader_a)
    own = leader_a.memberships.get()
    response = client.post(
        f"/office/agencies/{agency_a.code}/memberships/{own.pk}/deactivate/", follow=True
    )
    assert "không thể tự thu hồi" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active


# --- API ------------------------------------------------------------------------------------


def test_it_hides_another_agencys_staff_through_the_api(
    bob: User, carol: User, agency_a: Agency, agency_b: Agency
) -> None:
    c = api(bob)
    assert c.get(f"/api/v1/agencies/{agency_b.code}/memberships").status_code == 404
    own = c.get(f"/api/v1/agencies/{agency_a.code}/memberships")
    assert own.status_code == 200
    assert [m["user"]["username"] for m in own.json()] == ["bob"]


def test_it_refuses_changes_to_another_agency_through_the_api(
    leader_a: User, carol: User, newcomer: User, agency_b: Agency
) -> None:
    c = api(leader_a)
    before = snapshot()
    add = api_post(
        c,
        f"/api/v1/agencies/{agency_b.code}/memberships",
        {"username": "newcomer", "role": "specialist"},
    )
    carol_m = Membership.objects.get(user=carol)
    off = api_post(c, f"/api/v1/agencies/{agency_b.code}/memberships/{carol_m.pk}/deactivate")
    assert (add.status_code, off.status_code) == (404, 404)
    assert snapshot() == before


def test_it_refuses_api_changes_by_a_specialist(
    bob: User, newcomer: User, agency_a: Agency
) -> None:
    before = snapshot()
    response = api_post(
        api(bob),
        f"/api/v1/agencies/{agency_a.code}/memberships",
        {"username": "newcomer", "role": "clerk"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert snapshot() == before


def test_it_lets_a_leader_change_memberships_through_the_api(
    leader_a: User, newcomer: User, agency_a: Agency
) -> None:
    c = api(leader_a)
    url = f"/api/v1/agencies/{agency_a.code}/memberships"
    response = api_post(c, url, {"username": "newcomer", "role": "secretary"})
    assert response.status_code == 201
    body = response.json()
    assert (body["user"]["username"], body["role"], body["is_active"]) == (
        "newcomer",
        "secretary",
        True,
    )
    again = api_post(c, url, {"username": "newcomer", "role": "secretary"})
    assert again.status_code == 409
    bad = api_post(c, url, {"username": "newcomer", "role": "emperor"})
    assert bad.status_code == 422
    off = api_post(c, f"{url}/{body['id']}/deactivate")
    assert off.status_code == 200 and off.json()["is_active"] is False


def test_it_requires_csrf_for_session_writes(
    leader_a: User, newcomer: User, agency_a: Agency
) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(leader_a)
    response = api_post(
        c,
        f"/api/v1/agencies/{agency_a.code}/memberships",
        {"username": "newcomer", "role": "clerk"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=newcomer).exists()
