from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"

    def ready(self) -> None:
        # Each external system registers the handler that delivers its outbox messages.
        from motcua.integrations import handlers
        from motcua.integrations.email.handlers import deliver as deliver_email

        handlers.register("email", deliver_email)

        # Housekeeping: rate-limit counters whose window closed a day ago.
        from motcua.core import ratelimit
        from motcua.integrations.worker import register_periodic

        register_periodic(
            "core.ratelimit.cleanup", lambda: ratelimit.forget_older_than(86_400), 3_600
        )
