"""The Decision 766 index on a small fixture whose every score was worked out by hand
(vn-rules §1.2), the period syntax, the drill-downs and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.dossiers.tests.conftest import JUSTICE, at
from motcua.stats.facts import Fact
from motcua.stats.index766 import IndexPeriod, compute_index, drill_facts, rank_index
from motcua.stats.tests.helpers import store_fact

pytestmark = pytest.mark.django_db
MARCH = IndexPeriod.parse("2026-03")


def put(code: str, world: Any, fact: Fact) -> None:
    """An imported fact and its contributions (as the history import stores them)."""
    procedure = Procedure.objects.get(code="1.000001")
    store_fact(
        code, fact, agency=world.justice, receiving_agency=world.justice, procedure=procedure
    )


def dossier(
    channel: str,
    received: str,
    due: str,
    ended: str | None = None,
    kind: str = "settled",
    **flags: Any,
) -> Fact:
    return Fact(
        channel=channel,
        received_at=at(received),
        due_at=at(due),
        ended_at=at(ended) if ended else None,
        end_kind=kind if ended else "",
        has_fee=True,
        written_result_required=True,
        **flags,
    )


@pytest.fixture
def march(world: Any) -> None:
    d = dossier
    facts = [
        d("online", "2026-03-02 08:00", "2026-03-09 17:00", "2026-03-03 10:00",
          eresult=True, paid_online=True, digitized=True, synced=True, citizen_data=True,
          rating="satisfied"),
        d("online", "2026-03-02 09:00", "2026-03-09 17:00", "2026-03-04 10:00",
          eresult=True, paid_online=True, digitized=True, synced=True, reused=True,
          from_store=True, citizen_data=True),
        d("online", "2026-03-03 08:00", "2026-03-10 17:00", "2026-03-20 10:00",
          synced=True, rating="not_satisfied"),
        d("online", "2026-03-25 08:00", "2026-04-10 17:00", synced=True),
        d("direct", "2026-03-02 08:00", "2026-03-09 17:00", "2026-03-09 09:00",
          eresult=True, paid_online=True, digitized=True, synced=True),
        d("direct", "2026-03-03 08:00", "2026-03-10 17:00", "2026-03-10 11:00",
          digitized=True, synced=True),
        d("direct", "2026-03-04 08:00", "2026-03-11 17:00", "2026-03-11 16:00",
          digitized=True, synced=True),
        d("direct", "2026-03-13 08:00", "2026-03-20 17:00", synced=True),
        d("direct", "2026-03-05 08:00", "2026-03-12 17:00", "2026-03-05 10:00", "withdrawn",
          reused=True, from_store=True, citizen_data=True),
        d("direct", "2026-03-05 08:00", "2026-03-12 17:00", "2026-03-05 15:00",
          supplement_count=2),
    ]  # fmt: skip
    for i, fact in enumerate(facts, start=1):
        put(f"IMP-{i:03d}", world, fact)


def scores(result: Any) -> dict[str, float]:
    return {i.code: round(i.score, 4) for g in result.groups for i in g.indicators}


def test_hand_checked_scores(world: Any, march: None) -> None:
    result = compute_index(MARCH)
    s = scores(result)
    # 1. Transparency: nothing published in March (full marks), the two procedures lack their
    # subjects (0 of 2 complete), 8 of 10 dossiers synced: 6 × 0.8.
    assert (s["1.1"], s["1.2"], s["1.3"], s["1.4"]) == (6, 4, 0, 4.8)
    # 2. Progress: 7 on time (4 early/on time + 1 withdrawn in time + 1 pending in time + 1
    # more early) of 10; late: one settled late, one with two supplements, one pending overdue.
    assert s["2.1"] == 14
    # 3. Online: both procedures online (2); one of two used (4 × 0.5); online counted 2 of 10
    # (the other two lack their e-result) × sync 0.8 = 0.16 → 6 × 0.16 / 0.5.
    assert (s["3.1"], s["3.2"], s["3.3"]) == (2, 2, 1.92)
    # 4. Payment: 3 of 10 paid online (6 × 0.3); one of two fee procedures paid / synced.
    assert (s["4.A"], s["4.B"], s["4.C"]) == (1.8, 1.25, 1.25)
    # 5. Digitization: e-results 3 of 7 settled; 5 of 10 digitized; no commune (full marks);
    # reused 2 of 10 (2 × 0.2 / 0.8); store 2 of 10; citizen data 3 of 10; no procedure for
    # citizens recorded (full marks).
    assert (s["5.1"], s["5.2"], s["5.3"], s["5.4"], s["5.5"], s["5.6"], s["5.7"]) == (
        2.5714,
        2,
        2,
        0.5,
        0.8,
        0.6,
        2,
    )
    # 6. Satisfaction: no feedback items (6 + 6); 6 of 7 settled neither late nor unhappy.
    assert (s["6.1"], s["6.2"], s["6.3"]) == (6, 6, 5.7143)
    groups = [g.score for g in result.groups]
    assert groups == [14.8, 14, 5.92, 4.3, 10.47, 17.71]
    assert result.total == pytest.approx(67.2, abs=0.01)


def test_drill_downs_list_the_dossiers_behind_the_numbers(world: Any, march: None) -> None:
    result = compute_index(MARCH)
    for group in result.groups:
        for ind in group.indicators:
            if not ind.drill:
                continue
            counted = drill_facts(ind.drill, MARCH).count()
            against = drill_facts(ind.drill, MARCH, against=True).count()
            assert counted == ind.denominator, ind.code
            if ind.code not in ("3.3",):  # 3.3 also multiplies by the sync ratio
                assert counted - against == ind.numerator, ind.code
    late = {f.code for f in drill_facts("progress", MARCH, against=True)}
    assert late == {"IMP-003", "IMP-008", "IMP-010"}


def test_an_agency_and_the_province_agree_here(world: Any, march: None) -> None:
    assert compute_index(MARCH, JUSTICE).total == compute_index(MARCH).total
    ranking = rank_index(MARCH, "agencies")
    assert ranking[0].unit_code == JUSTICE and ranking[0].rank == 1


def test_the_e_result_method_is_named_and_selectable(world: Any, march: None) -> None:
    national = scores(compute_index(MARCH))["5.1"]
    every = compute_index(MARCH, eresult_method="all_settled")
    assert every.eresult_method == "all_settled"
    assert scores(every)["5.1"] == round(6 * 3 / 7, 4) == national  # same here: all require it
    with pytest.raises(ValueError, match="method"):
        compute_index(MARCH, eresult_method="guess")


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2026-q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_periods(text: str, first: dt.date, last: dt.date) -> None:
    p = IndexPeriod.parse(text)
    assert (p.first, p.last) == (first, last)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26", "", "2026/03"])
def test_bad_periods(text: str) -> None:
    with pytest.raises(ValueError, match="period"):
        IndexPeriod.parse(text)


def test_api(world: Any, march: None) -> None:
    client = Client()
    client.force_login(world.clerk)
    body = client.get("/api/v1/stats/index-766", {"period": "2026-03"}).json()
    assert body["total"] == pytest.approx(67.2, abs=0.01)
    assert [g["max_points"] for g in body["groups"]] == [18, 20, 12, 10, 22, 18]
    progress = body["groups"][1]["indicators"][0]
    assert (progress["numerator"], progress["denominator"]) == (7, 10)
    assert progress["rule"]
    body = client.get("/api/v1/stats/index-766", {"period": "2026-03", "unit": JUSTICE}).json()
    assert body["unit"] == JUSTICE
    assert client.get("/api/v1/stats/index-766", {"period": "2026-3"}).status_code == 422
    response = client.get("/api/v1/stats/index-766", {"period": "2026-03", "unit": "99999"})
    assert response.status_code == 404
