"""Writes of the documents app: store an upload, reuse a data-store document, issue an e-result.

Each service owns one transaction and records an audit event inside it. File bytes are written
to storage only after every check passed; if the row cannot be written the file is deleted
again (a crash in between leaves an orphan file, never a row without its file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import record
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.documents import conf
from motcua.documents.eresult import EResultContent, render_pdf
from motcua.documents.models import DocumentKind, StoredDocument
from motcua.documents.signing import sign_pdf
from motcua.documents.validation import HEAD_BYTES, UploadRefused, check_count, check_upload
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import OPEN, Status
from motcua.stats.services import dossier_changed

#: Statuses whose dossiers carry a result that can be issued electronically.
RESULT_STATUSES = frozenset({Status.SETTLED.value, Status.RETURNED.value})
_OPEN_CODES = frozenset(s.value for s in OPEN)


def owner_identifier_of(user: Any) -> str:
    """The data-store key of a citizen (citizen ID) or business (tax code); "" for others."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if getattr(user, "kind", "") == "citizen":
        return str(user.id_number or "")
    if getattr(user, "kind", "") == "business":
        return str(user.tax_code or "")
    return ""


def _is_official(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (getattr(user, "is_official", False) or getattr(user, "is_superuser", False))
    )


def _locked_dossier(user: Any, dossier: Dossier) -> Dossier:
    """Re-read ``dossier`` under a row lock, only if ``user`` may see it (else 404)."""
    found = (
        Dossier.objects.visible_to(user)
        .select_for_update(of=("self",))
        .filter(pk=dossier.pk)
        .first()
    )
    if found is None:
        raise NotFound(f"Dossier {dossier.code} not found")
    return found


def _attached_count(dossier: Dossier) -> int:
    return StoredDocument.objects.filter(dossier=dossier).exclude(kind=DocumentKind.ERESULT).count()


def _check_component(dossier: Dossier, component: Any) -> None:
    if component is not None and component.version_id != dossier.procedure_version_id:
        raise InvalidInput(
            "The component does not belong to this dossier's procedure", field="component"
        )


def _snapshot(doc: StoredDocument) -> dict[str, Any]:
    return {
        "title": doc.title,
        "original_name": doc.original_name,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "kind": doc.kind,
        "owner_identifier": doc.owner_identifier,
        "dossier": doc.dossier.code if doc.dossier else None,
        "component": doc.component_id,
        "reused_from": doc.reused_from_id,
        "valid_from": doc.valid_from,
        "valid_until": doc.valid_until,
    }


def _digest(f: File[Any]) -> str:
    sha = hashlib.sha256()
    f.seek(0)
    for chunk in f.chunks():
        sha.update(chunk)
    f.seek(0)
    return sha.hexdigest()


def _save_with_file(doc: StoredDocument, f: File[Any], extension: str) -> None:
    """Write the bytes, then the row; remove the bytes if the row fails."""
    f.seek(0)
    doc.file.save(f"upload.{extension}", f, save=False)
    try:
        doc.save()
    except BaseException:
        if doc.file.name:
            doc.file.storage.delete(doc.file.name)
        raise


@transaction.atomic
def require_valid(document: StoredDocument) -> None:
    """Refuse a data-store document whose validity has ended (it cannot be reused)."""
    if document.valid_until is not None and document.valid_until < timezone.localdate():
        raise InvalidInput(
            _("“%(title)s” hết hiệu lực từ %(date)s.")
            % {
                "title": document.title or document.original_name,
                "date": f"{document.valid_until:%d/%m/%Y}",
            },
            code="document_expired",
            field="document",
        )


def require_room(*, name: str, existing_count: int) -> None:
    """Refuse one more file when a dossier (or draft) already has the most it may hold."""
    try:
        check_count(name=name, existing_count=existing_count, max_files=conf.upload_max_files())
    except UploadRefused as refused:
        raise InvalidInput(refused.message, code=refused.code, field="file") from refused


def document_store(
    *,
    uploaded_file: File[Any],
    owner: Any,
    uploaded_by: Any,
    kind: str,
    dossier: Dossier | None = None,
    component: Any | None = None,
    title: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> StoredDocument:
    """Validate an upload by content, size and count, checksum it and store it.

    ``owner`` is the citizen/business user or their identifier (citizen ID / tax code), "" when
    the document belongs to no data store. A citizen or business may store only into their own
    data store (and their own dossiers); an official only onto a dossier they can see.
    """
    if kind not in DocumentKind.values or kind == DocumentKind.ERESULT:
        raise InvalidInput(f"Unknown document kind {kind!r}", field="kind")
    if uploaded_by is None or not getattr(uploaded_by, "is_authenticated", False):
        raise PermissionDenied("Log in to upload documents")
    identifier = owner if isinstance(owner, str) else owner_identifier_of(owner)
    identifier = identifier.strip()
    if not _is_official(uploaded_by):
        if not identifier or identifier != owner_identifier_of(uploaded_by):
            raise PermissionDenied("You may store documents only in your own data store")
    elif dossier is None:
        raise PermissionDenied("Officials store documents only onto a dossier")
    if valid_from and valid_until and valid_until < valid_from:
        raise InvalidInput("valid_until is before valid_from", field="valid_until")

    existing = 0
    if dossier is not None:
        dossier = _locked_dossier(uploaded_by, dossier)
        if dossier.status not in _OPEN_CODES:
            raise Conflict("Documents can be added only to an open dossier")
        _check_component(dossier, component)
        existing = _attached_count(dossier)
    elif component is not None:
        raise InvalidInput("A component needs a dossier", field="component")

    name = (getattr(uploaded_file, "name", "") or "tep").rsplit("/", 1)[-1][:255]
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    try:
        detected = check_upload(
            name=name,
            size=int(uploaded_file.size or 0),
            head=head,
            existing_count=existing,
            max_bytes=conf.upload_max_bytes(),
            max_files=conf.upload_max_files(),
        )
    except UploadRefused as refused:
        raise InvalidInput(refused.message, code=refused.code, field="file") from refused

    doc = StoredDocument(
        title=title or (component.name if component is not None else name),
        original_name=name,
        content_type=detected.content_type,
        size=int(uploaded_file.size or 0),
        sha256=_digest(uploaded_file),
        kind=kind,
        owner_identifier=identifier,
        uploaded_by=uploaded_by,
        uploaded_at=timezone.now(),
        valid_from=valid_from,
        valid_until=valid_until,
        dossier=dossier,
        component=component,
    )
    _save_with_file(doc, uploaded_file, detected.extension)
    if dossier is not None:
        dossier_changed(dossier)  # a scanned component counts as digitized
    record(action="document.stored", actor=uploaded_by, subject=doc, after=_snapshot(doc))
    return doc


@transaction.atomic
def document_reuse(
    *, document: StoredDocument, dossier: Dossier, component: Any | None, user: Any
) -> StoredDocument:
    """Attach a document of ``user``'s data store to a component of their dossier, without a
    new upload: a new row on the same file. Only the owner may reuse their documents."""
    identifier = owner_identifier_of(user)
    original = (
        StoredDocument.objects.filter(pk=document.pk, owner_identifier=identifier)
        .exclude(owner_identifier="")
        .select_related("reused_from")
        .first()
    )
    if original is None:
        raise NotFound("Document not found")
    if original.reused_from is not None:
        original = original.reused_from
    require_valid(original)
    dossier = _locked_dossier(user, dossier)
    if dossier.status not in _OPEN_CODES:
        raise Conflict("Documents can be added only to an open dossier")
    _check_component(dossier, component)
    require_room(name=original.original_name, existing_count=_attached_count(dossier))
    if StoredDocument.objects.filter(
        dossier=dossier, reused_from=original, component=component
    ).exists():
        raise Conflict("This document is already attached to that component")
    doc = StoredDocument.objects.create(
        file=original.file.name,
        title=component.name if component is not None else original.title,
        original_name=original.original_name,
        content_type=original.content_type,
        size=original.size,
        sha256=original.sha256,
        kind=DocumentKind.COMPONENT,
        owner_identifier=original.owner_identifier,
        uploaded_by=user,
        uploaded_at=timezone.now(),
        valid_from=original.valid_from,
        valid_until=original.valid_until,
        dossier=dossier,
        component=component,
        reused_from=original,
    )
    dossier_changed(dossier)  # reuse from the data store counts for the index
    record(action="document.reused", actor=user, subject=doc, after=_snapshot(doc))
    return doc


def _existing_eresult(dossier: Dossier) -> bool:
    return StoredDocument.objects.filter(dossier=dossier, kind=DocumentKind.ERESULT).exists()


def eresult_issue(*, dossier: Dossier, actor: Any) -> StoredDocument:
    """Render, sign and store the e-result of a settled (or returned) dossier in the applicant's
    data store. Rendering and signing happen before the transaction (CPU only, no lock held)."""
    if not _is_official(actor):
        raise PermissionDenied("Only officials issue e-results")
    d = (
        Dossier.objects.visible_to(actor)
        .select_related("procedure_version", "agency", "applicant_user")
        .filter(pk=dossier.pk)
        .first()
    )
    if d is None:
        raise NotFound(f"Dossier {dossier.code} not found")
    if d.status not in RESULT_STATUSES:
        raise Conflict("The dossier has no result yet (it must be settled)")
    if _existing_eresult(d):
        raise Conflict("The e-result of this dossier was already issued")
    token = secrets.token_urlsafe(18)
    now = timezone.now()
    content = EResultContent(
        dossier_code=d.code,
        procedure_name=d.procedure_version.name,
        agency_name=d.agency.name,
        holder_name=d.applicant_name,
        holder_id_number=d.applicant_id_number,
        result_summary=d.result_summary,
        is_refusal=d.result_is_refusal,
        settled_at=timezone.localtime(d.settled_at) if d.settled_at else None,
        issued_at=timezone.localtime(now),
        verify_url=f"{conf.public_base_url()}/xac-thuc/{token}/",
    )
    signed = sign_pdf(
        render_pdf(content),
        reason=f"Kết quả giải quyết hồ sơ {d.code}",
        location=d.agency.name,
    )
    owner = owner_identifier_of(d.applicant_user) or d.applicant_id_number
    with transaction.atomic():
        d = _locked_dossier(actor, d)
        if d.status not in RESULT_STATUSES:
            raise Conflict("The dossier has no result yet (it must be settled)")
        if _existing_eresult(d):
            raise Conflict("The e-result of this dossier was already issued")
        upload = ContentFile(signed, name=f"ket-qua-{d.code}.pdf")
        doc = StoredDocument(
            title=f"Kết quả điện tử hồ sơ {d.code}",
            original_name=upload.name or "",
            content_type="application/pdf",
            size=len(signed),
            sha256=hashlib.sha256(signed).hexdigest(),
            kind=DocumentKind.ERESULT,
            owner_identifier=owner,
            uploaded_by=actor,
            uploaded_at=now,
            valid_from=timezone.localdate(d.settled_at) if d.settled_at else None,
            dossier=d,
            verify_token=token,
        )
        _save_with_file(doc, upload, "pdf")
        dossier_changed(d)
        record(action="document.eresult_issued", actor=actor, subject=doc, after=_snapshot(doc))
    return doc
