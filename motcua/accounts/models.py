"""Users (officials, citizens, businesses) and memberships (user × agency × role)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identifiers import InvalidIdentifier, parse_citizen_id, parse_tax_code
from motcua.accounts.scoping import AgencyScopedQuerySet


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
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    representative = models.CharField(
        _("người đại diện theo pháp luật"), max_length=200, blank=True
    )
    # Set when the national identity provider (VNeID, OpenID Connect) vouched for the citizen ID.
    identity_verified_at = models.DateTimeField(
        _("định danh điện tử xác thực lúc"), null=True, blank=True
    )

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
            models.CheckConstraint(
                condition=Q(id_number__isnull=True) | Q(id_number__regex=r"^[0-9]{12}$"),
                name="user_id_number_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(tax_code__isnull=True) | Q(tax_code__regex=r"^[0-9]{10}(-[0-9]{3})?$"),
                name="user_tax_code_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        """Validate and normalise the identifiers (structure, province code, check digit)."""
        super().clean()
        errors: dict[str, str] = {}
        self.id_number = self.id_number.strip() if self.id_number else None
        self.tax_code = self.tax_code.strip() if self.tax_code else None
        if self.id_number:
            try:
                self.id_number = parse_citizen_id(self.id_number, today=timezone.localdate()).number
            except InvalidIdentifier as exc:
                errors["id_number"] = exc.message
        elif self.kind == UserKind.CITIZEN:
            errors["id_number"] = str(_("Tài khoản công dân phải có số định danh cá nhân."))
        if self.tax_code:
            try:
                self.tax_code = parse_tax_code(self.tax_code).number
            except InvalidIdentifier as exc:
                errors["tax_code"] = exc.message
        elif self.kind == UserKind.BUSINESS:
            errors["tax_code"] = str(_("Tài khoản doanh nghiệp phải có mã số thuế."))
        if errors:
            raise ValidationError(errors)

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


class MembershipQuerySet(AgencyScopedQuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency.code} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only the SHA-256 of the key is stored; the key itself is
    shown once, when it is created (``services.api_token_create``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("tiền tố"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    def is_usable(self, *, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return not self.revoked and (self.expires_at is None or now < self.expires_at)
