from __future__ import annotations

import threading
from typing import Any

import pytest
import time_machine
from django.db import connection

from motcua.core import ratelimit
from motcua.core.models import RateCounter

pytestmark = pytest.mark.django_db


def test_it_allows_the_limit_then_refuses_until_the_window_closes() -> None:
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        assert [ratelimit.hit("k", limit=3, window_seconds=60) for _ in range(5)] == [
            True,
            True,
            True,
            False,
            False,
        ]
        traveller.shift(59)
        assert not ratelimit.hit("k", limit=3, window_seconds=60)
        traveller.shift(2)  # the window opened at t=0 has closed
        assert ratelimit.hit("k", limit=3, window_seconds=60)
        assert RateCounter.objects.get(key="k").hits == 1


def test_keys_are_independent_and_reset_forgets() -> None:
    for _ in range(3):
        ratelimit.hit("a", limit=2, window_seconds=60)
    assert ratelimit.hit("b", limit=2, window_seconds=60)
    assert not ratelimit.hit("a", limit=2, window_seconds=60)
    ratelimit.reset("a")
    assert ratelimit.hit("a", limit=2, window_seconds=60)


def test_hit_and_read_counts_like_hit_and_reads_the_row_only_within_the_limit() -> None:
    """One statement on PostgreSQL (the upsert as a CTE), two on SQLite: the same answers."""
    table = RateCounter._meta.db_table
    query = f"SELECT key, hits, window_start FROM {table} WHERE key = %s"  # noqa: S608

    def read(key: str) -> tuple[bool, tuple[Any, ...] | None]:
        return ratelimit.hit_and_read(
            "reader", limit=3, window_seconds=60, query=query, params=[key]
        )

    with time_machine.travel(1_800_000_000, tick=False):
        ratelimit.hit("target", limit=9, window_seconds=60)
        allowed, row = read("target")
        assert allowed and row == ("target", 1, 1_800_000_000.0)
        assert read("no-such-key") == (True, None)  # counted, nothing found
        assert read("target")[0]  # the third hit: still allowed
        assert read("target") == (False, None)  # over the limit: counted, the row withheld
        assert RateCounter.objects.get(key="reader").hits == 4
        assert not ratelimit.hit("reader", limit=3, window_seconds=60)  # the same counter


def test_old_counters_are_forgotten() -> None:
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        ratelimit.hit("old", limit=1, window_seconds=60)
        traveller.shift(90_000)
        ratelimit.hit("new", limit=1, window_seconds=60)
        assert ratelimit.forget_older_than(86_400) == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_all_counted(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    results: list[bool] = []

    def worker() -> None:
        try:
            for _ in range(10):
                results.append(ratelimit.hit("shared", limit=1_000, window_seconds=60))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert RateCounter.objects.get(key="shared").hits == 40 and all(results)
