"""The procedure catalog (danh mục thủ tục hành chính), DESIGN §3.1.

A ``Procedure`` is the stable identity (national code); its content lives in immutable
``ProcedureVersion`` rows with their cases, components, fees, process steps and results. A
dossier keeps the version it was received under, so a version is never edited: a changed
procedure gets a new version and ``Procedure.current_version`` moves to it
(docs/decisions/0003-catalog-versions.md).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    NONE = "none", _("Không trực tuyến")
    PARTIAL = "partial", _("Một phần")
    FULL = "full", _("Toàn trình")


class ResultKind(models.TextChoices):
    PAPER = "paper", _("Bản giấy")
    ELECTRONIC = "electronic", _("Bản điện tử")
    BOTH = "both", _("Bản giấy và bản điện tử")


class SupplementMode(models.TextChoices):
    PAUSE = "pause", _("Tạm dừng tính thời gian")
    RESTART = "restart", _("Tính lại từ đầu khi hồ sơ đầy đủ")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    NONE = "none", _("không hẹn (giải quyết ngay)")


class PayerKind(models.TextChoices):
    ANY = "any", _("Người nộp hồ sơ")
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    ORGANIZATION = "organization", _("Tổ chức")


class Channel(models.TextChoices):
    ANY = "any", _("Mọi hình thức")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")
    DIRECT = "direct", _("Trực tiếp")


class ImmutableError(Exception):
    pass


class Field(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to (Hộ tịch, Chứng thực…)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=100, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """The stable identity of a procedure: its national code. Content is in its versions."""

    code = models.CharField(_("mã thủ tục"), max_length=20, unique=True)
    current_version = models.OneToOneField(
        "ProcedureVersion",
        verbose_name=_("phiên bản hiện hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(models.Model):
    """One immutable version of a procedure's content."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    name = models.TextField(_("tên thủ tục"))
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="versions"
    )
    # Delimited "|province|commune|" so that one LIKE finds a level on every database.
    levels_key = models.CharField(_("cấp thực hiện"), max_length=60)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    applicants = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    competent_authority = models.TextField(_("cơ quan có thẩm quyền"), blank=True)
    # Either every active agency of one level (resolved when read, so a new commune is covered
    # without a new version), or explicit agencies, or both.
    agency_level = models.CharField(
        _("cấp của mọi cơ quan thực hiện"), max_length=10, choices=Level.choices, blank=True
    )
    agencies = models.ManyToManyField(
        "units.Agency",
        verbose_name=_("cơ quan thực hiện"),
        blank=True,
        related_name="procedure_versions",
    )
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"), max_length=10, choices=OnlineLevel.choices
    )
    result_kind = models.CharField(
        _("hình thức kết quả"), max_length=12, choices=ResultKind.choices
    )
    written_result_required = models.BooleanField(_("bắt buộc có kết quả bằng văn bản"))
    supplement_mode = models.CharField(
        _("khi bổ sung hồ sơ"), max_length=10, choices=SupplementMode.choices
    )
    publication_number = models.CharField(_("số quyết định công bố"), max_length=100)
    publication_date = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    notes = models.JSONField(_("ghi chú"), default=list, blank=True)
    source_url = models.CharField(_("nguồn"), max_length=500, blank=True)
    source_reference = models.CharField(_("tham chiếu nguồn"), max_length=500, blank=True)
    content_hash = models.CharField(max_length=64)
    search_text = models.TextField(editable=False)
    name_folded = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="catalog_version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="catalog_version_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not domain logic: dossiers point at versions, so they must never change.
        if not self._state.adding:
            raise ImmutableError("procedure versions are immutable; import a new version")
        super().save(*args, **kwargs)

    @property
    def levels(self) -> list[str]:
        return [lv for lv in self.levels_key.split("|") if lv]

    def get_levels_display(self) -> list[str]:
        labels = dict(Level.choices)
        return [str(labels.get(lv, lv)) for lv in self.levels]


class ProcedureCase(models.Model):
    """Trường hợp: a case of a procedure with its own time limit."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="cases")
    order = models.PositiveSmallIntegerField()
    name = models.TextField(_("trường hợp"))
    time_limit_amount = models.PositiveIntegerField(_("thời hạn"), null=True, blank=True)
    time_limit_unit = models.CharField(_("đơn vị"), max_length=15, choices=TimeUnit.choices)
    online_time_limit_amount = models.PositiveIntegerField(
        _("thời hạn khi nộp trực tuyến"), null=True, blank=True
    )
    online_time_limit_unit = models.CharField(
        _("đơn vị (trực tuyến)"), max_length=15, choices=TimeUnit.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["version", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_unit="none", time_limit_amount__isnull=True)
                | (~Q(time_limit_unit="none") & Q(time_limit_amount__gte=1)),
                name="catalog_case_time_limit_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    """Thành phần hồ sơ: a document the applicant provides."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="components"
    )
    case = models.ForeignKey(
        ProcedureCase, null=True, blank=True, on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField()
    name = models.TextField(_("tên giấy tờ"))
    required = models.BooleanField(_("bắt buộc"))
    original_count = models.PositiveSmallIntegerField(_("bản chính"))
    copy_count = models.PositiveSmallIntegerField(_("bản sao"))
    form_template = models.CharField(_("mẫu đơn, tờ khai"), max_length=255, blank=True)
    must_digitize = models.BooleanField(_("phải số hóa"))
    may_reuse = models.BooleanField(_("được tái sử dụng từ kho dữ liệu"))
    present_only = models.BooleanField(_("chỉ xuất trình"))
    condition = models.TextField(_("áp dụng khi"), blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """Phí, lệ phí."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    case = models.ForeignKey(
        ProcedureCase, null=True, blank=True, on_delete=models.CASCADE, related_name="fees"
    )
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    payer_kind = models.CharField(_("người nộp"), max_length=15, choices=PayerKind.choices)
    channel = models.CharField(_("hình thức nộp hồ sơ"), max_length=10, choices=Channel.choices)
    per = models.CharField(_("đơn vị tính"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_vnd} đ"


class ProcessStep(models.Model):
    """Bước xử lý nội bộ with its share of the time limit; shares sum to 100 per case."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    case = models.ForeignKey(
        ProcedureCase, null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("bước"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    time_share = models.PositiveSmallIntegerField(_("tỷ lệ thời gian (%)"))

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["version", "case", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_share__gte=1, time_share__lte=100),
                name="catalog_step_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.time_share}%)"


class ResultDocument(models.Model):
    """Kết quả: a document the procedure issues (code KQ.xxx)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="results")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(_("mã kết quả"), max_length=40, blank=True)
    name = models.TextField(_("tên kết quả"))

    class Meta:
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name
