"""Database sessions without the existence check on each new key (``SESSION_ENGINE``).

Django's database store asks ``SELECT 1 … WHERE session_key = %s`` before inserting a new
session. The check is not needed: the insert is made with ``must_create=True`` and a key already
taken raises ``CreateError``, on which ``create()`` draws another key. With 32 characters out of
36 a collision is never seen in practice, so the query was pure cost on every first visit.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DbSessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    async def _aget_new_session_key(self) -> str:
        return self._get_new_session_key()
