from __future__ import annotations

from django.urls import path

from motcua.office import views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
]
