"""The applicant's rating page, mounted at /danh-gia/."""

from __future__ import annotations

from django.urls import path

from motcua.feedback import views

app_name = "feedback"
urlpatterns = [path("<str:code>/", views.rate, name="rate")]
