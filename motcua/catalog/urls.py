"""Back-office pages of this app, mounted under /office/catalog/ in config/urls.py."""

from __future__ import annotations

from django.urls import path

from motcua.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.procedure_list, name="procedure_list"),
    path("<str:code>/", views.procedure_detail, name="procedure_detail"),
]
