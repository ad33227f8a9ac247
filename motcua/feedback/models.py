"""Ratings of returned dossiers (đánh giá mức độ hài lòng) and the follow-ups an unhappy rating
opens for the agency. (Feedback on regulations — PAKN — comes with the statistics issue.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class Rating(models.Model):
    """One rating per dossier, by its applicant, after the result was returned."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="rating"
    )
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="ratings")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overall = models.CharField(_("đánh giá tổng thể"), max_length=15, choices=Satisfaction.choices)
    convenience = models.CharField(
        _("mức độ thuận tiện"), max_length=15, choices=Satisfaction.choices
    )
    staff = models.CharField(_("thái độ của cán bộ"), max_length=15, choices=Satisfaction.choices)
    timeliness = models.CharField(
        _("thời gian giải quyết"), max_length=15, choices=Satisfaction.choices
    )
    comment = models.TextField(_("ý kiến khác"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.overall}"

    @property
    def unhappy(self) -> bool:
        return Satisfaction.NOT_SATISFIED in {
            self.overall,
            self.convenience,
            self.staff,
            self.timeliness,
        }


class FollowUp(models.Model):
    """An unhappy rating becomes work for the agency: contact the person, answer, close."""

    class State(models.TextChoices):
        OPEN = "open", _("Chưa xử lý")
        CLOSED = "closed", _("Đã xử lý")

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="follow_up")
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="follow_ups")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    due_at = models.DateTimeField(_("hạn xử lý"))
    answer = models.TextField(_("kết quả xử lý"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theo dõi đánh giá không hài lòng")
        verbose_name_plural = _("theo dõi đánh giá không hài lòng")
        indexes = [models.Index(fields=["agency", "state", "due_at"], name="followup_queue_idx")]

    def __str__(self) -> str:
        return f"follow-up {self.rating_id} {self.state}"
