"""Writes for accounts: login records, API tokens, memberships. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
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


# --- public accounts: registration, national identity, profile ------------------------------


def _identifier_taken(*, kind: str, number: str) -> bool:
    if kind == UserKind.CITIZEN:
        return User.objects.filter(Q(id_number=number) | Q(username=number)).exists()
    return User.objects.filter(Q(tax_code=number) | Q(username=number)).exists()


def _duplicate_message(kind: str) -> str:
    if kind == UserKind.CITIZEN:
        return _(
            "Số định danh cá nhân này đã có tài khoản. Vui lòng đăng nhập, hoặc đăng nhập bằng "
            "VNeID nếu bạn chưa đặt mật khẩu."
        )
    return _("Mã số thuế này đã có tài khoản. Vui lòng đăng nhập bằng mã số thuế và mật khẩu.")


@transaction.atomic
def public_account_register(
    *,
    kind: str,
    number: str,
    full_name: str,
    password: str,
    phone: str,
    email: str,
    representative: str = "",
    ip: str = "",
) -> User:
    """Create a citizen (``number`` = citizen ID) or business (``number`` = tax code) account.

    ``number`` must already be validated and normalised (``identifiers``); the password already
    checked by the password validators. A duplicate raises ``Conflict`` and writes nothing.
    """
    if kind not in (UserKind.CITIZEN, UserKind.BUSINESS):
        raise InvalidInput(_("Loại tài khoản không hợp lệ."), field="kind")
    field = "id_number" if kind == UserKind.CITIZEN else "tax_code"
    if _identifier_taken(kind=kind, number=number):
        raise Conflict(_duplicate_message(kind), field=field)
    user = User(
        username=number,
        kind=kind,
        full_name=full_name.strip(),
        phone=phone,
        email=email,
        representative=representative.strip() if kind == UserKind.BUSINESS else "",
        id_number=number if kind == UserKind.CITIZEN else None,
        tax_code=number if kind == UserKind.BUSINESS else None,
    )
    user.set_password(password)
    try:
        with transaction.atomic():  # a concurrent twin loses on the unique index, cleanly
            user.save()
    except IntegrityError as exc:
        raise Conflict(_duplicate_message(kind), field=field) from exc
    record(
        action="account.registered",
        actor=user,
        subject=user,
        after={
            "username": user.username,
            "kind": kind,
            "full_name": user.full_name,
            "phone": phone,
            "email": email,
            "ip": ip,
        },
    )
    return user


@transaction.atomic
def citizen_identity_sign_in(
    *, citizen_id: str, full_name: str, subject: str, issuer: str, ip: str = ""
) -> tuple[User, bool]:
    """The citizen vouched for by the national identity provider: the existing account with
    this citizen ID (linked and marked verified) or a new one (no password: it logs in through
    the provider until the citizen sets one). Returns ``(user, created)``.

    ``citizen_id`` must come from a verified ID token and be already validated.
    """
    now = timezone.now()
    user = (
        User.objects.select_for_update()
        .filter(Q(id_number=citizen_id) | Q(username=citizen_id))
        .order_by("pk")
        .first()
    )
    created = False
    if user is None:
        user = User(
            username=citizen_id,
            kind=UserKind.CITIZEN,
            id_number=citizen_id,
            full_name=full_name.strip()[:200],
            identity_verified_at=now,
        )
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # a concurrent first login won; ask to retry
            raise Conflict(_("Tài khoản đang được tạo, vui lòng thử lại.")) from exc
        created = True
        before: dict[str, Any] | None = None
    else:
        if user.kind != UserKind.CITIZEN or user.id_number != citizen_id:
            raise PermissionDenied(
                _(
                    "Số định danh này gắn với một tài khoản không phải tài khoản công dân; "
                    "không thể đăng nhập bằng VNeID."
                )
            )
        if not user.is_active:
            raise PermissionDenied(_("Tài khoản đã bị khóa."))
        before = {"identity_verified_at": user.identity_verified_at, "full_name": user.full_name}
        user.identity_verified_at = now
        if not user.full_name:
            user.full_name = full_name.strip()[:200]
        user.save(update_fields=["identity_verified_at", "full_name"])
    record(
        action="account.identity_verified",
        actor=user,
        subject=user,
        before=before,
        after={
            "username": user.username,
            "full_name": user.full_name,
            "identity_verified_at": now,
            "created": created,
            "issuer": issuer,
            "sub": subject,
            "ip": ip,
        },
    )
    login_succeeded(user=user, ip=ip, channel="vneid")
    return user, created


@transaction.atomic
def profile_update(*, user: User, phone: str, email: str, address: str) -> User:
    """Change the contact details of one's own account (audited with before/after)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    new = {"phone": phone.strip(), "email": email.strip(), "address": address.strip()}
    before = {k: getattr(locked, k) for k, v in new.items() if getattr(locked, k) != v}
    if before:
        for key in before:
            setattr(locked, key, new[key])
        locked.save(update_fields=list(before))
        record(
            action="account.profile_updated",
            actor=locked,
            subject=locked,
            before=before,
            after={k: new[k] for k in before},
        )
    return locked


@transaction.atomic
def password_change(*, user: User, new_password: str, ip: str = "") -> User:
    """Set a new password (already validated by the caller's form). Never audits the value."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    had_password = locked.has_usable_password()
    locked.set_password(new_password)
    locked.save(update_fields=["password"])
    record(
        action="account.password_changed",
        actor=locked,
        subject=locked,
        after={"had_password": had_password, "ip": ip},
    )
    return locked
