"""API schemas of the dossiers (``/api/v1/dossiers``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

StatusName = Literal[
    "submitted",
    "received",
    "refused",
    "processing",
    "awaiting_supplement",
    "awaiting_payment",
    "withdrawn",
    "stopped",
    "settled",
    "returned",
]
OutcomeName = Literal["early", "on_time", "late"]


class _Strict(Schema):
    """Input schemas refuse unknown fields, so a misspelt parameter is a 422 naming it."""

    model_config = ConfigDict(extra="forbid")


# -- input ----------------------------------------------------------------------------------------


class DossierApplicantIn(_Strict):
    name: str = Field(max_length=200)
    id_number: str = Field("", max_length=20, description="citizen ID (12 digits) or tax code")
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    kind: Literal["citizen", "business", "agency", "organisation"] = "citizen"


class DossierComponentIn(_Strict):
    component_id: int | None = Field(None, description="a component of the procedure's checklist")
    name: str = Field("", max_length=2000, description="a component outside the checklist")
    original_count: int = Field(0, ge=0, le=99)
    copy_count: int = Field(0, ge=0, le=99)


class DossierCreateIn(_Strict):
    procedure_code: str = Field(max_length=20)
    case: str | int | None = Field(
        None, description="the case number (1, 2, …) or its name; optional with a single case"
    )
    channel: Literal["direct", "online", "postal"]
    applicant: DossierApplicantIn
    components: list[DossierComponentIn] = Field(default_factory=list, max_length=100)
    agency_code: str = Field("", max_length=40, description="the competent agency, if several")
    receiving_agency_code: str = Field(
        "", max_length=40, description="the counter receiving it (a clerk of several agencies)"
    )
    summary: str = Field("", max_length=1000)
    set_count: int = Field(1, ge=1, le=99)


class DossierActionIn(_Strict):
    """Parameters of an action; which ones matter depends on the action."""

    reason: str = Field("", max_length=5000)
    note: str = Field("", max_length=5000, description="internal note (officials only)")
    to_agency_code: str = Field("", max_length=40)
    assignee_username: str = Field("", max_length=150)
    new_due_at: dt.datetime | None = Field(None, description="ISO 8601 with an offset (apologize)")
    result: str = Field("", max_length=5000)
    is_refusal: bool = False
    method: Literal["", "counter", "post", "electronic"] = ""
    amount_vnd: int | None = Field(None, ge=0)
    components: list[str] = Field(default_factory=list, max_length=100)
    expected_version: int | None = Field(
        None, ge=1, description="the version you saw; a different one is a 409"
    )


# -- output ---------------------------------------------------------------------------------------


class DossierErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


class ProcedureRefOut(Schema):
    code: str
    name: str
    version: int


class DossierApplicantOut(Schema):
    kind: str
    name: str
    id_number: str
    phone: str
    email: str
    address: str


class DossierLimitOut(Schema):
    amount: int | None
    unit: str


class DossierEventOut(Schema):
    seq: int
    action: str
    from_status: StatusName | None
    from_status_code: int | None
    to_status: StatusName
    to_status_code: int
    at: dt.datetime
    actor_name: str
    role: str
    agency_code: str | None
    to_agency_code: str | None
    note: str = Field(description="the public note (reason, result); internal notes are apart")
    internal_note: str | None = Field(None, description="officials only; null for applicants")
    due_before: dt.datetime | None
    due_after: dt.datetime | None


class DossierStepOut(Schema):
    order: int
    name: str
    role: str
    agency_code: str
    time_share: int
    due_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: OutcomeName | None


class DossierPauseOut(Schema):
    kind: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    reason: str
    restarted_clock: bool


class DossierComponentOut(Schema):
    component_id: int | None
    name: str
    original_count: int
    copy_count: int
    provided: bool
    supplemented_at: dt.datetime | None


class DossierOut(Schema):
    code: str
    status: StatusName
    status_code: int = Field(ge=1, le=10)
    status_label: str
    channel: str
    version: int
    procedure: ProcedureRefOut
    case: str
    receiving_agency_code: str
    agency_code: str = Field(description="the competent agency")
    current_agency_code: str
    assignee: str | None
    applicant: DossierApplicantOut
    summary: str
    set_count: int
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    limit: DossierLimitOut
    due_at: dt.datetime | None
    original_due_at: dt.datetime | None
    at_risk_from: dt.datetime | None
    paused_since: dt.datetime | None
    apologized_at: dt.datetime | None
    settled_at: dt.datetime | None
    returned_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome: OutcomeName | None
    result_summary: str
    result_is_refusal: bool
    return_method: str
    refusal_reason: str
    supplement_count: int
    allowed_actions: list[str]
    history: list[DossierEventOut]
    explanation: list[str]
    steps: list[DossierStepOut]
    pauses: list[DossierPauseOut]
    components: list[DossierComponentOut]


class DossierListItemOut(Schema):
    code: str
    status: StatusName
    status_code: int
    channel: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    receiving_agency_code: str
    agency_code: str
    current_agency_code: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    at_risk_from: dt.datetime | None
    outcome: OutcomeName | None
    version: int


class DossierPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[DossierListItemOut]
