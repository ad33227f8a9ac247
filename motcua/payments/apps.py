from __future__ import annotations

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"

    def ready(self) -> None:
        from motcua.payments.jobs import register_jobs

        register_jobs()
