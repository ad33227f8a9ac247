"""Rating a returned dossier, and closing the follow-up an unhappy rating opens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.accounts.scoping import agency_ids_visible_to
from motcua.audit.services import record
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.feedback.models import FollowUp, Rating, Satisfaction
from motcua.stats.services import dossier_changed
from motcua.workdays.selectors import working_calendar

CRITERIA = ("overall", "convenience", "staff", "timeliness")


@transaction.atomic
def rating_submit(*, user: Any, code: str, answers: dict[str, str], comment: str = "") -> Rating:
    """The applicant rates a dossier once, after its result was returned; an unhappy answer
    opens a follow-up for the competent agency (due in ``MOTCUA_FOLLOW_UP_WORKING_DAYS``)."""
    dossier = (
        Dossier.objects.select_for_update().filter(code=code, applicant_user_id=user.pk).first()
        if user is not None and user.is_authenticated
        else None
    )
    if dossier is None:
        raise NotFound(f"Dossier {code} not found")
    if dossier.status != Status.RETURNED:
        raise Conflict(
            "A dossier can be rated once its result has been returned", code="not_returned"
        )
    values: dict[str, str] = {}
    for name in CRITERIA:
        value = (answers.get(name) or "").strip()
        if value not in Satisfaction.values:
            raise InvalidInput(f"Choose one answer for `{name}`", field=name)
        values[name] = value
    comment = comment.strip()
    if len(comment) > 2000:
        raise InvalidInput("The comment is limited to 2,000 characters", field="comment")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                agency_id=dossier.agency_id,
                rated_by=user,
                comment=comment,
                **values,
            )
    except IntegrityError as exc:
        raise Conflict("This dossier has already been rated", code="already_rated") from exc
    dossier_changed(dossier)
    record(
        action="rating.submitted",
        actor=user,
        subject=rating,
        after={**values, "dossier": dossier.code},
    )
    if rating.unhappy:
        days = int(getattr(settings, "MOTCUA_FOLLOW_UP_WORKING_DAYS", 5))
        follow_up = FollowUp.objects.create(
            rating=rating,
            agency_id=dossier.agency_id,
            due_at=working_calendar().add_working_days(timezone.now(), days),
        )
        record(
            action="follow_up.opened",
            actor=user,
            subject=follow_up,
            after={"dossier": dossier.code, "due_at": follow_up.due_at.isoformat()},
        )
    return rating


@transaction.atomic
def follow_up_close(*, user: Any, pk: int, answer: str) -> FollowUp:
    """An official of the agency records how the unhappy rating was handled."""
    follow_up = FollowUp.objects.select_for_update().filter(pk=pk).first()
    if follow_up is None or follow_up.agency_id not in agency_ids_visible_to(user):
        raise NotFound("Follow-up not found")
    if not getattr(user, "is_official", False) and not user.is_superuser:
        raise PermissionDenied("Only officials close follow-ups")
    if follow_up.state == FollowUp.State.CLOSED:
        raise Conflict("This follow-up is already closed", code="already_closed")
    answer = answer.strip()
    if not answer:
        raise InvalidInput("Say how it was handled", field="answer")
    follow_up.state = FollowUp.State.CLOSED
    follow_up.answer = answer
    follow_up.closed_at = timezone.now()
    follow_up.closed_by = user
    follow_up.save()
    record(
        action="follow_up.closed",
        actor=user,
        subject=follow_up,
        before={"state": "open"},
        after={"state": "closed"},
    )
    return follow_up
