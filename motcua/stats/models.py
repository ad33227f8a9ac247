"""Statistics storage: one fact per dossier and the daily rollups summed from the facts.

``DossierFact`` holds native dossiers (kept in step by the dossier services, in the same
transaction as each action) and dossiers imported from another system in the national sync
format (``import_dossiers``), which exist only here: their history cannot replay through the
workflow, but the reports need them (ADR 0014).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.stats.facts import COUNTERS


class Source(models.TextChoices):
    NATIVE = "native", _("Hồ sơ trên hệ thống")
    IMPORTED = "imported", _("Hồ sơ nhập từ hệ thống cũ")


def _reference(model: str) -> Any:
    return models.ForeignKey(
        model, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )


class DossierFact(models.Model):
    """One dossier reduced to what the reports read (``stats.facts.Fact`` plus its dimensions)."""

    # Unique by a constraint, not unique=True: that would add a second (LIKE) index on
    # PostgreSQL, which no query uses and every imported fact pays for.
    code = models.CharField(_("mã hồ sơ"), max_length=60)
    dossier = models.OneToOneField(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="fact"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.NATIVE)
    # No database constraint and no index of their own on these three (ADR 0015 §Speed): the
    # deferred checks and three more indexes cost ~40 % of the server's work per imported fact.
    # The ids come from the catalog resolved in the same transaction (imports) or from the
    # dossier's own constrained row; PROTECT still guards deletes through the ORM; the reports
    # read the facts by agency through the composite indexes below.
    agency = _reference("units.Agency")
    receiving_agency = _reference("units.Agency")
    procedure = _reference("catalog.Procedure")
    channel = models.CharField(max_length=10)
    status = models.PositiveSmallIntegerField()
    applicant_name = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_kind = models.CharField(max_length=10, blank=True)
    outcome = models.CharField(max_length=10, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    due_before_pause = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    has_fee = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    digitized = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    from_store = models.BooleanField(default=False)
    citizen_data = models.BooleanField(default=False)
    written_result_required = models.BooleanField(default=False)
    eresult = models.BooleanField(default=False)
    rating = models.CharField(max_length=15, blank=True)
    synced = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code"], name="fact_code_key")]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="fact_agency_received_idx"),
            models.Index(fields=["agency", "ended_at"], name="fact_agency_ended_idx"),
            models.Index(fields=["agency", "due_at"], name="fact_agency_due_idx"),
        ]

    def __str__(self) -> str:
        return self.code


class _Counters(models.Model):
    class Meta:
        abstract = True


for _name in COUNTERS:
    _Counters.add_to_class(_name, models.IntegerField(default=0))


class DailyCount(_Counters):
    """Counters per day × competent agency × receiving agency × procedure × channel."""

    day = models.DateField()
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    receiving_agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "receiving_agency", "procedure", "channel"],
                name="daily_count_key",
            )
        ]
        indexes = [models.Index(fields=["agency", "day"], name="daily_count_agency_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id} {self.channel}"


class AgencyDayCount(_Counters):
    """The same counters per day × competent agency: what report II.06a and the index sum."""

    day = models.DateField()
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="agency_day_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"


class FrozenQuerySet(models.QuerySet["PublishedIndex"]):
    """A published month is never changed or removed, not even in bulk."""

    def update(self, **kwargs: object) -> int:
        raise PublicationImmutable("A published index cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PublicationImmutable("A published index cannot be deleted")

    def bulk_update(self, *args: object, **kwargs: object) -> int:
        raise PublicationImmutable("A published index cannot be changed")


class PublicationImmutable(RuntimeError):
    pass


class PublishedIndex(models.Model):
    """The Decision 766 index of one month as published: a frozen JSON payload (the province,
    both rankings with every unit's full index, report II.06a), its SHA-256 and an HMAC sign-off
    with the server's key (``stats.publication``, ADR 0016). Written once, never changed."""

    month = models.CharField(_("tháng"), max_length=7, unique=True)  # YYYY-MM
    published_at = models.DateTimeField(_("thời điểm công bố"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người công bố"),
    )
    eresult_method = models.CharField(_("phương pháp tính kết quả điện tử"), max_length=20)
    payload = models.JSONField(_("số liệu công bố"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signature = models.CharField(_("chữ ký HMAC"), max_length=64)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ số 766 đã công bố")
        verbose_name_plural = _("chỉ số 766 đã công bố")
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.month

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PublicationImmutable("A published index cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PublicationImmutable("A published index cannot be deleted")
