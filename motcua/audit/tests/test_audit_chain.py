from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from motcua.audit import triggers
from motcua.audit.models import AuditChainHead, AuditEvent
from motcua.audit.selectors import audit_verify
from motcua.audit.services import record
from motcua.core.request_context import reset_request_id, set_request_id

pytestmark = pytest.mark.django_db


def _write_three(actor: Any = None) -> list[AuditEvent]:
    return [
        record(
            action="test.created",
            actor=actor,
            subject_type="thing",
            subject_id="1",
            after={"name": "Hồ sơ một"},
        ),
        record(
            action="test.changed",
            actor=actor,
            subject_type="thing",
            subject_id="1",
            before={"name": "Hồ sơ một"},
            after={"name": "Hồ sơ hai", "amount": 1.5},
        ),
        record(action="test.deleted", subject_type="thing", subject_id="1"),
    ]


def _drop_triggers() -> None:
    """Tamper as an attacker with DDL rights would: no triggers (test settings install none)."""
    with connection.cursor() as cursor:
        triggers.remove(cursor, connection.vendor)


@pytest.fixture
def append_only_triggers() -> None:
    """Install the production triggers inside the test transaction (rolled back after)."""
    with connection.cursor() as cursor:
        triggers.install(cursor, connection.vendor)


def test_it_chains_events_in_a_gap_free_sequence(bob: Any) -> None:
    events = _write_three(bob)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[0].actor_repr.startswith("bob")
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (3, events[2].hash)
    assert audit_verify().ok


def test_it_keeps_the_request_id() -> None:
    token = set_request_id("req-1234567890")
    try:
        event = record(action="test.created", subject_type="thing", subject_id="9")
    finally:
        reset_request_id(token)
    assert AuditEvent.objects.get(pk=event.pk).request_id == "req-1234567890"


def test_it_refuses_updates_and_deletes_through_the_orm() -> None:
    event = _write_three()[0]
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.usefixtures("append_only_triggers")
def test_the_database_refuses_updates_and_deletes() -> None:
    _write_three()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()
    assert AuditEvent.objects.filter(action="tampered").count() == 0
    assert AuditEvent.objects.count() == 3


def test_verify_detects_an_altered_row() -> None:
    _write_three()
    _drop_triggers()
    AuditEvent.objects.filter(seq=2).update(data={"after": {"name": "Giả mạo"}})
    report = audit_verify()
    assert not report.ok
    assert any("#2" in p and "altered" in p for p in report.problems)


def test_verify_detects_a_deleted_row() -> None:
    _write_three()
    _drop_triggers()
    AuditEvent.objects.filter(seq=2).delete()
    report = audit_verify()
    assert any("missing" in p for p in report.problems)
    assert any("#3" in p and "broken" in p for p in report.problems)


def test_verify_detects_a_truncated_tail() -> None:
    _write_three()
    _drop_triggers()
    AuditEvent.objects.filter(seq=3).delete()
    report = audit_verify()
    assert any("chain head" in p for p in report.problems)


def test_verify_detects_a_row_rehashed_without_the_key() -> None:
    """Recomputing a plain SHA-256 does not help a forger: the chain is keyed (HMAC)."""
    import hashlib

    _write_three()
    _drop_triggers()
    forged = hashlib.sha256(b"forged").hexdigest()
    AuditEvent.objects.filter(seq=3).update(actor_repr="someone else", hash=forged)
    AuditChainHead.objects.filter(pk=1).update(hash=forged)
    assert not audit_verify().ok


def test_verify_audit_command_exit_status() -> None:
    _write_three()
    call_command("verify_audit")
    _drop_triggers()
    AuditEvent.objects.filter(seq=1).update(action="tampered")
    with pytest.raises(CommandError, match="FAILED"):
        call_command("verify_audit")


def test_admin_is_read_only(admin_user: Any, client: Any) -> None:
    event = _write_three()[0]
    client.force_login(admin_user)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == 3


@pytest.mark.usefixtures("append_only_triggers")
def test_the_database_refuses_emptying_the_table() -> None:
    _write_three()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE audit_auditevent")
        else:
            cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 3


def test_it_recreates_a_missing_chain_head() -> None:
    AuditChainHead.objects.all().delete()
    assert record(action="test.created").seq == 1
    assert audit_verify().ok
