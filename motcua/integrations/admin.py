"""A read-only view of the outbox, with a "retry now" action for dead messages (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.integrations.models import OutboxMessage
from motcua.integrations.services import can_retry, outbox_message_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = (
        "id",
        "created_at",
        "system",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "dossier_id",
    )
    list_filter = ("status", "system", "kind")
    search_fields = ("idempotency_key", "kind", "subject_id", "last_error")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return can_retry(request.user)

    @admin.action(
        description=gettext_lazy("Gửi lại ngay các thông điệp thất bại"),
        permissions=["retry"],
    )
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        ids = list(queryset.values_list("id", flat=True))
        retried = outbox_message_retry(message_ids=ids, actor=request.user)
        skipped = len(ids) - len(retried)
        self.message_user(
            request,
            _("Đã đưa %(n)d thông điệp vào hàng đợi gửi lại.") % {"n": len(retried)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _("Bỏ qua %(n)d thông điệp không ở trạng thái thất bại.") % {"n": skipped},
                messages.WARNING,
            )
