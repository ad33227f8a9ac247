from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.feedback.models import FollowUp, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin[Rating]):
    list_display = ("dossier", "agency", "overall", "created_at")
    list_filter = ("overall",)
    readonly_fields = [f.name for f in Rating._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin[FollowUp]):
    list_display = ("rating", "agency", "state", "due_at")
    list_filter = ("state",)
    readonly_fields = [f.name for f in FollowUp._meta.fields]
