"""Back-office dossier pages (officials): counter intake, work queues, the dossier page with its
actions, and the printed forms as PDFs. Thin: parse → one service/selector call → render.

Domain errors become messages on the page: ``InvalidInput`` next to its field (422), ``Conflict``
(409) and ``PermissionDenied`` (403) as a message above the current state, ``NotFound`` as 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import Membership, Role
from motcua.accounts.scoping import agency_ids_visible_to
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from motcua.dossiers import printouts, selectors, services
from motcua.dossiers.forms import (
    ACTION_FIELDS,
    ActionForm,
    IntakeForm,
    ProcedureSearchForm,
    QueueForm,
    attach_error,
    attach_intake_error,
)
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.printing import PrintingError
from motcua.dossiers.workflow import Status
from motcua.units.models import Agency

View = Callable[..., HttpResponse]
SEARCH_LIMIT = 15

ACTION_LABELS = {
    "accept": gettext_lazy("Tiếp nhận"),
    "refuse": gettext_lazy("Từ chối tiếp nhận"),
    "forward": gettext_lazy("Chuyển xử lý"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung"),
    "supplement": gettext_lazy("Ghi nhận bổ sung"),
    "request_payment": gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "confirm_payment": gettext_lazy("Xác nhận đã nộp"),
    "withdraw": gettext_lazy("Rút hồ sơ"),
    "stop": gettext_lazy("Dừng xử lý"),
    "settle": gettext_lazy("Hoàn thành giải quyết"),
    "return": gettext_lazy("Trả kết quả"),
    "apologize": gettext_lazy("Xin lỗi và hẹn lại"),
}
EVENT_LABELS = {
    **ACTION_LABELS,
    "receive": gettext_lazy("Tiếp nhận tại Bộ phận Một cửa"),
    "submit": gettext_lazy("Nộp trực tuyến"),
    "replan": gettext_lazy("Tính lại hạn trả"),
}
QUEUE_TABS = (
    ("all", gettext_lazy("Tất cả")),
    ("due_soon", gettext_lazy("Sắp đến hạn")),
    ("at_risk", gettext_lazy("Có nguy cơ trễ hạn")),
    ("overdue", gettext_lazy("Quá hạn")),
    ("step_late", gettext_lazy("Bước xử lý trễ")),
    ("paused", gettext_lazy("Tạm dừng")),
    ("settled", gettext_lazy("Chờ trả kết quả")),
    ("closed", gettext_lazy("Đã kết thúc")),
)


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """The labels in the request's language (the module constants are evaluated at import)."""
    return (
        {k: str(v) for k, v in ACTION_LABELS.items()},
        {k: str(v) for k, v in EVENT_LABELS.items()},
    )


def official_required(view: View) -> View:
    """Logged in (else the login page) and an official or superuser (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (getattr(user, "is_official", False) or user.is_superuser):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# -- helpers (small reads the selectors do not offer) ---------------------------------------------


def _clerk_agencies(user: Any) -> list[Agency]:
    return list(
        Agency.objects.filter(
            memberships__user_id=user.pk,
            memberships__role=Role.CLERK,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("code")
    )


def _member_agencies(user: Any) -> list[Agency]:
    """The agencies offered in the queue's agency selector."""
    scope = agency_ids_visible_to(user)
    qs = Agency.objects.filter(is_active=True)
    if scope.everything:
        qs = qs.filter(has_one_stop_desk=True) | qs.filter(level="province")
    else:
        qs = qs.filter(pk__in=list(scope))
    return list(qs.distinct().order_by("code"))


def _get_dossier(user: Any, code: str) -> Dossier:
    try:
        return selectors.dossier_get(user=user, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _horizon(now: dt.datetime) -> dt.datetime:
    """The end of the "due soon" window: one working day (8 working hours) from now."""
    from motcua.workdays.selectors import working_calendar

    return working_calendar().add_working_hours(now, 8)


def _badge(d: Dossier, now: dt.datetime, horizon: dt.datetime) -> str:
    if d.status not in (Status.RECEIVED.value, Status.PROCESSING.value) or d.due_at is None:
        return ""
    if d.due_at < now:
        return "overdue"
    if d.at_risk_from is not None and d.at_risk_from <= now:
        return "at_risk"
    if d.due_at <= horizon:
        return "due_soon"
    return ""


# -- intake ---------------------------------------------------------------------------------------


def _intake_setup(user: Any, version: ProcedureVersion) -> dict[str, Any]:
    clerk_agencies = _clerk_agencies(user)
    agencies = catalog_selectors.version_agencies(version)
    default: Agency | None = None
    desk_ids = {a.pk for a in clerk_agencies}
    default = next((a for a in agencies if a.pk in desk_ids), None)
    if default is None and len(agencies) == 1:
        default = agencies[0]
    return {"agencies": agencies, "default_agency": default, "clerk_agencies": clerk_agencies}


def _load_version(code: str) -> ProcedureVersion:
    try:
        procedure = catalog_selectors.procedure_get(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    version = procedure.current_version
    if version is None:  # pragma: no cover - procedure_get returns current procedures only
        raise Http404(code)
    return version


@official_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _clerk_agencies(user):
        raise DjangoPermissionDenied(_("Chỉ cán bộ Bộ phận Một cửa được tiếp nhận hồ sơ."))
    htmx = getattr(request, "htmx", False)
    code = (request.POST.get("procedure") or request.GET.get("procedure") or "").strip()
    search = ProcedureSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    if not code:
        results = list(catalog_selectors.procedure_search(q=q)[:SEARCH_LIMIT]) if q else []
        context = {"search": search, "results": results, "q": q}
        if htmx:
            return render(request, "dossiers/_procedure_results.html", context)
        return render(request, "dossiers/intake.html", context)

    version = _load_version(code)
    setup = _intake_setup(user, version)
    status = 200
    if request.method == "POST" and "refresh" not in request.POST:
        form = IntakeForm(request.POST, version=version, **setup)
        if form.is_valid():
            try:
                dossier = _receive(user, version, form)
            except DomainError as exc:
                attach_intake_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code},
                )
                return redirect("dossiers:detail", code=dossier.code)
        status = 422
    elif request.method == "POST":  # "refresh": the case changed without JavaScript
        case = request.POST.get("case", "1")
        form = IntakeForm(
            initial=request.POST.dict(),
            version=version,
            case_number=int(case) if case.isdigit() else 1,
            **setup,
        )
    else:
        case = request.GET.get("case", "")
        form = IntakeForm(
            initial={"procedure": code},
            version=version,
            case_number=int(case) if case.isdigit() else None,
            **setup,
        )
    _move_focus(search, form)
    context = {"search": search, "version": version, "form": form, "q": q}
    if htmx and request.GET.get("part") == "checklist":
        return render(request, "dossiers/_checklist.html", context)
    return render(request, "dossiers/intake.html", context, status=status)


def _move_focus(search: ProcedureSearchForm, form: IntakeForm) -> None:
    """Once the procedure is chosen, the cursor goes to the first field to fill (or to fix)."""
    search.fields["q"].widget.attrs.pop("autofocus", None)
    target = "applicant_name"
    if form.is_bound and form.errors:
        target = next((name for name in form.errors if name in form.fields), target)
    elif form.fields["agency_code"].required:
        target = "agency_code"
    form.fields[target].widget.attrs["autofocus"] = True


def _receive(user: Any, version: ProcedureVersion, form: IntakeForm) -> Dossier:
    data = form.cleaned_data
    return services.dossier_receive(
        actor=user,
        procedure_code=version.procedure.code,
        case=data["case"],
        channel=data["channel"],
        applicant=services.ApplicantIn(
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
            kind=data["applicant_kind"],
        ),
        components=[
            services.ComponentIn(
                component_id=cid, name=name, original_count=orig, copy_count=copies
            )
            for cid, name, orig, copies in form.components()
        ],
        receiving_agency_code=data.get("receiving_agency_code") or "",
        agency_code=data.get("agency_code") or "",
        set_count=data["set_count"],
    )


# -- queues ---------------------------------------------------------------------------------------


@official_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    agencies = _member_agencies(user)
    form = QueueForm(request.GET or None, agencies=agencies)
    which, q, agency_code, per_page = "all", "", "", 25
    if form.is_bound and form.is_valid():
        which = form.cleaned_data["which"] or "all"
        q = form.cleaned_data["q"]
        agency_code = form.cleaned_data["agency"]
        per_page = form.cleaned_data["per_page"] or 25
    agency_id = next((a.pk for a in agencies if a.code == agency_code), None)
    now = timezone.now()
    horizon = _horizon(now)
    qs = selectors.dossier_queue(user=user, which=which, q=q, agency_id=agency_id, now=now)
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    rows = [{"d": d, "badge": _badge(d, now, horizon)} for d in page.object_list]
    counts = selectors.dossier_queue_counts(user=user, agency_id=agency_id, now=now)
    count_of = counts.__dict__
    base = request.GET.copy()
    for key in ("page", "which"):
        base.pop(key, None)
    paging = request.GET.copy()
    paging.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "which": which,
        "tabs": [
            {"key": key, "label": str(label), "count": count_of.get(key)}
            for key, label in QUEUE_TABS
        ],
        "tab_query": base.urlencode(),
        "query": paging.urlencode(),
        "show_agencies": len(agencies) > 1,
        "can_receive": bool(_clerk_agencies(user)),
    }
    template = (
        "dossiers/_queue_results.html" if getattr(request, "htmx", False) else "dossiers/queue.html"
    )
    return render(request, template, context)


# -- the dossier page -----------------------------------------------------------------------------


def _action_form_kwargs(dossier: Dossier, action: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"action": action}
    if action == "forward":
        seen: dict[int, Agency] = {}
        for a in (dossier.agency, dossier.current_agency, dossier.receiving_agency):
            seen.setdefault(a.pk, a)
        kwargs["agencies"] = list(seen.values())
        members = (
            Membership.objects.filter(
                agency_id__in=list(seen),
                is_active=True,
                role__in=[Role.SPECIALIST, Role.HEAD, Role.LEADER, Role.CLERK],
            )
            .select_related("user", "agency")
            .order_by("agency__code", "role", "user__full_name")
        )
        kwargs["assignees"] = [
            (
                m.user.username,
                f"{m.user.full_name or m.user.username} — {m.get_role_display()}, "
                f"{m.agency.short_name or m.agency.name}",
            )
            for m in members
        ]
    if action == "request_supplement":
        kwargs["component_names"] = [c.name for c in dossier.components.all()]
    return kwargs


def _action_forms(
    dossier: Dossier, user: Any, bound: ActionForm | None = None
) -> list[dict[str, Any]]:
    labels, _events = _labels()
    forms_ = []
    for action in selectors.dossier_allowed_actions(dossier, user=user):
        if bound is not None and bound.action == action:
            form = bound
        else:
            form = ActionForm(
                initial={"expected_version": dossier.version, "method": "counter"},
                **_action_form_kwargs(dossier, action),
            )
        forms_.append(
            {
                "action": action,
                "label": labels.get(action, action),
                "form": form,
                "url": reverse("dossiers:action", args=[dossier.code, action]),
                "open": bound is not None and bound.action == action,
            }
        )
    return forms_


def _timeline(dossier: Dossier) -> list[dict[str, Any]]:
    events = list(dossier.events.all())
    ids = {e.agency_id for e in events} | {e.to_agency_id for e in events}
    names = dict(Agency.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))
    roles = dict(Role.choices)
    _actions, labels = _labels()
    return [
        {
            "e": e,
            "label": labels.get(e.action, e.action),
            "role": roles.get(
                e.actor_role, _("Người nộp hồ sơ") if e.actor_role == "applicant" else ""
            ),
            "agency": names.get(e.agency_id or 0, ""),
            "to_agency": names.get(e.to_agency_id or 0, ""),
            "internal_note": (e.data or {}).get("internal_note", ""),
        }
        for e in events
    ]


def _detail_context(
    request: HttpRequest, dossier: Dossier, bound: ActionForm | None = None
) -> dict[str, Any]:
    steps = list(dossier.steps.all())
    now = timezone.now()
    return {
        "d": dossier,
        "explanation": selectors.dossier_explanation(dossier, lang=get_language() or "vi"),
        "timeline": _timeline(dossier),
        "steps": steps,
        "components": list(dossier.components.all()),
        "pauses": list(dossier.pauses.all()),
        "actions": _action_forms(dossier, request.user, bound),
        "prints": printouts.available_forms(dossier),
        "badge": _badge(dossier, now, _horizon(now)),
    }


@official_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _get_dossier(request.user, code)
    return render(request, "dossiers/detail.html", _detail_context(request, dossier))


@official_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = request.user
    dossier = _get_dossier(user, code)  # 404 before anything else when out of scope
    if action not in ACTION_FIELDS:
        raise Http404(action)
    form = ActionForm(request.POST, **_action_form_kwargs(dossier, action))
    if not form.is_valid():
        context = _detail_context(request, dossier, bound=form)
        return render(request, "dossiers/detail.html", context, status=422)
    data = form.cleaned_data
    params = services.ActionIn(
        reason=data.get("reason") or "",
        note=data.get("note") or "",
        to_agency_code=data.get("to_agency_code") or "",
        assignee_username=data.get("assignee_username") or "",
        new_due_at=data.get("new_due_at"),
        result=data.get("result") or "",
        is_refusal=bool(data.get("is_refusal")),
        method=data.get("method") or "",
        amount_vnd=data.get("amount_vnd"),
        components=list(data.get("components") or []),
        expected_version=data["expected_version"],
    )
    try:
        services.dossier_act(actor=user, code=code, action=action, params=params)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except InvalidInput as exc:
        attach_error(form, exc)
        context = _detail_context(request, dossier, bound=form)
        return render(request, "dossiers/detail.html", context, status=422)
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, _conflict_message(exc))
        fresh = _get_dossier(user, code)
        status = 403 if isinstance(exc, PermissionDenied) else 409
        return render(
            request, "dossiers/detail.html", _detail_context(request, fresh), status=status
        )
    labels, _events = _labels()
    messages.success(
        request, _("Đã thực hiện: %(action)s.") % {"action": labels.get(action, action)}
    )
    return redirect("dossiers:detail", code=code)


def _conflict_message(exc: DomainError) -> str:
    if exc.code == "stale_version":
        return _(
            "Hồ sơ vừa được người khác cập nhật sau khi bạn mở trang. Thao tác chưa được thực "
            "hiện; vui lòng xem lại trạng thái mới nhất dưới đây."
        )
    if exc.code in ("transition_not_allowed", "role_not_allowed"):
        return _("Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ (%(why)s).") % {
            "why": exc.message
        }
    if isinstance(exc, PermissionDenied):
        return _("Bạn không có quyền thực hiện thao tác này (%(why)s).") % {"why": exc.message}
    return _("Không thể thực hiện thao tác: %(why)s") % {"why": exc.message}


# -- PDFs -----------------------------------------------------------------------------------------


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@official_required
def form_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    dossier = _get_dossier(request.user, code)
    if form not in printouts.FORM_KINDS:
        raise Http404(form)
    try:
        content = printouts.render_form(dossier, form)
    except printouts.FormNotAvailable as exc:
        raise Http404(str(exc)) from None
    except PrintingError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return _pdf(content, printouts.filename(dossier, form))


@official_required
def book_pdf(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    start = parse_date(request.GET.get("from", "") or "") or today.replace(day=1)
    end = parse_date(request.GET.get("to", "") or "") or today
    if end < start:
        start, end = end, start
    code = request.GET.get("agency", "")
    scope = agency_ids_visible_to(user)
    agencies = Agency.objects.select_related("unit", "parent")
    if code:
        agency = agencies.filter(code=code).first()
    else:
        desks = _clerk_agencies(user) or _member_agencies(user)
        agency = agencies.filter(pk=desks[0].pk).first() if desks else None
    if agency is None or agency.pk not in scope:
        raise Http404(_("Không có cơ quan này trong phạm vi của bạn."))
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    dossiers = (
        selectors.dossier_visible_qs(user=user)
        .filter(receiving_agency=agency, received_at__gte=since, received_at__lt=until)
        .select_related("procedure_version", "agency")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=DossierEvent.objects.filter(action="forward").order_by("seq"),
                to_attr="forwards",
            )
        )
        .order_by("received_at", "pk")
    )
    try:
        content = printouts.render_book(agency=agency, start=start, end=end, dossiers=dossiers)
    except PrintingError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return _pdf(content, f"so-theo-doi-{agency.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")


@official_required
def intake_flows(request: HttpRequest) -> HttpResponse:
    """Boundary-free intake: dossiers received at one counter for another competent agency."""
    today = timezone.localdate()
    start = parse_date(request.GET.get("from", "") or "") or today.replace(day=1)
    end = parse_date(request.GET.get("to", "") or "") or today
    if end < start:
        start, end = end, start
    everything = request.GET.get("all") == "1"
    tz = timezone.get_current_timezone()
    flows = selectors.dossier_intake_flows(
        user=request.user,
        start=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        end=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        boundary_free_only=not everything,
    )
    context = {
        "flows": flows,
        "start": start,
        "end": end,
        "everything": everything,
        "total": sum(f.count for f in flows),
    }
    return render(request, "dossiers/flows.html", context)
