"""The single API object: every app's router is mounted here under /api/v1/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from motcua.accounts.api import router as accounts_router
from motcua.catalog.api import router as catalog_router
from motcua.core.errors import DomainError
from motcua.dossiers.api import router as dossiers_router
from motcua.stats.api import router as stats_router
from motcua.units.api import router as units_router
from motcua.workdays.api import router as workdays_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description=(
        "Provincial administrative-procedure settlement system (một cửa điện tử). "
        "Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error_handler(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, object] = {"detail": exc.message, "code": exc.code}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status_code)


api.add_router("/auth", accounts_router)
api.add_router("/calendar", workdays_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/stats", stats_router)
api.add_router("/", catalog_router)
api.add_router("/", units_router)
