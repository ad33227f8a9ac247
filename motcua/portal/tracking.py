"""The dossiers a visitor has proven they may follow.

Two ways, after a successful lookup (code + phone or ID number, rate-limited):

- **a signed result link** (``result_token``): the lookup redirects to
  ``/tra-cuu/ket-qua/<token>/``, where the token is the dossier code signed with the site's key
  and a timestamp (``django.core.signing``, its own salt) and is good for ``TOKEN_MAX_AGE``
  seconds. It cannot be guessed or moved to another code, so opening it needs neither a new
  lookup (nor its rate-limit hit) nor a session: the page is served without any database write.
- **the session** (``remember`` / ``is_tracked``): a logged-in applicant's own dossiers, once
  opened, and the dossier just filed or supplemented online, so the follow-up pages (supplement
  ``/ho-so/<code>/bo-sung/``, tracking ``/tra-cuu/<code>/``) need not ask again.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.core import signing
from django.utils.http import RFC3986_SUBDELIMS

from motcua.core.reverse import cached_reverse

SESSION_KEY = "portal_tracked_dossiers"
MAX_REMEMBERED = 10
TOKEN_SALT = "motcua.portal.tracking.result"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 30 * 60  # seconds: long enough to read the page, follow a link and come back


def remember(session: Any, code: str) -> None:
    codes = [c for c in session.get(SESSION_KEY, []) if c != code]
    session[SESSION_KEY] = [code, *codes][:MAX_REMEMBERED]


def is_tracked(session: Any, code: str) -> bool:
    return code in session.get(SESSION_KEY, [])


def forget_all(session: Any) -> None:
    session.pop(SESSION_KEY, None)


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=TOKEN_SALT)


def result_token(code: str) -> str:
    """``<code>:<timestamp>:<signature>`` — the capability to read ``code``'s public page."""
    return _signer().sign(code)


_TOKEN_HOLE = "result-token-hole"  # noqa: S105 - a stand-in in a path, not a secret


def result_path(token: str) -> str:
    """``/tra-cuu/ket-qua/<token>/``: the path kept once for a stand-in, the token quoted in
    its place as ``reverse`` quotes it."""
    path = cached_reverse("portal:track_token", _TOKEN_HOLE)
    return path.replace(_TOKEN_HOLE, quote(token, safe=RFC3986_SUBDELIMS + "/~:@"))


def token_code(token: str, *, max_age: int | None = TOKEN_MAX_AGE) -> str | None:
    """The dossier code ``token`` was issued for, or None when forged, altered or expired
    (``max_age=None``: accept an expired one — only to pre-fill the lookup form again)."""
    if not token or len(token) > 200:
        return None
    try:
        return _signer().unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired included
        return None


def grants(token: str | None, code: str) -> bool:
    """True when ``token`` is a valid, unexpired result link for ``code``."""
    return bool(token) and token_code(str(token)) == code
