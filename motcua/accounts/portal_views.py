"""Public accounts: registration, the national identity login (VNeID, OpenID Connect) and the
profile. Thin views: a form validates, one service writes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from motcua.accounts import oidc, services
from motcua.accounts.models import User, UserKind
from motcua.accounts.portal_forms import (
    BusinessRegistrationForm,
    CitizenRegistrationForm,
    ProfileForm,
)
from motcua.core import ratelimit
from motcua.core.errors import DomainError

KINDS = {"cong-dan": CitizenRegistrationForm, "doanh-nghiep": BusinessRegistrationForm}
REGISTER_LIMIT = 10  # registrations tried per IP per hour
OIDC_CALLBACK_LIMIT = 20  # callbacks per IP per login window


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _public_login_url() -> str:
    return reverse("accounts:login") + "?tab=public"


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def register_view(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("loai") or request.GET.get("loai") or "cong-dan"
    if kind not in KINDS:
        kind = "cong-dan"
    form_class = KINDS[kind]
    form = form_class()
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        ip = ratelimit.client_ip(request.META)
        if not ratelimit.hit(
            f"register:{ip}",
            limit=getattr(settings, "MOTCUA_REGISTER_MAX_PER_HOUR", REGISTER_LIMIT),
            window_seconds=3600,
        ):
            form.is_valid()
            form.add_error(
                None, _("Bạn đã gửi quá nhiều yêu cầu đăng ký. Vui lòng thử lại sau một giờ.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user = services.public_account_register(
                    kind=form.kind,
                    number=form.number,
                    full_name=data["full_name"],
                    password=data["password1"],
                    phone=data["phone"],
                    email=data["email"],
                    representative=data.get("representative", ""),
                    ip=ip,
                )
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.message)
                status = 409
            else:
                services.login_succeeded(user=user, ip=ip, channel="register")
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                welcome = _("Đăng ký thành công. Chào mừng %(name)s!")
                messages.success(request, welcome % {"name": user.full_name})
                return HttpResponseRedirect(reverse("portal:home"))
    context = {"form": form, "kind": kind, "vneid": oidc.config() is not None}
    return render(request, "accounts/portal/register.html", context, status=status)


@never_cache
def oidc_login_view(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider (state, nonce and PKCE kept in the session)."""
    next_url = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = request.build_absolute_uri(reverse("accounts:oidc_callback"))
    try:
        url = oidc.begin(session=request.session, redirect_uri=redirect_uri, next_url=next_url)
    except oidc.OidcError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_public_login_url())
    return HttpResponseRedirect(url)


@never_cache
def oidc_callback_view(request: HttpRequest) -> HttpResponse:
    ip = ratelimit.client_ip(request.META)
    if not ratelimit.hit(
        f"oidc-callback:{ip}",
        limit=OIDC_CALLBACK_LIMIT,
        window_seconds=settings.MOTCUA_LOGIN_WINDOW_SECONDS,
    ):
        services.login_failed(username="vneid", ip=ip, channel="vneid", reason="locked")
        messages.error(request, _("Bạn đã thử đăng nhập quá nhiều lần. Vui lòng thử lại sau."))
        return HttpResponseRedirect(_public_login_url())
    params = {key: request.GET.get(key, "")[:2000] for key in ("state", "code", "error")}
    try:
        identity, next_url = oidc.complete(session=request.session, params=params)
        user, created = services.citizen_identity_sign_in(
            citizen_id=identity.citizen_id,
            full_name=identity.full_name,
            subject=identity.subject,
            issuer=identity.issuer,
            ip=ip,
        )
    except oidc.OidcError as exc:
        services.login_failed(username="vneid", ip=ip, channel="vneid", reason=exc.reason)
        messages.error(request, exc.message)
        return HttpResponseRedirect(_public_login_url())
    except DomainError as exc:
        services.login_failed(username="vneid", ip=ip, channel="vneid", reason=exc.code)
        messages.error(request, exc.message)
        return HttpResponseRedirect(_public_login_url())
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if created:
        messages.success(
            request,
            _(
                "Đã tạo tài khoản công dân từ định danh điện tử VNeID. Bạn có thể bổ sung số "
                "điện thoại, e-mail và đặt mật khẩu tại trang hồ sơ cá nhân."
            ),
        )
    return HttpResponseRedirect(_safe_next(request, next_url) or reverse("portal:home"))


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required; narrowing for mypy)
    password_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
    profile = ProfileForm(
        initial={"phone": user.phone, "email": user.email, "address": user.address}
    )
    password = password_class(user)
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "password":
            password = password_class(user, request.POST)
            if password.is_valid():
                user = services.password_change(
                    user=user,
                    new_password=password.cleaned_data["new_password1"],
                    ip=ratelimit.client_ip(request.META),
                )
                update_session_auth_hash(request, user)
                messages.success(request, _("Đã đổi mật khẩu."))
                return HttpResponseRedirect(reverse("accounts:profile"))
            status = 400
        else:
            profile = ProfileForm(request.POST)
            if profile.is_valid():
                services.profile_update(user=user, **profile.cleaned_data)
                messages.success(request, _("Đã lưu thông tin liên hệ."))
                return HttpResponseRedirect(reverse("accounts:profile"))
            status = 400
    context = {
        "profile_user": user,
        "profile_form": profile,
        "password_form": password,
        "is_public": user.kind in (UserKind.CITIZEN, UserKind.BUSINESS),
    }
    return render(request, "accounts/portal/profile.html", context, status=status)
