"""The admin lists the outbox read-only; "retry now" revives dead messages, audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from motcua.audit.models import AuditEvent
from motcua.core.errors import PermissionDenied
from motcua.integrations.models import OutboxMessage, OutboxStatus
from motcua.integrations.selectors import outbox_message_list, outbox_status_counts
from motcua.integrations.services import outbox_message_retry

CHANGELIST = "admin:integrations_outboxmessage_changelist"


def _kill(msg: OutboxMessage, error: str = "550 no such user") -> None:
    OutboxMessage.objects.filter(pk=msg.pk).update(
        status=OutboxStatus.DEAD, attempts=8, last_error=error
    )


@pytest.mark.django_db
def test_it_revives_dead_messages_with_an_audit_event(
    client: Any, admin_user: Any, make_messages: Callable
) -> None:
    dead, pending = make_messages(2)
    _kill(dead)
    client.force_login(admin_user)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "retry_now", "_selected_action": [dead.pk, pending.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đã đưa 1 thông điệp vào hàng đợi gửi lại." in text
    assert "Bỏ qua 1 thông điệp không ở trạng thái thất bại." in text
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.last_error) == ("pending", 0, "550 no such user")
    event = AuditEvent.objects.get(action="outbox.retried")
    assert event.actor == admin_user
    assert event.subject_id == str(dead.pk)
    assert event.data["before"]["status"] == "dead"
    assert event.data["before"]["last_error"] == "550 no such user"


@pytest.mark.django_db
def test_it_shows_the_outbox_read_only(
    client: Any, admin_user: Any, make_messages: Callable
) -> None:
    (msg,) = make_messages(1)
    client.force_login(admin_user)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    url = reverse("admin:integrations_outboxmessage_change", args=[msg.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"status": "sent"}).status_code == 403


@pytest.mark.django_db
def test_it_refuses_a_retry_by_an_official_without_the_permission(
    bob: Any, make_messages: Callable
) -> None:
    (msg,) = make_messages(1)
    _kill(msg)
    with pytest.raises(PermissionDenied):
        outbox_message_retry(message_ids=[msg.pk], actor=bob)
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.DEAD
    assert not AuditEvent.objects.filter(action="outbox.retried").exists()


@pytest.mark.django_db
def test_it_lets_a_granted_operator_retry(carol: Any, make_messages: Callable) -> None:
    (msg,) = make_messages(1)
    _kill(msg)
    carol.user_permissions.add(Permission.objects.get(codename="retry_outboxmessage"))
    carol = type(carol).objects.get(pk=carol.pk)  # fresh permission cache
    assert [m.pk for m in outbox_message_retry(message_ids=[msg.pk], actor=carol)] == [msg.pk]


@pytest.mark.django_db
def test_it_shows_the_outbox_only_to_those_allowed(
    admin_user: Any, bob: Any, alice: Any, make_messages: Callable
) -> None:
    _first, second = make_messages(2, dossier_id=7)
    _kill(second)
    assert list(outbox_message_list(user=bob)) == []
    assert list(outbox_message_list(user=alice)) == []
    assert outbox_status_counts(user=bob) == {"pending": 0, "sending": 0, "sent": 0, "dead": 0}
    assert [m.pk for m in outbox_message_list(user=admin_user, status="dead")] == [second.pk]
    assert len(outbox_message_list(user=admin_user, dossier_id=7, system="test")) == 2
    assert outbox_status_counts(user=admin_user) == {
        "pending": 1,
        "sending": 0,
        "sent": 0,
        "dead": 1,
    }
