"""Checking credentials for the login page and the token endpoint: rate limit, authenticate,
account kind, audit. One code path for both channels."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.identifiers import (
    InvalidIdentifier,
    looks_like_citizen_id,
    parse_citizen_id,
    parse_tax_code,
)
from motcua.accounts.models import User, UserKind
from motcua.accounts.services import login_failed, login_succeeded
from motcua.core import ratelimit
from motcua.core.text import fold

OFFICIAL_KINDS = frozenset({UserKind.OFFICIAL})
PUBLIC_KINDS = frozenset({UserKind.CITIZEN, UserKind.BUSINESS})
ANY_KIND = OFFICIAL_KINDS | PUBLIC_KINDS


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    error: str | None = None
    locked: bool = False


def bad_credentials_message() -> str:
    return _("Tên đăng nhập hoặc mật khẩu không đúng.")


def locked_message() -> str:
    minutes = max(1, math.ceil(settings.MOTCUA_LOGIN_WINDOW_SECONDS / 60))
    return _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {
        "minutes": minutes
    }


def check_credentials(
    request: HttpRequest,
    *,
    username: str,
    password: str,
    kinds: frozenset[str],
    channel: str,
    throttle_name: str | None = None,
) -> LoginOutcome:
    """Authenticate ``username``/``password`` for an account of one of ``kinds``.

    Attempts are limited per (name typed, client IP) to ``MOTCUA_LOGIN_MAX_ATTEMPTS`` per
    ``MOTCUA_LOGIN_WINDOW_SECONDS``; success resets the counter. Every outcome is audited.
    """
    ip = ratelimit.client_ip(request.META)
    shown = throttle_name if throttle_name is not None else username
    # Hashed: usernames may hold characters a cache backend rejects.
    key = "login:" + hashlib.sha256(f"{fold(shown)}\n{ip}".encode()).hexdigest()
    if not ratelimit.hit(
        key,
        limit=settings.MOTCUA_LOGIN_MAX_ATTEMPTS,
        window_seconds=settings.MOTCUA_LOGIN_WINDOW_SECONDS,
    ):
        login_failed(username=shown, ip=ip, channel=channel, reason="locked")
        return LoginOutcome(user=None, error=locked_message(), locked=True)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or user.kind not in kinds:
        reason = "bad_credentials" if user is None else "wrong_account_kind"
        login_failed(username=shown, ip=ip, channel=channel, reason=reason)
        return LoginOutcome(user=None, error=bad_credentials_message())
    ratelimit.reset(key)
    login_succeeded(user=user, ip=ip, channel=channel)
    return LoginOutcome(user=user)


def public_username(identifier: str) -> str:
    """The username of the citizen (12-digit ID) or business (tax code) ``identifier``.

    Raises ``InvalidIdentifier`` when it is neither. An unknown but well-formed identifier is
    returned as is (authentication then fails in constant work, without saying which part was
    wrong).
    """
    digits = re.sub(r"[\s.\-]", "", identifier)
    if looks_like_citizen_id(identifier):
        number = parse_citizen_id(identifier, today=timezone.localdate()).number
        user = User.objects.filter(id_number=number, kind=UserKind.CITIZEN).first()
    elif digits.isdigit() and len(digits) in (10, 13):
        number = parse_tax_code(identifier).number
        user = User.objects.filter(tax_code=number, kind=UserKind.BUSINESS).first()
    else:
        raise InvalidIdentifier(
            _(
                "Nhập số định danh cá nhân (12 chữ số) hoặc mã số thuế (10 hoặc 13 chữ số); "
                "bạn đã nhập “%(value)s”."
            )
            % {"value": identifier.strip()[:20]}
        )
    return user.username if user is not None else number
