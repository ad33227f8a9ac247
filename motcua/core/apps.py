from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db import connection
        from django.db.backends.signals import connection_created

        if connection.vendor == "postgresql":
            from motcua.core.postgres import use_fast_instant_loader

            connection_created.connect(use_fast_instant_loader, dispatch_uid="fast_instants")
