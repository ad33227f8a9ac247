"""Dossier write use-cases: intake and one service per action (DESIGN §2 "The path of a write").

Every action is one durable transaction that locks the dossier row, checks the actor's scope and
role and the pure state machine, updates the dossier and its clock ledger, appends a
``DossierEvent``, writes the audit entry and enqueues the outbox messages (notifications, national
sync). Nothing here talks to the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Membership, Role
from motcua.accounts.scoping import EVERYTHING, roles_by_agency, scope_from_roles
from motcua.audit.services import record
from motcua.catalog.models import Procedure, ProcedureCase, ProcedureVersion, SupplementMode
from motcua.catalog.selectors import version_agencies, version_parts
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.core.sql import insert, rows_of, update
from motcua.core.text import fold
from motcua.dossiers import clock
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    ClockPause,
    Dossier,
    DossierCodeCounter,
    DossierComponent,
    DossierEvent,
    DossierStep,
    PauseKind,
    ReturnMethod,
    dossier_row_visible,
)
from motcua.dossiers.workflow import (
    TERMINAL,
    Action,
    Actor,
    Status,
    TransitionNotAllowed,
    check_transition,
)
from motcua.integrations import outbox
from motcua.stats.services import dossier_changed
from motcua.units.models import Agency
from motcua.workdays.rules import ClockError, Pause, WorkingCalendar, as_local
from motcua.workdays.selectors import (
    calendar_revision,
    working_calendar,
    working_calendar_revision,
)

_ROLE_ACTORS: dict[str, Actor] = {
    Role.CLERK: Actor.CLERK,
    Role.SPECIALIST: Actor.SPECIALIST,
    Role.HEAD: Actor.HEAD,
    Role.LEADER: Actor.LEADER,
    Role.SECRETARY: Actor.SECRETARY,
}
# Statuses the citizen is told about by e-mail (DESIGN §3.7, issue 3 item 8).
_NOTIFY = {
    Status.RECEIVED,
    Status.REFUSED,
    Status.AWAITING_SUPPLEMENT,
    Status.AWAITING_PAYMENT,
    Status.WITHDRAWN,
    Status.STOPPED,
    Status.SETTLED,
    Status.RETURNED,
}


# -- inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantIn:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    kind: str = ApplicantKind.CITIZEN


@dataclass(frozen=True)
class ComponentIn:
    """A ticked checklist line: a catalog component (by id) or a free-text extra."""

    component_id: int | None = None
    name: str = ""
    original_count: int = 0
    copy_count: int = 0


@dataclass
class ActionIn:
    """Parameters of an action; which ones matter depends on the action."""

    reason: str = ""
    note: str = ""
    to_agency_code: str = ""
    assignee_username: str = ""
    new_due_at: dt.datetime | None = None
    result: str = ""
    is_refusal: bool = False
    method: str = ""
    amount_vnd: int | None = None
    components: list[str] = field(default_factory=list)
    expected_version: int | None = None


# -- helpers --------------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return timezone.now()


def _actor_name(user: Any) -> str:
    if user is None:
        return ""
    return str(getattr(user, "full_name", "") or user.get_username())[:200]


def _pauses(dossier: Dossier) -> list[Pause]:
    return [
        Pause(start=p.started_at, end=p.ended_at, reason=p.kind)
        for p in dossier.pauses.all()
        if dossier.clock_start_at is None or (p.ended_at or p.started_at) > dossier.clock_start_at
    ]


def _apply_plan(dossier: Dossier, calendar: WorkingCalendar, *, pauses: list[Pause]) -> None:
    """Set due_at / at_risk_from from the ledger (start, working-time limit, pauses)."""
    if dossier.clock_start_at is None or dossier.limit_work is None:
        return
    p = clock.plan(
        calendar,
        start=dossier.clock_start_at,
        limit=dossier.limit_work,
        pauses=pauses,
        risk_share=settings.MOTCUA_AT_RISK_SHARE,
        risk_floor=dt.timedelta(hours=settings.MOTCUA_AT_RISK_FLOOR_HOURS),
    )
    if p.due is not None:
        dossier.due_at = p.due
        dossier.at_risk_from = p.at_risk_from
    dossier.calendar_revision = working_calendar_revision()


def _replan(dossier: Dossier, calendar: WorkingCalendar) -> None:
    """Recompute due_at / at_risk_from / step dues from the ledger (pauses and extensions)."""
    if dossier.clock_start_at is None or dossier.limit_work is None:
        return
    pauses = _pauses(dossier)
    _apply_plan(dossier, calendar, pauses=pauses)
    steps = _steps(dossier)
    if steps:
        dues = clock.step_dues(
            calendar,
            start=dossier.clock_start_at,
            limit=dossier.limit_work,
            shares=[s.time_share for s in steps],
            pauses=pauses,
        )
        for step, due in zip(steps, dues, strict=True):
            if due is not None and step.due_at != due:
                step.due_at = due
                step.save(update_fields=["due_at"])
    _sync_step_due(dossier)


_STEPS_CACHE = "_motcua_steps"


def _steps(dossier: Dossier) -> list[DossierStep]:
    """The dossier's steps in order, read at most once per action (and only if needed)."""
    cached: list[DossierStep] | None = dossier.__dict__.get(_STEPS_CACHE)
    if cached is None:
        # ("order" is a reserved word: quoted, for both databases)
        cached = rows_of(DossierStep, "t.dossier_id = %s", order='t."order"').all([dossier.pk])
        dossier.__dict__[_STEPS_CACHE] = cached
    return cached


def _current_step(dossier: Dossier) -> DossierStep | None:
    return next((s for s in _steps(dossier) if s.order == dossier.current_step), None)


def _sync_step_due(dossier: Dossier) -> None:
    """Copy the due instant of the step in progress onto the dossier (None when none runs)."""
    step = _current_step(dossier)
    dossier.step_due_at = step.due_at if step is not None and step.finished_at is None else None


def _allocate_code(agency: Agency, when: dt.datetime) -> str:
    """``<agency code>-<YYMMDD>-<NNNN>``, gap-free per receiving agency per local date.

    The counter row is locked until the intake commits; a rolled-back intake returns its number.
    """
    day = as_local(when, field="received_at").date()
    DossierCodeCounter.objects.bulk_create(
        [DossierCodeCounter(agency=agency, day=day, last_value=0)], ignore_conflicts=True
    )
    counter = DossierCodeCounter.objects.select_for_update().get(agency=agency, day=day)
    counter.last_value += 1
    if counter.last_value > 9999:
        raise Conflict(f"Agency {agency.code} has used all 9999 dossier numbers of {day}")
    counter.save(update_fields=["last_value"])
    return f"{agency.code}-{day:%y%m%d}-{counter.last_value:04d}"


def _event(
    dossier: Dossier,
    *,
    action: str,
    from_status: int | None,
    actor: Any,
    role: str = "",
    note: str = "",
    public: bool = True,
    due_before: dt.datetime | None = None,
    to_agency: Agency | None = None,
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    # Every event bumps the dossier's version (the row is locked), so it numbers the history.
    event = DossierEvent(
        dossier=dossier,
        seq=dossier.version,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        at=_now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        actor_role=role,
        agency_id=dossier.current_agency_id,
        to_agency=to_agency,
        note=note,
        public=public,
        due_before=due_before,
        due_after=dossier.due_at,
        data=data or {},
    )
    insert(event)  # plain SQL: the ORM's insert compile cost more than the statement
    return event


def _notify(dossier: Dossier, *, event: DossierEvent) -> None:
    """Queue what the applicant and the national portal should learn (delivered after commit)."""
    status = Status(dossier.status)
    tell = event.action == Action.APOLOGIZE or (status in _NOTIFY and event.from_status != status)
    if tell and dossier.applicant_email and settings.MOTCUA_NOTIFY_EMAIL:
        outbox.enqueue_quietly(
            system="email",
            kind="dossier.status_changed",
            idempotency_key=f"email:{dossier.code}:{event.seq}",
            dossier_id=dossier.pk,
            payload={
                "to": dossier.applicant_email,
                "template": "apologized" if event.action == Action.APOLOGIZE else status.slug,
                "context": {
                    "code": dossier.code,
                    "name": dossier.applicant_name,
                    "procedure": dossier.procedure_version.name,
                    "status": dossier.get_status_display(),
                    "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
                    "note": event.note,
                },
            },
        )
    if settings.USE_DVCQG:
        outbox.enqueue_quietly(
            system="dvcqg",
            kind="dossier.progress",
            idempotency_key=f"dvcqg:{dossier.code}:{event.seq}",
            dossier_id=dossier.pk,
            payload={"code": dossier.code, "event_seq": event.seq, "status": dossier.status},
        )


def _snapshot(dossier: Dossier) -> dict[str, Any]:
    return {
        "status": dossier.status,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "current_agency_id": dossier.current_agency_id,
        "version": dossier.version,
    }


# -- intake ---------------------------------------------------------------------------------------


def _resolve_case(
    procedure_code: str, case: str | int | None
) -> tuple[ProcedureVersion, ProcedureCase]:
    procedure = (
        Procedure.objects.select_related("current_version").filter(code=procedure_code).first()
    )
    if procedure is None or procedure.current_version is None:
        raise InvalidInput(f"Unknown procedure code {procedure_code!r}", field="procedure_code")
    version = procedure.current_version
    cases = version_parts(version.pk).cases
    if not cases:
        raise InvalidInput(f"Procedure {procedure_code} has no case", field="case")
    if case in (None, ""):
        if len(cases) > 1:
            raise InvalidInput(
                f"Procedure {procedure_code} has {len(cases)} cases: give `case` (1–{len(cases)})",
                field="case",
            )
        return version, cases[0]
    for number, c in enumerate(cases, start=1):  # cases are numbered 1, 2, … for people
        if str(number) == str(case).strip() or c.name == case:
            return version, c
    raise InvalidInput(f"Unknown case {case!r} of procedure {procedure_code}", field="case")


def _competent_agency(
    version: ProcedureVersion, receiving: Agency | None, agency_code: str
) -> Agency:
    """The agency that settles the dossier: the one named, else the receiving counter's own
    agency when it implements the procedure, else the only one that does."""
    candidates = version_agencies(version)
    if agency_code:
        for a in candidates:
            if a.code == agency_code:
                return a
        raise InvalidInput(
            f"Agency {agency_code} does not implement procedure {version.procedure.code}",
            field="agency_code",
        )
    for a in candidates:
        if receiving is not None and a.pk == receiving.pk:
            return a
    if len(candidates) == 1:
        return candidates[0]
    raise InvalidInput(
        "Choose the competent agency (`agency_code`): this procedure is implemented by "
        f"{len(candidates)} agencies",
        field="agency_code",
    )


def _new_dossier(
    *,
    status: Status,
    channel: str,
    version: ProcedureVersion,
    case: ProcedureCase,
    receiving: Agency,
    competent: Agency,
    applicant: ApplicantIn,
    summary: str,
    now: dt.datetime,
    applicant_user: Any = None,
    set_count: int = 1,
) -> Dossier:
    """An unsaved dossier with its code allocated (the caller's transaction holds the counter)."""
    dossier = Dossier(
        code=_allocate_code(receiving, now),
        status=status,
        channel=channel,
        procedure_version=version,
        case=case,
        receiving_agency=receiving,
        agency=competent,
        current_agency=receiving,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_user=applicant_user,
        summary=(summary or version.name)[:1000],
        set_count=set_count,
        submitted_at=now,
    )
    dossier.search_text = fold(f"{dossier.code} {applicant.name} {applicant.id_number}")
    return dossier


def _limit(case: ProcedureCase, channel: str) -> tuple[int | None, str]:
    if channel == Channel.ONLINE and case.online_time_limit_unit:
        return case.online_time_limit_amount, case.online_time_limit_unit
    return case.time_limit_amount, case.time_limit_unit


def _clean_applicant(applicant: ApplicantIn) -> ApplicantIn:
    from motcua.accounts.identifiers import InvalidIdentifier, parse_citizen_id, parse_tax_code

    name = " ".join(applicant.name.split())
    if not name:
        raise InvalidInput("The applicant's name is required", field="applicant.name")
    if applicant.kind not in ApplicantKind.values:
        raise InvalidInput(f"Unknown applicant kind {applicant.kind!r}", field="applicant.kind")
    number = applicant.id_number.strip()
    try:
        if number and applicant.kind == ApplicantKind.CITIZEN:
            number = parse_citizen_id(number, today=timezone.localdate()).number
        elif number and applicant.kind == ApplicantKind.BUSINESS:
            number = parse_tax_code(number).number
    except InvalidIdentifier as exc:
        raise InvalidInput(str(exc), field="applicant.id_number") from exc
    email = applicant.email.strip()
    if email and ("@" not in email or len(email) > 254):
        raise InvalidInput("Invalid e-mail address", field="applicant.email")
    return ApplicantIn(
        name=name,
        id_number=number,
        phone=applicant.phone.strip(),
        email=email,
        address=applicant.address.strip(),
        kind=applicant.kind,
    )


def _add_components(
    dossier: Dossier, version: ProcedureVersion, components: Sequence[ComponentIn]
) -> None:
    known = version_parts(version.pk).components
    rows = []
    for n, line in enumerate(components):
        if line.component_id is not None:
            comp = known.get(line.component_id)
            if comp is None:
                raise InvalidInput(
                    f"Component {line.component_id} is not part of this procedure",
                    field=f"components[{n}]",
                )
            rows.append(
                DossierComponent(
                    dossier=dossier,
                    component=comp,
                    name=comp.name,
                    original_count=line.original_count or comp.original_count,
                    copy_count=line.copy_count or comp.copy_count,
                )
            )
        elif line.name.strip():
            rows.append(
                DossierComponent(
                    dossier=dossier,
                    name=line.name.strip(),
                    original_count=line.original_count,
                    copy_count=line.copy_count,
                )
            )
        else:
            raise InvalidInput("A component needs an id or a name", field=f"components[{n}]")
    DossierComponent.objects.bulk_create(rows)


def _step_templates(version: ProcedureVersion, case_id: int) -> list[Any]:
    """The procedure's internal steps for this case (the case's own, else the version's)."""
    rows = [r for r in version_parts(version.pk).steps if r.case_id in (case_id, None)]
    own = [r for r in rows if r.case_id == case_id]
    return own or [r for r in rows if r.case_id is None]


def _start_clock(
    dossier: Dossier, when: dt.datetime, calendar: WorkingCalendar
) -> list[DossierStep]:
    """Start the clock at ``when``: limit, due date, risk instant and the planned steps.

    Returns the (unsaved) steps; the caller inserts them once the dossier row exists.
    """
    amount, unit = _limit(dossier.case, dossier.channel)
    dossier.limit_amount = amount
    dossier.limit_unit = unit
    dossier.received_at = when
    dossier.clock_start_at = when
    dossier.limit_work = clock.limit_as_work(calendar, when, amount, unit)
    _apply_plan(dossier, calendar, pauses=[])
    templates = _step_templates(dossier.procedure_version, dossier.case_id)
    dues = clock.step_dues(
        calendar, start=when, limit=dossier.limit_work, shares=[t.time_share for t in templates]
    )
    steps = [
        DossierStep(
            dossier=dossier,
            order=i + 1,
            name=t.name,
            role=t.role,
            time_share=t.time_share,
            # The first step happens at the receiving counter; the rest at the competent agency.
            agency=dossier.receiving_agency if i == 0 else dossier.agency,
            due_at=due,
            started_at=when if i == 0 else None,
        )
        for i, (t, due) in enumerate(zip(templates, dues, strict=True))
    ]
    if steps:
        dossier.current_step = 1
        dossier.step_due_at = steps[0].due_at
    return steps


def _insert_steps(dossier: Dossier, steps: list[DossierStep]) -> None:
    DossierStep.objects.bulk_create(steps)
    dossier.__dict__[_STEPS_CACHE] = sorted(steps, key=lambda s: s.order)


def _intake_agency(actor: Any, receiving_agency_code: str) -> Agency:
    clerk_agencies = Agency.objects.filter(
        memberships__user_id=actor.pk,
        memberships__role=Role.CLERK,
        memberships__is_active=True,
        is_active=True,
    ).distinct()
    if receiving_agency_code:
        agency = clerk_agencies.filter(code=receiving_agency_code).first()
        if agency is None:
            raise PermissionDenied(
                f"You are not a one-stop clerk of agency {receiving_agency_code}",
                field="receiving_agency_code",
            )
        return agency
    agencies = list(clerk_agencies[:2])
    if not agencies:
        raise PermissionDenied("Only one-stop clerks receive dossiers")
    if len(agencies) > 1:
        raise InvalidInput(
            "You are a clerk of several agencies: give `receiving_agency_code`",
            field="receiving_agency_code",
        )
    return agencies[0]


@transaction.atomic(durable=True)
def dossier_receive(
    *,
    actor: Any,
    procedure_code: str,
    case: str | int | None,
    channel: str,
    applicant: ApplicantIn,
    components: Sequence[ComponentIn] = (),
    receiving_agency_code: str = "",
    agency_code: str = "",
    summary: str = "",
    set_count: int = 1,
) -> Dossier:
    """A clerk receives a complete dossier at the counter (or by post): code, due date, Form 01.

    Boundary-free: any counter of the province receives any procedure; the dossier is then
    transferred to the competent agency.
    """
    if channel not in (Channel.DIRECT, Channel.POSTAL):
        raise InvalidInput(
            "A counter receives direct or postal dossiers; online ones are "
            "submitted by the applicant",
            field="channel",
        )
    receiving = _intake_agency(actor, receiving_agency_code)
    version, case_obj = _resolve_case(procedure_code, case)
    competent = _competent_agency(version, receiving, agency_code)
    cleaned = _clean_applicant(applicant)
    if not 1 <= set_count <= 99:
        raise InvalidInput("set_count must be between 1 and 99", field="set_count")
    now = _now()
    calendar = working_calendar()
    dossier = _new_dossier(
        status=Status.RECEIVED,
        channel=channel,
        version=version,
        case=case_obj,
        receiving=receiving,
        competent=competent,
        applicant=cleaned,
        summary=summary,
        now=now,
        set_count=set_count,
    )
    steps = _start_clock(dossier, now, calendar)
    dossier.save()
    _add_components(dossier, version, components)
    _insert_steps(dossier, steps)
    dossier_changed(dossier)
    event = _event(
        dossier,
        action="receive",
        from_status=None,
        actor=actor,
        role=Role.CLERK,
        data={"boundary_free": receiving.pk != competent.pk},
    )
    record(action="dossier.received", actor=actor, subject=dossier, after=_snapshot(dossier))
    _notify(dossier, event=event)
    return dossier


@transaction.atomic(durable=True)
def dossier_submit_online(**kwargs: Any) -> Dossier:
    """An applicant (or an integrator on their behalf) files a dossier online: status 1.

    Its own transaction; ``dossier_submit_online_within`` joins the caller's (an online
    application also attaches its files and closes its draft in the same transaction)."""
    return dossier_submit_online_within(**kwargs)


def dossier_submit_online_within(
    *,
    actor: Any,
    procedure_code: str,
    case: str | int | None,
    applicant: ApplicantIn,
    components: Sequence[ComponentIn] = (),
    agency_code: str = "",
    summary: str = "",
) -> Dossier:
    """``dossier_submit_online`` inside the caller's transaction (it must hold one)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_submit_online_within needs the caller's transaction")
    version, case_obj = _resolve_case(procedure_code, case)
    competent = _competent_agency(version, None, agency_code)
    cleaned = _clean_applicant(applicant)
    now = _now()
    applicant_user = actor if getattr(actor, "kind", "") in ("citizen", "business") else None
    dossier = _new_dossier(
        status=Status.SUBMITTED,
        channel=Channel.ONLINE,
        version=version,
        case=case_obj,
        receiving=competent,
        competent=competent,
        applicant=cleaned,
        summary=summary,
        now=now,
        applicant_user=applicant_user,
    )
    dossier.save()
    _add_components(dossier, version, components)
    event = _event(
        dossier,
        action="submit",
        from_status=None,
        actor=actor,
        role="applicant" if applicant_user else "",
    )
    record(action="dossier.submitted", actor=actor, subject=dossier, after=_snapshot(dossier))
    _notify(dossier, event=event)
    return dossier


# -- actions --------------------------------------------------------------------------------------

# Agencies whose staff may take each action: the counter's actions also belong to the receiving
# agency; the processing actions to the agency holding the dossier now (and the competent one).
_COUNTER_ACTIONS = {
    Action.ACCEPT,
    Action.REFUSE,
    Action.SUPPLEMENT,
    Action.CONFIRM_PAYMENT,
    Action.WITHDRAW,
    Action.RETURN,
}


def actors_for(
    dossier: Dossier,
    action: Action,
    user: Any,
    *,
    roles: dict[int, frozenset[str]] | None = None,
) -> frozenset[Actor]:
    """The workflow actors ``user`` is for this dossier and action (``roles`` from
    ``scoping.roles_by_agency`` when the caller has them already)."""
    roles = roles_by_agency(user) if roles is None else roles
    agencies = [dossier.current_agency_id, dossier.agency_id]
    if action in _COUNTER_ACTIONS:
        agencies.append(dossier.receiving_agency_id)
    actors = {
        _ROLE_ACTORS[role]
        for agency_id in set(agencies)
        for role in roles.get(agency_id, ())
        if role in _ROLE_ACTORS
    }
    if user is not None and user.is_authenticated and dossier.applicant_user_id == user.pk:
        actors.add(Actor.APPLICANT)
    return frozenset(actors)


_LOCK_SQL = (
    "SELECT id, agency_id, receiving_agency_id, current_agency_id, applicant_user_id "
    "FROM dossiers_dossier WHERE code = %s"
)


def _lock_visible(actor: Any, code: str, scope: Any) -> int:
    """Lock the dossier row (alone: with joins, PostgreSQL would re-check joined rows after
    waiting for a concurrent winner) and check it is visible to ``actor``; plain SQL because
    every action runs it."""
    connection = transaction.get_connection()
    sql = _LOCK_SQL + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [code])
        row = cursor.fetchone()
    if row is None or not dossier_row_visible(
        user=actor, scope=scope, agency_ids=(row[1], row[2], row[3]), applicant_user_id=row[4]
    ):
        raise NotFound(f"Dossier {code} not found")
    return int(row[0])


def _role_label(actors: frozenset[Actor], action: Action) -> str:
    from motcua.dossiers.workflow import RULES

    usable = sorted(a.value for a in actors & RULES[action].actors)
    return usable[0] if usable else ""


def _close_pause(dossier: Dossier, now: dt.datetime) -> ClockPause | None:
    pause = dossier.pauses.filter(ended_at__isnull=True).first()
    if pause is not None:
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
    dossier.paused_since = None
    return pause


def _open_pause(dossier: Dossier, kind: str, now: dt.datetime, reason: str) -> None:
    ClockPause.objects.create(dossier=dossier, kind=kind, started_at=now, reason=reason)
    dossier.paused_since = now


def _finish_step(dossier: Dossier, now: dt.datetime, actor: Any, receiver: str = "") -> None:
    step = _current_step(dossier)
    if step is None or step.finished_at is not None:
        return
    step.started_at = step.started_at or now
    step.finished_at = now
    step.handed_by = _actor_name(actor)
    step.received_by = receiver
    step.outcome = clock.classify(now, step.due_at) if step.due_at else ""
    update(step, ["started_at", "finished_at", "handed_by", "received_by", "outcome"])


def _settle_clock(dossier: Dossier, now: dt.datetime) -> None:
    dossier.settled_at = now
    if dossier.due_at is not None:
        dossier.outcome = clock.classify(now, dossier.due_at)


def _require(value: str, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"`{name}` is required for this action", field=name)
    return value


def _do_accept(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    # The clock starts at the receipt; the code keeps its submission date.
    _insert_steps(d, _start_clock(d, now, cal))
    return {}


def _do_refuse(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    d.refusal_reason = _require(p.reason, "reason")
    d.closed_at = now
    return {}


def _do_forward(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    to_agency = d.agency
    if p.to_agency_code:
        found = Agency.objects.filter(code=p.to_agency_code, is_active=True).first()
        if found is None:
            raise InvalidInput(f"Unknown agency {p.to_agency_code}", field="to_agency_code")
        to_agency = found
    assignee = None
    if p.assignee_username:
        assignee = (
            Membership.objects.filter(
                user__username=p.assignee_username, agency=to_agency, is_active=True
            )
            .select_related("user")
            .first()
        )
        if assignee is None:
            raise InvalidInput(
                f"{p.assignee_username} is not a member of {to_agency.code}",
                field="assignee_username",
            )
    _finish_step(d, now, actor, receiver=assignee.user.full_name if assignee else "")
    nxt = next((s for s in _steps(d) if s.order > d.current_step), None)
    if nxt is not None:
        nxt.started_at = now
        if p.to_agency_code and nxt.agency_id != to_agency.pk:
            nxt.agency = to_agency
        nxt.save(update_fields=["started_at", "agency"])
        d.current_step = nxt.order
    d.current_agency = to_agency
    d.assignee = assignee.user if assignee else None
    _sync_step_due(d)
    return {"to_agency": to_agency.code, "step": d.current_step}


def _do_request_supplement(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    reason = _require(p.reason, "reason")
    _open_pause(d, PauseKind.SUPPLEMENT, now, reason)
    d.supplement_count += 1
    return {"components": p.components}


def _do_supplement(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    pause = _close_pause(d, now)
    restart = d.procedure_version.supplement_mode == SupplementMode.RESTART
    if restart:
        # "Theo Nghị định": the full limit runs again from the complete dossier.
        d.clock_start_at = now
        d.limit_work = clock.limit_as_work(cal, now, d.limit_amount, d.limit_unit)
        if pause is not None:
            pause.restarted_clock = True
            pause.save(update_fields=["restarted_clock"])
    d.components.filter(provided=False).update(provided=True, supplemented_at=now)
    return {"mode": "restart" if restart else "pause"}


def _do_request_payment(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    if p.amount_vnd is not None and p.amount_vnd < 0:
        raise InvalidInput("amount_vnd must not be negative", field="amount_vnd")
    _open_pause(d, PauseKind.PAYMENT, now, p.reason)
    return {"amount_vnd": p.amount_vnd}


def _do_confirm_payment(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    _close_pause(d, now)
    return {}


def _do_withdraw(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    _close_pause(d, now)
    d.closed_at = now
    return {}


def _do_stop(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    _require(p.reason, "reason")
    _close_pause(d, now)
    _settle_clock(d, now)
    d.closed_at = now
    return {}


def _do_settle(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    d.result_summary = _require(p.result, "result")
    d.result_is_refusal = p.is_refusal
    if p.is_refusal:
        _require(p.reason, "reason")
    _finish_step(d, now, actor)
    _settle_clock(d, now)
    return {"is_refusal": p.is_refusal}


def _do_return(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    if p.method not in ReturnMethod.values:
        raise InvalidInput(
            f"`method` must be one of {', '.join(ReturnMethod.values)}", field="method"
        )
    d.return_method = p.method
    d.returned_at = now
    d.closed_at = now
    remaining = [s for s in _steps(d) if s.finished_at is None and s.order >= d.current_step]
    for step in remaining:  # the final hand-back step
        d.current_step = step.order
        _finish_step(d, now, actor, receiver=d.applicant_name)
    return {"method": p.method}


def _do_apologize(
    d: Dossier, p: ActionIn, actor: Any, now: dt.datetime, cal: WorkingCalendar
) -> dict[str, Any]:
    reason = _require(p.reason, "reason")
    if d.apologized_at is not None:
        raise Conflict(
            "An apology and new date may be given only once per dossier",
            code="apology_already_given",
        )
    if p.new_due_at is None:
        raise InvalidInput("`new_due_at` is required", field="new_due_at")
    if d.due_at is None or d.limit_work is None:
        raise Conflict("This dossier has no due date to move", code="no_due_date")
    try:
        new_due = as_local(p.new_due_at, field="new_due_at")
    except ClockError as exc:
        raise InvalidInput(str(exc), field="new_due_at") from exc
    if not clock.apology_allowed(cal, now=now, due=d.due_at):
        raise Conflict(
            "Too late to apologize: the apology must come at least one working day "
            "before the due date",
            code="apology_too_late",
        )
    if new_due <= d.due_at:
        raise InvalidInput("The new date must be after the current due date", field="new_due_at")
    if not cal.is_working_time(new_due):
        raise InvalidInput("The new date must be a working moment", field="new_due_at")
    extension = cal.working_time_between(d.due_at, new_due)
    d.limit_work = d.limit_work + extension
    d.original_due_at = d.due_at  # the history keeps the old date
    d.apologized_at = now
    return {
        "reason": reason,
        "old_due_at": d.due_at.isoformat(),
        "new_due_at": new_due.isoformat(),
        "extension_hours": extension.total_seconds() / 3600,
    }


_HANDLERS: dict[
    Action, Callable[[Dossier, ActionIn, Any, dt.datetime, WorkingCalendar], dict[str, Any]]
] = {
    Action.ACCEPT: _do_accept,
    Action.REFUSE: _do_refuse,
    Action.FORWARD: _do_forward,
    Action.REQUEST_SUPPLEMENT: _do_request_supplement,
    Action.SUPPLEMENT: _do_supplement,
    Action.REQUEST_PAYMENT: _do_request_payment,
    Action.CONFIRM_PAYMENT: _do_confirm_payment,
    Action.WITHDRAW: _do_withdraw,
    Action.STOP: _do_stop,
    Action.SETTLE: _do_settle,
    Action.RETURN: _do_return,
    Action.APOLOGIZE: _do_apologize,
}
# The columns an action may change (the intake's own columns are never rewritten).
_ACTION_FIELDS = [
    "status",
    "version",
    "current_agency",
    "assignee",
    "current_step",
    "step_due_at",
    "received_at",
    "clock_start_at",
    "limit_amount",
    "limit_unit",
    "limit_work",
    "due_at",
    "original_due_at",
    "at_risk_from",
    "paused_since",
    "calendar_revision",
    "apologized_at",
    "supplement_count",
    "settled_at",
    "returned_at",
    "closed_at",
    "outcome",
    "result_summary",
    "result_is_refusal",
    "return_method",
    "refusal_reason",
    "updated_at",
]
# Actions after which the due date is recomputed from the ledger.
_REPLAN = {Action.SUPPLEMENT, Action.CONFIRM_PAYMENT, Action.APOLOGIZE}
_PUBLIC_NOTE = {
    Action.REFUSE,
    Action.REQUEST_SUPPLEMENT,
    Action.REQUEST_PAYMENT,
    Action.STOP,
    Action.APOLOGIZE,
    Action.WITHDRAW,
    Action.SETTLE,
    Action.RETURN,
}


@transaction.atomic(durable=True)
def dossier_act(*, actor: Any, code: str, action: str, params: ActionIn | None = None) -> Dossier:
    """Take ``action`` on the dossier ``code`` as ``actor``; one transaction, or nothing."""
    return _act(actor=actor, code=code, action=action, params=params, system=False)


def dossier_act_within(
    *, actor: Any, code: str, action: str, params: ActionIn | None = None
) -> Dossier:
    """``dossier_act`` inside the caller's transaction, for a use-case that writes more in the
    same transaction (an online supplement stores its files with the action)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_act_within needs the caller's transaction")
    return _act(actor=actor, code=code, action=action, params=params, system=False)


@transaction.atomic(durable=True)
def dossier_act_as_system(
    *, code: str, action: str, source: str, params: ActionIn | None = None
) -> Dossier:
    """Take ``action`` as the system (``Actor.SYSTEM``), for trusted integrations that have
    verified their own evidence — e.g. a payment gateway's signed callback. ``source`` names
    the integration in the history and the audit trail."""
    p = params or ActionIn()
    p.note = p.note or source
    return _act(actor=None, code=code, action=action, params=p, system=True)


_FLAG_ACTIONS = frozenset({Action.ACCEPT, Action.SUPPLEMENT, Action.CONFIRM_PAYMENT})


def _act(*, actor: Any, code: str, action: str, params: ActionIn | None, system: bool) -> Dossier:
    try:
        act = Action(action)
    except ValueError as exc:
        raise InvalidInput(f"Unknown action {action!r}", field="action") from exc
    p = params or ActionIn()
    roles = {} if system else roles_by_agency(actor)
    scope = EVERYTHING if system else scope_from_roles(actor, roles)
    pk = _lock_visible(actor, code, scope)
    # Only what every action needs; the rest loads if an action touches it.
    # The row with its procedure version, by plain SQL (the ORM's select_related compile cost
    # more than the query on every action).
    dossier: Dossier = rows_of(Dossier, "t.id = %s", related="procedure_version").all([pk])[0]
    if p.expected_version is not None and p.expected_version != dossier.version:
        raise Conflict(
            f"Dossier {code} changed since you opened it (version {p.expected_version} → "
            f"{dossier.version}); reload and try again",
            code="stale_version",
        )
    before = _snapshot(dossier)
    from_status = Status(dossier.status)
    actors = frozenset({Actor.SYSTEM}) if system else actors_for(dossier, act, actor, roles=roles)
    if not actors and from_status not in TERMINAL:
        raise PermissionDenied(f"You hold no role on dossier {code}")
    try:
        target = check_transition(act, from_status, actors)
    except TransitionNotAllowed as exc:
        raise Conflict(exc.message, code=exc.code) from exc

    now = _now()
    calendar = working_calendar()
    due_before = dossier.due_at
    data = _HANDLERS[act](dossier, p, actor, now, calendar)
    dossier.status = target
    if target in TERMINAL or target == Status.SETTLED:
        dossier.step_due_at = None
    dossier.version += 1  # the row is locked: no lost update
    if act in _REPLAN:
        # An apology's extension is working time, so the replanned due date is the new date
        # (in its canonical form: 17:00 rather than the next morning's 07:00).
        _replan(dossier, calendar)
    update(dossier, _ACTION_FIELDS)  # plain SQL, as save(update_fields=…) would write it
    # ``reason``/``result`` are what the applicant is told (Forms 02–04, the result); ``note`` is
    # internal and never leaves the back office.
    public_note = (p.reason or p.result) if act in _PUBLIC_NOTE else ""
    if p.note:
        data = {**data, "internal_note": p.note}
    event = _event(
        dossier,
        action=act.value,
        from_status=from_status.value,
        actor=actor,
        role=_role_label(actors, act),
        note=public_note,
        due_before=due_before,
        to_agency=dossier.current_agency if act == Action.FORWARD else None,
        data=data,
    )
    # The statistics move in the same transaction (after the event); only these actions can
    # follow new documents or a payment, the others keep the fact's flags.
    dossier_changed(dossier, flags_may_change=act in _FLAG_ACTIONS)
    record(
        action=f"dossier.{act.value}",
        actor=actor,
        subject=dossier,
        before=before,
        after=_snapshot(dossier),
    )
    _notify(dossier, event=event)
    return dossier


# -- calendar changes -----------------------------------------------------------------------------


def dossiers_replan_stale(*, batch: int = 500) -> int:
    """Re-plan open dossiers planned with an older calendar revision; record changed due dates.

    Called by the worker (periodic job) and ``manage.py replan_deadlines``. Each dossier is its own
    short transaction, claimed with ``SKIP LOCKED`` so several workers can share the work.
    """
    from motcua.dossiers.models import OPEN_CODES

    current = calendar_revision()
    done = 0
    while True:
        with transaction.atomic():
            rows = list(
                Dossier.objects.select_for_update(skip_locked=True)
                .filter(
                    status__in=OPEN_CODES,
                    calendar_revision__lt=current,
                    clock_start_at__isnull=False,
                )
                .order_by("pk")[:batch]
            )
            if not rows:
                return done
            calendar = working_calendar()
            for dossier in rows:
                before = dossier.due_at
                _replan(dossier, calendar)
                dossier.calendar_revision = current
                moved = before != dossier.due_at
                if moved:
                    dossier.version += 1  # a new date is a change the history numbers
                dossier.save(
                    update_fields=[
                        "due_at",
                        "at_risk_from",
                        "step_due_at",
                        "calendar_revision",
                        "version",
                    ]
                )
                if moved:
                    dossier_changed(dossier, flags_may_change=False)
                    _event(
                        dossier,
                        action="replan",
                        from_status=dossier.status,
                        actor=None,
                        note="Lịch làm việc thay đổi: hạn trả được tính lại.",
                        due_before=before,
                    )
                    record(
                        action="dossier.replanned",
                        subject=dossier,
                        before={"due_at": before.isoformat() if before else None},
                        after={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
                    )
                done += 1
