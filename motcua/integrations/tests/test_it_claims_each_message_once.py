"""claim: due messages only, a lease, never the same message to two workers, lease expiry."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from motcua.integrations import outbox
from motcua.integrations.models import OutboxMessage, OutboxStatus

on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="row locks and concurrent connections need PostgreSQL",
)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.mark.django_db
def test_it_claims_due_messages_oldest_first_with_a_lease(make_messages: Callable) -> None:
    msgs = make_messages(3)
    with transaction.atomic():
        outbox.enqueue(
            system="test",
            kind="test.later",
            payload={},
            idempotency_key="later",
            deliver_after=timezone.now() + dt.timedelta(hours=1),
        )
    before = timezone.now()
    claimed = outbox.claim(10, "w1")
    assert [m.pk for m in claimed] == [m.pk for m in msgs]
    for msg in claimed:
        assert msg.status == OutboxStatus.SENDING
        assert msg.attempts == 1
        assert msg.claimed_by == "w1"
        lease = (msg.next_attempt_at - before).total_seconds()
        assert 299 <= lease <= 301
    assert outbox.claim(10, "w2") == []


@pytest.mark.django_db
def test_it_claims_no_more_than_the_batch(make_messages: Callable) -> None:
    make_messages(5)
    first = outbox.claim(2, "w1")
    second = outbox.claim(2, "w2")
    third = outbox.claim(2, "w3")
    assert (len(first), len(second), len(third)) == (2, 2, 1)
    ids = [m.pk for m in first + second + third]
    assert len(set(ids)) == 5


@pytest.mark.django_db
def test_it_loses_a_compare_and_swap_on_a_message_taken_meanwhile(make_messages: Callable) -> None:
    """The SQLite path: a worker that read candidates before another claimed them gets none."""
    make_messages(3)
    now = timezone.now()
    stale = outbox._candidates(10, now)
    taken = outbox.claim(2, "fast")
    late = outbox._claim_cas(stale, "slow", now)
    assert {m.pk for m in late}.isdisjoint({m.pk for m in taken})
    assert len(taken) + len(late) == 3
    assert OutboxMessage.objects.filter(claimed_by="fast").count() == 2
    assert OutboxMessage.objects.get(claimed_by="slow").attempts == 1


@pytest.mark.django_db
def test_it_gives_an_abandoned_message_to_another_worker_after_the_lease(
    make_messages: Callable,
) -> None:
    (msg,) = make_messages(1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert [m.pk for m in outbox.claim(5, "crashed")] == [msg.pk]
    with time_machine.travel(start + dt.timedelta(seconds=299), tick=False):
        assert outbox.claim(5, "other") == []
    with time_machine.travel(start + dt.timedelta(seconds=301), tick=False):
        (again,) = outbox.claim(5, "other")
    assert again.pk == msg.pk
    assert again.claimed_by == "other"
    assert again.attempts == 2


@pytest.mark.django_db
@override_settings(MOTCUA_OUTBOX_MAX_ATTEMPTS=2)
def test_it_buries_an_abandoned_message_that_used_every_attempt(make_messages: Callable) -> None:
    (msg,) = make_messages(1)
    start = timezone.now()
    for hours in (0, 1):  # two claims, two crashed workers
        with time_machine.travel(start + dt.timedelta(hours=hours), tick=False):
            assert len(outbox.claim(5, f"crash-{hours}")) == 1
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        assert outbox.claim(5, "third") == []
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.DEAD
    assert msg.attempts == 2
    assert "lease expired" in msg.last_error


def _claim_in_threads(
    strategy: str, workers: int, batch: int
) -> tuple[dict[str, list[int]], list[BaseException]]:
    """Workers in threads, each with its own database connection, claim until nothing is left."""
    barrier = threading.Barrier(workers)
    got: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        mine: list[int] = []
        try:
            barrier.wait()
            while True:
                if strategy == "locking":
                    claimed = outbox.claim(batch, name)
                else:
                    now = timezone.now()
                    claimed = outbox._claim_cas(outbox._candidates(batch, now), name, now)
                    if not claimed and not outbox._candidates(batch, now):
                        break
                    mine += [m.pk for m in claimed]
                    continue
                if not claimed:
                    break
                mine += [m.pk for m in claimed]
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            got[name] = mine
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return got, errors


@on_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("strategy", ["locking", "cas"])
def test_it_never_gives_a_message_to_two_concurrent_workers(
    make_messages: Callable, strategy: str
) -> None:
    assert _is_postgres()
    make_messages(300)
    got, errors = _claim_in_threads(strategy, workers=4, batch=3)
    assert errors == []
    claimed = [pk for ids in got.values() for pk in ids]
    assert len(claimed) == len(set(claimed)) == 300, {k: len(v) for k, v in got.items()}
    assert sum(1 for ids in got.values() if ids) >= 2  # they really did work side by side
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    for name, ids in got.items():
        assert set(
            OutboxMessage.objects.filter(pk__in=ids).values_list("claimed_by", flat=True)
        ) <= {name}


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_it_skips_rows_another_worker_holds_locked(make_messages: Callable) -> None:
    """A worker still inside its claim transaction: the other one skips its rows, no waiting."""
    make_messages(6)
    held = threading.Event()
    release = threading.Event()
    first: list[Any] = []

    def slow_worker() -> None:
        try:
            with transaction.atomic():
                first.extend(outbox.claim(4, "slow"))
                held.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_worker)
    thread.start()
    try:
        assert held.wait(30)
        second = outbox.claim(10, "fast")
    finally:
        release.set()
        thread.join(30)
    assert len(first) == 4
    assert len(second) == 2
    assert {m.pk for m in first}.isdisjoint({m.pk for m in second})
