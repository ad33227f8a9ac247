"""The domain error hierarchy. The API maps these to JSON (409/422/403/404) in one handler."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request. ``code`` is a stable machine-readable name."""

    status_code = 409
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class InvalidInput(DomainError):
    """Input that passed type checks but breaks a rule (a bad date, an unknown code...)."""

    status_code = 422
    code = "invalid_input"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The state changed under us (another official acted first) or a transition is not allowed."""

    status_code = 409
    code = "conflict"
