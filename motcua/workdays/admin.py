"""Django admin for calendar rows; saves go through the services (audit + cache invalidation)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.workdays import services
from motcua.workdays.models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    list_display = ("date", "kind", "name_vi", "source", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name_vi", "name_en", "source", "note")
    date_hierarchy = "date"
    ordering = ("date",)

    def save_model(self, request: HttpRequest, obj: Holiday, form: Any, change: bool) -> None:
        fields = {f: getattr(obj, f) for f in services.HOLIDAY_FIELDS}
        if change:
            current = Holiday.objects.get(pk=obj.pk)
            saved = services.holiday_update(actor=request.user, holiday=current, **fields)
        else:
            saved = services.holiday_create(actor=request.user, **fields)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Holiday) -> None:
        services.holiday_delete(actor=request.user, holiday=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> None:
        for obj in queryset:
            services.holiday_delete(actor=request.user, holiday=obj)
