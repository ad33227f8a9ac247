"""Agency endpoints, mounted at /api/v1/: the public directory and agency staff (scoped)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from motcua.accounts.api_auth import token_auth
from motcua.accounts.models import Membership, User
from motcua.accounts.services import membership_add, membership_deactivate
from motcua.units.models import Agency
from motcua.units.schemas import AgencyMembershipOut, AgencyOut, ErrorOut, MembershipAddIn
from motcua.units.selectors import agency_get_visible, agency_list_public

router = Router(tags=["agencies"])


class AgencyFilter(Schema):
    level: Literal["province", "district", "commune"] | None = None
    q: str | None = Field(default=None, max_length=100)


def agency_out(a: Agency) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "short_name": a.short_name,
        "level": a.level,
        "unit": {"code": a.unit.code, "name": a.unit.name},
        "parent": a.parent.code if a.parent else None,
        "has_one_stop_desk": a.has_one_stop_desk,
    }


def membership_out(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "user": {"username": m.user.username, "full_name": m.user.full_name},
        "role": m.role,
        "role_label": str(m.get_role_display()),
        "is_active": m.is_active,
    }


@router.get("/agencies", response=list[AgencyOut], auth=None, summary="List agencies")
def agency_list_api(request: HttpRequest, filters: Query[AgencyFilter]) -> list[dict[str, Any]]:
    """The public directory of active agencies. `q` ignores diacritics and case
    (`so tu phap` finds `Sở Tư pháp`); `level` is province, district or commune."""
    return [agency_out(a) for a in agency_list_public(level=filters.level, q=filters.q)]


@router.get(
    "/agencies/{code}/memberships",
    response={200: list[AgencyMembershipOut], 404: ErrorOut},
    auth=token_auth,
    summary="Staff of an agency (only for users who can see the agency)",
)
def agency_membership_list_api(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    agency = agency_get_visible(user=user, code=code)
    rows = (
        Membership.objects.visible_to(user)
        .filter(agency=agency)
        .select_related("user")
        .order_by("-is_active", "role", "user__username")
    )
    return [membership_out(m) for m in rows]


@router.post(
    "/agencies/{code}/memberships",
    response={
        201: AgencyMembershipOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    auth=token_auth,
    summary="Give an official a role in the agency (heads, leaders, administrators)",
)
def agency_membership_add_api(
    request: HttpRequest, code: str, payload: MembershipAddIn
) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    agency = agency_get_visible(user=user, code=code)
    m = membership_add(actor=user, agency=agency, username=payload.username, role=payload.role)
    return Status(201, membership_out(m))


@router.post(
    "/agencies/{code}/memberships/{membership_id}/deactivate",
    response={200: AgencyMembershipOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=token_auth,
    summary="Deactivate a membership of the agency",
)
def agency_membership_deactivate_api(
    request: HttpRequest, code: str, membership_id: int
) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    agency = agency_get_visible(user=user, code=code)
    m = membership_deactivate(actor=user, agency=agency, membership_id=membership_id)
    return membership_out(m)
