"""run_worker: delivers what is due, runs periodic jobs, stops cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from motcua.integrations import worker as worker_module
from motcua.integrations.email.notify import enqueue_email
from motcua.integrations.models import OutboxMessage, OutboxStatus
from motcua.integrations.tests.conftest import ScriptedHandler
from motcua.integrations.worker import Worker, register_periodic, unregister_periodic


@pytest.fixture
def periodic() -> Iterator[Callable[..., None]]:
    names: list[str] = []

    def add(name: str, fn: Callable[[], object], every_seconds: float) -> None:
        names.append(name)
        register_periodic(name, fn, every_seconds)

    yield add
    for name in names:
        unregister_periodic(name)


@pytest.mark.django_db(transaction=True)
def test_it_delivers_a_queued_e_mail_with_run_worker_once() -> None:
    with transaction.atomic():
        enqueue_email(
            to="anh@example.vn",
            context={"code": "000.00.03.H16-261127-0001", "status": "received"},
            idempotency_key="dossier:1:event:2:email",
            dossier_id=1,
        )
    out = StringIO()
    call_command("run_worker", "--once", stdout=out)
    assert "sent 1, retried 0, dead 0" in out.getvalue()
    assert [m.subject for m in mail.outbox] == ["Hồ sơ 000.00.03.H16-261127-0001 đã được tiếp nhận"]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_it_drains_more_than_one_batch_in_one_pass(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    make_messages(7)
    call_command("run_worker", "--batch", "3", stdout=StringIO())
    assert len(test_handler.delivered) == 7
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_it_rejects_a_zero_batch() -> None:
    with pytest.raises(CommandError):
        call_command("run_worker", "--batch", "0", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_it_finishes_the_current_message_and_gives_back_the_rest_on_sigterm(
    make_messages: Callable, test_handler: ScriptedHandler
) -> None:
    msgs = make_messages(3)
    w = Worker(batch=3, worker_id="w1")
    # SIGTERM arrives while the first message is being delivered.
    test_handler.on_call = lambda msg: w.request_stop(signal.SIGTERM, None)
    w.run_forever()  # returns: the stop request ends the loop
    assert w.stopping
    assert test_handler.delivered == [msgs[0].pk]
    rows = {m.pk: m for m in OutboxMessage.objects.all()}
    assert rows[msgs[0].pk].status == OutboxStatus.SENT
    for msg in msgs[1:]:
        assert (rows[msg.pk].status, rows[msg.pk].attempts, rows[msg.pk].claimed_by) == (
            "pending",
            0,
            "",
        )


def test_it_installs_and_restores_the_signal_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[int, object] = {}

    def fake_run_once(self: Worker) -> None:
        seen[signal.SIGTERM] = signal.getsignal(signal.SIGTERM)
        seen[signal.SIGINT] = signal.getsignal(signal.SIGINT)
        # What the kernel does on `kill -TERM`: call the installed handler.
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler)
        handler(signal.SIGTERM, None)
        assert self.stopping

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(Worker, "run_once", fake_run_once)
    call_command("run_worker", "--once", stdout=StringIO())
    assert getattr(seen[signal.SIGTERM], "__func__", None) is Worker.request_stop
    assert getattr(seen[signal.SIGINT], "__func__", None) is Worker.request_stop
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.django_db(transaction=True)
def test_it_runs_periodic_jobs_at_their_interval_and_survives_their_failures(
    periodic: Callable[..., None],
) -> None:
    now = [1000.0]
    calls: list[str] = []

    def broken() -> None:
        calls.append("broken")
        raise RuntimeError("sweep failed")

    periodic("test.sweep", lambda: calls.append("sweep"), 60)
    periodic("test.broken", broken, 10)
    w = Worker(clock=lambda: now[0])
    w.run_once()
    now[0] += 30
    w.run_once()
    now[0] += 31
    w.run_once()
    assert calls == ["broken", "sweep", "broken", "broken", "sweep"]
    assert (w.stats.jobs_run, w.stats.jobs_failed) == (2, 3)


@pytest.mark.django_db(transaction=True)
def test_it_stops_the_loop_when_asked_between_passes(periodic: Callable[..., None]) -> None:
    w = Worker(interval=60)
    passes: list[int] = []

    def job() -> None:
        passes.append(1)
        if len(passes) == 2:
            w.request_stop(signal.SIGINT, None)

    periodic("test.count", job, 0.001)
    w.sleep = lambda seconds: None  # type: ignore[method-assign]
    w.run_forever()
    assert len(passes) == 2


def test_it_refuses_a_periodic_job_without_a_positive_interval() -> None:
    with pytest.raises(ValueError):
        worker_module.register_periodic("bad", lambda: None, 0)
