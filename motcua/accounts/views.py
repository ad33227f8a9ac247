"""The login page: one page, two forms (officials; citizens and businesses)."""

from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from motcua.accounts.authn import OFFICIAL_KINDS, PUBLIC_KINDS, check_credentials
from motcua.accounts.forms import OfficialLoginForm, PublicLoginForm
from motcua.accounts.models import User, UserKind

TABS = ("official", "public")


def _landing(request: HttpRequest, user: User) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    if user.kind == UserKind.OFFICIAL:
        return reverse("office:home")
    return reverse("portal:home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    tab = request.POST.get("tab") or request.GET.get("tab") or "official"
    if tab not in TABS:
        tab = "official"
    official = OfficialLoginForm(prefix="o")
    public = PublicLoginForm(prefix="p")
    status = 200
    if request.method == "POST":
        if tab == "official":
            official = OfficialLoginForm(request.POST, prefix="o")
            if official.is_valid():
                outcome = check_credentials(
                    request,
                    username=official.cleaned_data["username"],
                    password=official.cleaned_data["password"],
                    kinds=OFFICIAL_KINDS,
                    channel="web",
                )
                if outcome.user is not None:
                    auth_login(request, outcome.user)
                    return HttpResponseRedirect(_landing(request, outcome.user))
                official.add_error(None, outcome.error or "")
                status = 429 if outcome.locked else 200
        else:
            public = PublicLoginForm(request.POST, prefix="p")
            if public.is_valid():
                outcome = check_credentials(
                    request,
                    username=public.username,
                    password=public.cleaned_data["password"],
                    kinds=PUBLIC_KINDS,
                    channel="web",
                )
                if outcome.user is not None:
                    auth_login(request, outcome.user)
                    return HttpResponseRedirect(_landing(request, outcome.user))
                public.add_error(None, outcome.error or "")
                status = 429 if outcome.locked else 200
    context = {
        "tab": tab,
        "official_form": official,
        "public_form": public,
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    return render(request, "accounts/login.html", context, status=status)
