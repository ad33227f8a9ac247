"""Reads: follow-ups for an agency's queue, rating counts for the statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet

from motcua.accounts.scoping import agency_ids_visible_to
from motcua.feedback.models import FollowUp, Rating


def follow_up_list(*, user: Any, state: str = "open") -> QuerySet[FollowUp]:
    qs = FollowUp.objects.filter(agency_ids_visible_to(user).q("agency"))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("rating", "rating__dossier", "agency").order_by("due_at", "pk")


def rating_counts(*, user: Any, start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """``{agency code: {overall level: count}}`` for ratings given in ``[start, end)``."""
    rows = (
        Rating.objects.filter(
            agency_ids_visible_to(user).q("agency"), created_at__gte=start, created_at__lt=end
        )
        .values("agency__code", "overall")
        .annotate(n=Count("pk"))
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row["agency__code"], {})[row["overall"]] = row["n"]
    return out
