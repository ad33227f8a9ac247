"""The transactional outbox (STYLE §7): messages to external systems, written in the same
transaction as the change they report and delivered afterwards by ``manage.py run_worker``.

See ``docs/decisions/0007-outbox.md``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("chờ gửi")
    SENDING = "sending", _("đang gửi")
    SENT = "sent", _("đã gửi")
    DEAD = "dead", _("gửi thất bại")


class OutboxMessage(models.Model):
    system = models.CharField(_("hệ thống nhận"), max_length=32)
    kind = models.CharField(_("loại thông điệp"), max_length=64)
    payload = models.JSONField(_("nội dung"), default=dict, blank=True)
    idempotency_key = models.CharField(_("khóa chống trùng"), max_length=200, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    # Pending: when it may be tried next. Sending: when the worker's lease ends (after that, a
    # crashed worker's message is claimable again).
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"), default=timezone.now)
    claimed_by = models.CharField(_("tiến trình gửi"), max_length=100, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    # Loose references (no foreign key): the outbox outlives and does not depend on its producers.
    dossier_id = models.BigIntegerField(_("mã hồ sơ"), null=True, blank=True)
    subject_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    subject_id = models.CharField(_("mã đối tượng"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("thông điệp gửi đi")
        verbose_name_plural = _("thông điệp gửi đi")
        ordering = ["-created_at", "-id"]
        permissions = [("retry_outboxmessage", _("Gửi lại thông điệp thất bại"))]
        indexes = [
            # The worker's claim query: due messages, pending or with an expired lease. Sent and
            # dead rows (nearly all of the table, in time) are not in the index.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
            models.Index(
                fields=["dossier_id"],
                name="outbox_dossier_idx",
                condition=models.Q(dossier_id__isnull=False),
            ),
            models.Index(fields=["status", "-created_at"], name="outbox_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OutboxStatus.values), name="outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(idempotency_key=""), name="outbox_key_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system}:{self.kind} #{self.pk} ({self.status})"
