"""Read-only admin: payments and callbacks are written only by ``payments.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.payments.models import PaymentCallbackLog, PaymentRequest


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PaymentRequest)
class PaymentRequestAdmin(_ReadOnly):
    list_display = ("order_id", "dossier", "amount_vnd", "status", "created_at", "paid_at")
    list_filter = ("status",)
    search_fields = ("order_id", "dossier__code", "gateway_transaction_id")
    raw_id_fields = ("dossier", "requested_by")


@admin.register(PaymentCallbackLog)
class PaymentCallbackLogAdmin(_ReadOnly):
    list_display = ("received_at", "outcome", "reason", "signature_ok", "transaction_id", "payment")
    list_filter = ("outcome", "signature_ok")
    search_fields = ("transaction_id", "payment__order_id")
    raw_id_fields = ("payment",)
