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
