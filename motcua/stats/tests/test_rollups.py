"""The rollups moved action by action equal a rebuild from the facts, and a rebuild of the facts
from the dossiers; report II.06a read from the rollups equals the same report counted from the
facts (randomized histories through the real services)."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.dossiers import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    dossier_act,
    dossier_receive,
    dossier_submit_online,
)
from motcua.dossiers.tests.conftest import at
from motcua.dossiers.workflow import Action
from motcua.stats import services
from motcua.stats.index766 import IndexPeriod, compute_index, drill_facts
from motcua.stats.models import AgencyDayCount, DailyCount, DossierFact
from motcua.stats.report06a import CELLS, Period, report_06a, report_06a_scan
from motcua.workdays.selectors import working_calendar

pytestmark = pytest.mark.django_db

APPLICANT = ApplicantIn(name="Trần Văn Bình", id_number="066190004321", phone="0912345678")
ACTORS = {
    Action.ACCEPT: "justice_clerk",
    Action.FORWARD: "specialist",
    Action.REQUEST_SUPPLEMENT: "specialist",
    Action.SUPPLEMENT: "justice_clerk",
    Action.REQUEST_PAYMENT: "head",
    Action.CONFIRM_PAYMENT: "justice_clerk",
    Action.WITHDRAW: "justice_clerk",
    Action.STOP: "leader",
    Action.SETTLE: "leader",
    Action.RETURN: "justice_clerk",
    Action.APOLOGIZE: "leader",
}
# Weighted towards progress, so that dossiers settle early, on time and late.
WEIGHTS = {
    Action.FORWARD: 6,
    Action.SETTLE: 5,
    Action.RETURN: 4,
    Action.ACCEPT: 4,
    Action.REQUEST_SUPPLEMENT: 2,
    Action.SUPPLEMENT: 3,
    Action.REQUEST_PAYMENT: 1,
    Action.CONFIRM_PAYMENT: 2,
    Action.APOLOGIZE: 1,
    Action.WITHDRAW: 1,
    Action.STOP: 1,
}


def _params(action: Action, d: Dossier) -> ActionIn:
    new_due = None
    if action is Action.APOLOGIZE and d.due_at is not None:
        new_due = working_calendar().add_working_time(d.due_at, 2 * clock.WORKING_DAY)
    return ActionIn(
        reason="Lý do", result="Kết quả", method="counter", amount_vnd=100_000, new_due_at=new_due
    )


def random_history(world: Any, seed: int, *, dossiers: int = 12, steps: int = 70) -> None:
    rng = random.Random(seed)
    now = at("2026-03-02 07:30")
    codes: list[str] = []
    with time_machine.travel(now, tick=False) as traveller:
        for _ in range(dossiers + steps):
            now += dt.timedelta(
                minutes=rng.choice([rng.randint(10, 600), rng.randint(600, 3 * 24 * 60)])
            )
            traveller.move_to(now)
            if (len(codes) < dossiers and rng.random() < 0.35) or not codes:
                if rng.random() < 0.5:
                    d = dossier_submit_online(
                        actor=world.citizen,
                        procedure_code=rng.choice(["1.000001", "1.000002"]),
                        case=1,
                        applicant=APPLICANT,
                    )
                else:
                    d = dossier_receive(
                        actor=world.clerk,
                        procedure_code=rng.choice(["1.000001", "1.000002"]),
                        case=None,
                        channel=rng.choice(["direct", "postal"]),
                        applicant=APPLICANT,
                    )
                codes.append(d.code)
                continue
            code = rng.choice(codes)
            action = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            d = Dossier.objects.get(code=code)
            with contextlib.suppress(DomainError):  # not allowed now: nothing changes
                dossier_act(
                    actor=getattr(world, ACTORS[action]),
                    code=code,
                    action=action.value,
                    params=_params(action, d),
                )


PERIODS = [
    Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    Period(dt.date(2026, 3, 10), dt.date(2026, 4, 20)),
    Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    Period(dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
]


def assert_reports_agree() -> None:
    for period in PERIODS:
        fast, scan = report_06a(period), report_06a_scan(period)
        assert fast.total.numbers() == scan.total.numbers(), period
        assert [r.numbers() for r in fast.rows] == [r.numbers() for r in scan.rows], period
        assert fast.total.identity_holds, fast.total
    # The 766 numbers read from the rollups equal the drill-down's counts over the facts.
    for text in ("2026-03", "2026-04", "2026-Q2"):
        month = IndexPeriod.parse(text)
        for group in compute_index(month).groups:
            for ind in group.indicators:
                if ind.drill:
                    counted = drill_facts(ind.drill, month).count()
                    if ind.code == "1.4" and not counted:
                        continue  # no dossier: the denominator falls back to last year's
                    assert counted == ind.denominator, (text, ind.code)
                    if ind.code != "3.3":  # × the sync ratio
                        lost = drill_facts(ind.drill, month, against=True).count()
                        assert counted - lost == ind.numerator, (text, ind.code)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=10**6))
def test_incremental_rollups_equal_a_rebuild(world: Any, seed: int) -> None:
    random_history(world, seed)
    assert DossierFact.objects.exists()
    incremental = (
        services.rollup_snapshot(DailyCount),
        services.rollup_snapshot(AgencyDayCount),
    )
    services.rebuild_rollups()
    assert (
        services.rollup_snapshot(DailyCount),
        services.rollup_snapshot(AgencyDayCount),
    ) == incremental
    services.rebuild_native_facts()
    assert (
        services.rollup_snapshot(DailyCount),
        services.rollup_snapshot(AgencyDayCount),
    ) == incremental
    assert_reports_agree()


def test_a_history_fills_every_kind_of_cell(world: Any) -> None:
    """The randomized histories are not trivial: together they reach every cell."""
    for seed in range(3):
        random_history(world, seed, dossiers=15, steps=90)
    seen = {c for p in PERIODS for c in CELLS if getattr(report_06a(p).total, c)}
    assert seen >= {
        "received_online",
        "received_direct_postal",
        "carried_over",
        "settled_early",
        "settled_late",
        "pending_within_time",
        "pending_overdue",
    }
    assert_reports_agree()
