"""The e-mail handler against a real SMTP server (aiosmtpd): sent, retried, or dead."""

from __future__ import annotations

import email
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.integrations import outbox
from motcua.integrations.email.handlers import message_id
from motcua.integrations.email.notify import enqueue_email
from motcua.integrations.email.testing import SmtpServer
from motcua.integrations.models import OutboxMessage, OutboxStatus

CODE = "000.00.03.H16-261127-0001"


def _queue(to: str = "anh@example.vn", key: str = "dossier:1:event:2:email") -> OutboxMessage:
    with transaction.atomic():
        msg = enqueue_email(
            to=to,
            context={
                "code": CODE,
                "status": "received",
                "applicant_name": "Nguyễn Thị Ánh",
                "procedure_name": "Cấp Phiếu lý lịch tư pháp",
                "due_at": "2026-11-30T17:00:00+07:00",
            },
            idempotency_key=key,
            dossier_id=1,
        )
    assert msg is not None
    return msg


def _deliver_next() -> outbox.Outcome:
    (claimed,) = outbox.claim(1, "test-worker")
    return outbox.deliver(claimed)


@pytest.mark.django_db(transaction=True)
def test_it_delivers_the_notice_with_vietnamese_subject_and_body(
    smtp_server: SmtpServer,
) -> None:
    msg = _queue()
    assert _deliver_next() is outbox.Outcome.SENT
    (received,) = smtp_server.mailbox.messages
    subject = f"Hồ sơ {CODE} đã được tiếp nhận"
    # Django folds the RFC 2047 encoded subject onto a continuation line; the strict parser keeps
    # the fold's whitespace, which mail clients (and the compat decoder) drop.
    assert received["Subject"].strip() == subject
    raw = email.message_from_bytes(smtp_server.mailbox.envelopes[0].original_content)
    assert str(make_header(decode_header(raw["Subject"]))) == subject
    assert received["To"] == "anh@example.vn"
    assert received["From"] == "motcua@daklak.gov.vn"
    assert received["Message-ID"] == message_id(msg.idempotency_key)
    body = received.get_content()
    assert "Kính gửi Ông/Bà Nguyễn Thị Ánh," in body
    assert f"Hồ sơ {CODE} đã được tiếp nhận; hạn trả kết quả: 17:00 Thứ Hai 30/11/2026." in body
    assert smtp_server.mailbox.envelopes[0].rcpt_tos == ["anh@example.vn"]
    msg.refresh_from_db()
    assert (msg.status, msg.attempts, msg.last_error) == ("sent", 1, "")


@pytest.mark.django_db(transaction=True)
def test_it_retries_later_when_the_server_answers_451(smtp_server: SmtpServer) -> None:
    smtp_server.mailbox.rcpt_replies["busy@example.vn"] = "451 4.3.0 Mailbox busy, try later"
    msg = _queue(to="busy@example.vn")
    before = timezone.now()
    assert _deliver_next() is outbox.Outcome.RETRY
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.PENDING
    assert msg.attempts == 1
    assert msg.next_attempt_at > before + timezone.timedelta(seconds=45)
    assert "451" in msg.last_error
    assert smtp_server.mailbox.messages == []

    # The mailbox frees up; the retry (once due) goes through.
    del smtp_server.mailbox.rcpt_replies["busy@example.vn"]
    OutboxMessage.objects.filter(pk=msg.pk).update(next_attempt_at=timezone.now())
    assert _deliver_next() is outbox.Outcome.SENT
    msg.refresh_from_db()
    assert (msg.status, msg.attempts) == ("sent", 2)
    assert len(smtp_server.mailbox.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_it_gives_up_at_once_when_the_server_answers_550(smtp_server: SmtpServer) -> None:
    smtp_server.mailbox.rcpt_replies["ghost@example.vn"] = "550 5.1.1 No such user here"
    msg = _queue(to="ghost@example.vn")
    assert _deliver_next() is outbox.Outcome.DEAD
    msg.refresh_from_db()
    assert (msg.status, msg.attempts) == ("dead", 1)
    assert "550" in msg.last_error
    assert "No such user" in msg.last_error


@pytest.mark.django_db(transaction=True)
def test_it_retries_when_the_smtp_server_is_down(no_smtp_server: int) -> None:
    msg = _queue()
    assert _deliver_next() is outbox.Outcome.RETRY
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.PENDING
    assert msg.next_attempt_at > timezone.now()
    assert "ConnectionRefusedError" in msg.last_error


@pytest.mark.django_db(transaction=True)
def test_it_buries_a_message_whose_payload_cannot_make_an_e_mail(smtp_server: SmtpServer) -> None:
    with transaction.atomic():
        outbox.enqueue(system="email", kind="x", payload={"to": "nobody"}, idempotency_key="bad")
    assert _deliver_next() is outbox.Outcome.DEAD
    assert "invalid e-mail payload" in OutboxMessage.objects.get().last_error
    assert smtp_server.mailbox.messages == []


@pytest.mark.django_db
def test_it_queues_nothing_when_e_mail_is_off_or_there_is_no_address(settings: Any) -> None:
    assert enqueue_email(to="  ", context={}, idempotency_key="k1") is None
    settings.MOTCUA_NOTIFY_EMAIL = False
    assert enqueue_email(to="anh@example.vn", context={}, idempotency_key="k2") is None
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_does_not_send_a_queued_message_once_e_mail_is_turned_off(
    smtp_server: SmtpServer, settings: Any
) -> None:
    msg = _queue()
    settings.MOTCUA_NOTIFY_EMAIL = False
    assert _deliver_next() is outbox.Outcome.DEAD
    msg.refresh_from_db()
    assert "MOTCUA_NOTIFY_EMAIL" in msg.last_error
    assert smtp_server.mailbox.messages == []
