"""Public read API of the catalog: search, one procedure, fields. No authentication."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field as PydanticField

from motcua.catalog import selectors
from motcua.catalog.models import (
    Component,
    Fee,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.models import Procedure as ProcedureModel
from motcua.catalog.schemas import (
    CaseOut,
    CaseSummaryOut,
    ComponentOut,
    FeeOut,
    FieldListItemOut,
    ProcedureListItemOut,
    ProcedureOut,
    ProcedurePageOut,
    StepOut,
    TimeLimitOut,
)
from motcua.core.errors import NotFound

router = Router(tags=["catalog"])


@router.get("/procedures", response=ProcedurePageOut, auth=None)
def procedure_list_api(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=200, description="words to find (diacritics ignored)")] = "",
    field: Annotated[str, Query(max_length=100, description="field (lĩnh vực) code")] = "",
    level: Annotated[Literal["province", "district", "commune"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ProcedurePageOut:
    page = selectors.procedure_page(q=q, field=field, level=level or "", limit=limit, offset=offset)
    return ProcedurePageOut(
        total=page.total,
        limit=limit,
        offset=offset,
        items=[_list_item(p) for p in page.items],
    )


@router.get("/procedures/{code}", response=ProcedureOut, auth=None)
def procedure_get_api(
    request: HttpRequest, code: Annotated[str, PydanticField(max_length=20)]
) -> ProcedureOut:
    version = selectors.procedure_get(code=code).current_version
    if version is None:  # the selector only returns procedures that have one
        raise NotFound(code)
    return procedure_out(version)


@router.get("/fields", response=list[FieldListItemOut], auth=None)
def field_list_api(request: HttpRequest) -> list[FieldListItemOut]:
    return [
        FieldListItemOut(code=f.code, name=f.name, procedure_count=f.procedure_count)  # type: ignore[attr-defined]
        for f in selectors.field_list()
    ]


def _limits(case: ProcedureCase) -> tuple[TimeLimitOut, TimeLimitOut | None]:
    main = TimeLimitOut(amount=case.time_limit_amount, unit=case.time_limit_unit)
    online = (
        TimeLimitOut(amount=case.online_time_limit_amount, unit=case.online_time_limit_unit)
        if case.online_time_limit_unit
        else None
    )
    return main, online


def _list_item(procedure: ProcedureModel) -> ProcedureListItemOut:
    version = procedure.current_version
    if version is None:  # the selector only returns procedures that have one
        raise NotFound(procedure.code)
    cases = []
    for case in version.cases.all():
        main, online = _limits(case)
        cases.append(CaseSummaryOut(name=case.name, time_limit=main, online_time_limit=online))
    return ProcedureListItemOut(
        code=procedure.code,
        name=version.name,
        field={"code": version.field.code, "name": version.field.name},  # type: ignore[arg-type]
        levels=version.levels,
        online_level=version.online_level,
        result_kind=version.result_kind,
        version=version.number,
        cases=cases,
    )


def _component(c: Component) -> ComponentOut:
    return ComponentOut(
        name=c.name,
        required=c.required,
        originals=c.original_count,
        copies=c.copy_count,
        form_template=c.form_template,
        must_digitize=c.must_digitize,
        may_reuse=c.may_reuse,
        present_only=c.present_only,
        condition=c.condition,
    )


def _fee(f: Fee) -> FeeOut:
    return FeeOut(
        name=f.name,
        amount_vnd=f.amount_vnd,
        payer_kind=f.payer_kind,
        channel=f.channel,
        per=f.per,
        note=f.note,
    )


def _step(s: ProcessStep, order: int) -> StepOut:
    return StepOut(order=order, name=s.name, role=s.role, time_share=s.time_share)


def procedure_out(version: ProcedureVersion) -> ProcedureOut:
    """Serialize a fully prefetched version (``selectors.procedure_get`` / ``version_get``)."""
    components = list(version.components.all())
    fees = list(version.fees.all())
    steps = list(version.steps.all())

    def steps_of(case_id: int | None) -> list[StepOut]:
        own = sorted((s for s in steps if s.case_id == case_id), key=lambda s: s.order)
        return [_step(s, i + 1) for i, s in enumerate(own)]

    cases = []
    for case in version.cases.all():
        main, online = _limits(case)
        cases.append(
            CaseOut(
                name=case.name,
                time_limit=main,
                online_time_limit=online,
                note=case.note,
                components=[_component(c) for c in components if c.case_id == case.pk],
                fees=[_fee(f) for f in fees if f.case_id == case.pk],
                process_steps=steps_of(case.pk),
            )
        )
    agencies = selectors.version_agencies(version)
    return ProcedureOut.model_validate(
        {
            "code": version.procedure.code,
            "name": version.name,
            "version": version.number,
            "field": {"code": version.field.code, "name": version.field.name},
            "levels": version.levels,
            "procedure_type": version.procedure_type,
            "legal_basis": version.legal_basis,
            "applicants": version.applicants,
            "competent_authority": version.competent_authority,
            "implementing_agencies": [
                {"code": a.code, "name": a.name, "level": a.level} for a in agencies
            ],
            "implementing_agency_level": version.agency_level or None,
            "online_level": version.online_level,
            "result_kind": version.result_kind,
            "written_result_required": version.written_result_required,
            "supplement_mode": version.supplement_mode,
            "publication": {
                "decision_number": version.publication_number,
                "date": version.publication_date,
            },
            "valid_from": version.valid_from,
            "cases": cases,
            "components": [_component(c) for c in components if c.case_id is None],
            "fees": [_fee(f) for f in fees if f.case_id is None],
            "process_steps": steps_of(None),
            "results": [{"code": r.code, "name": r.name} for r in version.results.all()],
            "notes": version.notes,
            "source_url": version.source_url,
        }
    )
