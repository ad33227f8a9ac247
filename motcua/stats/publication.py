"""Monthly publication of the Decision 766 index (DESIGN §3.5, ADR 0016).

Once a month is over, its index is computed once and frozen: the province's index, both rankings
with every unit's full index, report II.06a at province level and the e-result method, as one
JSON payload. Its SHA-256 over the canonical JSON is signed with an HMAC under the audit chain's
key (kept outside the database), so ``verify_publication`` detects a payload or hash altered in
the database. The public pages and the open data read the payload, never a recomputation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from motcua.audit.services import audit_key, record
from motcua.stats.api import index_as_dict
from motcua.stats.index766 import ERESULT_METHODS, IndexPeriod, compute_index, rank_index
from motcua.stats.models import PublishedIndex
from motcua.stats.report06a import report_06a

logger = logging.getLogger("motcua.stats")

FORMAT = "motcua.index766.publication/1"
RANKING_KINDS = ("agencies", "communes")
PUBLISH_EVERY_SECONDS = 3600.0


class PublicationError(ValueError):
    """A month that cannot be published (not a month, not over yet, already published)."""


class AlreadyPublished(PublicationError):
    pass


# -- the payload -----------------------------------------------------------------------------------


def parse_month(text: str) -> IndexPeriod:
    try:
        period = IndexPeriod.parse(text)
    except ValueError as exc:
        raise PublicationError(f"The month must be written YYYY-MM, got {text!r}") from exc
    if period.kind != "month":
        raise PublicationError(f"Only a month (YYYY-MM) is published, got {text!r}")
    return period


def current_month(today: dt.date | None = None) -> IndexPeriod:
    today = today or timezone.localdate()
    return IndexPeriod("month", today.year, today.month)


def previous_month(today: dt.date | None = None) -> IndexPeriod:
    first = (today or timezone.localdate()).replace(day=1)
    last = first - dt.timedelta(days=1)
    return IndexPeriod("month", last.year, last.month)


def is_over(period: IndexPeriod, today: dt.date | None = None) -> bool:
    return period.last < (today or timezone.localdate())


def build_payload(period: IndexPeriod, *, eresult_method: str = "national") -> dict[str, Any]:
    """The month's numbers as published (names and rules in Vietnamese, the source language:
    the pages translate them on display)."""
    if eresult_method not in ERESULT_METHODS:
        raise PublicationError(f"Unknown e-result method {eresult_method!r}")
    method = eresult_method
    with translation.override("vi"):
        province = compute_index(period, eresult_method=method)
        rankings = {
            kind: [index_as_dict(r) for r in rank_index(period, kind, eresult_method=method)]
            for kind in RANKING_KINDS
        }
        report = report_06a(period.span)
    payload = {
        "format": FORMAT,
        "month": str(period),
        "first_day": period.first.isoformat(),
        "last_day": period.last.isoformat(),
        "eresult_method": eresult_method,
        "province": index_as_dict(province),
        "rankings": rankings,
        "report_06a": {
            "rows": [r.as_dict() for r in report.rows],
            "total": {**report.total.as_dict(), "code": "", "name": "Tổng cộng"},
        },
    }
    frozen: dict[str, Any] = jsonable(payload)
    return frozen


def jsonable(value: Any) -> Any:
    """Round-trip through JSON so the hashed form equals what the database gives back."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def canonical(payload: Any) -> bytes:
    """A stable byte form: sorted keys, no spaces, UTF-8 (the JSON column may reorder keys)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(payload: Any) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def sign(sha256: str) -> str:
    """The sign-off: HMAC-SHA256 of the hash under the audit chain's key (``MOTCUA_AUDIT_KEY``,
    else ``SECRET_KEY``), prefixed so it can never collide with an audit-chain link."""
    return hmac.new(audit_key(), b"index766-publication|" + sha256.encode(), "sha256").hexdigest()


@dataclass(frozen=True, slots=True)
class Verification:
    month: str
    hash_ok: bool
    signature_ok: bool

    @property
    def ok(self) -> bool:
        return self.hash_ok and self.signature_ok


def verify_publication(publication: PublishedIndex) -> Verification:
    """Recompute the hash of the stored payload and check the sign-off."""
    hash_ok = hmac.compare_digest(digest(publication.payload), publication.sha256)
    signature_ok = hmac.compare_digest(sign(publication.sha256), publication.signature)
    return Verification(publication.month, hash_ok, signature_ok)


# -- the service -----------------------------------------------------------------------------------


def publish_month(
    period: IndexPeriod, *, actor: Any | None = None, eresult_method: str = "national"
) -> PublishedIndex:
    """Compute, freeze, sign and audit one finished month, in one transaction. A month is
    published once: a second attempt (or a concurrent one, decided by the unique month) raises
    ``AlreadyPublished``."""
    if period.kind != "month":
        raise PublicationError(f"Only a month is published, got {period}")
    if not is_over(period):
        raise PublicationError(f"{period} is not over yet; a month is published once it has ended")
    month = str(period)
    with transaction.atomic():
        if PublishedIndex.objects.filter(month=month).exists():
            raise AlreadyPublished(f"The index of {month} is already published")
        payload = build_payload(period, eresult_method=eresult_method)
        sha = digest(payload)
        publication = PublishedIndex(
            month=month,
            published_at=timezone.now(),
            published_by=actor if actor is not None and getattr(actor, "pk", None) else None,
            eresult_method=eresult_method,
            payload=payload,
            sha256=sha,
            signature=sign(sha),
        )
        try:
            with transaction.atomic():
                publication.save()
        except IntegrityError as exc:  # another worker published it meanwhile
            raise AlreadyPublished(f"The index of {month} is already published") from exc
        record(
            action="stats.index766.publish",
            actor=actor,
            subject=publication,
            after={
                "month": month,
                "sha256": sha,
                "eresult_method": eresult_method,
                "total": payload["province"]["total"],
            },
        )
    return publication


def published(month: str) -> PublishedIndex | None:
    return PublishedIndex.objects.filter(month=month).first()


# -- the worker's job ------------------------------------------------------------------------------


def publish_day() -> int:
    """From this day of the next month (Asia/Ho_Chi_Minh) a month is published: late syncs and
    corrections of the first days are in."""
    return int(getattr(settings, "MOTCUA_INDEX_PUBLISH_DAY", 5))


def publish_due_job(today: dt.date | None = None) -> str | None:
    """Publish last month once the publish day has come, unless it is published; safe to run
    from every worker at once (the unique month decides, the loser skips)."""
    today = today or timezone.localdate()
    if today.day < publish_day():
        return None
    period = previous_month(today)
    if PublishedIndex.objects.filter(month=str(period)).exists():
        return None
    try:
        publication = publish_month(period)
    except AlreadyPublished:
        return None
    logger.info("published the 766 index of %s (sha256 %s)", period, publication.sha256)
    return publication.month


def register_jobs() -> None:
    from motcua.integrations.worker import register_periodic

    register_periodic("stats.publish_index", publish_due_job, every_seconds=PUBLISH_EVERY_SECONDS)
