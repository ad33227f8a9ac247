"""Dossier API, mounted at /api/v1/dossiers: intake, one dossier, actions, work queues.

Every endpoint authenticates with ``TokenAuth`` and reads through the scoped selectors / writes
through the services, so a dossier outside the caller's scope is a 404 whatever the method.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router
from ninja import Status as Reply
from pydantic import Field

from motcua.accounts.api_auth import token_auth
from motcua.core.errors import InvalidInput
from motcua.dossiers import idempotency, selectors, services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.schemas import (
    DossierActionIn,
    DossierApplicantOut,
    DossierComponentOut,
    DossierCreateIn,
    DossierErrorOut,
    DossierEventOut,
    DossierLimitOut,
    DossierListItemOut,
    DossierOut,
    DossierPageOut,
    DossierPauseOut,
    DossierStepOut,
    ProcedureRefOut,
)
from motcua.dossiers.workflow import Action, Status
from motcua.units.models import Agency

router = Router(tags=["dossiers"], auth=token_auth)

ERRORS: dict[int, type[DossierErrorOut]] = {
    403: DossierErrorOut,
    404: DossierErrorOut,
    409: DossierErrorOut,
    422: DossierErrorOut,
}


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _is_official(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "kind", "") == "official")


def _status_name(value: int | None) -> str | None:
    return None if value is None else Status(value).slug


def _events(dossier: Dossier, *, official: bool) -> list[DossierEventOut]:
    events: list[DossierEvent] = list(dossier.events.all())
    if not official:
        events = [e for e in events if e.public]
    agency_ids = {e.agency_id for e in events} | {e.to_agency_id for e in events}
    codes = dict(
        Agency.objects.filter(pk__in=[a for a in agency_ids if a]).values_list("pk", "code")
    )
    out = []
    for e in events:
        public_note = e.note  # the services keep internal notes out of ``note``
        internal = e.data.get("internal_note", "") if isinstance(e.data, dict) else ""
        out.append(
            DossierEventOut(
                seq=e.seq,
                action=e.action,
                from_status=_status_name(e.from_status),  # type: ignore[arg-type]
                from_status_code=e.from_status,
                to_status=_status_name(e.to_status),  # type: ignore[arg-type]
                to_status_code=e.to_status,
                at=e.at,
                actor_name=e.actor_name,
                role=e.actor_role,
                agency_code=codes.get(e.agency_id) if e.agency_id else None,
                to_agency_code=codes.get(e.to_agency_id) if e.to_agency_id else None,
                note=public_note,
                internal_note=internal if official else None,
                due_before=e.due_before,
                due_after=e.due_after,
            )
        )
    return out


def dossier_out(dossier: Dossier, *, user: Any, lang: str = "vi") -> DossierOut:
    """Serialize a dossier fetched with ``selectors.dossier_get`` (prefetched)."""
    official = _is_official(user)
    version = dossier.procedure_version
    return DossierOut(
        code=dossier.code,
        status=Status(dossier.status).slug,  # type: ignore[arg-type]
        status_code=dossier.status,
        status_label=str(dossier.get_status_display()),
        channel=dossier.channel,
        version=dossier.version,
        procedure=ProcedureRefOut(
            code=version.procedure.code, name=version.name, version=version.number
        ),
        case=dossier.case.name,
        receiving_agency_code=dossier.receiving_agency.code,
        agency_code=dossier.agency.code,
        current_agency_code=dossier.current_agency.code,
        assignee=dossier.assignee.get_username() if official and dossier.assignee else None,
        applicant=DossierApplicantOut(
            kind=dossier.applicant_kind,
            name=dossier.applicant_name,
            id_number=dossier.applicant_id_number,
            phone=dossier.applicant_phone,
            email=dossier.applicant_email,
            address=dossier.applicant_address,
        ),
        summary=dossier.summary,
        set_count=dossier.set_count,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        limit=DossierLimitOut(amount=dossier.limit_amount, unit=dossier.limit_unit),
        due_at=dossier.due_at,
        original_due_at=dossier.original_due_at,
        at_risk_from=dossier.at_risk_from,
        paused_since=dossier.paused_since,
        apologized_at=dossier.apologized_at,
        settled_at=dossier.settled_at,
        returned_at=dossier.returned_at,
        closed_at=dossier.closed_at,
        outcome=dossier.outcome or None,  # type: ignore[arg-type]
        result_summary=dossier.result_summary,
        result_is_refusal=dossier.result_is_refusal,
        return_method=dossier.return_method,
        refusal_reason=dossier.refusal_reason,
        supplement_count=dossier.supplement_count,
        allowed_actions=selectors.dossier_allowed_actions(dossier, user=user),
        history=_events(dossier, official=official),
        explanation=selectors.dossier_explanation(dossier, lang=lang),
        steps=[
            DossierStepOut(
                order=s.order,
                name=s.name,
                role=s.role,
                agency_code=s.agency.code,
                time_share=s.time_share,
                due_at=s.due_at,
                started_at=s.started_at,
                finished_at=s.finished_at,
                outcome=s.outcome or None,  # type: ignore[arg-type]
            )
            for s in dossier.steps.all()
        ],
        pauses=[
            DossierPauseOut(
                kind=p.kind,
                started_at=p.started_at,
                ended_at=p.ended_at,
                reason=p.reason,
                restarted_clock=p.restarted_clock,
            )
            for p in dossier.pauses.all()
        ],
        components=[
            DossierComponentOut(
                component_id=c.component_id,
                name=c.name,
                original_count=c.original_count,
                copy_count=c.copy_count,
                provided=c.provided,
                supplemented_at=c.supplemented_at,
            )
            for c in dossier.components.all()
        ],
    )


def _read(user: Any, code: str, lang: str = "vi") -> DossierOut:
    dossier = selectors.dossier_get(user=user, code=code)
    return dossier_out(dossier, user=user, lang=lang)


Lang = Annotated[Literal["vi", "en", "es"], Query(description="language of `explanation`")]
Code = Annotated[str, Field(max_length=40)]


def _intake(user: Any, payload: DossierCreateIn) -> Dossier:
    applicant = services.ApplicantIn(**payload.applicant.model_dump())
    components = [services.ComponentIn(**c.model_dump()) for c in payload.components]
    if payload.channel == "online":
        if payload.receiving_agency_code:
            raise InvalidInput(
                "An online dossier is received by the competent agency",
                field="receiving_agency_code",
            )
        return services.dossier_submit_online(
            actor=user,
            procedure_code=payload.procedure_code,
            case=payload.case,
            applicant=applicant,
            components=components,
            agency_code=payload.agency_code,
            summary=payload.summary,
        )
    return services.dossier_receive(
        actor=user,
        procedure_code=payload.procedure_code,
        case=payload.case,
        channel=payload.channel,
        applicant=applicant,
        components=components,
        receiving_agency_code=payload.receiving_agency_code,
        agency_code=payload.agency_code,
        summary=payload.summary,
        set_count=payload.set_count,
    )


@router.post(
    "",
    response={201: DossierOut, **ERRORS},
    summary="File a dossier: received at a counter (direct, postal) or submitted online",
)
def dossier_create_api(
    request: HttpRequest,
    response: HttpResponse,
    payload: DossierCreateIn,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=idempotency.MAX_KEY_LENGTH,
            description="retrying with the same key answers the same dossier",
        ),
    ] = None,
) -> Reply[DossierOut]:
    """`direct`/`postal`: the caller is a one-stop clerk and the dossier is received at once
    (status `received`, due date issued). `online`: the dossier is submitted (status `submitted`)
    for the competent agency to accept."""
    user = _user(request)
    key = (idempotency_key or "").strip()
    if not key:
        dossier = _intake(user, payload)
        return Reply(201, _read(user, dossier.code))
    body = payload.model_dump(mode="json")
    row, done = idempotency.claim(
        user=user, key=key, body_fingerprint=idempotency.fingerprint(body)
    )
    if done is not None:
        response["Idempotent-Replayed"] = "true"
        code = Dossier.objects.filter(pk=done).values_list("code", flat=True).get()
        return Reply(201, _read(user, code))
    try:
        dossier = _intake(user, payload)
    except BaseException:
        idempotency.release(row)
        raise
    idempotency.complete(row, dossier_id=dossier.pk)
    return Reply(201, _read(user, dossier.code))


@router.get("", response={200: DossierPageOut, **ERRORS}, summary="Work queues and search")
def dossier_list_api(
    request: HttpRequest,
    queue: Annotated[
        Literal[
            "all", "due_soon", "at_risk", "step_late", "overdue", "paused", "settled", "closed"
        ],
        Query(description="all = every open dossier; settled = waiting to be returned"),
    ] = "all",
    q: Annotated[
        str, Query(max_length=200, description="code, applicant name (no diacritics needed) or ID")
    ] = "",
    agency: Annotated[
        str, Query(max_length=40, description="only dossiers held now by this agency (code)")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DossierPageOut:
    user = _user(request)
    agency_id = None
    if agency:
        agency_id = Agency.objects.filter(code=agency).values_list("pk", flat=True).first()
        if agency_id is None:
            raise InvalidInput(f"Unknown agency {agency}", field="agency")
    qs = selectors.dossier_queue(user=user, which=queue, q=q, agency_id=agency_id)
    count = qs.count()
    rows = qs.select_related("procedure_version__procedure", "receiving_agency")[
        offset : offset + limit
    ]
    return DossierPageOut(
        count=count,
        limit=limit,
        offset=offset,
        items=[
            DossierListItemOut(
                code=d.code,
                status=Status(d.status).slug,  # type: ignore[arg-type]
                status_code=d.status,
                channel=d.channel,
                procedure_code=d.procedure_version.procedure.code,
                procedure_name=d.procedure_version.name,
                applicant_name=d.applicant_name,
                receiving_agency_code=d.receiving_agency.code,
                agency_code=d.agency.code,
                current_agency_code=d.current_agency.code,
                received_at=d.received_at,
                due_at=d.due_at,
                at_risk_from=d.at_risk_from,
                outcome=d.outcome or None,  # type: ignore[arg-type]
                version=d.version,
            )
            for d in rows
        ],
    )


@router.get("/{code}", response={200: DossierOut, **ERRORS}, summary="One dossier")
def dossier_get_api(request: HttpRequest, code: Code, lang: Lang = "vi") -> DossierOut:
    """The dossier with its legal history, clock ledger, due date explained in words and the
    actions the caller may take. Applicants see their own dossiers, without internal notes."""
    return _read(_user(request), code, lang)


@router.post(
    "/{code}/actions/{action}",
    response={200: DossierOut, **ERRORS},
    summary="Take an action on a dossier",
)
def dossier_act_api(
    request: HttpRequest, code: Code, action: Action, payload: DossierActionIn, lang: Lang = "vi"
) -> DossierOut:
    """409 with the reason when the action is not allowed now, for the caller's roles, or when
    `expected_version` is stale; 422 naming the field of a bad parameter; 404 out of scope."""
    user = _user(request)
    params = services.ActionIn(**payload.model_dump())
    services.dossier_act(actor=user, code=code, action=action.value, params=params)
    return _read(user, code, lang)
