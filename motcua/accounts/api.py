"""Auth endpoints, mounted at /api/v1/auth: API tokens and the current user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from motcua.accounts.api_auth import token_auth
from motcua.accounts.authn import ANY_KIND, check_credentials
from motcua.accounts.models import Membership, User
from motcua.accounts.schemas import ErrorOut, MeOut, TokenCreateIn, TokenCreateOut
from motcua.accounts.scoping import agency_ids_visible_to
from motcua.accounts.services import api_token_create
from motcua.core import ratelimit

router = Router(tags=["auth"])


@router.post(
    "/token",
    response={200: TokenCreateOut, 401: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Exchange a username and password for an API token",
)
def token_create_api(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, Any]]:
    """Returns a bearer token (shown once) for `Authorization: Bearer <token>`.

    Attempts are rate-limited per username and client IP."""
    outcome = check_credentials(
        request,
        username=payload.username,
        password=payload.password,
        kinds=ANY_KIND,
        channel="api",
    )
    if outcome.user is None:
        return Status(429 if outcome.locked else 401, {"detail": outcome.error})
    token, key = api_token_create(
        user=outcome.user,
        name=payload.name,
        ip=ratelimit.client_ip(request.META),
    )
    return Status(200, {"token": key, "expires_at": token.expires_at})


@router.get("/me", response=MeOut, auth=token_auth, summary="The authenticated user")
def me_api(request: HttpRequest) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    memberships = (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("agency")
        .order_by("agency__code", "role")
    )
    return {
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "id_number": user.id_number,
        "tax_code": user.tax_code,
        "is_superuser": user.is_superuser,
        "sees_all_agencies": agency_ids_visible_to(user).everything,
        "memberships": [
            {
                "id": m.pk,
                "agency": {"code": m.agency.code, "name": m.agency.name},
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "is_active": m.is_active,
            }
            for m in memberships
        ],
    }
