"""Back-office pages of the catalog (officials only): search list and procedure detail."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog import selectors
from motcua.catalog.forms import ProcedureFilterForm
from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import NotFound

PAGE_SIZE = 20

View = Callable[..., HttpResponse]


def official_required(view: View) -> View:
    """Logged in (else redirect to the login page) and an official or staff (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (getattr(user, "is_official", False) or user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@official_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    form = ProcedureFilterForm(request.GET or None)
    filters = {"q": "", "field": "", "level": ""}
    if form.is_bound and form.is_valid():
        filters.update({k: form.cleaned_data[k] or "" for k in filters})
    qs = selectors.procedure_search(**filters).select_related("current_version__field")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), **filters}
    template = "catalog/_results.html" if request.htmx else "catalog/procedure_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@official_required
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = selectors.procedure_get(code=code)
        current = procedure.current_version
        if current is None:  # procedure_get only returns procedures that have one
            raise NotFound(code)
        shown: ProcedureVersion = current
        requested = request.GET.get("v", "")
        if requested.isdigit() and int(requested) != current.number:
            shown = selectors.version_get(code=code, number=int(requested))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    components = list(shown.components.all())
    fees = list(shown.fees.all())
    steps = list(shown.steps.all())
    cases = [
        {
            "case": case,
            "components": [c for c in components if c.case_id == case.pk],
            "fees": [f for f in fees if f.case_id == case.pk],
            "steps": [s for s in steps if s.case_id == case.pk],
        }
        for case in shown.cases.all()
    ]
    context = {
        "procedure": procedure,
        "version": shown,
        "is_current": shown.pk == current.pk,
        "cases": cases,
        "components": [c for c in components if c.case_id is None],
        "fees": [f for f in fees if f.case_id is None],
        "steps": [s for s in steps if s.case_id is None],
        "agencies": selectors.version_agencies(shown),
        "versions": selectors.procedure_versions(procedure=procedure),
    }
    return render(request, "catalog/procedure_detail.html", context)
