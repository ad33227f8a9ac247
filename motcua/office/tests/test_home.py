from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login(client: Any) -> None:
    response = client.get("/office/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_an_official_their_roles_and_the_tools(client: Any, bob: Any) -> None:
    client.force_login(bob)
    response = client.get("/office/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sở Tư pháp" in body and "000.00.01.H16" in body
    assert 'href="/office/catalog/"' in body
    assert 'href="/office/agencies/"' in body
    assert "/office/calendar/" in body


def test_it_sends_a_citizen_back_to_the_portal(client: Any, alice: Any) -> None:
    client.force_login(alice)
    response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"] == "/"
