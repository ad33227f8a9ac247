"""Online payment pages, mounted under /thanh-toan/ in config/urls.py."""

from __future__ import annotations

from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("ket-qua/", views.result, name="result"),
    path("callback/", views.callback, name="callback"),
    path("<str:code>/bat-dau/", views.start, name="start"),
]
