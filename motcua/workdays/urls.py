"""Back-office pages of this app, mounted at /office/calendar/ in config/urls.py."""

from __future__ import annotations

from django.urls import path

from motcua.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_index, name="index"),
    path("<int:year>/", views.calendar_year, name="year"),
    path("<int:year>/add/", views.holiday_add, name="add"),
    path("day/<int:pk>/edit/", views.holiday_edit, name="edit"),
    path("day/<int:pk>/delete/", views.holiday_remove, name="delete"),
    path("due/", views.due_calculator, name="due"),
]
