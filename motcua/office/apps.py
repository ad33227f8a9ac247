from __future__ import annotations

from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "motcua.office"
    label = "office"
