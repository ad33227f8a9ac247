"""Apply online (``/nop-ho-so/``) and answer a supplement request (``/ho-so/<code>/bo-sung/``).
Thin views: parse, call ``motcua.portal.drafts`` or the documents/dossiers services, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.catalog.models import Component
from motcua.catalog.selectors import version_agencies
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.documents.models import DocumentKind
from motcua.documents.services import document_store
from motcua.dossiers.services import ActionIn, dossier_act_within
from motcua.dossiers.workflow import Status
from motcua.portal import drafts, selectors, tracking
from motcua.portal.apply_forms import ApplicantForm, ChooseForm, SupplementForm
from motcua.portal.models import ApplicationDraft


def _message(exc: Exception) -> str:
    return str(getattr(exc, "message", "") or exc)


def _applicant_only(request: HttpRequest) -> HttpResponse | None:
    if getattr(request.user, "kind", "") not in drafts.APPLICANT_KINDS:
        return render(
            request,
            "portal/apply/not_allowed.html",
            {"message": _("Chỉ tài khoản công dân hoặc doanh nghiệp được nộp hồ sơ trực tuyến.")},
            status=403,
        )
    return None


def _draft(request: HttpRequest, pk: int) -> ApplicationDraft:
    try:
        return drafts.draft_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _step_url(draft: ApplicationDraft, step: int) -> str:
    return f"/nop-ho-so/ban-nhap/{draft.pk}/buoc-{step}/"


def _step_labels() -> list[tuple[int, str]]:
    return [
        (1, _("Trường hợp")),
        (2, _("Người nộp")),
        (3, _("Thành phần hồ sơ")),
        (4, _("Xem lại và nộp")),
    ]


def _ctx(draft: ApplicationDraft, step: int, **more: Any) -> dict[str, Any]:
    return {
        "draft": draft,
        "step": step,
        "version": draft.procedure_version,
        "steps_labels": _step_labels(),
        **more,
    }


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/apply/drafts.html", {"drafts": drafts.drafts_of(user=request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 of a new application: the case and the competent agency."""
    try:
        procedure = drafts.online_procedure(code)
    except NotFound as exc:
        return render(request, "portal/apply/not_online.html", {"message": exc.message}, status=404)
    refused = _applicant_only(request)
    if refused:
        return refused
    version = procedure.current_version
    return _choose(request, version, code, draft=None)


def _choose(
    request: HttpRequest, version: Any, code: str, draft: ApplicationDraft | None
) -> HttpResponse:
    cases, agencies = drafts.cases_of(version), version_agencies(version)
    initial = {}
    if draft is not None:
        initial = {"case": draft.case_id, "agency": draft.agency.code if draft.agency else ""}
    elif len(cases) == 1 or len(agencies) == 1:
        initial = {
            "case": cases[0].pk if len(cases) == 1 else None,
            "agency": agencies[0].code if len(agencies) == 1 else "",
        }
    form = ChooseForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cases=cases,
        agencies=agencies,
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft = drafts.draft_choose(
                user=request.user,
                procedure_code=code,
                case_id=form.cleaned_data["case"],
                agency_code=form.cleaned_data["agency"],
                draft_pk=draft.pk if draft else None,
            )
            return redirect(_step_url(draft, 2))
        except (InvalidInput, Conflict, NotFound, PermissionDenied) as exc:
            form.add_error(None, _message(exc))
    return render(
        request,
        "portal/apply/step1.html",
        {
            "form": form,
            "version": version,
            "draft": draft,
            "step": 1,
            "code": code,
            "steps_labels": _step_labels(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    draft = _draft(request, pk)
    if draft.dossier_id is not None:
        return redirect(f"/nop-ho-so/ban-nhap/{draft.pk}/da-nop/")
    if step == 1:
        return _choose(
            request, draft.procedure_version, draft.procedure_version.procedure.code, draft
        )
    if step > draft.step or step not in (2, 3, 4):
        return redirect(_step_url(draft, min(draft.step, 4)))
    if step == 2:
        return _applicant(request, draft)
    if step == 3:
        return _files(request, draft)
    return _review(request, draft)


def _applicant(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    form = ApplicantForm(
        request.POST if request.method == "POST" else None, initial=draft.applicant
    )
    if request.method == "POST" and form.is_valid():
        try:
            drafts.draft_set_applicant(user=request.user, pk=draft.pk, data=form.cleaned_data)
            return redirect(_step_url(draft, 3))
        except InvalidInput as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                form.add_error(None, exc.message)
        except (Conflict, NotFound) as exc:
            form.add_error(None, _message(exc))
    return render(request, "portal/apply/step2.html", _ctx(draft, 2, form=form))


def _files(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    errors: dict[int, str] = {}
    components = drafts.components_of(draft)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            comp_id, _sep, doc_id = remove.partition(":")
            if comp_id.isdigit() and doc_id.isdigit():
                drafts.draft_remove(
                    user=request.user,
                    pk=draft.pk,
                    component_id=int(comp_id),
                    document_id=int(doc_id),
                )
            return redirect(_step_url(draft, 3))
        for comp in components:
            reuse = request.POST.get(f"reuse_{comp.pk}", "")
            upload = request.FILES.get(f"file_{comp.pk}")
            try:
                if reuse.isdigit():
                    drafts.draft_reuse(
                        user=request.user, pk=draft.pk, component_id=comp.pk, document_id=int(reuse)
                    )
                elif upload is not None:
                    drafts.draft_add_upload(
                        user=request.user, pk=draft.pk, component_id=comp.pk, uploaded_file=upload
                    )
            except (InvalidInput, Conflict, NotFound, PermissionDenied) as exc:
                errors[comp.pk] = _message(exc)
        if not errors:
            if request.POST.get("next"):
                drafts.draft_to_review(user=request.user, pk=draft.pk)
                return redirect(_step_url(draft, 4))
            return redirect(_step_url(draft, 3))
        draft = _draft(request, draft.pk)
    files = drafts.draft_files(draft)
    blocks = [
        {
            "component": c,
            "files": [f.document for f in files if f.component_id == c.pk],
            "error": errors.get(c.pk, ""),
        }
        for c in components
    ]
    reusable = drafts.reusable_documents(request.user)
    return render(
        request,
        "portal/apply/step3.html",
        _ctx(draft, 3, blocks=blocks, reusable=reusable),
        status=400 if errors else 200,
    )


def _review(request: HttpRequest, draft: ApplicationDraft) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            drafts.draft_submit(user=request.user, pk=draft.pk)
            return redirect(f"/nop-ho-so/ban-nhap/{draft.pk}/da-nop/")
        except (InvalidInput, Conflict, NotFound, PermissionDenied) as exc:
            error = _message(exc)
        draft = _draft(request, draft.pk)
        if draft.dossier_id is not None:
            return redirect(f"/nop-ho-so/ban-nhap/{draft.pk}/da-nop/")
    files = drafts.draft_files(draft)
    comps = drafts.components_of(draft)
    rows = [
        {"component": c, "files": [f.document for f in files if f.component_id == c.pk]}
        for c in comps
    ]
    return render(
        request,
        "portal/apply/step4.html",
        _ctx(draft, 4, rows=rows, problems=drafts.draft_problems(draft), error=error),
        status=400 if error else 200,
    )


@login_required
def apply_done(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if draft.dossier is None:
        return redirect(_step_url(draft, min(draft.step, 4)))
    tracking.remember(request.session, draft.dossier.code)
    return render(request, "portal/apply/done.html", {"draft": draft, "dossier": draft.dossier})


# -- supplement -----------------------------------------------------------------------------------


def _matching_component(components: list[Component], name: str) -> Component | None:
    folded = name.strip().casefold()
    return next((c for c in components if c.name.strip().casefold() == folded), None)


@require_http_methods(["GET", "POST"])
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """``/ho-so/<code>/bo-sung/``: the applicant uploads the requested components and submits."""
    if not request.user.is_authenticated:
        if tracking.is_tracked(request.session, code) or tracking.grants(
            request.GET.get("t"), code
        ):
            # The supplement service needs a user (Actor.APPLICANT): log in first.
            return render(
                request,
                "portal/apply/supplement_login.html",
                {"code": code, "next": request.get_full_path()},
                status=401,
            )
        return redirect_to_login(request.get_full_path())
    try:
        public = selectors.dossier_public_get(code=code, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    dossier = public.dossier
    ctx: dict[str, Any] = {"d": public, "dossier": dossier}
    if dossier.status != Status.AWAITING_SUPPLEMENT or public.supplement is None:
        return render(
            request,
            "portal/apply/supplement_none.html",
            ctx,
            status=409 if request.method == "POST" else 200,
        )
    components = list(dossier.procedure_version.components.order_by("order"))
    asked = public.supplement.components or [_("Giấy tờ bổ sung")]
    form = SupplementForm(request.POST if request.method == "POST" else None)
    errors: dict[int, str] = {}
    general = ""
    if request.method == "POST" and form.is_valid():
        uploads = [(n, name, request.FILES.get(f"file_{n}")) for n, name in enumerate(asked)]
        given = [(n, name, f) for n, name, f in uploads if f is not None]
        if not given:
            general = _("Vui lòng chọn ít nhất một tệp để bổ sung.")
        else:
            try:
                # The files and the action are one transaction: a refused file or a refused
                # action leaves nothing behind.
                with transaction.atomic(durable=True):
                    for n, name, f in given:
                        try:
                            document_store(
                                uploaded_file=f,
                                owner=request.user,
                                uploaded_by=request.user,
                                kind=DocumentKind.COMPONENT,
                                dossier=dossier,
                                component=_matching_component(components, name),
                                title=name[:500],
                            )
                        except InvalidInput as exc:
                            errors[n] = exc.message
                            raise
                    dossier_act_within(
                        actor=request.user,
                        code=dossier.code,
                        action="supplement",
                        params=ActionIn(note=form.cleaned_data["note"]),
                    )
                tracking.remember(request.session, dossier.code)
                return redirect(f"/ho-so-cua-toi/{dossier.code}/")
            except (InvalidInput, Conflict, PermissionDenied, NotFound) as exc:
                if not errors:
                    general = _message(exc)
    ctx.update(
        form=form,
        asked=[{"n": n, "name": name, "error": errors.get(n, "")} for n, name in enumerate(asked)],
        general=general,
    )
    return render(
        request,
        "portal/apply/supplement.html",
        ctx,
        status=400 if (errors or general) else 200,
    )
