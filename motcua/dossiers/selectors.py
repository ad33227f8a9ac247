"""Dossier reads, always scoped by the user (``Dossier.objects.visible_to``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.core.errors import NotFound
from motcua.core.text import fold
from motcua.dossiers.models import OPEN_CODES, Dossier, DossierEvent
from motcua.dossiers.workflow import Status

QUEUE_FILTERS = (
    "all",
    "due_soon",
    "at_risk",
    "step_late",
    "overdue",
    "paused",
    "settled",
    "closed",
)


def dossier_visible_qs(*, user: Any) -> QuerySet[Dossier]:
    return Dossier.objects.visible_to(user)


def dossier_get(*, user: Any, code: str) -> Dossier:
    dossier = (
        dossier_visible_qs(user=user)
        .select_related(
            "procedure_version",
            "procedure_version__field",
            "case",
            "agency",
            "receiving_agency",
            "current_agency",
            "assignee",
        )
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.order_by("seq")),
            "pauses",
            "steps",
            "steps__agency",
            "components",
        )
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound(f"Dossier {code} not found")
    return dossier


@dataclass(frozen=True)
class QueueCounts:
    all: int
    due_soon: int
    at_risk: int
    step_late: int
    overdue: int
    paused: int
    settled: int  # results ready, waiting to be returned


def _queue_base(user: Any, agency_id: int | None) -> QuerySet[Dossier]:
    qs = dossier_visible_qs(user=user)
    if agency_id is not None:
        qs = qs.filter(current_agency_id=agency_id)
    return qs


def dossier_queue(
    *,
    user: Any,
    which: str = "all",
    q: str = "",
    agency_id: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Dossier]:
    """A work queue: open dossiers held by the user's agencies, most urgent first.

    ``which``: all / due_soon (due within one working day, not overdue) / at_risk / overdue /
    paused (awaiting the applicant) / settled (waiting to be returned) / closed.
    ``q`` searches the code, the applicant's name (diacritics ignored) or ID number.
    """
    now = now or timezone.now()
    qs = _queue_base(user, agency_id)
    if which == "closed":
        qs = qs.exclude(status__in=[*OPEN_CODES, Status.SETTLED.value])
    elif which == "settled":
        qs = qs.filter(status=Status.SETTLED.value)
    else:
        qs = qs.filter(status__in=OPEN_CODES)
    running = [Status.RECEIVED.value, Status.PROCESSING.value]
    if which == "overdue":
        qs = qs.filter(status__in=running, due_at__lt=now)
    elif which == "at_risk":
        qs = qs.filter(status__in=running, at_risk_from__lte=now, due_at__gte=now)
    elif which == "due_soon":
        from motcua.workdays.selectors import working_calendar

        horizon = working_calendar().add_working_hours(now, 8)
        qs = qs.filter(status__in=running, due_at__gte=now, due_at__lte=horizon)
    elif which == "step_late":
        # The dossier is still within time but the step in progress is past its share.
        qs = qs.filter(status__in=running, step_due_at__lt=now, due_at__gte=now)
    elif which == "paused":
        qs = qs.filter(status__in=[Status.AWAITING_SUPPLEMENT.value, Status.AWAITING_PAYMENT.value])
    if q.strip():
        term = q.strip()
        folded = fold(term)
        qs = qs.filter(
            Q(code__iexact=term) | Q(search_text__contains=folded) | Q(applicant_id_number=term)
        )
    order = ["-closed_at"] if which == "closed" else ["due_at", "pk"]
    return qs.select_related("procedure_version", "current_agency", "agency").order_by(*order)


def dossier_queue_counts(
    *, user: Any, agency_id: int | None = None, now: dt.datetime | None = None
) -> QueueCounts:
    now = now or timezone.now()
    from django.db.models import Count

    from motcua.workdays.selectors import working_calendar

    horizon = working_calendar().add_working_hours(now, 8)
    running = [Status.RECEIVED.value, Status.PROCESSING.value]
    paused = [Status.AWAITING_SUPPLEMENT.value, Status.AWAITING_PAYMENT.value]
    agg = (
        _queue_base(user, agency_id)
        .filter(status__in=[*OPEN_CODES, Status.SETTLED.value])
        .aggregate(
            all=Count("pk", filter=Q(status__in=OPEN_CODES)),
            due_soon=Count(
                "pk", filter=Q(status__in=running, due_at__gte=now, due_at__lte=horizon)
            ),
            at_risk=Count(
                "pk", filter=Q(status__in=running, at_risk_from__lte=now, due_at__gte=now)
            ),
            step_late=Count(
                "pk", filter=Q(status__in=running, step_due_at__lt=now, due_at__gte=now)
            ),
            overdue=Count("pk", filter=Q(status__in=running, due_at__lt=now)),
            paused=Count("pk", filter=Q(status__in=paused)),
            settled=Count("pk", filter=Q(status=Status.SETTLED.value)),
        )
    )
    return QueueCounts(**agg)


def dossier_public_events(dossier: Dossier) -> list[DossierEvent]:
    """The history an applicant may see (internal notes are never shown)."""
    return [e for e in dossier.events.all() if e.public]


def dossier_explanation(
    dossier: Dossier, *, lang: str = "vi", pauses: Iterable[Any] | None = None
) -> list[str]:
    """The due date of ``dossier`` explained in words (for the dossier page and the API).
    ``pauses``: its clock pauses when already read (else ``dossier.pauses.all()``): anything
    with their ``kind``, ``started_at``, ``ended_at`` and ``restarted_clock``."""
    from motcua.dossiers.explain import PauseFact, explain_dossier
    from motcua.workdays.selectors import working_calendar

    facts = [
        PauseFact(
            kind=p.kind,
            started_at=p.started_at,
            ended_at=p.ended_at,
            restarted_clock=p.restarted_clock,
        )
        for p in (dossier.pauses.all() if pauses is None else pauses)
    ]
    return explain_dossier(
        working_calendar(),
        clock_start_at=dossier.clock_start_at,
        received_at=dossier.received_at,
        limit_amount=dossier.limit_amount,
        limit_unit=dossier.limit_unit,
        pauses=facts,
        due_at=dossier.due_at,
        original_due_at=dossier.original_due_at,
        apologized=dossier.apologized_at is not None,
        lang=lang,
    )


def dossier_allowed_actions(dossier: Dossier, *, user: Any) -> list[str]:
    """The actions ``user`` may take now (buttons on the dossier page)."""
    from motcua.dossiers.services import actors_for
    from motcua.dossiers.workflow import Action, allowed_actions

    return [
        a.value
        for a in allowed_actions(
            Status(dossier.status),
            actors_for(dossier, Action.ACCEPT, user) | actors_for(dossier, Action.FORWARD, user),
        )
    ]


@dataclass(frozen=True)
class IntakeFlow:
    """Dossiers received at one agency's counter for another competent agency (phi địa giới)."""

    receiving_code: str
    receiving_name: str
    competent_code: str
    competent_name: str
    count: int


def dossier_intake_flows(
    *, user: Any, start: dt.datetime, end: dt.datetime, boundary_free_only: bool = True
) -> list[IntakeFlow]:
    """Received dossiers in ``[start, end)`` grouped by receiving × competent agency."""
    from django.db.models import Count

    qs = dossier_visible_qs(user=user).filter(received_at__gte=start, received_at__lt=end)
    if boundary_free_only:
        qs = qs.exclude(receiving_agency=F("agency"))
    rows = (
        qs.values(
            "receiving_agency__code", "receiving_agency__name", "agency__code", "agency__name"
        )
        .annotate(n=Count("pk"))
        .order_by("receiving_agency__code", "agency__code")
    )
    return [
        IntakeFlow(
            r["receiving_agency__code"],
            r["receiving_agency__name"],
            r["agency__code"],
            r["agency__name"],
            r["n"],
        )
        for r in rows
    ]
