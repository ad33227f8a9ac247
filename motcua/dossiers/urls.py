"""Back-office dossier pages, mounted under /office/dossiers/ in config/urls.py."""

from __future__ import annotations

from django.urls import path

from motcua.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="intake"),
    path("book.pdf", views.book_pdf, name="book"),
    path("flows/", views.intake_flows, name="flows"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/actions/<str:action>/", views.act, name="action"),
    path("<str:code>/forms/<str:form>.pdf", views.form_pdf, name="form_pdf"),
]
