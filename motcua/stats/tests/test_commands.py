from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from motcua.dossiers.services import ApplicantIn, dossier_receive
from motcua.stats import services
from motcua.stats.models import AgencyDayCount, DailyCount

pytestmark = pytest.mark.django_db


def test_rebuild_stats_restores_lost_rollups(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=ApplicantIn(name="Lê Thị Hoa", id_number="066190004321"),
    )
    before = services.rollup_snapshot(DailyCount), services.rollup_snapshot(AgencyDayCount)
    assert before[1]
    AgencyDayCount.objects.all().delete()
    DailyCount.objects.all().delete()
    out = StringIO()
    call_command("rebuild_stats", stdout=out)
    assert "1 facts" in out.getvalue()
    assert (
        services.rollup_snapshot(DailyCount),
        services.rollup_snapshot(AgencyDayCount),
    ) == before
    call_command("rebuild_stats", "--facts", stdout=out)
    assert "Re-derived 1 native" in out.getvalue()
    assert (
        services.rollup_snapshot(DailyCount),
        services.rollup_snapshot(AgencyDayCount),
    ) == before
