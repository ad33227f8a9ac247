from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "motcua.portal"
    label = "portal"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from motcua.catalog.models import Field, Procedure, ProcedureVersion
        from motcua.portal.results_cache import catalog_changed
        from motcua.units.models import Agency

        # Agency too: the browse index of /thu-tuc/ (kept whole by page_cache) lists agencies.
        for model in (Field, Procedure, ProcedureVersion, Agency):
            post_save.connect(
                catalog_changed, sender=model, dispatch_uid=f"portal-{model.__name__}"
            )
            post_delete.connect(
                catalog_changed, sender=model, dispatch_uid=f"portal-del-{model.__name__}"
            )
        m2m_changed.connect(
            catalog_changed,
            sender=ProcedureVersion.agencies.through,
            dispatch_uid="portal-version-agencies",
        )
