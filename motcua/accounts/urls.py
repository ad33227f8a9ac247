from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.accounts import portal_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dang-ky/", portal_views.register_view, name="register"),
    path("oidc/login/", portal_views.oidc_login_view, name="oidc_login"),
    path("oidc/callback/", portal_views.oidc_callback_view, name="oidc_callback"),
    path("ho-so-ca-nhan/", portal_views.profile_view, name="profile"),
]
