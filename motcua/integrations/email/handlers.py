"""Deliver ``email`` outbox messages with Django's ``EmailMessage`` through the configured backend.

SMTP replies are sorted into temporary and permanent failures (healthchecks ``TransportError``):
a refused connection, a dropped session or any 4xx reply is retried; a recipient or message the
server refuses with a 5xx reply is permanent. Other 5xx replies (authentication, sender) are
problems of our configuration, not of the message, so they are retried until an operator fixes
them (or the message runs out of attempts and can be retried from the admin).
"""

from __future__ import annotations

import hashlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from motcua.integrations.email.mapping import MappingError, render
from motcua.integrations.errors import DeliveryError
from motcua.integrations.models import OutboxMessage


def message_id(idempotency_key: str) -> str:
    """A Message-ID derived from the idempotency key: a re-sent duplicate carries the same one,
    so mail clients and servers can collapse it."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<{digest}@{domain}>"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def classify(exc: Exception) -> DeliveryError:
    """The ``DeliveryError`` an exception raised while sending stands for."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        detail = "; ".join(
            f"{rcpt}: {code} {_text(reply)}" for rcpt, (code, reply) in exc.recipients.items()
        )
        permanent = bool(codes) and all(code >= 500 for code in codes)
        return DeliveryError(f"recipient refused: {detail}", permanent=permanent)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = _text(exc.smtp_error)
        permanent = exc.smtp_code >= 500 and isinstance(exc, smtplib.SMTPDataError)
        return DeliveryError(
            f"SMTP {type(exc).__name__} {exc.smtp_code}: {text}", permanent=permanent
        )
    # SMTPServerDisconnected, refused or timed-out connections (OSError), TLS failures…
    return DeliveryError(f"SMTP unavailable: {type(exc).__name__}: {exc}", permanent=False)


def deliver(msg: OutboxMessage) -> None:
    if not getattr(settings, "MOTCUA_NOTIFY_EMAIL", True):
        # Normally nothing is queued when e-mail is off (see notify.py); a message queued
        # before it was turned off is kept, dead, and can be retried from the admin.
        raise DeliveryError(
            "e-mail notifications are turned off (MOTCUA_NOTIFY_EMAIL)", permanent=True
        )
    try:
        mail = render(msg.payload)
    except MappingError as exc:
        raise DeliveryError(f"invalid e-mail payload: {exc}", permanent=True) from exc
    email = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers={"Message-ID": message_id(msg.idempotency_key)},
    )
    try:
        email.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        raise classify(exc) from exc
