from __future__ import annotations

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "motcua.stats"
    label = "stats"

    def ready(self) -> None:
        from motcua.stats.publication import register_jobs

        register_jobs()
