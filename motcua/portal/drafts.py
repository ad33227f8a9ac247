"""Writes of an online application (``ApplicationDraft``): each step saves the draft; the submit
turns it into a dossier exactly once.

Uploads go into the applicant's own data store (``documents.services.document_store`` with no
dossier) and are attached to the dossier's components at submit time with
``document_reuse`` (a new row on the same file), so a half-finished application never leaves a
row on a dossier.

Exactly one dossier per draft: the submit is one transaction that locks the draft row, creates
the dossier (``dossier_submit_online_within``), attaches the files and links the draft. A second
submit of the same draft waits for the lock and answers the first one's dossier; a crash rolls
everything back, so there is never a dossier without its files or its draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.identifiers import InvalidIdentifier, parse_citizen_id, parse_tax_code
from motcua.audit.services import record
from motcua.catalog.models import Component, OnlineLevel, Procedure, ProcedureCase
from motcua.catalog.selectors import version_agencies
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.documents.models import DocumentKind, StoredDocument
from motcua.documents.selectors import documents_of
from motcua.documents.services import (
    document_reuse,
    document_store,
    require_room,
    require_valid,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantIn, ComponentIn, dossier_submit_online_within
from motcua.integrations import outbox
from motcua.portal.models import ApplicationDraft
from motcua.units.models import Agency

APPLICANT_KINDS = ("citizen", "business")


def _require_applicant(user: Any) -> None:
    if (
        user is None
        or not user.is_authenticated
        or getattr(user, "kind", "") not in APPLICANT_KINDS
    ):
        raise PermissionDenied(
            _("Chỉ tài khoản công dân hoặc doanh nghiệp được nộp hồ sơ trực tuyến.")
        )


def online_procedure(code: str) -> Procedure:
    """The procedure if it can be filed online now, else ``NotFound`` (with a clear message)."""
    procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
    if procedure is None or procedure.current_version is None:
        raise NotFound(_("Không có thủ tục mã “%(code)s”.") % {"code": code}, field="code")
    if procedure.current_version.online_level == OnlineLevel.NONE:
        raise NotFound(
            _("Thủ tục “%(name)s” chưa được nộp trực tuyến: mời bạn nộp tại Bộ phận Một cửa.")
            % {"name": procedure.current_version.name},
            code="not_online",
        )
    return procedure


def draft_get(*, user: Any, pk: int) -> ApplicationDraft:
    draft = (
        ApplicationDraft.objects.select_related(
            "procedure_version__procedure", "case", "agency", "dossier"
        )
        .filter(pk=pk, user=user)
        .first()
        if user is not None and user.is_authenticated
        else None
    )
    if draft is None:
        raise NotFound(_("Không tìm thấy hồ sơ nháp."))
    return draft


def drafts_of(*, user: Any) -> list[ApplicationDraft]:
    if user is None or not user.is_authenticated:
        return []
    return list(
        ApplicationDraft.objects.filter(user=user)
        .select_related("procedure_version__procedure", "dossier")
        .order_by("-updated_at", "-pk")[:100]
    )


def applicant_from_account(user: Any) -> dict[str, str]:
    business = getattr(user, "kind", "") == "business"
    return {
        "kind": "business" if business else "citizen",
        "name": user.full_name or "",
        "id_number": (user.tax_code if business else user.id_number) or "",
        "phone": user.phone or "",
        "email": user.email or "",
        "address": user.address or "",
    }


def cases_of(version: Any) -> list[ProcedureCase]:
    return list(version.cases.order_by("order"))


def components_of(draft: ApplicationDraft) -> list[Component]:
    return [
        c
        for c in draft.procedure_version.components.order_by("order")
        if c.case_id is None or c.case_id == draft.case_id
    ]


def _save(draft: ApplicationDraft, fields: list[str], *, action: str, user: Any) -> None:
    draft.updated_at = timezone.now()
    draft.save(update_fields=[*fields, "updated_at"])
    record(
        action=f"portal.draft_{action}",
        actor=user,
        subject=draft,
        after={
            f: str(getattr(draft, f)) if f in ("case", "agency") else getattr(draft, f)
            for f in fields
            if f not in ("case", "agency")
        },
    )


def _open_draft_locked(user: Any, pk: int) -> ApplicationDraft:
    draft = ApplicationDraft.objects.select_for_update().filter(pk=pk, user=user).first()
    if draft is None:
        raise NotFound(_("Không tìm thấy hồ sơ nháp."))
    if draft.dossier_id is not None:
        raise Conflict(_("Hồ sơ nháp này đã được nộp."), code="draft_submitted")
    return draft


@transaction.atomic
def draft_choose(
    *,
    user: Any,
    procedure_code: str,
    case_id: int | None,
    agency_code: str,
    draft_pk: int | None = None,
) -> ApplicationDraft:
    """Step 1: the case and the competent agency. Creates the draft (with its idempotency key)."""
    _require_applicant(user)
    procedure = online_procedure(procedure_code)
    version = procedure.current_version
    if version is None:  # online_procedure returns only procedures that have one
        raise NotFound(procedure_code)
    cases = cases_of(version)
    case = next((c for c in cases if c.pk == case_id), None)
    if case is None:
        if len(cases) == 1 and case_id is None:
            case = cases[0]
        else:
            raise InvalidInput(_("Vui lòng chọn trường hợp."), field="case")
    agencies = version_agencies(version)
    agency: Agency | None = next((a for a in agencies if a.code == agency_code), None)
    if agency is None:
        if len(agencies) == 1 and not agency_code:
            agency = agencies[0]
        else:
            raise InvalidInput(_("Vui lòng chọn cơ quan giải quyết."), field="agency")
    if draft_pk is None:
        draft = ApplicationDraft(
            user=user,
            procedure_version=version,
            applicant=applicant_from_account(user),
        )
    else:
        draft = _open_draft_locked(user, draft_pk)
        if draft.procedure_version_id != version.pk:
            raise Conflict(
                _("Thủ tục đã thay đổi: vui lòng lập hồ sơ mới."), code="version_changed"
            )
    if draft.case_id is not None and draft.case_id != case.pk:
        draft.documents = {}  # the components depend on the case
    draft.case = case
    draft.agency = agency
    draft.step = max(draft.step, 2)
    draft.updated_at = timezone.now()
    draft.save()
    record(
        action="portal.draft_choose",
        actor=user,
        subject=draft,
        after={"version": version.pk, "case": case.pk, "agency": agency.code},
    )
    return draft


def clean_applicant(data: dict[str, str], *, kind: str) -> dict[str, str]:
    """Validate the applicant's details; ``InvalidInput`` names the field."""
    name = " ".join(str(data.get("name", "")).split())
    if not name:
        raise InvalidInput(_("Vui lòng nhập họ và tên người nộp."), field="name")
    number = str(data.get("id_number", "")).strip()
    try:
        if kind == "business":
            number = parse_tax_code(number).number
        else:
            number = parse_citizen_id(number, today=timezone.localdate()).number
    except InvalidIdentifier as exc:
        raise InvalidInput(str(exc.message), field="id_number") from exc
    phone = str(data.get("phone", "")).strip()
    digits = phone.replace(" ", "").replace(".", "").lstrip("+")
    if not digits.isdigit() or not 9 <= len(digits) <= 12:
        raise InvalidInput(_("Số điện thoại không hợp lệ (9–12 chữ số)."), field="phone")
    email = str(data.get("email", "")).strip()
    if email and ("@" not in email or len(email) > 254):
        raise InvalidInput(_("Địa chỉ thư điện tử không hợp lệ."), field="email")
    return {
        "kind": kind,
        "name": name[:200],
        "id_number": number,
        "phone": phone[:20],
        "email": email,
        "address": " ".join(str(data.get("address", "")).split())[:300],
    }


@transaction.atomic
def draft_set_applicant(*, user: Any, pk: int, data: dict[str, str]) -> ApplicationDraft:
    """Step 2: the applicant's details (prefilled from the account)."""
    draft = _open_draft_locked(user, pk)
    draft.applicant = clean_applicant(data, kind=draft.applicant.get("kind", "citizen"))
    draft.step = max(draft.step, 3)
    _save(draft, ["applicant", "step"], action="applicant", user=user)
    return draft


def _component_of(draft: ApplicationDraft, component_id: int) -> Component:
    comp = next((c for c in components_of(draft) if c.pk == component_id), None)
    if comp is None:
        raise InvalidInput(_("Thành phần hồ sơ không thuộc thủ tục này."), field="component")
    return comp


def _file_count(draft: ApplicationDraft) -> int:
    return sum(len(ids) for ids in draft.documents.values())


@transaction.atomic
def draft_add_upload(
    *, user: Any, pk: int, component_id: int, uploaded_file: File[Any]
) -> StoredDocument:
    """Store one upload (checked by content, size and count) and note it on the draft; a refusal
    leaves both the data store and the draft as they were."""
    draft = _open_draft_locked(user, pk)
    comp = _component_of(draft, component_id)
    name = (getattr(uploaded_file, "name", "") or "tep").rsplit("/", 1)[-1][:255]
    require_room(name=name, existing_count=_file_count(draft))
    doc = document_store(
        uploaded_file=uploaded_file,
        owner=user,
        uploaded_by=user,
        kind=DocumentKind.COMPONENT,
        title=comp.name[:500],
    )
    key = str(comp.pk)
    draft.documents = {**draft.documents, key: [*draft.documents.get(key, []), doc.pk]}
    _save(draft, ["documents"], action="upload", user=user)
    return doc


def reusable_documents(user: Any) -> list[StoredDocument]:
    """Data-store documents still valid today (offered instead of a new upload)."""
    today = timezone.localdate()
    return list(
        documents_of(user=user).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))[:50]
    )


@transaction.atomic
def draft_reuse(*, user: Any, pk: int, component_id: int, document_id: int) -> StoredDocument:
    """Use a document of the applicant's data store for a component (no new upload)."""
    draft = _open_draft_locked(user, pk)
    comp = _component_of(draft, component_id)
    doc = documents_of(user=user).filter(pk=document_id).first()
    if doc is None:
        raise NotFound(_("Không tìm thấy tài liệu trong kho dữ liệu của bạn."), field="document")
    require_valid(doc)
    key = str(comp.pk)
    if doc.pk not in draft.documents.get(key, []):
        require_room(name=doc.original_name, existing_count=_file_count(draft))
        draft.documents = {**draft.documents, key: [*draft.documents.get(key, []), doc.pk]}
        _save(draft, ["documents"], action="reuse", user=user)
    return doc


@transaction.atomic
def draft_remove(*, user: Any, pk: int, component_id: int, document_id: int) -> None:
    """Take a file off a component (it stays in the data store)."""
    draft = _open_draft_locked(user, pk)
    key = str(component_id)
    ids = [i for i in draft.documents.get(key, []) if i != document_id]
    draft.documents = {k: v for k, v in {**draft.documents, key: ids}.items() if v}
    _save(draft, ["documents"], action="remove", user=user)


@transaction.atomic
def draft_to_review(*, user: Any, pk: int) -> ApplicationDraft:
    draft = _open_draft_locked(user, pk)
    draft.step = max(draft.step, 4)
    _save(draft, ["step"], action="review", user=user)
    return draft


@dataclass(frozen=True)
class DraftFile:
    component_id: int
    document: StoredDocument


def draft_files(draft: ApplicationDraft) -> list[DraftFile]:
    ids = [i for v in draft.documents.values() for i in v]
    docs = {d.pk: d for d in StoredDocument.objects.filter(pk__in=ids)}
    return [DraftFile(int(k), docs[i]) for k, v in draft.documents.items() for i in v if i in docs]


def draft_missing(draft: ApplicationDraft) -> list[Component]:
    """The required components with no file yet (in order)."""
    return [
        c
        for c in components_of(draft)
        if c.required and not c.present_only and not draft.documents.get(str(c.pk))
    ]


def draft_problems(draft: ApplicationDraft) -> list[str]:
    """Why the draft cannot be submitted yet (empty: it can)."""
    problems = []
    if draft.case_id is None or draft.agency_id is None:
        problems.append(_("Chưa chọn trường hợp và cơ quan giải quyết (bước 1)."))
    if not draft.applicant.get("name") or not draft.applicant.get("phone"):
        problems.append(_("Chưa khai thông tin người nộp (bước 2)."))
    for c in draft_missing(draft):
        problems.append(_("Thiếu thành phần bắt buộc: %(name)s.") % {"name": c.name})
    current = draft.procedure_version.procedure.current_version_id
    if current != draft.procedure_version_id:
        problems.append(
            _("Thủ tục đã được cập nhật sau khi bạn lập hồ sơ nháp: vui lòng lập hồ sơ mới.")
        )
    return problems


@transaction.atomic(durable=True)
def draft_submit(*, user: Any, pk: int) -> Dossier:
    """Submit the draft: the dossier enters status 1. Idempotent: a retried or concurrent submit
    of the same draft answers the same dossier."""
    _require_applicant(user)
    locked = ApplicationDraft.objects.select_for_update().filter(pk=pk, user=user).first()
    if locked is None:
        raise NotFound(_("Không tìm thấy hồ sơ nháp."))
    draft = draft_get(user=user, pk=pk)
    if draft.dossier is not None:
        return draft.dossier
    problems = draft_problems(draft)
    if problems:
        raise InvalidInput(" ".join(problems), code="draft_incomplete")
    case_number = next(
        n for n, c in enumerate(cases_of(draft.procedure_version), 1) if c.pk == draft.case_id
    )
    a = draft.applicant
    dossier = dossier_submit_online_within(
        actor=user,
        procedure_code=draft.procedure_version.procedure.code,
        case=case_number,
        agency_code=draft.agency.code if draft.agency else "",
        applicant=ApplicantIn(
            name=a.get("name", ""),
            id_number=a.get("id_number", ""),
            phone=a.get("phone", ""),
            email=a.get("email", ""),
            address=a.get("address", ""),
            kind=a.get("kind", "citizen"),
        ),
        components=_component_lines(draft),
    )
    comps = {c.pk: c for c in components_of(draft)}
    for f in draft_files(draft):
        document_reuse(
            document=f.document, dossier=dossier, component=comps.get(f.component_id), user=user
        )
    _mark(user, draft, dossier)
    _tell_submitted(dossier)
    return dossier


def _component_lines(draft: ApplicationDraft) -> Sequence[ComponentIn]:
    return [
        ComponentIn(component_id=c.pk)
        for c in components_of(draft)
        if draft.documents.get(str(c.pk))
    ]


def _mark(user: Any, draft: ApplicationDraft, dossier: Dossier) -> None:
    ApplicationDraft.objects.filter(pk=draft.pk).update(
        dossier=dossier, step=5, updated_at=timezone.now()
    )
    record(
        action="portal.draft_submitted",
        actor=user,
        subject=draft,
        after={"dossier": dossier.code, "idempotency_key": str(draft.idempotency_key)},
    )


def _tell_submitted(dossier: Dossier) -> None:
    """The tracking code by e-mail (the dossier service tells only from status 2 on)."""
    if not dossier.applicant_email or not settings.MOTCUA_NOTIFY_EMAIL:
        return
    outbox.enqueue(
        system="email",
        kind="dossier.status_changed",
        idempotency_key=f"email:{dossier.code}:submitted",
        dossier_id=dossier.pk,
        payload={
            "to": dossier.applicant_email,
            "template": "submitted",
            "context": {
                "code": dossier.code,
                "name": dossier.applicant_name,
                "procedure": dossier.procedure_version.name,
                "status": dossier.get_status_display(),
                "due_at": None,
                "note": "",
            },
        },
    )
