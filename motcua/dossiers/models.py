"""Dossiers (hồ sơ), their legal history, clock pauses, steps and components.

Written only through ``motcua.dossiers.services``: every change is one transaction that locks the
dossier row, checks the pure state machine (``workflow.py``), appends a ``DossierEvent``, writes
the audit entry and enqueues the outbox messages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import (
    AgencyScope,
    AgencyScopedQuerySet,
    AnyUser,
    agency_ids_visible_to,
)
from motcua.dossiers.workflow import OPEN, Status


class StatusChoices(models.IntegerChoices):
    SUBMITTED = Status.SUBMITTED.value, _("Mới đăng ký")
    RECEIVED = Status.RECEIVED.value, _("Đã tiếp nhận")
    REFUSED = Status.REFUSED.value, _("Không được tiếp nhận")
    PROCESSING = Status.PROCESSING.value, _("Đang xử lý")
    AWAITING_SUPPLEMENT = Status.AWAITING_SUPPLEMENT.value, _("Chờ bổ sung hồ sơ")
    AWAITING_PAYMENT = Status.AWAITING_PAYMENT.value, _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = Status.WITHDRAWN.value, _("Công dân đã rút hồ sơ")
    STOPPED = Status.STOPPED.value, _("Dừng xử lý")
    SETTLED = Status.SETTLED.value, _("Đã xử lý xong")
    RETURNED = Status.RETURNED.value, _("Đã trả kết quả")


class Channel(models.TextChoices):
    """``KenhThucHien``: 1 direct, 2 online, 3 postal."""

    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class ApplicantKind(models.TextChoices):
    """``LoaiDoiTuong``: 1 citizen, 2 enterprise, 3 state agency, 4 other organisation."""

    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    AGENCY = "agency", _("Cơ quan nhà nước")
    ORGANISATION = "organisation", _("Tổ chức khác")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại Bộ phận Một cửa")
    POST = "post", _("Qua dịch vụ bưu chính")
    ELECTRONIC = "electronic", _("Trực tuyến (kết quả điện tử)")


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")


OPEN_CODES = sorted(s.value for s in OPEN)


class DossierQuerySet(AgencyScopedQuerySet["Dossier"]):
    """``visible_to(user)``: officials see the dossiers their agencies are competent for, hold
    now, or received at their counter (boundary-free intake); citizens and businesses see their
    own."""

    def visible_to(
        self, user: AnyUser | None, *, scope: AgencyScope | None = None
    ) -> DossierQuerySet:
        """``scope`` may be passed when the caller already computed it for ``user``."""
        scope = agency_ids_visible_to(user) if scope is None else scope
        condition = scope.q("agency") | scope.q("receiving_agency") | scope.q("current_agency")
        if user is not None and user.is_authenticated and not getattr(user, "is_official", True):
            condition |= Q(applicant_user=user)
        return self.filter(condition)

    def open(self) -> DossierQuerySet:
        return self.filter(status__in=OPEN_CODES)


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=StatusChoices.choices)
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every action.")

    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="dossiers"
    )
    case = models.ForeignKey("catalog.ProcedureCase", on_delete=models.PROTECT, related_name="+")
    # Boundary-free intake (phi địa giới): the counter that took it in vs the competent agency.
    receiving_agency = models.ForeignKey(
        "units.Agency", on_delete=models.PROTECT, related_name="received_dossiers"
    )
    agency = models.ForeignKey(
        "units.Agency",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("cơ quan giải quyết"),
    )
    current_agency = models.ForeignKey(
        "units.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan đang xử lý"),
    )

    applicant_kind = models.CharField(
        max_length=15, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    applicant_name = models.CharField(_("người nộp"), max_length=200)
    applicant_id_number = models.CharField(_("số giấy tờ"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    summary = models.CharField(_("trích yếu"), max_length=1000, blank=True)
    search_text = models.TextField(editable=False, default="")
    set_count = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    # The clock ledger (DESIGN §3.3). Instants are aware; see motcua.workdays.
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    clock_start_at = models.DateTimeField(
        null=True, blank=True, help_text="Restarts when a supplement restarts the clock."
    )
    limit_amount = models.PositiveIntegerField(null=True, blank=True)
    limit_unit = models.CharField(max_length=15, blank=True)
    limit_work = models.DurationField(
        null=True, blank=True, help_text="The limit as working time (with extensions)."
    )
    due_at = models.DateTimeField(_("hạn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hạn trả ban đầu"), null=True, blank=True)
    at_risk_from = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    calendar_revision = models.PositiveBigIntegerField(default=0)
    apologized_at = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)

    current_step = models.PositiveSmallIntegerField(default=0)
    # The due instant of the step in progress, kept here so "late steps" is an indexed filter.
    step_due_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    settled_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    result_summary = models.TextField(_("kết quả giải quyết"), blank=True)
    result_is_refusal = models.BooleanField(default=False)
    return_method = models.CharField(max_length=12, choices=ReturnMethod.choices, blank=True)
    refusal_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            # Work queues: open dossiers of an agency by due date (partial: open statuses only).
            models.Index(
                fields=["current_agency", "due_at"],
                name="dossier_queue_idx",
                condition=Q(status__in=OPEN_CODES),
            ),
            models.Index(
                fields=["agency", "due_at"],
                name="dossier_agency_open_idx",
                condition=Q(status__in=OPEN_CODES),
            ),
            # The queue of every agency a user sees (agency OR receiving OR current agency) in
            # due-date order: walked in order and filtered inside the index, so the first page
            # stops early and the counts are index-only (bench/lifecycle.py, decision 0009).
            models.Index(
                fields=["due_at", "id"],
                include=[
                    "status",
                    "agency",
                    "receiving_agency",
                    "current_agency",
                    "at_risk_from",
                ],
                name="dossier_open_due_idx",
                # Open, plus settled (waiting to be returned): the queue's tabs and counts.
                condition=Q(status__in=[*OPEN_CODES, Status.SETTLED.value]),
            ),
            models.Index(fields=["receiving_agency", "received_at"], name="dossier_recv_idx"),
            models.Index(fields=["agency", "status", "received_at"], name="dossier_agency_idx"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_idx"),
            models.Index(
                fields=["calendar_revision"],
                name="dossier_revision_idx",
                condition=Q(status__in=OPEN_CODES),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def status_enum(self) -> Status:
        return Status(self.status)


def dossier_row_visible(
    *,
    user: AnyUser | None,
    scope: AgencyScope,
    agency_ids: tuple[int | None, int | None, int | None],
    applicant_user_id: int | None,
) -> bool:
    """The rule of ``DossierQuerySet.visible_to`` for one row already read (the hot write path
    locks the row first); a test keeps the two in agreement."""
    if scope.everything or any(a in scope.agency_ids for a in agency_ids if a is not None):
        return True
    return bool(
        user is not None
        and user.is_authenticated
        and not getattr(user, "is_official", True)
        and applicant_user_id == user.pk
    )


class DossierEvent(models.Model):
    """One line of a dossier's legal history (Form 05/06's rows, the national progress sync)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=30)
    from_status = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=StatusChoices.choices
    )
    to_status = models.PositiveSmallIntegerField(choices=StatusChoices.choices)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    agency = models.ForeignKey(
        "units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True, help_text="Shown to the applicant.")
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class ClockPause(models.Model):
    """The clock stops while the applicant supplements or pays (DESIGN §3.3)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=PauseKind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    restarted_clock = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(ended_at__isnull=True),
                name="one_open_pause_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d}"


class DossierStep(models.Model):
    """A step of the internal process with its share of the time (Form 05/06 per-step result)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=20)
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    time_share = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    handed_by = models.CharField(max_length=200, blank=True)
    received_by = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["dossier", "order"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class DossierComponent(models.Model):
    """A component (thành phần hồ sơ) as received: checked against the procedure's checklist."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(
        "catalog.Component", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.TextField()
    original_count = models.PositiveSmallIntegerField(default=0)
    copy_count = models.PositiveSmallIntegerField(default=0)
    provided = models.BooleanField(default=True)
    supplemented_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "pk"]

    def __str__(self) -> str:
        return self.name


class DossierCodeCounter(models.Model):
    """Gap-free daily sequence per receiving agency: the row is locked by the intake transaction,
    so a rolled-back intake gives its number back (DESIGN §3.3.1)."""

    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last_value}"
