"""API schemas of the catalog (read-only: every schema here is an Out schema)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class FieldOut(Schema):
    code: str
    name: str


class FieldListItemOut(FieldOut):
    procedure_count: int


class TimeLimitOut(Schema):
    amount: int | None
    unit: str


class CaseSummaryOut(Schema):
    name: str
    time_limit: TimeLimitOut
    online_time_limit: TimeLimitOut | None


class ProcedureListItemOut(Schema):
    code: str
    name: str
    field: FieldOut
    levels: list[str]
    online_level: str
    result_kind: str
    version: int
    cases: list[CaseSummaryOut]


class ProcedurePageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[ProcedureListItemOut]


class ComponentOut(Schema):
    name: str
    required: bool
    originals: int
    copies: int
    form_template: str
    must_digitize: bool
    may_reuse: bool
    present_only: bool
    condition: str


class FeeOut(Schema):
    name: str
    amount_vnd: int
    payer_kind: str
    channel: str
    per: str
    note: str


class StepOut(Schema):
    order: int
    name: str
    role: str
    time_share: int


class CaseOut(Schema):
    name: str
    time_limit: TimeLimitOut
    online_time_limit: TimeLimitOut | None
    note: str
    components: list[ComponentOut]
    fees: list[FeeOut]
    process_steps: list[StepOut]


class ResultOut(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str
    name: str
    level: str


class PublicationOut(Schema):
    decision_number: str
    date: dt.date | None


class ProcedureOut(Schema):
    code: str
    name: str
    version: int
    field: FieldOut
    levels: list[str]
    procedure_type: str
    legal_basis: list[str]
    applicants: list[str]
    competent_authority: str
    implementing_agencies: list[AgencyOut]
    implementing_agency_level: str | None
    online_level: str
    result_kind: str
    written_result_required: bool
    supplement_mode: str
    publication: PublicationOut
    valid_from: dt.date | None
    cases: list[CaseOut]
    components: list[ComponentOut]
    fees: list[FeeOut]
    process_steps: list[StepOut]
    results: list[ResultOut]
    notes: list[str]
    source_url: str
