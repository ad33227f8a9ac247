"""The scoping choke point: agency_ids_visible_to and visible_to(user)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.models import Membership, Role, User
from motcua.accounts.scoping import (
    AgencyScope,
    agency_ids_visible_to,
    can_manage_agency,
    grantable_roles,
)
from motcua.accounts.tests.factories import MembershipFactory, UserFactory
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db


def test_it_gives_an_official_their_active_agencies(
    bob: User, carol: User, agency_a: Agency, agency_b: Agency
) -> None:
    scope = agency_ids_visible_to(bob)
    assert not scope.everything and scope.agency_ids == {agency_a.pk}
    assert agency_a.pk in scope and agency_b.pk not in scope
    assert list(Agency.objects.visible_to(bob)) == [agency_a]
    assert {m.user_id for m in Membership.objects.visible_to(bob)} == {bob.pk}


def test_it_ignores_inactive_memberships_and_inactive_agencies(bob: User, agency_a: Agency) -> None:
    Membership.objects.filter(user=bob).update(is_active=False)
    assert not agency_ids_visible_to(bob)
    Membership.objects.filter(user=bob).update(is_active=True)
    Agency.objects.filter(pk=agency_a.pk).update(is_active=False)
    assert not agency_ids_visible_to(bob)


@pytest.mark.parametrize("role", [Role.PROVINCE_OFFICE, Role.ADMINISTRATOR])
def test_it_gives_the_province_roles_everything(
    role: str, agency_a: Agency, agency_b: Agency
) -> None:
    user: Any = UserFactory(username="wide")
    MembershipFactory(user=user, agency=agency_a, role=role)
    assert agency_ids_visible_to(user).everything
    assert set(Agency.objects.visible_to(user)) == {agency_a, agency_b}


def test_it_gives_superusers_everything(admin_user: User, agency_a: Agency) -> None:
    assert agency_ids_visible_to(admin_user).everything
    assert can_manage_agency(admin_user, agency_a.pk)
    assert Role.PROVINCE_OFFICE in grantable_roles(admin_user)


def test_it_gives_citizens_and_anonymous_users_nothing(alice: User, agency_a: Agency) -> None:
    MembershipFactory(user=alice, agency=agency_a)  # a stray row must not widen a citizen
    for user in (alice, AnonymousUser(), None):
        scope = agency_ids_visible_to(user)
        assert not scope and agency_a.pk not in scope
        assert not Agency.objects.visible_to(user).exists()
        assert not Membership.objects.visible_to(user).exists()


def test_it_lets_only_managers_of_that_agency_manage(
    bob: User, agency_a: Agency, agency_b: Agency
) -> None:
    head: Any = UserFactory(username="head")
    MembershipFactory(user=head, agency=agency_a, role=Role.HEAD)
    assert can_manage_agency(head, agency_a.pk)
    assert not can_manage_agency(head, agency_b.pk)
    assert not can_manage_agency(bob, agency_a.pk)
    assert Role.ADMINISTRATOR not in grantable_roles(head)


def test_it_builds_filters_for_any_agency_field() -> None:
    everything = AgencyScope(everything=True, agency_ids=frozenset())
    some = AgencyScope(everything=False, agency_ids=frozenset({3, 1}))
    assert str(everything.q("receiving_agency")) == "(AND: )"
    assert "('receiving_agency__in', [1, 3])" in str(some.q("receiving_agency"))
    assert list(some) == [1, 3]
    with pytest.raises(TypeError):
        list(everything)


def test_it_scopes_with_one_query(
    bob: User, agency_a: Agency, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # the scope, then the rows
        assert len(list(Membership.objects.visible_to(bob))) == 1
