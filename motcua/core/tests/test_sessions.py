"""The session store draws a new key without asking first; a taken key is still refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import sessions

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_session_is_one_insert() -> None:
    store = sessions.SessionStore()
    store["x"] = 1
    with CaptureQueriesContext(connection) as captured:
        store.save()
    sql = [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]
    assert [s.split()[0] for s in sql] == ["INSERT"]
    assert sessions.SessionStore(store.session_key)["x"] == 1


def test_a_key_already_taken_is_drawn_again(monkeypatch: Any) -> None:
    first = sessions.SessionStore()
    first["who"] = "first"
    first.save()
    keys = iter([first.session_key, "b" * 32])
    monkeypatch.setattr(sessions, "get_random_string", lambda *_args: next(keys))
    second = sessions.SessionStore()
    second["who"] = "second"
    second.save()
    assert second.session_key == "b" * 32
    assert sessions.SessionStore(first.session_key)["who"] == "first"
    assert sessions.SessionStore("b" * 32)["who"] == "second"
