from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.documents.models import StoredDocument


@admin.register(StoredDocument)
class StoredDocumentAdmin(admin.ModelAdmin[StoredDocument]):
    """Read-only: documents are written by the services (audited) only."""

    list_display = ("pk", "title", "kind", "owner_identifier", "dossier", "size", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("owner_identifier", "title", "sha256", "dossier__code")
    raw_id_fields = ("dossier", "component", "reused_from", "uploaded_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
