"""Back-office pages of this app, mounted under /office/agencies/ in config/urls.py."""

from __future__ import annotations

from django.urls import path

from motcua.units import views

app_name = "units"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("<str:code>/", views.agency_detail, name="agency_detail"),
    path("<str:code>/memberships/", views.membership_add_view, name="membership_add"),
    path(
        "<str:code>/memberships/<int:pk>/deactivate/",
        views.membership_deactivate_view,
        name="membership_deactivate",
    ),
]
