"""The service-quality index of Decision 766/QĐ-TTg, computed the way the national portal does
(``reference/vn-rules.md`` §1.2): six groups, 100 points, every score with its numerator,
denominator and rule, per agency / locality / province and month / quarter / year.

The dossier numbers come from the daily rollups (``stats.facts`` counters); the procedure numbers
(transparency, online services) from the catalog. Scoring functions are pure.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from motcua.stats.facts import COUNTERS
from motcua.stats.models import AgencyDayCount, DailyCount, DossierFact
from motcua.stats.report06a import (
    Period,
    agency_tree,
    ended_counters,
    received_counters,
    subtree,
    unit_row_nodes,
)
from motcua.units.models import AdministrativeUnit, Agency
from motcua.workdays.rules import ClockError, WorkingCalendar
from motcua.workdays.selectors import working_calendar


@dataclass(frozen=True, slots=True)
class IndexPeriod:
    """A month (``2026-03``), a quarter (``2026-Q1``) or a year (``2026``)."""

    kind: str  # month / quarter / year
    year: int
    number: int = 0  # month 1–12 or quarter 1–4; 0 for a year

    @classmethod
    def parse(cls, text: str) -> IndexPeriod:
        text = (text or "").strip().upper()
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            month = int(m[2])
            if 1 <= month <= 12:
                return cls("month", int(m[1]), month)
        elif m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            return cls("quarter", int(m[1]), int(m[2]))
        elif re.fullmatch(r"\d{4}", text):
            return cls("year", int(text))
        raise ValueError(f"period must be YYYY-MM, YYYY-Qn or YYYY, got {text!r}")

    @property
    def first(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def last(self) -> dt.date:
        if self.kind == "month":
            end_month = self.number
        elif self.kind == "quarter":
            end_month = 3 * self.number
        else:
            end_month = 12
        return dt.date(self.year, end_month, calendar.monthrange(self.year, end_month)[1])

    @property
    def span(self) -> Period:
        return Period(self.first, self.last)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)


@dataclass(slots=True)
class Indicator:
    code: str  # "2.1", "4.1" … (vn-rules §1.2)
    key: str  # the national metric code, e.g. "ORIGINAL_RESULT_AVAILABLE"
    name: str  # Vietnamese name (translated in the UI)
    max_points: float
    score: float
    numerator: int | None
    denominator: int | None
    rule: str  # the formula and scoring in words
    drill: str = ""  # a drill-down selector name ("" when the number is not about dossiers)

    @property
    def ratio(self) -> float | None:
        if not self.denominator or self.numerator is None:
            return None
        return self.numerator / self.denominator

    @property
    def lost(self) -> float:
        return round(self.max_points - self.score, 2)


@dataclass(slots=True)
class Group:
    code: str  # "1" … "6"
    name: str
    max_points: float
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(i.score for i in self.indicators), 2)


@dataclass(slots=True)
class IndexResult:
    period: IndexPeriod
    unit_code: str  # agency code, administrative-unit code, or "" for the province
    unit_name: str
    level: str  # province / agency / locality
    eresult_method: str
    groups: list[Group] = field(default_factory=list)
    rank: int | None = None

    @property
    def total(self) -> float:
        return round(sum(g.score for g in self.groups), 2)


# -- scoring (pure) --------------------------------------------------------------------------------


def linear(
    points: float, num: int, den: int, *, full_at: float = 1.0, empty: float | None = None
) -> float:
    """``min(P, P·R/full_at)`` with R = num/den; ``empty`` (default: full marks) when den = 0."""
    if den <= 0:
        return points if empty is None else empty
    return round(min(points, points * (num / den) / full_at), 4)


ERESULT_METHODS: dict[str, str] = {
    # The national formula (vn-rules §1.2, 4.1): only procedures that require a written result.
    "national": "national",
    # Every settled dossier, whatever its procedure requires (a stricter local reading).
    "all_settled": "all_settled",
}


# -- units -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scope:
    code: str
    name: str
    level: str  # province / agency / locality
    agency_ids: frozenset[int]
    commune_ids: frozenset[int]


class UnknownUnit(ValueError):
    pass


def _scope_of(agencies: dict[int, Agency], ids: frozenset[int], **kw: Any) -> Scope:
    communes = frozenset(pk for pk in ids if agencies[pk].level == "commune")
    return Scope(agency_ids=ids, commune_ids=communes, **kw)


def resolve_scope(code: str = "") -> Scope:
    """``""``: the province; an agency code (``000.00.03.H16``): the agency and those under
    it; an administrative-unit code (``24133``): the agencies located in that locality."""
    agencies, children = agency_tree()
    code = (code or "").strip()
    if not code:
        roots = children.get(None, [])
        name = agencies[roots[0]].name if len(roots) == 1 else gettext("Toàn tỉnh")
        return _scope_of(agencies, frozenset(agencies), code="", name=name, level="province")
    if "." in code:
        match = next((a for a in agencies.values() if a.code == code), None)
        if match is None:
            raise UnknownUnit(f"Unknown agency {code!r}")
        ids = subtree(match.pk, children)
        return _scope_of(agencies, ids, code=code, name=match.name, level="agency")
    unit = AdministrativeUnit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit is None:
        raise UnknownUnit(f"Unknown administrative unit {code!r}")
    _, ids = unit_row_nodes(unit)  # every agency located in the locality
    return _scope_of(agencies, ids, code=code, name=unit.name, level="locality")


# -- inputs ----------------------------------------------------------------------------------------

_UPTO = ("received_upto", "ended_upto", "p766_overdue_upto", "received_prev_year")


def dossier_sums(period: IndexPeriod, agency_ids: Iterable[int]) -> dict[int, Counter[str]]:
    """Per agency: every counter summed over the period, and the prefix sums at its end."""
    within = Q(day__gte=period.first, day__lte=period.last)
    prev = Q(day__gte=dt.date(period.year - 1, 1, 1), day__lte=dt.date(period.year - 1, 12, 31))
    received, ended = received_counters(), ended_counters()
    rows = (
        AgencyDayCount.objects.filter(agency_id__in=list(agency_ids), day__lte=period.last)
        .values("agency_id")
        .annotate(
            **{f"in_{c}": Sum(c, filter=within, default=0) for c in COUNTERS},
            received_upto=Sum(received, default=0),
            ended_upto=Sum(ended, default=0),
            p766_overdue_upto=Sum(F("p766_overdue_start") - F("p766_overdue_end"), default=0),
            received_prev_year=Sum(received, filter=prev, default=0),
        )
    )
    out: dict[int, Counter[str]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        agency = values.pop("agency_id")
        # The in-period sums are named in_<counter> (a name must not shadow its column).
        out[agency] = Counter({k.removeprefix("in_"): v for k, v in values.items()})
    return out


_PER_PROCEDURE = ("received_online", "paid_online", "synced", "citizen_data", "eresult_any")


def procedure_sums(
    period: IndexPeriod, agency_ids: Iterable[int]
) -> dict[int, dict[int, Counter[str]]]:
    """Per agency and procedure: the counters the per-procedure indicators need."""
    rows = (
        DailyCount.objects.filter(
            agency_id__in=list(agency_ids), day__gte=period.first, day__lte=period.last
        )
        .values("agency_id", "procedure_id")
        .annotate(**{f"in_{c}": Sum(c, default=0) for c in _PER_PROCEDURE})
    )
    out: dict[int, dict[int, Counter[str]]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        agency, procedure = values.pop("agency_id"), values.pop("procedure_id")
        out.setdefault(agency, {})[procedure] = Counter(
            {k.removeprefix("in_"): v for k, v in values.items()}
        )
    return out


@dataclass(frozen=True, slots=True)
class ProcedureInfo:
    pk: int
    code: str
    field: str
    level: str  # every agency of this level implements it ("" = explicit agencies only)
    agency_ids: frozenset[int]
    online: bool  # partial or full online service
    has_fee: bool
    for_citizens: bool
    published_on: dt.date | None
    effective_on: dt.date | None
    made_public_on: dt.date
    complete: bool  # Decree 63/2010 Art. 8(2) components all present


def catalog_procedures() -> list[ProcedureInfo]:
    from motcua.catalog.models import Procedure

    out = []
    procedures = (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("current_version__field")
        .prefetch_related(
            "current_version__agencies",
            "current_version__fees",
            "current_version__components",
            "current_version__steps",
            "current_version__cases",
        )
    )
    for p in procedures:
        v = p.current_version
        if v is None:  # filtered out above; keeps the type checker informed
            continue
        cases = list(v.cases.all())
        out.append(
            ProcedureInfo(
                pk=p.pk,
                code=p.code,
                field=v.field.code,
                level=v.agency_level,
                agency_ids=frozenset(a.pk for a in v.agencies.all()),
                online=v.online_level in ("partial", "full"),
                has_fee=any(f.amount_vnd > 0 for f in v.fees.all()),
                for_citizens=any(
                    "công dân" in str(a).lower()
                    or "cá nhân" in str(a).lower()
                    or "người nước ngoài" in str(a).lower()
                    for a in v.applicants
                ),
                published_on=v.publication_date,
                effective_on=v.valid_from,
                made_public_on=timezone.localdate(v.created_at),
                complete=bool(
                    v.name
                    and list(v.steps.all())
                    and list(v.components.all())
                    and any(c.time_limit_unit for c in cases)
                    and v.applicants
                    and (v.agency_level or v.agencies.all() or v.competent_authority)
                ),
            )
        )
    return out


def under_authority(
    procedures: Sequence[ProcedureInfo], scope: Scope, levels: dict[int, str]
) -> list[ProcedureInfo]:
    scope_levels = {levels[pk] for pk in scope.agency_ids if pk in levels}
    return [
        p
        for p in procedures
        if p.agency_ids & scope.agency_ids or (p.level and p.level in scope_levels)
    ]


# -- the index -------------------------------------------------------------------------------------


def _publication_on_time(p: ProcedureInfo, cal: WorkingCalendar) -> bool:
    """1.1: the publishing decision ≤ the legal basis's effective date − 5 working days
    (no effective date recorded: it cannot have been late)."""
    if p.published_on is None or p.effective_on is None:
        return True
    if p.published_on >= p.effective_on:
        return False
    try:
        return cal.working_days_between(p.published_on, p.effective_on - dt.timedelta(days=1)) >= 5
    except ClockError:
        return True


def _made_public_on_time(p: ProcedureInfo, cal: WorkingCalendar) -> bool:
    """1.2: made public ≤ the publishing decision's date + 5 working days."""
    if p.published_on is None or p.made_public_on <= p.published_on:
        return True
    try:
        late_days = cal.working_days_between(
            p.published_on + dt.timedelta(days=1), p.made_public_on
        )
    except ClockError:
        return True
    return late_days <= 5


def build_index(
    period: IndexPeriod,
    scope: Scope,
    *,
    sums: Counter[str],
    per_procedure: dict[int, Counter[str]],
    procedures: Sequence[ProcedureInfo],
    levels: dict[int, str],
    certified_communes: int,
    eresult_method: str = "national",
) -> IndexResult:
    """The six groups from the inputs of one scope (pure but for the calendar lookups)."""
    if eresult_method not in ERESULT_METHODS:
        raise ValueError(f"unknown e-result method {eresult_method!r}")
    cal = working_calendar()
    s = sums
    received = s["received_online"] + s["received_direct"] + s["received_postal"]
    own = under_authority(procedures, scope, levels)
    result = IndexResult(
        period=period,
        unit_code=scope.code,
        unit_name=scope.name,
        level=scope.level,
        eresult_method=eresult_method,
    )

    # 1. Transparency (18): P × R.
    published = [p for p in own if p.published_on and period.first <= p.published_on <= period.last]
    pub_ok = sum(_publication_on_time(p, cal) for p in published)
    made_public = [p for p in own if period.first <= p.made_public_on <= period.last]
    public_ok = sum(_made_public_on_time(p, cal) for p in made_public)
    complete = sum(p.complete for p in own)
    sync_den = received
    sync_rule = gettext("6 × hồ sơ đã đồng bộ ÷ hồ sơ tiếp nhận trong kỳ")
    if sync_den == 0:
        fallback = s["received_prev_year"]
        sync_den = {"month": fallback // 12, "quarter": fallback // 4}.get(period.kind, fallback)
        sync_rule = gettext(
            "6 × hồ sơ đã đồng bộ ÷ hồ sơ năm trước chia theo kỳ (không có hồ sơ trong kỳ); "
            "không có dữ liệu: 0"
        )
    synced = s["synced"]
    sync_ratio = synced / sync_den if sync_den else 0.0
    g1 = Group("1", gettext("Công khai, minh bạch"), 18)
    g1.indicators = [
        Indicator(
            "1.1",
            "PUBLISH_ON_TIME",
            gettext("Công bố TTHC đúng hạn"),
            6,
            linear(6, pub_ok, len(published)),
            pub_ok,
            len(published),
            gettext(
                "6 × TTHC công bố đúng hạn (quyết định công bố ≤ ngày hiệu lực − 5 ngày làm việc)"
                " ÷ TTHC công bố trong kỳ; không có TTHC phải công bố: đủ điểm"
            ),
        ),
        Indicator(
            "1.2",
            "PUBLIC_UPDATE_ON_TIME",
            gettext("Công khai TTHC đúng hạn"),
            4,
            linear(4, public_ok, len(made_public)),
            public_ok,
            len(made_public),
            gettext(
                "4 × TTHC công khai ≤ ngày quyết định công bố + 5 ngày làm việc ÷ TTHC phải công "
                "khai trong kỳ"
            ),
        ),
        Indicator(
            "1.3",
            "PUBLIC_CONTENT_FULL",
            gettext("Công khai đầy đủ nội dung TTHC"),
            2,
            linear(2, complete, len(own)),
            complete,
            len(own),
            gettext(
                "2 × TTHC có đủ thành phần theo khoản 2 Điều 8 Nghị định 63/2010 ÷ TTHC thuộc "
                "thẩm quyền (tính tại thời điểm hiện tại)"
            ),
        ),
        Indicator(
            "1.4",
            "DOSSIER_SYNC",
            gettext("Đồng bộ hồ sơ lên Cổng DVCQG"),
            6,
            round(min(6.0, 6 * sync_ratio), 4),
            synced,
            sync_den,
            sync_rule,
            drill="sync",
        ),
    ]

    # 2. Progress (20): 20 × on time ÷ (on time + overdue).
    pending = s["received_upto"] - s["ended_upto"]
    overdue = s["p766_late"] + s["p766_overdue_upto"]
    on_time = s["p766_on_time"] + pending - s["p766_overdue_upto"]
    g2 = Group("2", gettext("Tiến độ, kết quả giải quyết"), 20)
    g2.indicators = [
        Indicator(
            "2.1",
            "PROGRESS",
            gettext("Giải quyết hồ sơ đúng hạn"),
            20,
            linear(20, on_time, on_time + overdue, empty=0.0),
            on_time,
            on_time + overdue,
            gettext(
                "20 × (hồ sơ kết thúc đúng hạn trong kỳ + hồ sơ đang giải quyết còn hạn) ÷ (đúng "
                "hạn + quá hạn); kết thúc ≤ ngày hẹn trả, thời gian bổ sung không tính, yêu cầu "
                "bổ sung quá một lần là quá hạn"
            ),
            drill="progress",
        )
    ]

    # 3. Online services (12): min(2, 2A/0.8) + 4B + min(6, 6C/0.5).
    online_procs = [p for p in own if p.online]
    used = {pk for pk, c in per_procedure.items() if c["received_online"] > 0}
    used_online = sum(1 for p in online_procs if p.pk in used)
    counted = s["online_counted"]
    c_ratio = counted / received * sync_ratio if received else 0.0
    g3 = Group("3", gettext("Cung cấp dịch vụ trực tuyến"), 12)
    g3.indicators = [
        Indicator(
            "3.1",
            "ONLINE_FORMALITY",
            gettext("TTHC có dịch vụ công trực tuyến"),
            2,
            linear(2, len(online_procs), len(own), full_at=0.8),
            len(online_procs),
            len(own),
            gettext(
                "min(2, 2 × R ÷ 80%), R = TTHC có DVC trực tuyến một phần hoặc toàn trình "
                "÷ TTHC thuộc thẩm quyền"
            ),
        ),
        Indicator(
            "3.2",
            "ONLINE_SERVICE_USED",
            gettext("Dịch vụ trực tuyến có phát sinh hồ sơ"),
            4,
            linear(4, used_online, len(online_procs)),
            used_online,
            len(online_procs),
            gettext("4 × DVC trực tuyến có ít nhất một hồ sơ trực tuyến trong kỳ ÷ DVC trực tuyến"),
        ),
        Indicator(
            "3.3",
            "ONLINE_DOSSIER_RATE",
            gettext("Tỷ lệ hồ sơ trực tuyến"),
            6,
            round(min(6.0, 6 * c_ratio / 0.5), 4),
            counted,
            received,
            gettext(
                "min(6, 6 × C ÷ 50%), C = hồ sơ trực tuyến (có kết quả điện tử nếu TTHC yêu "
                "cầu kết quả bằng văn bản) ÷ hồ sơ tiếp nhận × tỷ lệ đồng bộ (chỉ tiêu 1.4)"
            ),
            drill="online",
        ),
    ]

    # 4. Online payment (10): 6A + min(2, 2.5B) + min(2, 2.5C).
    fee_procs = [p for p in own if p.has_fee]
    paid_procs = sum(1 for p in fee_procs if per_procedure.get(p.pk, Counter())["paid_online"])
    fee_synced = sum(1 for p in fee_procs if per_procedure.get(p.pk, Counter())["synced"])
    g4 = Group("4", gettext("Thanh toán trực tuyến"), 10)
    g4.indicators = [
        Indicator(
            "4.A",
            "ONLINE_PAYMENT_DOSSIER",
            gettext("Hồ sơ thanh toán trực tuyến"),
            6,
            linear(6, s["paid_online"], s["fee_due"]),
            s["paid_online"],
            s["fee_due"],
            gettext("6 × hồ sơ thanh toán trực tuyến thành công ÷ hồ sơ có nghĩa vụ tài chính"),
            drill="payment",
        ),
        Indicator(
            "4.B",
            "ONLINE_PAYMENT_FORMALITY",
            gettext("TTHC có giao dịch thanh toán trực tuyến"),
            2,
            linear(2, paid_procs, len(fee_procs), full_at=0.8),
            paid_procs,
            len(fee_procs),
            gettext("min(2, 2,5 × TTHC có giao dịch thanh toán trực tuyến ÷ TTHC có phí, lệ phí)"),
        ),
        Indicator(
            "4.C",
            "FEE_DATA_SYNCED",
            gettext("TTHC đồng bộ dữ liệu phí, lệ phí"),
            2,
            linear(2, fee_synced, len(fee_procs), full_at=0.8),
            fee_synced,
            len(fee_procs),
            gettext("min(2, 2,5 × TTHC có hồ sơ đồng bộ kèm dữ liệu phí ÷ TTHC có phí, lệ phí)"),
        ),
    ]

    # 5. Digitization (22).
    if eresult_method == "national":
        er_num, er_den = s["eresult"], s["written_result_settled"]
        er_rule = gettext(
            "Phương pháp quốc gia: hồ sơ có kết quả điện tử ÷ hồ sơ đã giải quyết của TTHC yêu "
            "cầu kết quả bằng văn bản"
        )
    else:
        er_num = s["eresult_any"]
        er_den = s["settled_early"] + s["settled_on_time"] + s["settled_late"]
        er_rule = gettext("Mọi hồ sơ: hồ sơ có kết quả điện tử ÷ mọi hồ sơ đã giải quyết")
    citizen_procs = [p for p in own if p.for_citizens]
    connected = sum(1 for p in citizen_procs if per_procedure.get(p.pk, Counter())["citizen_data"])
    communes = len(scope.commune_ids)
    g5 = Group("5", gettext("Số hóa hồ sơ"), 22)
    g5.indicators = [
        Indicator(
            "5.1",
            "ORIGINAL_RESULT_AVAILABLE",
            gettext("Cấp kết quả giải quyết TTHC điện tử"),
            6,
            linear(6, er_num, er_den),
            er_num,
            er_den,
            er_rule,
            drill=f"eresult_{eresult_method}",
        ),
        Indicator(
            "5.2",
            "SO_HOA_GIAY_TO_GIAI_QUYET",
            gettext("Số hóa hồ sơ, kết quả giải quyết"),
            4,
            linear(4, s["digitized"], received),
            s["digitized"],
            received,
            gettext("4 × hồ sơ có thành phần được số hóa (và tệp kết quả nếu phải có) ÷ hồ sơ"),
            drill="digitized",
        ),
        Indicator(
            "5.3",
            "ELECTRONIC_CERTIFIED_COPY",
            gettext("Chứng thực bản sao điện tử"),
            2,
            linear(2, certified_communes, communes),
            certified_communes,
            communes,
            gettext(
                "2 × xã, phường đã cấp bản sao chứng thực điện tử trong kỳ ÷ xã, phường thuộc "
                "phạm vi quản lý"
            ),
        ),
        Indicator(
            "5.4",
            "REUSED_DIGITIZED_DATA",
            gettext("Tái sử dụng dữ liệu đã số hóa"),
            2,
            linear(2, s["reused"], received, full_at=0.8),
            s["reused"],
            received,
            gettext("min(2, 2 × R ÷ 80%), R = hồ sơ có thành phần tái sử dụng ÷ hồ sơ"),
            drill="reused",
        ),
        Indicator(
            "5.5",
            "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
            gettext("Sử dụng kho dữ liệu cá nhân"),
            4,
            linear(4, s["from_store"], received),
            s["from_store"],
            received,
            gettext("4 × hồ sơ có thành phần lấy từ kho dữ liệu ÷ hồ sơ"),
            drill="from_store",
        ),
        Indicator(
            "5.6",
            "CITIZEN_DATA_CONNECTED_DOSSIER",
            gettext("Hồ sơ khai thác dữ liệu dân cư"),
            2,
            linear(2, s["citizen_data"], received),
            s["citizen_data"],
            received,
            gettext("2 × hồ sơ của tài khoản xác thực VNeID hoặc lấy từ kho dữ liệu ÷ hồ sơ"),
            drill="citizen_data",
        ),
        Indicator(
            "5.7",
            "CITIZEN_DATA_CONNECTED_FORMALITY",
            gettext("TTHC khai thác dữ liệu dân cư"),
            2,
            linear(2, connected, len(citizen_procs)),
            connected,
            len(citizen_procs),
            gettext("2 × TTHC có hồ sơ khai thác dữ liệu dân cư ÷ TTHC dành cho cá nhân"),
        ),
    ]

    # 6. Satisfaction (18).
    settled = s["settled_early"] + s["settled_on_time"] + s["settled_late"]
    happy = settled - s["unhappy"]
    g6 = Group("6", gettext("Mức độ hài lòng"), 18)
    g6.indicators = [
        Indicator(
            "6.1",
            "PETITION_PROCESSING_ON_TIME",
            gettext("Xử lý phản ánh, kiến nghị đúng hạn"),
            6,
            6.0,
            0,
            0,
            gettext("6 × PAKN xử lý đúng hạn ÷ PAKN; không có PAKN: 6 điểm"),
        ),
        Indicator(
            "6.2",
            "PETITION_HANDLING_SATISFACTION",
            gettext("Hài lòng với xử lý phản ánh, kiến nghị"),
            6,
            6.0,
            0,
            0,
            gettext("6 × PAKN được xử lý hài lòng ÷ PAKN; không có PAKN: 6 điểm"),
        ),
        Indicator(
            "6.3",
            "DOSSIER_RECEIVING_SATISFACTION",
            gettext("Hài lòng trong tiếp nhận, giải quyết hồ sơ"),
            6,
            linear(6, happy, settled, full_at=0.9, empty=0.0),
            happy,
            settled,
            gettext(
                "min(6, 6 × R ÷ 90%), R = (hồ sơ đã giải quyết − hồ sơ bị đánh giá không hài "
                "lòng hoặc giải quyết quá hạn) ÷ hồ sơ đã giải quyết; không có hồ sơ: 0"
            ),
            drill="unhappy",
        ),
    ]
    result.groups = [g1, g2, g3, g4, g5, g6]
    return result


# -- entry points ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Inputs:
    sums: dict[int, Counter[str]]
    per_procedure: dict[int, dict[int, Counter[str]]]
    procedures: list[ProcedureInfo]
    levels: dict[int, str]


def _inputs(period: IndexPeriod, agency_ids: Iterable[int]) -> _Inputs:
    ids = list(agency_ids)
    return _Inputs(
        sums=dossier_sums(period, ids),
        per_procedure=procedure_sums(period, ids),
        procedures=catalog_procedures(),
        levels=dict(Agency.objects.values_list("pk", "level")),
    )


def _for_scope(
    period: IndexPeriod, scope: Scope, inputs: _Inputs, eresult_method: str
) -> IndexResult:
    sums: Counter[str] = Counter()
    per_procedure: dict[int, Counter[str]] = {}
    for agency in scope.agency_ids:
        sums.update(inputs.sums.get(agency, Counter()))
        for procedure, counts in inputs.per_procedure.get(agency, {}).items():
            per_procedure.setdefault(procedure, Counter()).update(counts)
    certification = {p.pk for p in inputs.procedures if p.field == "chung-thuc"}
    certified = sum(
        1
        for commune in scope.commune_ids
        if any(
            counts["eresult_any"]
            for procedure, counts in inputs.per_procedure.get(commune, {}).items()
            if procedure in certification
        )
    )
    return build_index(
        period,
        scope,
        sums=sums,
        per_procedure=per_procedure,
        procedures=inputs.procedures,
        levels=inputs.levels,
        certified_communes=certified,
        eresult_method=eresult_method,
    )


def compute_index(
    period: IndexPeriod, unit: str = "", *, eresult_method: str = "national"
) -> IndexResult:
    """The index of the province (``unit=""``), an agency or a locality for a period."""
    scope = resolve_scope(unit)
    return _for_scope(period, scope, _inputs(period, scope.agency_ids), eresult_method)


RANKINGS: dict[str, str] = {
    "agencies": "agencies",  # provincial departments and agencies (children of the root)
    "communes": "communes",  # communes and wards
}


def rank_index(
    period: IndexPeriod, ranking: str = "agencies", *, eresult_method: str = "national"
) -> list[IndexResult]:
    """Every unit of a ranking with its index, best first (equal totals share a rank)."""
    if ranking not in RANKINGS:
        raise ValueError(f"unknown ranking {ranking!r}")
    agencies, children = agency_tree()
    if ranking == "communes":
        members = [pk for pk, a in agencies.items() if a.level == "commune"]
    else:
        roots = children.get(None, [])
        below_root = [pk for r in roots for pk in children.get(r, [])]
        members = [pk for pk in below_root if agencies[pk].level != "commune"] or roots
    inputs = _inputs(period, agencies)
    results = []
    for pk in members:
        a = agencies[pk]
        scope = _scope_of(agencies, subtree(pk, children), code=a.code, name=a.name, level="agency")
        results.append(_for_scope(period, scope, inputs, eresult_method))
    results.sort(key=lambda r: (-r.total, r.unit_code))
    for i, r in enumerate(results):
        previous = results[i - 1] if i else None
        r.rank = previous.rank if previous and previous.total == r.total else i + 1
    return results


# -- drill-down ------------------------------------------------------------------------------------


def drill_filter(drill: str, period: IndexPeriod) -> tuple[Q, Q]:
    """(the dossiers an indicator counts, the ones it counts *against*): a drill-down from
    every dossier-based score to the facts behind it."""
    span = period.span
    start, end = span.start, span.end
    received_in = Q(received_at__gte=start, received_at__lt=end)
    ended_in = Q(ended_at__gte=start, ended_at__lt=end)
    settled_in = ended_in & Q(end_kind="settled")
    match drill:
        case "sync":
            return received_in, received_in & Q(synced=False)
        case "online":
            counted = Q(channel="online") & (Q(eresult=True) | Q(written_result_required=False))
            return received_in, received_in & ~counted
        case "payment":
            return received_in & Q(has_fee=True), received_in & Q(has_fee=True, paid_online=False)
        case "eresult_national":
            den = settled_in & Q(written_result_required=True)
            return den, den & Q(eresult=False)
        case "eresult_all_settled":
            return settled_in, settled_in & Q(eresult=False)
        case "digitized" | "reused" | "from_store" | "citizen_data":
            return received_in, received_in & Q(**{drill: False})
        case "unhappy":
            return settled_in, settled_in & (Q(rating="not_satisfied") | Q(outcome="late"))
        case "progress":
            pending = Q(received_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end))
            forced = Q(supplement_count__gt=1)
            held = Q(ended_at__isnull=True, paused_at__isnull=False)
            held_late = held & Q(due_before_pause__lt=F("paused_at")) & Q(due_before_pause__lt=end)
            running_late = (
                ~held & Q(due_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gt=F("due_at")))
            )
            ended_late = ended_in & Q(due_at__isnull=False, ended_at__gt=F("due_at"))
            late = (ended_in & (forced | ended_late)) | (
                pending & (forced | held_late | running_late)
            )
            return ended_in | pending, late
    raise ValueError(f"unknown drill-down {drill!r}")


def drill_facts(drill: str, period: IndexPeriod, unit: str = "", *, against: bool = False) -> Any:
    """The facts behind an indicator (``against``: only those that lose it points)."""
    scope = resolve_scope(unit)
    counted, lost = drill_filter(drill, period)
    return (
        DossierFact.objects.filter(lost if against else counted, agency_id__in=scope.agency_ids)
        .select_related("agency", "procedure")
        .order_by("-received_at", "code")
    )
