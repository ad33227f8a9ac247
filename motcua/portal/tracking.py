"""The dossiers a visitor has proven they may follow in this browser session.

After a successful lookup (code + phone or ID number) the code is kept in the session, so the
follow-up pages (tracking result, supplement ``/ho-so/<code>/bo-sung/``, payment
``/ho-so/<code>/thanh-toan/``) can check ``is_tracked(request.session, code)`` instead of asking
again. A logged-in applicant's own dossiers are remembered the same way when opened.
"""

from __future__ import annotations

from typing import Any

SESSION_KEY = "portal_tracked_dossiers"
MAX_REMEMBERED = 10


def remember(session: Any, code: str) -> None:
    codes = [c for c in session.get(SESSION_KEY, []) if c != code]
    session[SESSION_KEY] = [code, *codes][:MAX_REMEMBERED]


def is_tracked(session: Any, code: str) -> bool:
    return code in session.get(SESSION_KEY, [])


def forget_all(session: Any) -> None:
    session.pop(SESSION_KEY, None)
