"""Administrative units (đơn vị hành chính) and agencies (cơ quan).

Units are effective-dated: a unit row is valid on ``[valid_from, valid_to)``. The 1 July 2025 move
to two levels closes the districts and old communes (``valid_to = 2025-07-01``) and opens the new
communes, linked by ``UnitSuccession`` rows, so that history before the change stays right.

A province that survives a merger keeps **one row** for both periods: the merged Đắk Lắk (66)
kept its code and name (Phú Yên, 54, merged into it), so the row for 66 has no end date, parents
the pre-2025 districts and the post-2025 communes alike, and anything attached to it (the
provincial agencies) needs no re-pointing. The absorbed province (54) is closed on 2025-07-01 and
linked to 66 by a ``whole`` succession. Every old commune is closed and every new commune opened
on that date, even where the code and name were kept (``unchanged``/``renamed``): the parent
changed from a district to the province, and a row describes one period of one unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import AgencyScopedQuerySet
from motcua.core.text import fold
from motcua.units.codes import AGENCY_CODE_PATTERN, is_agency_code


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh / thành phố")
    DISTRICT = "district", _("Huyện / quận / thị xã")
    COMMUNE = "commune", _("Xã / phường / thị trấn")


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def valid_on(self, day: dt.date) -> AdministrativeUnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
        )


class AdministrativeUnit(models.Model):
    code = models.CharField(_("mã GSO"), max_length=10, db_index=True)
    name = models.CharField(_("tên"), max_length=200)
    unit_type = models.CharField(_("loại"), max_length=60, help_text="Tỉnh, Huyện, Xã, Phường…")
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            # One row per code and start date; two partial constraints instead of
            # nulls_distinct=False, which SQLite does not support (it would drop the constraint).
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                condition=Q(valid_from__isnull=False),
                name="unit_code_unique_per_period",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="unit_code_unique_open_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


class UnitSuccession(models.Model):
    """An old unit merged (whole or in part) into a new one on ``effective_on``."""

    class Change(models.TextChoices):
        WHOLE = "whole", _("Nhập toàn bộ")
        PART = "part", _("Nhập một phần")
        UNCHANGED = "unchanged", _("Giữ nguyên")
        RENAMED = "renamed", _("Đổi tên")

    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="predecessions"
    )
    change = models.CharField(max_length=10, choices=Change.choices)
    effective_on = models.DateField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on})"


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


AGENCY_CODE_MESSAGE = _(
    "Mã định danh không đúng định dạng QCVN 102:2016 (ví dụ: 000.00.12.H16): "
    "ba nhóm chữ số 3.2.2 và mã cấp 1 gồm một chữ cái in hoa và hai chữ số."
)


class AgencyQuerySet(AgencyScopedQuerySet["Agency"]):
    agency_field = "pk"

    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)


class Agency(models.Model):
    """An agency (cơ quan, đơn vị) identified by its electronic identifier code
    (mã định danh điện tử, QCVN 102:2016 format ``000.00.12.H16``)."""

    code = models.CharField(
        _("mã định danh"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(AGENCY_CODE_PATTERN, message=AGENCY_CODE_MESSAGE)],
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    level = models.CharField(_("cấp"), max_length=10, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="agencies")
    has_one_stop_desk = models.BooleanField(_("có Bộ phận Một cửa"), default=False)
    is_active = models.BooleanField(default=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(blank=True)
    # Diacritic- and case-free "code name short_name" for search (core.text.fold); derived.
    search_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=AGENCY_CODE_PATTERN),
                name="agency_code_qcvn102",
                violation_error_message=AGENCY_CODE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived search index, not domain logic: kept here so that every write path
        # (services, admin, demo loader) refreshes it.
        self.search_key = fold(f"{self.code} {self.name} {self.short_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.code and not is_agency_code(self.code):
            raise ValidationError({"code": AGENCY_CODE_MESSAGE})
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Cơ quan không thể là cấp trên của chính nó.")})
