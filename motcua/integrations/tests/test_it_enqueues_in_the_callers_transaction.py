"""enqueue: only inside a transaction, idempotent on its key, gone if the transaction rolls back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.integrations import outbox
from motcua.integrations.errors import OutboxUsageError
from motcua.integrations.models import OutboxMessage, OutboxStatus


def _enqueue(key: str = "dossier:1:event:1:email", **kw: object) -> OutboxMessage:
    args: dict[str, object] = {
        "system": "email",
        "kind": "dossier.status_changed",
        "payload": {"to": "anh@example.vn", "context": {"code": "X", "status": "received"}},
        "idempotency_key": key,
    }
    args.update(kw)
    return outbox.enqueue(**args)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_it_queues_a_pending_message_due_now() -> None:
    before = timezone.now()
    msg = _enqueue(dossier_id=42, subject_type="dossiers.dossier", subject_id="42")
    assert msg.status == OutboxStatus.PENDING
    assert msg.attempts == 0
    assert before <= msg.next_attempt_at <= timezone.now()
    assert msg.dossier_id == 42
    assert msg.payload["to"] == "anh@example.vn"


@pytest.mark.django_db
def test_it_returns_the_existing_message_for_a_repeated_key() -> None:
    first = _enqueue()
    again = _enqueue(payload={"something": "else"})
    assert again.pk == first.pk
    assert again.payload == first.payload
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_it_keeps_the_callers_transaction_usable_after_a_duplicate() -> None:
    with transaction.atomic():
        _enqueue()
        _enqueue()  # no IntegrityError poisons the transaction
        other = _enqueue(key="dossier:1:event:2:email")
    assert OutboxMessage.objects.count() == 2
    assert other.idempotency_key.endswith("2:email")


@pytest.mark.django_db
def test_it_delays_delivery_when_asked() -> None:
    later = timezone.now() + dt.timedelta(hours=2)
    assert _enqueue(deliver_after=later).next_attempt_at == later


@pytest.mark.django_db
@pytest.mark.parametrize(
    "override",
    [{"idempotency_key": ""}, {"idempotency_key": "k" * 201}, {"system": ""}, {"kind": ""}],
)
def test_it_rejects_incomplete_messages(override: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        _enqueue(**override)


@pytest.mark.django_db
def test_it_rejects_a_payload_that_is_not_json() -> None:
    with pytest.raises(TypeError):
        _enqueue(payload={"bad": object()})


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_enqueue_outside_a_transaction() -> None:
    with pytest.raises(OutboxUsageError):
        _enqueue()
    assert not OutboxMessage.objects.exists()


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_message_when_the_transaction_rolls_back() -> None:
    with pytest.raises(Boom), transaction.atomic():
        _enqueue()
        assert OutboxMessage.objects.count() == 1
        raise Boom
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_commits_the_message_with_the_transaction() -> None:
    with transaction.atomic():
        _enqueue()
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
