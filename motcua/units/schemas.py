"""API schemas for units and agencies."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class UnitRefOut(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    unit: UnitRefOut
    parent: str | None
    has_one_stop_desk: bool


class MembershipUserOut(Schema):
    username: str
    full_name: str


class AgencyMembershipOut(Schema):
    id: int
    user: MembershipUserOut
    role: str
    role_label: str
    is_active: bool


class MembershipAddIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    role: str = Field(min_length=1, max_length=20)


class ErrorOut(Schema):
    detail: str
    code: str | None = None
    field: str | None = None
