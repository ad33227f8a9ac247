"""POST /api/v1/auth/token, TokenAuth (bearer or session + CSRF) and GET /api/v1/auth/me."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from motcua.accounts.models import ApiToken, User
from motcua.accounts.services import api_token_create
from motcua.accounts.tests.factories import PASSWORD
from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


def post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_it_issues_a_token_that_authenticates_me(client: Client, bob: User) -> None:
    response = post_json(client, TOKEN_URL, {"username": "bob", "password": PASSWORD, "name": "ci"})
    assert response.status_code == 200, response.content
    body = response.json()
    key = body["token"]
    assert key.startswith("mc_") and body["expires_at"]
    me = Client().get(ME_URL, headers=bearer(key))
    assert me.status_code == 200
    data = me.json()
    assert (data["username"], data["kind"], data["sees_all_agencies"]) == ("bob", "official", False)
    assert [(m["agency"]["code"], m["role"]) for m in data["memberships"]] == [
        ("000.00.01.H16", "specialist")
    ]


def test_it_stores_only_the_hash_of_the_key(bob: User) -> None:
    token, key = api_token_create(user=bob, name="x")
    row = ApiToken.objects.get(pk=token.pk)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {row.key_hash, row.prefix, row.name}
    assert key.startswith(row.prefix) and len(row.prefix) < len(key)
    event = AuditEvent.objects.get(action="auth.token_created")
    assert key not in json.dumps(event.data)


def test_it_refuses_bad_credentials_with_401_and_a_message(client: Client, bob: User) -> None:
    response = post_json(client, TOKEN_URL, {"username": "bob", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "bob"},
        {"username": "", "password": "x"},
        {"username": ["bob"], "password": 1},
    ],
)
def test_it_answers_a_malformed_body_with_422(client: Client, bob: User, body: Any) -> None:
    response = post_json(client, TOKEN_URL, body)
    assert response.status_code == 422
    assert ApiToken.objects.count() == 0


def test_it_answers_invalid_json_with_an_error(client: Client) -> None:
    response = client.post(TOKEN_URL, data="{nope", content_type="application/json")
    assert response.status_code in (400, 422)


@override_settings(MOTCUA_LOGIN_MAX_ATTEMPTS=2)
def test_it_rate_limits_token_requests(client: Client, bob: User) -> None:
    for _ in range(2):
        assert post_json(client, TOKEN_URL, {"username": "bob", "password": "x"}).status_code == 401
    response = post_json(client, TOKEN_URL, {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    assert "thử lại" in response.json()["detail"]
    assert ApiToken.objects.count() == 0


def test_it_rejects_missing_wrong_revoked_and_expired_tokens(bob: User) -> None:
    c = Client()
    assert c.get(ME_URL).status_code == 401
    assert c.get(ME_URL, headers=bearer("mc_not-a-real-token")).status_code == 401
    assert c.get(ME_URL, headers={"Authorization": "Token abc"}).status_code == 401
    revoked, key1 = api_token_create(user=bob)
    ApiToken.objects.filter(pk=revoked.pk).update(revoked=True)
    assert c.get(ME_URL, headers=bearer(key1)).status_code == 401
    _, key2 = api_token_create(user=bob, expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert c.get(ME_URL, headers=bearer(key2)).status_code == 401
    _, key3 = api_token_create(user=bob)
    User.objects.filter(pk=bob.pk).update(is_active=False)
    assert c.get(ME_URL, headers=bearer(key3)).status_code == 401


def test_it_records_when_a_token_was_last_used(bob: User) -> None:
    token, key = api_token_create(user=bob)
    assert token.last_used_at is None
    Client().get(ME_URL, headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_accepts_the_browser_session(client: Client, alice: User) -> None:
    client.force_login(alice)
    data = client.get(ME_URL).json()
    assert (data["kind"], data["id_number"], data["memberships"]) == (
        "citizen",
        alice.id_number,
        [],
    )


def test_it_shows_the_province_office_that_it_sees_everything(client: Client, db: Any) -> None:
    from motcua.accounts.models import Role
    from motcua.accounts.tests.factories import MembershipFactory, UserFactory

    vp: Any = UserFactory(username="vanphong")
    MembershipFactory(user=vp, role=Role.PROVINCE_OFFICE)
    client.force_login(vp)
    assert client.get(ME_URL).json()["sees_all_agencies"] is True
