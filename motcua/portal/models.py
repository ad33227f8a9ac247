"""An online application in progress (issue 4 item 2): saved at every step so the applicant can
leave and come back. Written only through ``motcua.portal.drafts``."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicationDraft(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_drafts"
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "catalog.ProcedureCase", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # {"name", "id_number", "phone", "email", "address", "kind"}
    applicant: models.JSONField[Any] = models.JSONField(default=dict, blank=True)
    # {"<component id>": [<stored document id>, ...]}
    documents: models.JSONField[Any] = models.JSONField(default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=1)
    # Created with the draft; a retried submit of the same draft answers the same dossier.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application_draft",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["user", "-updated_at"], name="draft_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.procedure_version_id}:{self.pk}"
