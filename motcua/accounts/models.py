"""Users (officials, citizens, businesses) and memberships (user × agency × role)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    OFFICIAL = "official", _("Cán bộ, công chức")
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")


class User(AbstractUser):
    """One table for every person or organisation that logs in.

    Citizens are identified by their 12-digit citizen ID (CCCD), businesses by their tax code
    (mã số thuế, 10 or 13 digits); both use it as their username.
    """

    kind = models.CharField(
        _("loại tài khoản"), max_length=10, choices=UserKind.choices, default=UserKind.OFFICIAL
    )
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    id_number = models.CharField(
        _("số định danh cá nhân"), max_length=12, null=True, blank=True, unique=True
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14, null=True, blank=True, unique=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="citizen") | Q(id_number__isnull=False),
                name="citizen_has_id_number",
            ),
            models.CheckConstraint(
                condition=~Q(kind="business") | Q(tax_code__isnull=False),
                name="business_has_tax_code",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_official(self) -> bool:
        return self.kind == UserKind.OFFICIAL


class Role(models.TextChoices):
    CLERK = "clerk", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    HEAD = "head", _("Lãnh đạo phòng")
    LEADER = "leader", _("Lãnh đạo cơ quan")
    SECRETARY = "secretary", _("Văn thư")
    PROVINCE_OFFICE = "province_office", _("Văn phòng UBND tỉnh")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency.code} · {self.get_role_display()}"
