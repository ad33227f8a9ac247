"""Issue #5's acceptance: importing a quarter of national-format records with the proportions
of Q3 2024 (224,187 settled: 183,477 early, 39,491 on time, 1,219 late) yields exactly those
totals in report II.06a and its API. The whole quarter on PostgreSQL; a twentieth on SQLite
(the same code path, to keep the SQLite run short)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from motcua.stats.report06a import Period, report_06a
from motcua.stats.synthetic import Mix
from motcua.stats.tests.test_import import run, synthetic

pytestmark = pytest.mark.django_db


def test_a_quarter_imported_gives_exactly_its_totals(world: Any, tmp_path: Path) -> None:
    full = connection.vendor == "postgresql"
    mix = Mix.q3_2024() if full else Mix.q3_2024().scaled(20)
    if full:
        assert (mix.early, mix.on_time, mix.late) == (183_477, 39_491, 1_219)
    out, _ = run(synthetic(tmp_path, mix, seed=2024), "--batch", "20000")
    assert "skipped 0" in out

    report = report_06a(Period(dt.date(2024, 7, 1), dt.date(2024, 9, 30)))
    t = report.total
    assert (t.settled_early, t.settled_on_time, t.settled_late) == (
        mix.early,
        mix.on_time,
        mix.late,
    )
    assert t.settled_total == mix.settled
    assert t.pending_total == mix.pending
    assert (t.withdrawn, t.stopped) == (mix.withdrawn, mix.stopped)
    # Some dossiers settled in the quarter were received before it: carried over.
    assert t.received_total == mix.total - mix.not_received
    assert t.identity_holds

    client = Client()
    client.force_login(world.clerk)
    body = client.get("/api/v1/stats/report-06a", {"from": "2024-07-01", "to": "2024-09-30"}).json()
    total = body["total"]
    assert (total["settled_early"], total["settled_on_time"], total["settled_late"]) == (
        mix.early,
        mix.on_time,
        mix.late,
    )
    assert total["received_total"] == mix.total - mix.not_received
    assert total["identity_holds"] is True
