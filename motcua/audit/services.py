"""Write the audit trail. Services call ``record`` inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models


def record(
    *,
    action: str,
    actor: Any | None = None,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Any:
    """Append one audit event (placeholder until the audit app lands; signature is final)."""
    return None
