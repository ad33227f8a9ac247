"""The back office landing page; each domain app serves its own pages under /office/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from motcua.accounts.models import Membership
from motcua.catalog.models import Procedure
from motcua.dossiers.selectors import dossier_queue_counts
from motcua.units.models import Agency


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:  # narrowed for the type checker; login_required ran
        return redirect("accounts:login")
    if not getattr(user, "is_official", False) and not user.is_superuser:
        return redirect("portal:home")
    memberships = (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("agency")
        .order_by("agency__code", "role")
    )
    context = {
        "memberships": memberships,
        "procedure_count": Procedure.objects.count(),
        "agency_count": Agency.objects.filter(is_active=True).count(),
        "today": timezone.localdate(),
        "dossier_counts": dossier_queue_counts(user=user),
    }
    return render(request, "office/home.html", context)
