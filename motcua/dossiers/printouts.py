"""Dossier models → the printing dataclasses (``motcua.dossiers.printing``) → PDF bytes.

The back-office views call ``render_form(dossier, kind)`` and ``render_book(...)``; both expect
the dossier loaded by ``selectors.dossier_get`` (events, steps, components and pauses prefetched)
so that printing adds only the queries of the procedure's fees and legal basis. The regime
(Circular 01/2018 or 03/2025) is chosen by the dossier's received date (``regime_for``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from motcua.dossiers import printing as pr
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import Status
from motcua.units.models import Agency

# URL names of the forms (``/office/dossiers/<code>/forms/<form>.pdf``) → the printing kinds.
FORM_KINDS: dict[str, pr.FormKind] = {
    "receipt": pr.FormKind.RECEIPT,
    "supplement": pr.FormKind.SUPPLEMENT_REQUEST,
    "refusal": pr.FormKind.REFUSAL,
    "apology": pr.FormKind.APOLOGY,
    "stop": pr.FormKind.STOP_NOTICE,
    "control": pr.FormKind.CONTROL_SHEET,
}

_UNIT_LABELS = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "calendar_days": "ngày",
}
_SIGNER_TITLES = {"leader": "THỦ TRƯỞNG CƠ QUAN", "head": "TRƯỞNG PHÒNG"}


class FormNotAvailable(Exception):
    """The form does not apply to this dossier (yet), or its regime has no such form."""


@dataclass(frozen=True)
class PrintButton:
    form: str  # the URL name: receipt, supplement, …
    label: str  # "Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    number: str


# -- small mappings -------------------------------------------------------------------------------


def regime_of(dossier: Dossier) -> pr.Regime:
    when = dossier.received_at or dossier.submitted_at or dossier.created_at or timezone.now()
    return pr.regime_for(when)


def _locality(agency: Agency) -> str:
    unit = getattr(agency, "unit", None)
    if unit is None:
        return ""
    name = str(unit.name)
    kind = str(getattr(unit, "unit_type", "") or "")
    if kind and name.lower().startswith(kind.lower() + " "):
        name = name[len(kind) + 1 :]
    return name


def agency_info(agency: Agency) -> pr.AgencyInfo:
    parent = agency.parent.name.upper() if agency.parent_id and agency.parent else ""
    return pr.AgencyInfo(
        name=agency.name,
        code=agency.code,
        parent_name=parent,
        address=agency.address,
        phone=agency.phone,
        locality=_locality(agency),
    )


def applicant_info(dossier: Dossier) -> pr.ApplicantInfo:
    return pr.ApplicantInfo(
        name=dossier.applicant_name,
        id_number=dossier.applicant_id_number,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
    )


def time_limit_text(dossier: Dossier) -> str:
    """ "05 ngày làm việc" (empty when the procedure has no appointment)."""
    if not dossier.limit_amount or dossier.limit_unit in ("", "none"):
        return ""
    unit = _UNIT_LABELS.get(dossier.limit_unit, dossier.limit_unit)
    return f"{dossier.limit_amount:02d} {unit}"


def _events(dossier: Dossier, *actions: str) -> list[DossierEvent]:
    return [e for e in dossier.events.all() if e.action in actions]


def _last(dossier: Dossier, *actions: str) -> DossierEvent | None:
    found = _events(dossier, *actions)
    return found[-1] if found else None


def _when(value: dt.datetime | None) -> dt.datetime:
    return value or timezone.now()


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


# -- the forms ------------------------------------------------------------------------------------


def receipt_data(dossier: Dossier) -> pr.ReceiptData:
    received = _last(dossier, "receive", "accept")
    return pr.ReceiptData(
        regime=regime_of(dossier),
        dossier_code=dossier.code,
        receiving_agency=agency_info(dossier.receiving_agency),
        competent_agency=agency_info(dossier.agency),
        applicant=applicant_info(dossier),
        procedure_name=dossier.procedure_version.name,
        procedure_code=dossier.procedure_version.procedure.code,
        components=tuple(
            pr.ComponentLine(c.name, c.original_count, c.copy_count)
            for c in dossier.components.all()
        ),
        set_count=dossier.set_count,
        time_limit_text=time_limit_text(dossier),
        received_at=_when(dossier.received_at),
        due_at=dossier.due_at,
        result_place=f"Bộ phận Một cửa — {dossier.receiving_agency.name}",
        tracking_book_ref="",
        receiver_name=received.actor_name if received else "",
    )


def supplement_data(dossier: Dossier) -> pr.SupplementRequestData:
    event = _last(dossier, "request_supplement")
    if event is None:
        raise FormNotAvailable("no supplement was requested")
    reason = event.note or ""
    names = [str(n) for n in (event.data or {}).get("components", []) if str(n).strip()]
    by_name = {c.name: c for c in dossier.components.all()}
    items = tuple(
        pr.SupplementItem(
            name=n,
            reason=reason,
            original_count=by_name[n].original_count if n in by_name else 0,
            copy_count=by_name[n].copy_count if n in by_name else 0,
        )
        for n in names
    ) or (pr.SupplementItem(name="Hồ sơ cần bổ sung, hoàn thiện", reason=reason),)
    during = event.from_status == Status.PROCESSING.value
    desk = dossier.receiving_agency
    return pr.SupplementRequestData(
        regime=regime_of(dossier),
        receiving_agency=agency_info(desk),
        applicant=applicant_info(dossier),
        procedure_name=dossier.procedure_version.name,
        procedure_code=dossier.procedure_version.procedure.code,
        items=items,
        guidance=reason,
        contact=f"Bộ phận Một cửa — {desk.name}"
        + (f", điện thoại {desk.phone}" if desk.phone else ""),
        issued_at=event.at,
        officer_name=event.actor_name,
        dossier_code=dossier.code,
        received_at=dossier.received_at,
        apology=(
            f"{dossier.agency.name} xin lỗi ông/bà vì yêu cầu bổ sung hồ sơ trong quá trình "
            "giải quyết."
            if during
            else ""
        ),
    )


def refusal_data(dossier: Dossier) -> pr.RefusalData:
    if dossier.status != Status.REFUSED.value:
        raise FormNotAvailable("the dossier was not refused")
    event = _last(dossier, "refuse")
    return pr.RefusalData(
        regime=regime_of(dossier),
        receiving_agency=agency_info(dossier.receiving_agency),
        applicant=applicant_info(dossier),
        procedure_name=dossier.procedure_version.name,
        procedure_code=dossier.procedure_version.procedure.code,
        reasons=_lines(dossier.refusal_reason) or ("",),
        legal_basis=tuple(str(x) for x in (dossier.procedure_version.legal_basis or [])),
        issued_at=_when(dossier.closed_at),
        officer_name=event.actor_name if event else "",
        dossier_code=dossier.code,
    )


def apology_data(dossier: Dossier) -> pr.ApologyData:
    event = _last(dossier, "apologize")
    if event is None or dossier.apologized_at is None:
        raise FormNotAvailable("no apology was given")
    data = event.data or {}
    old = dossier.original_due_at or event.due_before
    new = dossier.due_at or event.due_after
    if old is None or new is None:
        raise FormNotAvailable("the apology has no dates")
    return pr.ApologyData(
        regime=regime_of(dossier),
        agency=agency_info(dossier.agency),
        applicant=applicant_info(dossier),
        dossier_code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        received_at=_when(dossier.received_at),
        time_limit_text=time_limit_text(dossier),
        original_due_at=old,
        reason=str(data.get("reason") or event.note),
        new_due_at=new,
        issued_at=event.at,
        signer_name=event.actor_name,
        signer_title=_SIGNER_TITLES.get(event.actor_role, "THỦ TRƯỞNG CƠ QUAN"),
    )


def stop_data(dossier: Dossier) -> pr.StopNoticeData:
    event = _last(dossier, "stop")
    if dossier.status != Status.STOPPED.value or event is None:
        raise FormNotAvailable("the dossier was not stopped")
    steps = list(dossier.steps.all())
    stage = next((s.name for s in steps if s.order == dossier.current_step), "")
    fees = tuple(
        pr.FeeLine(name=f.name, amount_vnd=int(f.amount_vnd))
        for f in dossier.procedure_version.fees.all()
        if f.case_id in (None, dossier.case_id)
    )
    return pr.StopNoticeData(
        regime=regime_of(dossier),
        agency=agency_info(dossier.agency),
        applicant=applicant_info(dossier),
        dossier_code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        received_at=_when(dossier.received_at),
        stop_request=event.note,
        stage_reached=stage,
        decision=f"Dừng giải quyết hồ sơ số {dossier.code}.",
        fees=fees,
        issued_at=event.at,
        signer_name=event.actor_name,
        signer_title=_SIGNER_TITLES.get(event.actor_role, "THỦ TRƯỞNG CƠ QUAN"),
    )


def control_data(dossier: Dossier) -> pr.ControlSheetData:
    steps = list(dossier.steps.all())
    handovers: list[pr.HandoverLine] = []
    for i, step in enumerate(steps):
        if step.finished_at is None:
            continue
        nxt = steps[i + 1] if i + 1 < len(steps) else None
        outcome: Any = step.outcome or None
        handovers.append(
            pr.HandoverLine(
                unit=f"{step.name} ({step.agency.name})",
                handed_at=step.finished_at,
                giver_name=step.handed_by,
                receiver_name=step.received_by,
                to_unit=nxt.agency.name if nxt is not None else "",
                received_at=nxt.started_at if nxt is not None else None,
                outcome=outcome,
            )
        )
    others = {s.agency.name for s in steps} - {dossier.agency.name, dossier.receiving_agency.name}
    return pr.ControlSheetData(
        regime=regime_of(dossier),
        receiving_agency=agency_info(dossier.receiving_agency),
        dossier_code=dossier.code,
        applicant_name=dossier.applicant_name,
        procedure_name=dossier.procedure_version.name,
        lead_agency=dossier.agency.name,
        cooperating_agencies=tuple(sorted(others)),
        received_at=_when(dossier.received_at or dossier.submitted_at),
        due_at=dossier.due_at,
        handovers=tuple(handovers),
    )


_BUILDERS = {
    "receipt": receipt_data,
    "supplement": supplement_data,
    "refusal": refusal_data,
    "apology": apology_data,
    "stop": stop_data,
    "control": control_data,
}
_RENDERERS: dict[str, Any] = {
    "receipt": pr.render_receipt,
    "supplement": pr.render_supplement_request,
    "refusal": pr.render_refusal,
    "apology": pr.render_apology,
    "stop": pr.render_stop_notice,
    "control": pr.render_control_sheet,
}


def available_forms(dossier: Dossier) -> list[PrintButton]:
    """The print buttons of the dossier page, in the order of the forms' numbers."""
    regime = regime_of(dossier)
    names: list[str] = []
    if dossier.received_at is not None:
        names.append("receipt")
    if _events(dossier, "request_supplement"):
        names.append("supplement")
    if dossier.status == Status.REFUSED.value:
        names.append("refusal")
    if dossier.apologized_at is not None:
        names.append("apology")
    if dossier.status == Status.STOPPED.value and regime == "2025":
        names.append("stop")
    names.append("control")
    buttons = []
    for name in names:
        spec = pr.form_spec(regime, FORM_KINDS[name])
        buttons.append(
            PrintButton(form=name, label=f"{spec.label}: {spec.title}", number=spec.number)
        )
    return buttons


def render_form(dossier: Dossier, form: str) -> bytes:
    """The PDF of ``form`` for ``dossier``; ``FormNotAvailable`` when it does not apply."""
    if form not in _BUILDERS:
        raise FormNotAvailable(f"unknown form {form!r}")
    if form not in {b.form for b in available_forms(dossier)}:
        raise FormNotAvailable(f"form {form} does not apply to dossier {dossier.code}")
    data = _BUILDERS[form](dossier)
    try:
        return bytes(_RENDERERS[form](data))
    except pr.FormNotInRegime as exc:
        raise FormNotAvailable(str(exc)) from exc


def filename(dossier: Dossier, form: str) -> str:
    number = pr.form_spec(regime_of(dossier), FORM_KINDS[form]).number
    return f"mau-{number}-{form}-{dossier.code}.pdf"


# -- the tracking book ----------------------------------------------------------------------------


def tracking_row(dossier: Dossier, forwards: Sequence[DossierEvent] = ()) -> pr.TrackingRow:
    transferred = next((e.at for e in forwards if e.action == "forward"), None)
    note = (
        ""
        if dossier.status in (9, 10) or dossier.closed_at is None
        else dossier.get_status_display()
    )
    return pr.TrackingRow(
        dossier_code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        set_count=dossier.set_count,
        applicant_name=dossier.applicant_name,
        applicant_address=dossier.applicant_address,
        applicant_phone=dossier.applicant_phone,
        lead_agency=dossier.agency.name,
        received_at=_when(dossier.received_at or dossier.submitted_at),
        due_at=dossier.due_at,
        transferred_at=transferred,
        result_at=dossier.settled_at,
        handed_over_at=dossier.returned_at,
        note=str(note),
    )


def book_data(
    *, agency: Agency, start: dt.date, end: dt.date, dossiers: Iterable[Dossier]
) -> pr.TrackingBookData:
    """Form 06 (2018) / 07 (2025) for one desk; the regime is the one in force at ``end``."""
    rows = tuple(tracking_row(d, getattr(d, "forwards", ())) for d in dossiers)
    return pr.TrackingBookData(
        regime=pr.regime_for(end),
        agency=agency_info(agency),
        period_start=start,
        period_end=end,
        rows=rows,
    )


def render_book(
    *, agency: Agency, start: dt.date, end: dt.date, dossiers: Iterable[Dossier]
) -> bytes:
    return bytes(
        pr.render_tracking_book(book_data(agency=agency, start=start, end=end, dossiers=dossiers))
    )
