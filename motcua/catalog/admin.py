"""Django admin for the catalog. Versions are immutable: they are shown, never edited
(change the catalog by importing a file: ``manage.py import_catalog``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.catalog.models import (
    Component,
    Fee,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ResultDocument,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseInline(ReadOnlyMixin, admin.TabularInline[ProcedureCase, ProcedureVersion]):
    model = ProcedureCase
    extra = 0
    fields = [
        "order",
        "name",
        "time_limit_amount",
        "time_limit_unit",
        "online_time_limit_amount",
        "online_time_limit_unit",
        "note",
    ]


class ComponentInline(ReadOnlyMixin, admin.TabularInline[Component, ProcedureVersion]):
    model = Component
    extra = 0
    fields = [
        "order",
        "case",
        "name",
        "required",
        "original_count",
        "copy_count",
        "form_template",
        "must_digitize",
        "may_reuse",
        "present_only",
    ]


class FeeInline(ReadOnlyMixin, admin.TabularInline[Fee, ProcedureVersion]):
    model = Fee
    extra = 0
    fields = ["order", "case", "name", "amount_vnd", "payer_kind", "channel", "per", "note"]


class StepInline(ReadOnlyMixin, admin.TabularInline[ProcessStep, ProcedureVersion]):
    model = ProcessStep
    extra = 0
    fields = ["order", "case", "name", "role", "time_share"]


class ResultInline(ReadOnlyMixin, admin.TabularInline[ResultDocument, ProcedureVersion]):
    model = ResultDocument
    extra = 0
    fields = ["order", "code", "name"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyMixin, admin.ModelAdmin[ProcedureVersion]):
    list_display = ["procedure", "number", "name", "field", "online_level", "created_at"]
    list_filter = ["field", "online_level", "result_kind"]
    search_fields = ["procedure__code", "search_text"]
    list_select_related = ["procedure", "field"]
    inlines = [CaseInline, ComponentInline, FeeInline, StepInline, ResultInline]
    exclude = ["search_text", "name_folded"]


class VersionInline(ReadOnlyMixin, admin.TabularInline[ProcedureVersion, Procedure]):
    model = ProcedureVersion
    extra = 0
    fields = ["number", "name", "field", "content_hash", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = True


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyMixin, admin.ModelAdmin[Procedure]):
    list_display = ["code", "current_version", "created_at"]
    search_fields = ["code", "current_version__search_text"]
    list_select_related = ["current_version"]
    inlines = [VersionInline]


@admin.register(Field)
class FieldAdmin(ReadOnlyMixin, admin.ModelAdmin[Field]):
    """Fields come with the catalog file (import it to rename one)."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]
