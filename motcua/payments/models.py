"""Online payments of a dossier's fees through the payment gateway (DESIGN §3.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


class PaymentRequest(models.Model):
    """One attempt to pay a dossier's fees online; written only by ``payments.services``."""

    order_id = models.CharField(_("mã đơn hàng"), max_length=40, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payment_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    fee_lines = models.JSONField(_("các khoản phí"), default=list)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    gateway_payment_id = models.CharField(max_length=64, blank=True)
    gateway_url = models.URLField(max_length=500, blank=True)
    gateway_transaction_id = models.CharField(max_length=64, blank=True)
    gateway_error = models.CharField(max_length=300, blank=True)
    dossier_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the dossier's confirm_payment action succeeded."
    )

    class Meta:
        verbose_name = _("yêu cầu thanh toán")
        verbose_name_plural = _("yêu cầu thanh toán")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["dossier", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="paid", paid_at__isnull=False) | ~Q(status="paid"),
                name="payment_paid_has_paid_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.amount_vnd} đ, {self.status})"


class CallbackOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Chấp nhận")
    REJECTED = "rejected", _("Từ chối")


class PaymentCallbackLog(models.Model):
    """Every callback the gateway (or anyone) sent us, accepted or not. Append-only."""

    received_at = models.DateTimeField(db_index=True)
    payment = models.ForeignKey(
        PaymentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks"
    )
    raw_body = models.TextField()
    headers = models.JSONField(default=dict)
    remote_addr = models.CharField(max_length=45, blank=True)
    signature_ok = models.BooleanField()
    transaction_id = models.CharField(max_length=64, blank=True)
    nonce = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=CallbackOutcome.choices)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("nhật ký gọi lại thanh toán")
        verbose_name_plural = _("nhật ký gọi lại thanh toán")
        ordering = ["-received_at", "-id"]
        constraints = [
            # Replay protection: a gateway transaction is accepted once, ever.
            models.UniqueConstraint(
                fields=["transaction_id"],
                condition=Q(outcome="accepted"),
                name="payment_callback_txn_accepted_once",
            ),
            models.UniqueConstraint(
                fields=["nonce"],
                condition=Q(outcome="accepted"),
                name="payment_callback_nonce_accepted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.outcome} {self.reason}"
