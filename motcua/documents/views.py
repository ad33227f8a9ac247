"""The public e-result verification page (no login) and the document download (owner or
officials who can see the linked dossier)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.core.errors import NotFound
from motcua.core.ratelimit import client_ip, hit
from motcua.documents.selectors import document_get, eresult_verification

#: Verification re-validates a signature (CPU): a modest per-address limit.
VERIFY_LIMIT, VERIFY_WINDOW = 30, 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    if not hit(
        f"verify:{client_ip(request.META)}", limit=VERIFY_LIMIT, window_seconds=VERIFY_WINDOW
    ):
        response = render(request, "documents/verify.html", {"limited": True}, status=429)
        response["Retry-After"] = str(VERIFY_WINDOW)
        return response
    result = eresult_verification(token=token) if _TOKEN.match(token) else None
    response = render(
        request,
        "documents/verify.html",
        {"result": result},
        status=200 if result is not None else 404,
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        doc = document_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.original_name,
        content_type=doc.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
