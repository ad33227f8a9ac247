"""Reads for the public portal: finding procedures, the live due date, tracking a dossier.

The catalog is public. Dossiers are read either through ``Dossier.objects.visible_to`` (a
logged-in applicant's own dossiers) or, for anonymous tracking, by the pair (code, phone or ID
number): the pair is the capability, checked here in one place (``track_match``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    TimeUnit,
)
from motcua.catalog.selectors import procedure_search
from motcua.core.errors import NotFound
from motcua.core.sql import Statement
from motcua.dossiers.models import (
    ClockPause,
    Dossier,
    DossierEvent,
    StatusChoices,
)
from motcua.dossiers.selectors import dossier_explanation, dossier_public_events
from motcua.dossiers.workflow import Status
from motcua.portal.life_events import COMMON_CODES, LifeEvent
from motcua.units.models import Agency
from motcua.workdays.explain import explain
from motcua.workdays.rules import ClockError
from motcua.workdays.selectors import working_calendar

PAGE_SIZE = 20


# -- finding a procedure ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedurePage:
    total: int
    items: list[Procedure]
    offset: int
    limit: int

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def procedure_find_qs(
    *,
    q: str = "",
    field: str = "",
    level: str = "",
    agency: Agency | None = None,
    event: LifeEvent | None = None,
) -> QuerySet[Procedure]:
    """``catalog.selectors.procedure_search`` narrowed by agency or life event, ranked for people.

    Within the catalog's rank (exact name/code, prefix, phrase in the name, the rest), the common
    procedures of the life events come first (``COMMON_CODES``), then the shorter name: "khai
    sinh" puts "Thủ tục đăng ký khai sinh" before "… khai sinh kết hợp đăng ký nhận cha, mẹ,
    con" — the more general procedure is the likelier one. Then the code.
    """
    qs = procedure_search(q=q, field=field, level=level)
    if agency is not None:
        explicit = ProcedureVersion.objects.filter(agencies=agency).values("pk")
        qs = qs.filter(
            Q(current_version__agency_level=agency.level) | Q(current_version__in=explicit)
        )
    if event is not None:
        qs = qs.filter(Q(current_version__field__code__in=event.fields) | Q(code__in=event.codes))
    if "rank" not in qs.query.annotations:
        qs = qs.annotate(rank=Value(0, output_field=IntegerField()))
    return qs.annotate(
        common=Case(
            When(code__in=sorted(COMMON_CODES), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        name_length=Length("current_version__name_folded"),
    ).order_by(F("rank"), F("common"), F("name_length"), "code")


def procedure_find(
    *,
    q: str = "",
    field: str = "",
    level: str = "",
    agency: Agency | None = None,
    event: LifeEvent | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> ProcedurePage:
    """One page of procedures with the total: three queries whatever the page size."""
    qs = procedure_find_qs(q=q, field=field, level=level, agency=agency, event=event)
    total = qs.count()
    offset = max(0, min(offset, max(total - 1, 0)))
    items = list(
        qs.select_related("current_version__field").prefetch_related(
            Prefetch("current_version__cases", queryset=ProcedureCase.objects.order_by("order"))
        )[offset : offset + limit]
    )
    return ProcedurePage(total=total, items=items, offset=offset, limit=limit)


@dataclass(frozen=True)
class BrowseIndex:
    fields: list[Field]
    levels: list[tuple[str, str, int]]  # (value, label, count)
    agencies: list[Agency]  # each with ``procedure_count``


def browse_index() -> BrowseIndex:
    """Fields, levels and agencies with their number of current procedures (four queries)."""
    current = Procedure.objects.filter(current_version__isnull=False)
    by_field = dict(
        current.values_list("current_version__field")
        .annotate(n=Count("pk"))
        .values_list("current_version__field", "n")
    )
    fields = [f for f in Field.objects.order_by("name") if by_field.get(f.pk)]
    for f in fields:
        f.procedure_count = by_field[f.pk]  # type: ignore[attr-defined]
    level_keys = list(current.values_list("current_version__levels_key", flat=True))
    levels = [
        (value, str(label), sum(f"|{value}|" in k for k in level_keys))
        for value, label in Level.choices
    ]
    by_agency_level = dict(
        current.exclude(current_version__agency_level="")
        .values_list("current_version__agency_level")
        .annotate(n=Count("pk"))
        .values_list("current_version__agency_level", "n")
    )
    explicit = dict(
        Agency.objects.filter(is_active=True, procedure_versions__procedure__isnull=False)
        .filter(procedure_versions__pk__in=current.values("current_version"))
        .values_list("pk")
        .annotate(n=Count("procedure_versions"))
        .values_list("pk", "n")
    )
    agencies = []
    for agency in Agency.objects.filter(is_active=True).order_by("level", "name"):
        n = explicit.get(agency.pk, 0) + by_agency_level.get(agency.level, 0)
        if n:
            agency.procedure_count = n  # type: ignore[attr-defined]
            agencies.append(agency)
    return BrowseIndex(fields=fields, levels=[lv for lv in levels if lv[2]], agencies=agencies)


def field_get(*, code: str) -> Field:
    found = Field.objects.filter(code=code).first()
    if found is None:
        raise NotFound(_("Không có lĩnh vực mã “%(code)s”.") % {"code": code}, field="field")
    return found


def agency_get(*, code: str) -> Agency:
    found = Agency.objects.filter(code=code, is_active=True).select_related("unit").first()
    if found is None:
        raise NotFound(_("Không có cơ quan mã “%(code)s”.") % {"code": code}, field="agency")
    return found


# -- the live due date ------------------------------------------------------------------------


@dataclass(frozen=True)
class DueEstimate:
    """When the result would be due if the dossier were received ``now``, for one case."""

    case: ProcedureCase
    online: bool
    limit_text: str
    due: dt.datetime | None  # None: settled on receipt, or beyond the known calendar
    lines: list[str] = field(default_factory=list)


def _limit_text(amount: int | None, unit: str) -> str:
    if unit == TimeUnit.NONE:
        return str(TimeUnit.NONE.label)
    return f"{amount} {TimeUnit(unit).label}"


def procedure_due_estimates(
    version: ProcedureVersion, *, now: dt.datetime | None = None
) -> list[DueEstimate]:
    """For each case: the due instant and its explanation for a dossier received now, on paper
    and (when the case has a shorter online limit and the procedure is online) online."""
    now = now or timezone.now()
    calendar = working_calendar()
    lang = get_language() or "vi"
    estimates: list[DueEstimate] = []
    for case in version.cases.all():
        limits = [(False, case.time_limit_amount, case.time_limit_unit)]
        if case.online_time_limit_unit and version.online_level != OnlineLevel.NONE:
            limits.append((True, case.online_time_limit_amount, case.online_time_limit_unit))
        for online, amount, unit in limits:
            text = _limit_text(amount, unit)
            if unit == TimeUnit.NONE or not amount:
                estimates.append(DueEstimate(case, online, text, None))
                continue
            try:
                explained = explain(calendar, now, amount, unit, lang=lang)
            except ClockError:
                estimates.append(DueEstimate(case, online, text, None))
                continue
            estimates.append(DueEstimate(case, online, text, explained.due, explained.lines))
    return estimates


# -- tracking a dossier -----------------------------------------------------------------------

_NON_DIGITS = re.compile(r"\D")
MIN_CONTACT_DIGITS = 9


def _digits(value: str) -> str:
    return _NON_DIGITS.sub("", value or "")


def _phone_key(value: str) -> str:
    """``+84 905 123 456`` and ``0905.123.456`` → ``0905123456``."""
    digits = _digits(value)
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def normalize_code(code: str) -> str:
    return "".join(code.split()).upper()[:40]


def track_lookup(code: str) -> tuple[str, list[str]]:
    """The statement reading what ``track_match`` compares, for the dossier ``code``: plain
    SQL on the unique code, only those columns (see ``_statements``)."""
    return _statements()[0], [normalize_code(code)]


def track_match(row: Sequence[Any] | None, contact: str) -> str | None:
    """The dossier code of ``row`` (from ``track_lookup``) when ``contact`` is its applicant's
    phone or ID number, else None.

    The answer is the same (None) for an unknown code and for a wrong contact, so a caller
    cannot learn which codes exist; the caller rate-limits the attempts (the portal counts the
    attempt and reads the row in one statement: ``ratelimit.hit_and_read``).
    """
    phone = _phone_key(contact)
    number = _digits(contact)
    if row is None or len(number) < MIN_CONTACT_DIGITS:
        return None
    found, applicant_phone, applicant_id_number = row
    if _same(_phone_key(applicant_phone), phone) or _same(_digits(applicant_id_number), number):
        return str(found)
    return None


def dossiers_of_applicant(*, user: Any) -> QuerySet[Dossier]:
    """The dossiers ``user`` filed (as the applicant), newest first."""
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    return (
        Dossier.objects.visible_to(user)
        .filter(applicant_user=user)
        .select_related("procedure_version")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    action: str
    status_label: str
    note: str
    agency_name: str


@dataclass(frozen=True)
class SupplementAsk:
    reason: str
    components: list[str]
    since: dt.datetime


@dataclass(frozen=True)
class PaymentAsk:
    amount_vnd: int | None
    reason: str
    since: dt.datetime


@dataclass(frozen=True)
class PublicDossier:
    """Everything the applicant may see about a dossier (never internal notes)."""

    dossier: Dossier
    procedure_code: str
    procedure_name: str
    case_name: str
    agency_name: str
    status: int
    status_label: str
    explanation: list[str]
    events: list[PublicEvent]
    supplement: SupplementAsk | None
    payment: PaymentAsk | None
    settled: bool


def _load(code: str, qs: QuerySet[Dossier]) -> Dossier:
    found = (
        qs.select_related("procedure_version__procedure", "case", "agency", "current_agency")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=DossierEvent.objects.filter(public=True)
                .select_related("agency")
                .order_by("seq"),
            ),
            Prefetch("pauses", queryset=ClockPause.objects.order_by("started_at", "pk")),
        )
        .filter(code=code)
        .order_by()  # the code is unique: no ORDER BY to build (``first()`` would add one)
    )
    dossier = next(iter(found[:1]), None)
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."), field="code")
    return dossier


# Anonymous tracking reads with plain SQL through a cursor: building the ORM's statements (the
# result page's SELECT of five joined tables and its two prefetches; the lookup's SELECT) and
# even ``Model.objects.raw``'s column mapping were most of their cost (bench/portal.py,
# BENCHMARKS.md). Only the columns they use; the fields' own converters still apply (aware
# datetimes and JSON on SQLite). Built once per process from the models' table names.
@dataclass(frozen=True)
class _EventRow:
    at: dt.datetime
    action: str
    to_status: int
    note: str
    data: dict[str, Any]
    agency_name: str


@dataclass(frozen=True)
class _PauseRow:
    kind: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    reason: str
    restarted_clock: bool


# What the result page reads of the dossier row; the rest stays deferred.
_DOSSIER_FIELDS = (
    "id",
    "code",
    "status",
    "applicant_name",
    "applicant_user",
    "submitted_at",
    "received_at",
    "clock_start_at",
    "limit_amount",
    "limit_unit",
    "due_at",
    "original_due_at",
    "apologized_at",
    "returned_at",
    "outcome",
    "result_summary",
    "result_is_refusal",
    "return_method",
    "refusal_reason",
)
_EVENT_FIELDS = ("at", "action", "to_status", "note", "data")
_PAUSE_FIELDS = ("kind", "started_at", "ended_at", "reason", "restarted_clock")


@functools.cache
def _statements() -> tuple[str, Statement, Statement, Statement]:
    """(lookup, result-page dossier, its public events, its clock pauses)."""
    order = [f.name for f in Dossier._meta.concrete_fields]
    dossier_fields = tuple(sorted(_DOSSIER_FIELDS, key=order.index))  # as ``from_db`` takes them
    dossier, event, pause = (
        Dossier._meta.db_table,
        DossierEvent._meta.db_table,
        ClockPause._meta.db_table,
    )
    version, procedure = ProcedureVersion._meta.db_table, Procedure._meta.db_table
    case, agency = ProcedureCase._meta.db_table, Agency._meta.db_table

    def columns(model: Any, alias: str, names: tuple[str, ...]) -> str:
        return ", ".join(f"{alias}.{model._meta.get_field(n).column}" for n in names)

    lookup = (
        "SELECT code, applicant_phone, applicant_id_number "  # noqa: S608 - table names only
        f"FROM {dossier} WHERE code = %s"
    )
    dossier_row = (
        f"SELECT {columns(Dossier, 'd', dossier_fields)}, "  # noqa: S608
        "pv.name, pr.code, c.name, a.name "
        f"FROM {dossier} d JOIN {version} pv ON pv.id = d.procedure_version_id "
        f"JOIN {procedure} pr ON pr.id = pv.procedure_id JOIN {case} c ON c.id = d.case_id "
        f"JOIN {agency} a ON a.id = d.agency_id WHERE d.code = %s"
    )
    events = (
        f"SELECT {columns(DossierEvent, 'e', _EVENT_FIELDS)}, a.name "  # noqa: S608
        f"FROM {event} e LEFT JOIN {agency} a ON a.id = e.agency_id "
        "WHERE e.dossier_id = %s AND e.public = %s ORDER BY e.seq"
    )
    pauses = (
        f"SELECT {columns(ClockPause, 'p', _PAUSE_FIELDS)} "  # noqa: S608
        f"FROM {pause} p WHERE p.dossier_id = %s ORDER BY p.started_at, p.id"
    )
    if connection.vendor == "postgresql":
        # One round trip instead of three: the events and pauses come along as JSON arrays
        # (instants as ISO 8601 text), read by ``_from_json`` below.
        events_json = (
            "(SELECT COALESCE(json_agg(json_build_array("  # noqa: S608
            f"{columns(DossierEvent, 'e', _EVENT_FIELDS)}, ea.name) ORDER BY e.seq), '[]') "
            f"FROM {event} e LEFT JOIN {agency} ea ON ea.id = e.agency_id "
            "WHERE e.dossier_id = d.id AND e.public)"
        )
        pauses_json = (
            "(SELECT COALESCE(json_agg(json_build_array("  # noqa: S608
            f"{columns(ClockPause, 'p', _PAUSE_FIELDS)}) ORDER BY p.started_at, p.id), '[]') "
            f"FROM {pause} p WHERE p.dossier_id = d.id)"
        )
        dossier_row = dossier_row.replace(
            "a.name FROM", f"a.name, {events_json}, {pauses_json} FROM", 1
        )
    return (
        lookup,
        Statement(dossier_row, Dossier, dossier_fields),
        Statement(events, DossierEvent, _EVENT_FIELDS),
        Statement(pauses, ClockPause, _PAUSE_FIELDS),
    )


@functools.cache
def _attnames(fields: tuple[str, ...]) -> tuple[str, ...]:
    """The attribute names ``Model.from_db`` takes for these dossier fields."""
    return tuple(Dossier._meta.get_field(name).attname for name in fields)  # type: ignore[union-attr]


def _instant(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


@dataclass(frozen=True)
class _Loaded:
    dossier: Dossier
    procedure_name: str
    procedure_code: str
    case_name: str
    agency_name: str
    events: list[_EventRow]
    pauses: list[_PauseRow]


def _load_public(code: str) -> _Loaded:
    """The anonymous tracking page's reads: one SELECT on PostgreSQL (three elsewhere, where a
    statement costs no round trip), no ORM query building."""
    _lookup, dossier_sql, events_sql, pauses_sql = _statements()
    found = dossier_sql.rows([code])
    if not found:
        raise NotFound(_("Không tìm thấy hồ sơ."), field="code")
    values = found[0]
    n = len(dossier_sql.fields)
    dossier = Dossier.from_db(connection.alias, _attnames(dossier_sql.fields), values[:n])
    procedure_name, procedure_code, case_name, agency_name = values[n : n + 4]
    if len(values) > n + 4:  # PostgreSQL: the events and pauses came along (see _statements)
        event_rows, pause_rows = values[n + 4 :]
        events = [
            _EventRow(_instant(at), action, to_status, note, data, agency or "")  # type: ignore[arg-type]
            for at, action, to_status, note, data, agency in event_rows
        ]
        pauses = [
            _PauseRow(kind, _instant(started), _instant(ended), reason, restarted)  # type: ignore[arg-type]
            for kind, started, ended, reason, restarted in pause_rows
        ]
    else:
        events = [
            _EventRow(at, action, to_status, note, data, agency or "")
            for at, action, to_status, note, data, agency in events_sql.rows([dossier.pk, True])
        ]
        pauses = [_PauseRow(*row) for row in pauses_sql.rows([dossier.pk])]
    return _Loaded(dossier, procedure_name, procedure_code, case_name, agency_name, events, pauses)


def _load_own(code: str, user: Any) -> _Loaded:
    """A logged-in applicant's own dossier, through the ORM (scoped by ``user``)."""
    dossier = _load(code, dossiers_of_applicant(user=user))
    version = dossier.procedure_version
    events = [
        _EventRow(e.at, e.action, e.to_status, e.note, e.data, e.agency.name if e.agency else "")
        for e in dossier_public_events(dossier)
    ]
    pauses = [
        _PauseRow(p.kind, p.started_at, p.ended_at, p.reason, p.restarted_clock)
        for p in dossier.pauses.all()
    ]
    return _Loaded(
        dossier,
        version.name,
        version.procedure.code,
        dossier.case.name,
        dossier.agency.name,
        events,
        pauses,
    )


def dossier_public_get(*, code: str, user: Any | None = None) -> PublicDossier:
    """The public view of a dossier. With ``user``: only one they filed; without: the caller has
    already proven the (code, contact) pair (``track_match``, or a result link signed after
    it, ``tracking.result_token``)."""
    loaded = _load_public(code) if user is None else _load_own(code, user)
    dossier, public_events, pauses = loaded.dossier, loaded.events, loaded.pauses
    labels = dict(StatusChoices.choices)
    events = [
        PublicEvent(
            at=e.at,
            action=e.action,
            status_label=str(labels.get(e.to_status, e.to_status)),
            note=e.note,
            agency_name=e.agency_name,
        )
        for e in public_events
    ]
    status = Status(dossier.status)
    open_pause = next((p for p in pauses if p.ended_at is None), None)
    supplement = payment = None
    if open_pause is not None and status == Status.AWAITING_SUPPLEMENT:
        asked = next((e for e in reversed(public_events) if e.action == "request_supplement"), None)
        components = [str(c) for c in (asked.data.get("components") or [])] if asked else []
        supplement = SupplementAsk(open_pause.reason, components, open_pause.started_at)
    if open_pause is not None and status == Status.AWAITING_PAYMENT:
        asked = next((e for e in reversed(public_events) if e.action == "request_payment"), None)
        amount = asked.data.get("amount_vnd") if asked else None
        payment = PaymentAsk(
            int(amount) if isinstance(amount, int) else None,
            open_pause.reason,
            open_pause.started_at,
        )
    return PublicDossier(
        dossier=dossier,
        procedure_code=loaded.procedure_code,
        procedure_name=loaded.procedure_name,
        case_name=loaded.case_name,
        agency_name=loaded.agency_name,
        status=status.value,
        status_label=str(labels[status.value]),
        explanation=dossier_explanation(dossier, lang=get_language() or "vi", pauses=pauses),
        events=events,
        supplement=supplement,
        payment=payment,
        settled=status in (Status.SETTLED, Status.RETURNED),
    )
