"""Back-office pages for agencies (/office/agencies/): the agencies a user can see, their staff,
and membership changes for the agency's heads, leaders and administrators."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.forms import MembershipAddForm
from motcua.accounts.models import Membership, Role, User, UserKind
from motcua.accounts.scoping import can_manage_agency, grantable_roles
from motcua.accounts.services import membership_add, membership_deactivate
from motcua.core.errors import DomainError, NotFound
from motcua.units.models import Agency
from motcua.units.selectors import agency_get_visible, agency_list_visible_to

View = Callable[..., HttpResponse]


def official_required(view: View) -> View:
    """Logged-in officials (and superusers) only; citizens get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user.is_superuser or getattr(user, "kind", None) == UserKind.OFFICIAL):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _visible_agency(user: User, code: str) -> Agency:
    try:
        return agency_get_visible(user=user, code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _role_choices(user: User) -> list[tuple[str, str]]:
    allowed = grantable_roles(user)
    return [(value, str(label)) for value, label in Role.choices if value in allowed]


@official_required
def agency_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    q = request.GET.get("q", "")[:100]
    page = Paginator(agency_list_visible_to(user=user, q=q), 50).get_page(request.GET.get("page"))
    return render(request, "units/agency_list.html", {"page": page, "q": q})


def _detail_context(user: User, agency: Agency, form: MembershipAddForm | None) -> dict[str, Any]:
    staff = (
        Membership.objects.visible_to(user)
        .filter(agency=agency)
        .select_related("user")
        .order_by("-is_active", "role", "user__username")
    )
    can_manage = can_manage_agency(user, agency.pk)
    if can_manage and form is None:
        form = MembershipAddForm(roles=_role_choices(user))
    return {
        "agency": agency,
        "staff": staff,
        "can_manage": can_manage,
        "form": form,
        "grantable": grantable_roles(user),
    }


@official_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    agency = _visible_agency(user, code)
    return render(request, "units/agency_detail.html", _detail_context(user, agency, None))


@require_POST
@official_required
def membership_add_view(request: HttpRequest, code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    agency = _visible_agency(user, code)
    if not can_manage_agency(user, agency.pk):
        raise DjangoPermissionDenied
    form = MembershipAddForm(request.POST, roles=_role_choices(user))
    if form.is_valid():
        try:
            membership_add(
                actor=user,
                agency=agency,
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã giao vai trò."))
            return redirect("units:agency_detail", code=agency.code)
    context = _detail_context(user, agency, form)
    return render(request, "units/agency_detail.html", context, status=422)


@require_POST
@official_required
def membership_deactivate_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    agency = _visible_agency(user, code)
    if not can_manage_agency(user, agency.pk):
        raise DjangoPermissionDenied
    try:
        membership_deactivate(actor=user, agency=agency, membership_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi phân công."))
    return redirect("units:agency_detail", code=agency.code)
