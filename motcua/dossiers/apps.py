from __future__ import annotations

from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"

    def ready(self) -> None:
        # The Idempotency-Key model lives in its own module (the API's); load it with the app.
        from motcua.dossiers import idempotency  # noqa: F401
        from motcua.dossiers.jobs import register_jobs

        register_jobs()
