"""The public e-result verification page (no login), the document download (owner or
officials who can see the linked dossier), a citizen's data store, and issuing an e-result."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError, NotFound
from motcua.core.ratelimit import client_ip, hit
from motcua.documents.selectors import document_get, documents_of, eresult_verification
from motcua.documents.services import eresult_issue
from motcua.dossiers.selectors import dossier_get

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


@require_GET
@login_required
def my_documents(request: HttpRequest) -> HttpResponse:
    """A citizen's or business's data store (kho dữ liệu): documents and e-results."""
    docs = documents_of(user=request.user).select_related("dossier")[:200]
    return render(request, "documents/my_documents.html", {"documents": docs})


@require_POST
@login_required
def issue_eresult(request: HttpRequest, code: str) -> HttpResponse:
    """An official issues the signed e-result of a settled dossier (from its page)."""
    try:
        dossier = dossier_get(user=request.user, code=code)
        doc = eresult_issue(dossier=dossier, actor=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(
            request, _("Không phát hành được kết quả điện tử: %(reason)s") % {"reason": exc.message}
        )
    else:
        messages.success(
            request,
            _("Đã phát hành kết quả điện tử có ký số cho hồ sơ %(code)s.") % {"code": code},
        )
        return redirect("dossiers:detail", code=doc.dossier.code if doc.dossier else code)
    return redirect("dossiers:detail", code=code)
