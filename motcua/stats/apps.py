from __future__ import annotations

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "motcua.stats"
    label = "stats"
