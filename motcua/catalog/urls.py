"""Back-office pages of this app, mounted under /office/ in config/urls.py."""

from __future__ import annotations

app_name = "catalog"
urlpatterns: list[object] = []
