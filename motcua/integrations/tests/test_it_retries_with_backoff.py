"""deliver: sent, retried with backoff and jitter, or dead; never inside a transaction."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from motcua.integrations import backoff, outbox
from motcua.integrations.errors import OutboxUsageError
from motcua.integrations.models import OutboxMessage, OutboxStatus
from motcua.integrations.tests.conftest import ScriptedHandler, permanent, temporary


@given(attempts=st.integers(min_value=1, max_value=10_000), seed=st.integers())
def test_it_keeps_retry_delays_between_80_percent_of_nominal_and_the_cap(
    attempts: int, seed: int
) -> None:
    delay = backoff.retry_delay(attempts, rng=random.Random(seed))
    nominal = backoff.nominal_delay(attempts)
    assert 0.8 * nominal <= delay <= nominal <= backoff.CAP_SECONDS


def test_it_doubles_the_delay_from_one_minute_up_to_one_hour() -> None:
    assert [backoff.nominal_delay(n) / 60 for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    with pytest.raises(ValueError):
        backoff.nominal_delay(0)


def test_it_spreads_retries_of_messages_that_failed_together() -> None:
    rng = random.Random(7)
    assert len({round(backoff.retry_delay(3, rng=rng), 3) for _ in range(20)}) > 10


def _claim_one() -> OutboxMessage:
    (msg,) = outbox.claim(1, "w")
    return msg


@pytest.mark.django_db(transaction=True)
def test_it_marks_a_delivered_message_sent(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    (msg,) = make_messages(1)
    assert outbox.deliver(_claim_one()) is outbox.Outcome.SENT
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.SENT
    assert msg.sent_at is not None
    assert msg.claimed_by == ""
    assert test_handler.delivered == [msg.pk]


@pytest.mark.django_db(transaction=True)
def test_it_reschedules_a_temporary_failure_with_backoff(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    (msg,) = make_messages(1)
    test_handler.script = [temporary("451 busy"), temporary("451 still busy")]
    before = timezone.now()
    assert outbox.deliver(_claim_one()) is outbox.Outcome.RETRY
    msg.refresh_from_db()
    assert (msg.status, msg.attempts, msg.last_error) == ("pending", 1, "451 busy")
    first_wait = (msg.next_attempt_at - before).total_seconds()
    assert 48 <= first_wait <= 61
    assert outbox.claim(1, "w") == []  # not due yet

    OutboxMessage.objects.filter(pk=msg.pk).update(next_attempt_at=timezone.now())
    before = timezone.now()
    assert outbox.deliver(_claim_one()) is outbox.Outcome.RETRY
    msg.refresh_from_db()
    assert msg.attempts == 2
    assert 96 <= (msg.next_attempt_at - before).total_seconds() <= 121


@pytest.mark.django_db(transaction=True)
def test_it_buries_a_permanent_failure_at_once(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    (msg,) = make_messages(1)
    test_handler.script = [permanent("550 no such user")]
    assert outbox.deliver(_claim_one()) is outbox.Outcome.DEAD
    msg.refresh_from_db()
    assert (msg.status, msg.attempts, msg.last_error) == ("dead", 1, "550 no such user")
    assert outbox.claim(5, "w") == []


@pytest.mark.django_db(transaction=True)
@override_settings(MOTCUA_OUTBOX_MAX_ATTEMPTS=3)
def test_it_gives_up_after_the_maximum_number_of_attempts(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    (msg,) = make_messages(1)
    test_handler.script = [temporary(f"try {n}") for n in range(1, 4)]
    outcomes = []
    for _ in range(3):
        OutboxMessage.objects.filter(pk=msg.pk).update(next_attempt_at=timezone.now())
        outcomes.append(outbox.deliver(_claim_one()))
    assert outcomes == [outbox.Outcome.RETRY, outbox.Outcome.RETRY, outbox.Outcome.DEAD]
    msg.refresh_from_db()
    assert (msg.status, msg.attempts, msg.last_error) == ("dead", 3, "try 3")


@pytest.mark.django_db(transaction=True)
def test_it_retries_when_a_handler_crashes(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    (msg,) = make_messages(1)
    test_handler.script = [KeyError("to")]
    assert outbox.deliver(_claim_one()) is outbox.Outcome.RETRY
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.PENDING
    assert msg.last_error == "KeyError: 'to'"


@pytest.mark.django_db(transaction=True)
def test_it_retries_a_message_for_a_system_without_a_handler(make_messages: Callable) -> None:
    (msg,) = make_messages(1, system="nowhere")
    assert outbox.deliver(_claim_one()) is outbox.Outcome.RETRY
    msg.refresh_from_db()
    assert "no handler registered for system 'nowhere'" in msg.last_error


@pytest.mark.django_db(transaction=True)
def test_it_does_not_overwrite_a_message_another_worker_took_over(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    (msg,) = make_messages(1)
    stale = _claim_one()
    # Our lease ran out and another worker claimed the message again (attempt 2).
    OutboxMessage.objects.filter(pk=msg.pk).update(next_attempt_at=timezone.now())
    (current,) = outbox.claim(1, "other")
    test_handler.script = [temporary()]
    assert outbox.deliver(stale) is outbox.Outcome.LOST_LEASE
    msg.refresh_from_db()
    assert (msg.status, msg.claimed_by, msg.attempts) == ("sending", "other", 2)
    assert outbox.deliver(current) is outbox.Outcome.SENT


@pytest.mark.django_db(transaction=True)
def test_it_records_a_success_even_after_losing_the_lease(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    (msg,) = make_messages(1)
    stale = _claim_one()
    OutboxMessage.objects.filter(pk=msg.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert outbox.deliver(stale) is outbox.Outcome.SENT
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_deliver_inside_a_transaction(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    make_messages(1)
    msg = _claim_one()
    with pytest.raises(OutboxUsageError), transaction.atomic():
        outbox.deliver(msg)
    assert test_handler.delivered == []


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_deliver_an_unclaimed_message(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    (msg,) = make_messages(1)
    with pytest.raises(OutboxUsageError):
        outbox.deliver(msg)
