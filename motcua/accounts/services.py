"""Writes for accounts: login records, API tokens, memberships. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import ApiToken, Membership, Role, User, UserKind
from motcua.accounts.scoping import can_manage_agency, grantable_roles
from motcua.audit.services import record
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.units.models import Agency

TOKEN_PREFIX = "mc_"  # noqa: S105 (a public marker, not a secret)
TOKEN_LIFETIME = dt.timedelta(days=90)
# last_used_at is refreshed at most this often, so reads do not write on every request.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)


# --- logins ---------------------------------------------------------------------------------


@transaction.atomic
def login_succeeded(*, user: User, ip: str, channel: str) -> None:
    """Audit a successful login (``channel``: "web" or "api"). Never records the password."""
    record(
        action="auth.login",
        actor=user,
        subject=user,
        after={"username": user.username, "ip": ip, "channel": channel},
    )


@transaction.atomic
def login_failed(*, username: str, ip: str, channel: str, reason: str) -> None:
    """Audit a refused login: wrong credentials, wrong account kind, or locked out."""
    record(
        action="auth.login_failed",
        actor=None,
        subject_type="accounts.user",
        subject_id=username[:100],
        after={"username": username[:150], "ip": ip, "channel": channel, "reason": reason},
    )


# --- API tokens -----------------------------------------------------------------------------


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str = "", expires_at: dt.datetime | None = None, ip: str = ""
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the key (shown once, never stored)."""
    if not user.is_active:
        raise PermissionDenied(_("Tài khoản đã bị khóa."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        key_hash=hash_token(key),
        prefix=key[:11],
        expires_at=expires_at if expires_at is not None else timezone.now() + TOKEN_LIFETIME,
    )
    record(
        action="auth.token_created",
        actor=user,
        subject=token,
        after={
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
            "ip": ip,
        },
    )
    return token, key


def api_token_authenticate(*, key: str) -> User | None:
    """The active user owning the usable token ``key``, or None."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now=now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        # Housekeeping, not a domain write: a single-column UPDATE, no audit row.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied(_("Bạn không có quyền thu hồi khóa API này."))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not locked.revoked:
        locked.revoked = True
        locked.save(update_fields=["revoked"])
        record(
            action="auth.token_revoked",
            actor=actor,
            subject=locked,
            before={"revoked": False},
            after={"revoked": True},
        )
    return locked


# --- memberships ----------------------------------------------------------------------------


def _check_manager(*, actor: User, agency: Agency) -> None:
    if not can_manage_agency(actor, agency.pk):
        raise PermissionDenied(
            _("Chỉ lãnh đạo hoặc quản trị của cơ quan này mới được thay đổi phân công.")
        )


@transaction.atomic
def membership_add(*, actor: User, agency: Agency, username: str, role: str) -> Membership:
    """Give an official a role in ``agency`` (or reactivate it). The actor must manage the
    agency; only superusers may grant the province-wide roles."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _check_manager(actor=actor, agency=agency)
    if role not in Role.values:
        raise InvalidInput(_("Vai trò không hợp lệ."), field="role")
    if role not in grantable_roles(actor):
        raise PermissionDenied(
            _("Bạn không được giao vai trò “%(role)s”.") % {"role": Role(role).label},
        )
    user = User.objects.filter(username=username.strip()).first()
    if user is None:
        raise NotFound(_("Không có tài khoản “%(u)s”.") % {"u": username.strip()}, field="username")
    if user.kind != UserKind.OFFICIAL or not user.is_active:
        raise InvalidInput(
            _("Chỉ giao vai trò cho tài khoản cán bộ đang hoạt động."), field="username"
        )
    membership = (
        Membership.objects.select_for_update().filter(user=user, agency=agency, role=role).first()
    )
    if membership is None:
        membership = Membership.objects.create(user=user, agency=agency, role=role)
        action = "membership.created"
        before: dict[str, Any] | None = None
    elif membership.is_active:
        raise Conflict(_("Người này đã có vai trò đó tại cơ quan."))
    else:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        action = "membership.reactivated"
        before = {"is_active": False}
    record(
        action=action,
        actor=actor,
        subject=membership,
        before=before,
        after={"user": user.username, "agency": agency.code, "role": role, "is_active": True},
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor: User, agency: Agency, membership_id: int) -> Membership:
    """Deactivate one membership of ``agency`` (never deleted: history keeps it)."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership_id, agency_id=agency.pk)
        .first()
    )
    if membership is None:
        raise NotFound(_("Không tìm thấy phân công này."))
    _check_manager(actor=actor, agency=agency)
    if membership.user_id == actor.pk:
        raise Conflict(_("Bạn không thể tự thu hồi phân công của chính mình."))
    if membership.role not in grantable_roles(actor):
        raise PermissionDenied(_("Bạn không được thu hồi vai trò này."))
    if not membership.is_active:
        raise Conflict(_("Phân công này đã bị thu hồi trước đó."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    record(
        action="membership.deactivated",
        actor=actor,
        subject=membership,
        before={"is_active": True},
        after={
            "user": membership.user.username,
            "agency": agency.code,
            "role": membership.role,
            "is_active": False,
        },
    )
    return membership
