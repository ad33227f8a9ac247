"""Reads of the documents app, always scoped by user (the verification page by token only)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.errors import NotFound
from motcua.documents.masking import mask_name
from motcua.documents.models import DocumentKind, StoredDocument
from motcua.documents.services import owner_identifier_of
from motcua.documents.signing import SignatureCheck, check_pdf
from motcua.dossiers.models import Dossier


def documents_of(*, user: Any) -> QuerySet[StoredDocument]:
    """A citizen's or business's data store (kho dữ liệu): the documents and e-results kept under
    their citizen ID / tax code, newest first (reuse copies are not listed twice)."""
    identifier = owner_identifier_of(user)
    if not identifier:
        return StoredDocument.objects.none()
    return StoredDocument.objects.filter(
        owner_identifier=identifier, reused_from__isnull=True
    ).order_by("-uploaded_at", "-pk")


def documents_of_dossier(*, user: Any, dossier: Dossier) -> QuerySet[StoredDocument]:
    """The documents attached to a dossier the user can see (none otherwise)."""
    return StoredDocument.objects.filter(
        dossier__in=Dossier.objects.visible_to(user).filter(pk=dossier.pk)
    ).order_by("pk")


def document_visible_qs(*, user: Any) -> QuerySet[StoredDocument]:
    """Documents of the user's own data store, plus those linked to a dossier they can see."""
    if user is None or not user.is_authenticated:
        return StoredDocument.objects.none()
    condition = Q(dossier__in=Dossier.objects.visible_to(user).values("pk"))
    identifier = owner_identifier_of(user)
    if identifier:
        condition |= Q(owner_identifier=identifier)
    return StoredDocument.objects.filter(condition)


def document_get(*, user: Any, pk: int) -> StoredDocument:
    doc = document_visible_qs(user=user).select_related("dossier").filter(pk=pk).first()
    if doc is None:
        raise NotFound("Document not found")
    return doc


def eresult_for(*, user: Any, dossier: Dossier) -> StoredDocument | None:
    """The e-result of a dossier the user can see, if issued."""
    return (
        document_visible_qs(user=user)
        .filter(dossier=dossier, kind=DocumentKind.ERESULT)
        .order_by("-uploaded_at")
        .first()
    )


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show: nothing more."""

    dossier_code: str
    procedure_name: str
    holder_masked: str
    issued_at: dt.datetime
    checksum_ok: bool
    signature: SignatureCheck

    @property
    def ok(self) -> bool:
        return self.checksum_ok and self.signature.ok


def eresult_verification(*, token: str) -> Verification | None:
    """Re-check a stored e-result: its bytes against the recorded SHA-256 and its PAdES
    signature. None when no e-result has that token."""
    doc = (
        StoredDocument.objects.select_related("dossier", "dossier__procedure_version")
        .filter(verify_token=token, kind=DocumentKind.ERESULT)
        .first()
    )
    if doc is None or doc.dossier is None:
        return None
    try:
        with doc.file.open("rb") as f:
            data = f.read()
    except OSError:
        data = b""
    return Verification(
        dossier_code=doc.dossier.code,
        procedure_name=doc.dossier.procedure_version.name,
        holder_masked=mask_name(doc.dossier.applicant_name),
        issued_at=timezone.localtime(doc.uploaded_at),
        checksum_ok=bool(data) and hashlib.sha256(data).hexdigest() == doc.sha256,
        signature=check_pdf(data) if data else SignatureCheck(present=False),
    )
