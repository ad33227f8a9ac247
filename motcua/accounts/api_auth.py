"""``TokenAuth``: the authentication every protected API endpoint uses.

- ``Authorization: Bearer mc_…`` (a key from ``POST /api/v1/auth/token``) for API clients;
- otherwise the browser's Django session, with the CSRF check on unsafe methods
  (as ninja's ``SessionAuth`` does), so htmx pages can call the API.

The authenticated user is returned (ninja puts it in ``request.auth``) and also set as
``request.user``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from motcua.accounts.models import User
from motcua.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any | None:
        if request.headers.get(self.header):
            return super().__call__(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("Thiếu hoặc sai mã CSRF."))
        return user

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(key=token.strip())
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
