"""Calendar rows: every date that differs from an ordinary Monday–Friday working day."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel
from motcua.workdays.rules import WORKING_KINDS, DayKind


class HolidayKind(models.TextChoices):
    HOLIDAY = DayKind.HOLIDAY.value, _("Ngày lễ, Tết")
    COMPENSATORY = DayKind.COMPENSATORY.value, _("Nghỉ bù")
    SWAP_DAY_OFF = DayKind.SWAP_DAY_OFF.value, _("Nghỉ hoán đổi")
    SWAP_WORKDAY = DayKind.SWAP_WORKDAY.value, _("Làm việc bù (hoán đổi)")
    OVERRIDE_DAY_OFF = DayKind.OVERRIDE_DAY_OFF.value, _("Ngày nghỉ theo quyết định của tỉnh")
    OVERRIDE_WORKDAY = DayKind.OVERRIDE_WORKDAY.value, _("Ngày làm việc theo quyết định của tỉnh")


class Holiday(TimeStampedModel):
    """One dated exception to the weekly pattern, with the decision it comes from.

    Written only through ``motcua.workdays.services`` (audited, and it invalidates the cached
    ``WorkingCalendar``).
    """

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=HolidayKind.choices)
    name_vi = models.CharField(_("tên (tiếng Việt)"), max_length=200)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=200, blank=True)
    source = models.CharField(_("căn cứ (văn bản)"), max_length=300)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("lịch ngày nghỉ, ngày làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.name_vi}"

    @property
    def is_working(self) -> bool:
        return DayKind(self.kind) in WORKING_KINDS


class CalendarRevision(models.Model):
    """A single row (pk=1) whose ``number`` goes up, in the same transaction, with every calendar
    change. Dossiers remember the revision they were planned with; the deadline sweep re-plans the
    open ones whose revision is older (DESIGN §3.3: "when the calendar changes, dossiers in flight
    are re-planned")."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar revision {self.number}"
