"""Back-office statistics pages, mounted under /office/thong-ke/ in config/urls.py."""

from __future__ import annotations

from django.urls import path

from motcua.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("06a/", views.report_page, name="report_06a"),
    path("06a/ho-so/", views.drill_page, name="drill"),
    path("06a.xlsx", views.report_xlsx, name="report_06a_xlsx"),
    path("06a.pdf", views.report_pdf, name="report_06a_pdf"),
]
