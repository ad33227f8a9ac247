"""A fixed-window rate limiter for public endpoints and logins.

Counters live in the database (``RateCounter``), so every web process shares them, and each hit
is one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL and SQLite ≥ 3.35):
concurrent hits are never lost, unlike a cache's read-then-write increment.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import Any

from django.db import connection

from motcua.core.models import RateCounter

_TABLE = RateCounter._meta.db_table
# Both engines evaluate the SET expressions with the row's old values.
_UPSERT = (
    f'INSERT INTO {_TABLE} ("key", window_start, hits) VALUES (%s, %s, 1) '  # noqa: S608
    'ON CONFLICT ("key") DO UPDATE SET '
    f"hits = CASE WHEN {_TABLE}.window_start > %s THEN {_TABLE}.hits + 1 ELSE 1 END, "
    f"window_start = CASE WHEN {_TABLE}.window_start > %s THEN {_TABLE}.window_start ELSE %s END "
    "RETURNING hits"
)


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on ``key``; True while the caller is still within ``limit`` per window."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, _upsert_params(key, window_seconds))
        (hits,) = cursor.fetchone()
    return int(hits) <= limit


def hit_and_read(
    key: str, *, limit: int, window_seconds: int, query: str, params: Sequence[Any]
) -> tuple[bool, tuple[Any, ...] | None]:
    """``hit`` and a one-row SELECT (``query``, whose first column is never NULL in a row it
    finds), in one round trip on PostgreSQL: the counter's upsert runs as a data-modifying CTE
    beside the query. (allowed, the row or None); the row is None too when the caller is over
    the limit, so that it learns nothing then."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_combined(query), [*_upsert_params(key, window_seconds), *params])
            hits, *row = cursor.fetchone()
            allowed = int(hits) <= limit
            found = tuple(row) if row and row[0] is not None else None
        else:  # SQLite: no round trip to save
            allowed = hit(key, limit=limit, window_seconds=window_seconds)
            cursor.execute(query, list(params))
            found = cursor.fetchone()
    return allowed, (tuple(found) if found is not None and allowed else None)


def _upsert_params(key: str, window_seconds: int) -> list[Any]:
    now = time.time()
    opened_after = now - window_seconds
    return [key[:200], now, opened_after, opened_after, now]


@functools.lru_cache(maxsize=32)
def _combined(query: str) -> str:
    # ``query`` is the caller's constant SQL text (values go in params), never user input.
    return f"WITH hit AS ({_UPSERT}) SELECT hit.hits, q.* FROM hit LEFT JOIN ({query}) q ON TRUE"  # noqa: S608


def reset(key: str) -> None:
    RateCounter.objects.filter(key=key[:200]).delete()


def forget_older_than(seconds: int) -> int:
    """Drop counters whose window closed long ago (a periodic job of the worker)."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=time.time() - seconds).delete()
    return deleted


def client_ip(meta: dict[str, object]) -> str:
    return str(meta.get("REMOTE_ADDR", "unknown"))
