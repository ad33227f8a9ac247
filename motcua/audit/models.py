"""The append-only, hash-chained audit log (nhật ký hệ thống).

Every row carries ``seq`` (gap-free, 1, 2, 3…) and ``hash`` = HMAC-SHA256 over its own content and
the previous row's hash. ``AuditChainHead`` holds the last ``seq``/``hash``; ``verify_audit``
recomputes the chain, so an altered row, a deleted row (a gap in ``seq``) or a truncated tail (head
mismatch) is detected. The HMAC key lives outside the database, so someone who can write to the
database cannot forge a consistent chain. Database triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    seq = models.BigIntegerField(_("số thứ tự"), unique=True)
    occurred_at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # the log must outlive the user row
    )
    actor_repr = models.CharField(_("người thực hiện"), max_length=255, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    action = models.CharField(_("hành động"), max_length=100, db_index=True)
    subject_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    subject_id = models.CharField(_("mã đối tượng"), max_length=100, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("nhật ký hệ thống")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject_type}:{self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: a row is written once. (The database triggers enforce the same.)
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit events are append-only")


class AuditChainHead(models.Model):
    """A single row (pk=1): the last sequence number and hash; locked by every writer."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.seq}"
