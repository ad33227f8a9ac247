"""Django admin for administrators: users (with their memberships), memberships, API tokens.

Admin edits are an administrator's tool; membership changes made by agency heads go through
the back office (audited services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from motcua.accounts.models import ApiToken, Membership, User
from motcua.accounts.services import api_token_revoke


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    raw_id_fields = ("agency",)
    fields = ("agency", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = ("username", "full_name", "kind", "id_number", "tax_code", "is_active",
                    "is_staff")  # fmt: skip
    list_filter = ("kind", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "id_number", "tax_code", "email")
    ordering = ("username",)
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin"),
            {"fields": ("kind", "full_name", "id_number", "tax_code", "email", "phone")},
        ),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "kind", "full_name", "id_number", "tax_code",
                           "password1", "password2"),
            },
        ),
    )  # fmt: skip


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "agency", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "agency__level")
    search_fields = ("user__username", "user__full_name", "agency__code", "agency__name")
    raw_id_fields = ("user", "agency")
    list_select_related = ("user", "agency")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "expires_at",
                    "revoked")  # fmt: skip
    list_filter = ("revoked",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at",
                       "revoked")  # fmt: skip
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created through POST /api/v1/auth/token

    @admin.action(description=_("Thu hồi các khóa đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor: Any = request.user
        for token in queryset:
            api_token_revoke(token=token, actor=actor)
