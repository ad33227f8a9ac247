"""API schemas for accounts (separate In/Out per operation)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class TokenCreateIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    name: str = Field(default="", max_length=100)


class TokenCreateOut(Schema):
    token: str
    expires_at: dt.datetime | None


class ErrorOut(Schema):
    detail: str


class AgencyRefOut(Schema):
    code: str
    name: str


class MembershipOut(Schema):
    id: int
    agency: AgencyRefOut
    role: str
    role_label: str
    is_active: bool


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    id_number: str | None
    tax_code: str | None
    is_superuser: bool
    sees_all_agencies: bool
    memberships: list[MembershipOut]
