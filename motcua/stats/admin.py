"""The published 766 indexes, read-only: a publication is never changed or removed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.stats.models import PublishedIndex


@admin.register(PublishedIndex)
class PublishedIndexAdmin(admin.ModelAdmin[PublishedIndex]):
    list_display = ("month", "published_at", "published_by", "eresult_method", "sha256")
    readonly_fields = [f.name for f in PublishedIndex._meta.fields]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
