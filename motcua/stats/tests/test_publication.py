"""Monthly publication of the 766 index: frozen, signed, immutable, audited, published once; the
command and the worker's job; recomputing a published month gives the same numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.audit.models import AuditEvent
from motcua.stats import publication
from motcua.stats.api import index_as_dict
from motcua.stats.index766 import IndexPeriod, compute_index, rank_index
from motcua.stats.models import PublicationImmutable, PublishedIndex
from motcua.stats.publication import (
    AlreadyPublished,
    PublicationError,
    publish_due_job,
    publish_month,
    verify_publication,
)
from motcua.stats.report06a import report_06a
from motcua.stats.tests.test_index766 import MARCH, march  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_it_publishes_a_month_signed_and_audited(
    world: Any,
    march: None,  # noqa: F811
    clock_at: Any,
) -> None:
    clock_at("2026-04-06 09:00")
    pub = publish_month(MARCH, actor=world.clerk)
    assert pub.month == "2026-03" and pub.published_by == world.clerk
    assert pub.eresult_method == "national"
    assert pub.payload["province"]["total"] == pytest.approx(67.2, abs=0.01)
    assert set(pub.payload["rankings"]) == {"agencies", "communes"}
    assert pub.payload["report_06a"]["total"]["received_total"] >= 10
    assert len(pub.sha256) == 64 and len(pub.signature) == 64
    assert verify_publication(PublishedIndex.objects.get()).ok
    event = AuditEvent.objects.get(action="stats.index766.publish")
    assert event.subject_id == str(pub.pk) and event.data["after"]["sha256"] == pub.sha256


def test_it_recomputes_a_published_month_to_the_same_numbers(
    world: Any,
    march: None,  # noqa: F811
    clock_at: Any,
) -> None:
    clock_at("2026-04-06 09:00")
    pub = publish_month(MARCH)
    stored = PublishedIndex.objects.get(pk=pub.pk).payload  # as the database gives it back
    assert publication.jsonable(index_as_dict(compute_index(MARCH))) == stored["province"]
    for kind in ("agencies", "communes"):
        again = [publication.jsonable(index_as_dict(r)) for r in rank_index(MARCH, kind)]
        assert again == stored["rankings"][kind]
    report = report_06a(MARCH.span)
    assert [r.as_dict() for r in report.rows] == stored["report_06a"]["rows"]
    assert (
        publication.jsonable(report.total.as_dict())["received_total"]
        == (stored["report_06a"]["total"]["received_total"])
    )
    assert publication.digest(stored) == pub.sha256


def test_it_refuses_to_change_or_delete_a_publication(
    world: Any,
    march: None,  # noqa: F811
    clock_at: Any,
) -> None:
    clock_at("2026-04-06 09:00")
    pub = publish_month(MARCH)
    pub.payload["province"]["total"] = 99
    with pytest.raises(PublicationImmutable):
        pub.save()
    with pytest.raises(PublicationImmutable):
        pub.delete()
    with pytest.raises(PublicationImmutable):
        PublishedIndex.objects.filter(pk=pub.pk).update(sha256="0" * 64)
    with pytest.raises(PublicationImmutable):
        PublishedIndex.objects.all().delete()
    assert PublishedIndex.objects.get().payload["province"]["total"] != 99


def test_it_publishes_a_month_once(
    world: Any,
    march: None,  # noqa: F811
    clock_at: Any,
) -> None:
    clock_at("2026-04-06 09:00")
    publish_month(MARCH)
    with pytest.raises(AlreadyPublished, match="already published"):
        publish_month(MARCH)
    assert PublishedIndex.objects.count() == 1
    assert AuditEvent.objects.filter(action="stats.index766.publish").count() == 1


def test_it_refuses_an_unfinished_month_or_a_quarter(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-31 23:00")
    with pytest.raises(PublicationError, match="not over"):
        publish_month(MARCH)
    with pytest.raises(PublicationError, match="not over"):
        publish_month(IndexPeriod.parse("2026-05"))
    with pytest.raises(PublicationError, match="Only a month"):
        publish_month(IndexPeriod.parse("2025-Q4"))
    assert not PublishedIndex.objects.exists()


def test_it_detects_a_tampered_payload_or_signature(
    world: Any,
    march: None,  # noqa: F811
    clock_at: Any,
    settings: Any,
) -> None:
    clock_at("2026-04-06 09:00")
    pub = publish_month(MARCH)
    tampered = PublishedIndex.objects.get(pk=pub.pk)
    tampered.payload["province"]["total"] = 99.0  # in memory only: the row cannot change
    check = verify_publication(tampered)
    assert not check.hash_ok and check.signature_ok and not check.ok
    forged = PublishedIndex.objects.get(pk=pub.pk)
    forged.sha256 = publication.digest(forged.payload)  # unchanged hash, key changed below
    settings.MOTCUA_AUDIT_KEY = "another key"
    check = verify_publication(forged)
    assert check.hash_ok and not check.signature_ok


def test_it_publishes_from_the_command(
    world: Any,
    march: None,  # noqa: F811
    clock_at: Any,
    capsys: Any,
) -> None:
    clock_at("2026-04-02 09:00")
    call_command("publish_index")  # the previous month by default
    assert "2026-03" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already published"):
        call_command("publish_index", "--month", "2026-03")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("publish_index", "--month", "March")
    with pytest.raises(CommandError, match="not over"):
        call_command("publish_index", "--month", "2026-04")
    with pytest.raises(CommandError, match="not over"):
        call_command("publish_index", "--month", "2027-01")
    call_command("verify_publication")
    assert "2026-03: ok" in capsys.readouterr().out


def test_it_publishes_last_month_from_the_worker_once(
    world: Any,
    march: None,  # noqa: F811
    clock_at: Any,
) -> None:
    clock_at("2026-04-04 23:00")
    assert publish_due_job() is None  # before the 5th: corrections may still arrive
    assert not PublishedIndex.objects.exists()
    clock_at("2026-04-05 00:30")
    assert publish_due_job() == "2026-03"
    assert publish_due_job() is None  # idempotent: every worker runs the job
    assert publish_due_job(dt.date(2026, 4, 30)) is None
    assert list(PublishedIndex.objects.values_list("month", flat=True)) == ["2026-03"]
    assert PublishedIndex.objects.get().published_by is None  # the system


def test_it_registers_the_job_with_the_worker() -> None:
    from motcua.integrations.worker import periodic_jobs

    assert "stats.publish_index" in {job.name for job in periodic_jobs()}
