"""The demo accounts: idempotent, valid identifiers, the documented roles and logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management.base import OutputWrapper
from django.test import Client
from django.utils import timezone

from motcua.accounts import demo
from motcua.accounts.identifiers import parse_citizen_id, parse_tax_code
from motcua.accounts.models import Membership, User, UserKind
from motcua.accounts.scoping import agency_ids_visible_to, can_manage_agency
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db


def load() -> list[tuple[str, str, str]]:
    return demo.load(out=OutputWrapper(StringIO()))


def test_it_creates_the_documented_accounts_once(demo_units: None) -> None:
    rows = load()
    counts = (User.objects.count(), Membership.objects.count())
    assert load() == rows
    assert (User.objects.count(), Membership.objects.count()) == counts
    names = [r[0] for r in rows]
    for expected in ("admin", "vanphong", "motcua.tt", "tuphap.cv", "tuphap.ld", "xaydung.cv",
                     "xa.cb"):  # fmt: skip
        assert expected in names
    assert {r[1] for r in rows} == {demo.DEMO_PASSWORD}


def test_it_gives_the_citizen_and_business_valid_identifiers(demo_units: None) -> None:
    load()
    citizen = User.objects.get(kind=UserKind.CITIZEN)
    business = User.objects.get(kind=UserKind.BUSINESS)
    assert parse_citizen_id(citizen.id_number or "", today=timezone.localdate()).province_code
    assert parse_tax_code(business.tax_code or "").number == business.tax_code
    assert citizen.username == citizen.id_number


def test_it_gives_each_official_the_documented_scope(demo_units: None) -> None:
    load()
    code = {a.pk: a.code for a in Agency.objects.all()}

    def visible(username: str) -> set[str]:
        return {code[i] for i in agency_ids_visible_to(User.objects.get(username=username))}

    assert agency_ids_visible_to(User.objects.get(username="vanphong")).everything
    assert agency_ids_visible_to(User.objects.get(username="admin")).everything
    assert visible("motcua.tt") == {"000.00.02.H16"}
    assert visible("tuphap.cv") == {"000.00.03.H16"}
    assert visible("xaydung.cv") == {"000.00.04.H16"}
    assert visible("xa.cb") == {"000.00.31.H16"}
    tuphap = Agency.objects.get(code="000.00.03.H16")
    assert can_manage_agency(User.objects.get(username="tuphap.ld"), tuphap.pk)
    assert not can_manage_agency(User.objects.get(username="tuphap.cv"), tuphap.pk)


def test_it_lets_the_demo_users_log_in(client: Client, demo_units: None) -> None:
    load()
    ok = client.post(
        "/accounts/login/",
        {"tab": "official", "o-username": "tuphap.ld", "o-password": demo.DEMO_PASSWORD},
    )
    assert ok.status_code == 302 and ok.url == "/office/"
    c2 = Client()
    citizen = User.objects.get(kind=UserKind.CITIZEN)
    ok2 = c2.post(
        "/accounts/login/",
        {"tab": "public", "p-identifier": citizen.id_number, "p-password": demo.DEMO_PASSWORD},
    )
    assert ok2.status_code == 302 and ok2.url == "/"
