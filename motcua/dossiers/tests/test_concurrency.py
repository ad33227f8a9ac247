"""Concurrency on PostgreSQL: gap-free dossier codes under parallel intake, one winner per action.

Real threads, each with its own database connection (closed when the thread ends), started
together by a barrier. SQLite serialises writers, so these only run on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from motcua.audit.models import AuditEvent
from motcua.audit.selectors import audit_verify
from motcua.catalog.models import Procedure
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    ComponentIn,
    dossier_act,
    dossier_receive,
)
from motcua.dossiers.tests.conftest import CENTRE
from motcua.dossiers.workflow import Status

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under real concurrency need PostgreSQL (MOTCUA_TEST_DB=postgres)",
    ),
    pytest.mark.django_db(transaction=True),
]

APPLICANT = ApplicantIn(name="Trần Thị Bích Ngọc", id_number="066190004321")


def run_together(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Run ``tasks`` in as many threads, released at once; each result or the raised exception."""
    barrier = threading.Barrier(len(tasks))

    def run(task: Callable[[], Any]) -> Any:
        try:
            barrier.wait(timeout=30)
            return task()
        except Exception as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return list(pool.map(run, tasks))


def component_ids() -> list[int]:
    version = Procedure.objects.get(code="1.000001").current_version
    assert version is not None
    return list(version.components.values_list("pk", flat=True))


def test_parallel_intakes_get_unique_gap_free_codes(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    good = [ComponentIn(component_id=pk) for pk in component_ids()]
    bad = [*good, ComponentIn(component_id=999_999)]  # fails after the number was drawn

    def intake(components: list[ComponentIn]) -> Callable[[], str]:
        def task() -> str:
            return dossier_receive(
                actor=world.clerk,
                procedure_code="1.000001",
                case=None,
                channel="direct",
                applicant=APPLICANT,
                components=components,
            ).code

        return task

    tasks = [intake(good) for _ in range(20)]
    for n in (3, 9, 15):  # failing intakes interleaved with the good ones
        tasks.insert(n, intake(bad))
    results = run_together(tasks)

    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 3 and all(isinstance(f, InvalidInput) for f in failures), failures
    codes = sorted(r for r in results if isinstance(r, str))
    assert codes == [f"{CENTRE}-260302-{n:04d}" for n in range(1, 21)]
    assert Dossier.objects.count() == 20
    assert DossierCodeCounter.objects.get().last_value == 20
    # The failed intakes left nothing behind: the next one is number 21.
    assert intake(good)() == f"{CENTRE}-260302-0021"
    assert audit_verify().ok


def test_a_failed_intake_does_not_consume_a_number(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    good = [ComponentIn(component_id=pk) for pk in component_ids()]

    def receive(components: list[ComponentIn]) -> Dossier:
        return dossier_receive(
            actor=world.clerk,
            procedure_code="1.000001",
            case=None,
            channel="direct",
            applicant=APPLICANT,
            components=components,
        )

    assert receive(good).code.endswith("-0001")
    with pytest.raises(InvalidInput):
        receive([ComponentIn(name="  ")])
    assert receive(good).code.endswith("-0002")
    assert Dossier.objects.count() == 2


def test_two_officials_settling_at_once_one_wins(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    code = dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=APPLICANT,
    ).code
    dossier_act(actor=world.clerk, code=code, action="forward")

    def settle(actor: Any, result: str) -> Callable[[], int]:
        def task() -> int:
            return dossier_act(
                actor=actor, code=code, action="settle", params=ActionIn(result=result)
            ).version

        return task

    results = run_together(
        [settle(world.leader, "Cấp phiếu số 1"), settle(world.head, "Cấp phiếu số 2")]
    )
    wins = [r for r in results if isinstance(r, int)]
    losses = [r for r in results if isinstance(r, Exception)]
    assert wins == [3], results
    assert len(losses) == 1 and isinstance(losses[0], Conflict), losses
    assert "not allowed while the dossier is settled" in losses[0].message

    d = Dossier.objects.get(code=code)
    assert d.status == Status.SETTLED and d.version == 3
    assert DossierEvent.objects.filter(dossier=d, action="settle").count() == 1
    assert d.result_summary in {"Cấp phiếu số 1", "Cấp phiếu số 2"}
    audit = AuditEvent.objects.filter(subject_type="dossiers.dossier", subject_id=str(d.pk))
    assert list(audit.order_by("seq").values_list("action", flat=True)) == [
        "dossier.received",
        "dossier.forward",
        "dossier.settle",
    ]
    report = audit_verify()
    assert report.ok, report.problems


FORWARD_FIRST = pytest.param(
    ("forward", {}),
    ("request_supplement", {"reason": "Thiếu tờ khai"}),
    id="forward-wins",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        FORWARD_FIRST,
        pytest.param(
            ("request_supplement", {"reason": "Thiếu tờ khai"}),
            ("forward", {}),
            id="supplement-request-wins",
        ),
    ],
)
def test_two_officials_with_the_same_version_the_second_gets_a_stale_conflict(
    world: Any, clock_at: Any, monkeypatch: pytest.MonkeyPatch, first: Any, second: Any
) -> None:
    """The first holds the row lock (paused inside its transaction) while the second arrives."""
    from motcua.dossiers import services

    clock_at("2026-03-02 08:00")
    code = dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=APPLICANT,
    ).code
    actors = {"forward": world.clerk, "request_supplement": world.specialist}
    locked = threading.Event()
    real_calendar = services.working_calendar

    def calendar_after_the_lock() -> Any:  # dossier_act calls it once the row is locked
        if threading.current_thread().name == "first":
            locked.set()
            time.sleep(0.5)  # long enough for the second to queue on the row lock
        return real_calendar()

    monkeypatch.setattr(services, "working_calendar", calendar_after_the_lock)
    results: dict[str, Any] = {}

    def run(name: str, action: str, params: dict[str, Any]) -> None:
        try:
            dossier_act(
                actor=actors[action],
                code=code,
                action=action,
                params=ActionIn(expected_version=1, **params),
            )
            results[name] = "ok"
        except Exception as exc:
            results[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, name=name, args=(name, *spec))
        for name, spec in (("first", first), ("second", second))
    ]
    threads[0].start()
    assert locked.wait(timeout=10)
    threads[1].start()
    for t in threads:
        t.join(timeout=30)

    assert results["first"] == "ok", results
    loss = results["second"]
    assert isinstance(loss, Conflict) and loss.code == "stale_version", loss
    d = Dossier.objects.get(code=code)
    assert d.version == 2 and [e.action for e in d.events.order_by("seq")] == ["receive", first[0]]
    assert audit_verify().ok
