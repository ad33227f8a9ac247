"""Back-office dossier pages, mounted under /office/dossiers/ in config/urls.py."""

from __future__ import annotations

from django.urls import path

app_name = "dossiers"
urlpatterns: list[object] = []
