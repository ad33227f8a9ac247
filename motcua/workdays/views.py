"""Back office: review and edit a year's calendar, and ask when something would be due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError, InvalidInput, NotFound
from motcua.workdays import explain as explain_mod
from motcua.workdays import selectors, services
from motcua.workdays.forms import DueForm, HolidayForm
from motcua.workdays.models import Holiday
from motcua.workdays.rules import ClockError, Unit

# Column headers of the month grids: (abbreviation, full name), Monday first.
WEEKDAY_HEADERS = [
    (pgettext_lazy("weekday abbreviation", "T2"), gettext_lazy("Thứ Hai")),
    (pgettext_lazy("weekday abbreviation", "T3"), gettext_lazy("Thứ Ba")),
    (pgettext_lazy("weekday abbreviation", "T4"), gettext_lazy("Thứ Tư")),
    (pgettext_lazy("weekday abbreviation", "T5"), gettext_lazy("Thứ Năm")),
    (pgettext_lazy("weekday abbreviation", "T6"), gettext_lazy("Thứ Sáu")),
    (pgettext_lazy("weekday abbreviation", "T7"), gettext_lazy("Thứ Bảy")),
    (pgettext_lazy("weekday abbreviation", "CN"), gettext_lazy("Chủ nhật")),
]


def _check_year(year: int) -> None:
    try:
        selectors.check_year(year)
    except InvalidInput as exc:
        raise Http404(exc.message) from None


def _get_holiday(pk: int) -> Holiday:
    try:
        return selectors.holiday_get(pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _require_editor(request: HttpRequest) -> None:
    if not selectors.can_edit_calendar(request.user):
        raise PermissionDenied(_("Bạn không có quyền sửa lịch làm việc."))


def _due_context(request: HttpRequest) -> dict[str, Any]:
    """Bind the "when would it be due?" form from the query string and compute the result."""
    if "start" not in request.GET:
        initial = {
            "start": timezone.localtime().replace(second=0, microsecond=0),
            "amount": 5,
            "unit": Unit.WORKING_DAYS.value,
        }
        return {"due_form": DueForm(initial=initial), "due_result": None}
    form = DueForm(request.GET)
    result = None
    if form.is_valid():
        try:
            result = explain_mod.explain(
                selectors.working_calendar(),
                timezone.localtime(form.cleaned_data["start"]),
                form.cleaned_data["amount"],
                form.cleaned_data["unit"],
                lang=(get_language() or "vi")[:2],
            )
        except ClockError as exc:
            form.add_error("start" if exc.field == "start" else "amount", exc.message)
    return {"due_form": form, "due_result": result}


@login_required
def calendar_index(request: HttpRequest) -> HttpResponse:
    return redirect("workdays:year", year=timezone.localdate().year)


@login_required
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    cal = selectors.working_calendar()
    context = {
        "year": year,
        "months": selectors.calendar_months(year=year),
        "holidays": selectors.holiday_list(year=year),
        "working_days": cal.working_days_between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        "can_edit": selectors.can_edit_calendar(request.user),
        "weekday_headers": WEEKDAY_HEADERS,
        **_due_context(request),
    }
    return render(request, "workdays/calendar_year.html", context)


@login_required
def due_calculator(request: HttpRequest) -> HttpResponse:
    context = _due_context(request)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "workdays/_due_result.html", context)
    year = timezone.localdate().year
    form = context["due_form"]
    if form.is_bound and form.is_valid():
        year = timezone.localtime(form.cleaned_data["start"]).year
    return redirect_to_year_with_query(request, year)


def redirect_to_year_with_query(request: HttpRequest, year: int) -> HttpResponse:
    response = redirect("workdays:year", year=max(1990, min(year, 2100)))
    query = request.GET.urlencode()
    if query:
        response["Location"] += f"?{query}#due"
    return response


def _form_page(
    request: HttpRequest, form: HolidayForm, *, year: int, holiday: Holiday | None
) -> HttpResponse:
    return render(
        request,
        "workdays/holiday_form.html",
        {"form": form, "year": year, "holiday": holiday},
        status=200 if not form.errors else 422,
    )


@login_required
@require_http_methods(["GET", "POST"])
def holiday_add(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    _require_editor(request)
    if request.method == "GET":
        form = HolidayForm(initial={"date": dt.date(year, 1, 1), "kind": "override_day_off"})
        return _form_page(request, form, year=year, holiday=None)
    form = HolidayForm(request.POST)
    if form.is_valid():
        try:
            holiday = services.holiday_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã thêm %(h)s.") % {"h": holiday})
            return redirect("workdays:year", year=holiday.date.year)
    return _form_page(request, form, year=year, holiday=None)


@login_required
@require_http_methods(["GET", "POST"])
def holiday_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    holiday = _get_holiday(pk)
    if request.method == "GET":
        form = HolidayForm(
            initial={f: getattr(holiday, f) for f in services.HOLIDAY_FIELDS},
        )
        return _form_page(request, form, year=holiday.date.year, holiday=holiday)
    form = HolidayForm(request.POST)
    if form.is_valid():
        try:
            holiday = services.holiday_update(
                actor=request.user, holiday=holiday, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã cập nhật %(h)s.") % {"h": holiday})
            return redirect("workdays:year", year=holiday.date.year)
    return _form_page(request, form, year=holiday.date.year, holiday=holiday)


@login_required
@require_http_methods(["GET", "POST"])
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    holiday = _get_holiday(pk)
    if request.method == "GET":
        return render(request, "workdays/holiday_confirm_delete.html", {"holiday": holiday})
    year = holiday.date.year
    label = str(holiday)
    services.holiday_delete(actor=request.user, holiday=holiday)
    messages.success(request, _("Đã xóa %(h)s.") % {"h": label})
    return redirect("workdays:year", year=year)
