"""A status change reaches the applicant by e-mail through the outbox and a real SMTP server;
a failed send never blocks or rolls back the action."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_services_paths import act, receive
from motcua.dossiers.workflow import Status
from motcua.integrations.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs outside transactions


def test_the_applicant_gets_an_email_in_vietnamese(
    world: Any, clock_at: Any, smtp_server: Any
) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    call_command("run_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [message] = smtp_server.mailbox.messages
    assert message["To"] == "tuyet@example.vn"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert d.code in message["Subject"] + body
    assert "Nguyễn Thị Ánh Tuyết" in body
    assert OutboxMessage.objects.get().status == "sent"


def test_a_failed_send_keeps_the_action_and_retries_later(
    world: Any, clock_at: Any, no_smtp_server: int
) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    act(world.leader, d, "settle", result="Đã cấp phiếu")
    call_command("run_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Dossier.objects.get(pk=d.pk).status == Status.SETTLED
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert len(messages) == 2
    assert all(m.status == "pending" and m.attempts == 1 and m.last_error for m in messages)
