"""Re-planning dossiers in flight when the working calendar changes (issue 3 item 3).

Office hours 07:00–11:30 and 13:30–17:00; early March 2026 has no holiday. A dossier received Mon
02/03 08:00 with 5 working days is due Mon 09/03 08:00 (see ``test_services_paths.py``).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import MembershipFactory, UserFactory
from motcua.audit.models import AuditEvent
from motcua.dossiers.jobs import replan_job
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ActionIn, ApplicantIn, dossier_act, dossier_receive
from motcua.dossiers.tests.conftest import at
from motcua.dossiers.workflow import Status
from motcua.workdays.selectors import calendar_revision
from motcua.workdays.services import holiday_create

pytestmark = pytest.mark.django_db


def receive(world: Any) -> Dossier:
    return dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=ApplicantIn(name="Lê Thị Hồng Nhung", id_number="066190004321"),
    )


def act(actor: Any, dossier: Dossier, action: str, **params: Any) -> Dossier:
    return dossier_act(actor=actor, code=dossier.code, action=action, params=ActionIn(**params))


@pytest.fixture
def province_office(world: Any) -> Any:
    user = UserFactory(username="vanphong", full_name="Văn phòng UBND tỉnh")
    MembershipFactory(user=user, agency=world.centre, role=Role.PROVINCE_OFFICE)
    return user


def day_off(actor: Any, day: dt.date) -> None:
    holiday_create(
        actor=actor,
        date=day,
        kind="override_day_off",
        name_vi="Nghỉ theo quyết định của UBND tỉnh",
        source="99/QĐ-UBND (thử nghiệm)",
    )


def replan_command() -> str:
    out = StringIO()
    call_command("replan_deadlines", stdout=out)
    return out.getvalue().strip()


def test_a_new_day_off_moves_the_due_date_and_is_recorded(
    world: Any, clock_at: Any, province_office: Any
) -> None:
    clock_at("2026-03-02 08:00")
    running = receive(world)
    settled = act(world.leader, receive(world), "settle", result="Đã cấp phiếu")
    assert running.due_at == at("2026-03-09 08:00")
    steps_before = list(running.steps.order_by("order").values_list("due_at", flat=True))
    revision = running.calendar_revision

    clock_at("2026-03-02 09:00")
    day_off(province_office, dt.date(2026, 3, 4))  # Wednesday, inside the window
    assert calendar_revision() > revision

    assert replan_command() == "re-planned 1 dossiers"
    running.refresh_from_db()
    assert running.due_at == at("2026-03-10 08:00")  # one working day later
    assert running.calendar_revision == calendar_revision()
    # A new date is a change: the version moves (a page opened before is stale) and numbers
    # the new history line.
    assert running.status == Status.RECEIVED and running.version == 2
    event = running.events.order_by("-seq").first()
    assert event is not None and event.action == "replan" and event.public
    assert event.seq == 2
    assert (event.from_status, event.to_status) == (Status.RECEIVED, Status.RECEIVED)
    assert (event.due_before, event.due_after) == (at("2026-03-09 08:00"), at("2026-03-10 08:00"))
    assert event.at == at("2026-03-02 09:00")
    # Steps due after the day off move by one working day; the first (Mon 14:00) does not.
    steps_after = list(running.steps.order_by("order").values_list("due_at", flat=True))
    assert steps_before[1:3] == [at("2026-03-05 14:00"), at("2026-03-06 14:00")]
    assert steps_after == [
        at("2026-03-02 14:00"),
        at("2026-03-06 14:00"),
        at("2026-03-09 14:00"),
        at("2026-03-10 08:00"),
    ]
    assert AuditEvent.objects.filter(action="dossier.replanned").count() == 1

    # A settled dossier is not touched.
    before = Dossier.objects.get(pk=settled.pk)
    assert before.due_at == at("2026-03-09 08:00") and before.events.count() == 2
    assert before.calendar_revision == revision

    # Running it again changes nothing more.
    assert replan_command() == "re-planned 0 dossiers"
    running.refresh_from_db()
    assert running.due_at == at("2026-03-10 08:00") and running.events.count() == 2


def test_a_change_outside_the_window_records_nothing(
    world: Any, clock_at: Any, province_office: Any
) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    day_off(province_office, dt.date(2026, 5, 20))
    assert replan_job() == 1  # looked at again, but its due date did not move
    d.refresh_from_db()
    assert d.due_at == at("2026-03-09 08:00") and d.events.count() == 1
    assert d.calendar_revision == calendar_revision()
    assert not AuditEvent.objects.filter(action="dossier.replanned").exists()
    assert replan_job() == 0


def test_a_paused_dossier_is_replanned_when_its_clock_restarts(
    world: Any, clock_at: Any, province_office: Any
) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    clock_at("2026-03-02 10:00")  # 2 working hours used, 38 left
    d = act(world.specialist, d, "request_supplement", reason="Thiếu tờ khai")
    day_off(province_office, dt.date(2026, 3, 10))  # Tuesday of the next week
    assert replan_job() == 1
    d.refresh_from_db()
    assert d.due_at == at("2026-03-09 08:00")  # paused: the due date waits for the supplement
    clock_at("2026-03-06 07:00")  # Fri: paused Mon 10:00 → Fri 07:00 = 31 working hours
    d = act(world.clerk, d, "supplement")
    # 38 h from Fri 07:00: Fri 8, Mon 8, (Tue off), Wed 8, Thu 8, Fri 6 → Fri 13/03 15:00.
    assert d.due_at == at("2026-03-13 15:00")


def test_the_worker_runs_the_replan_job(world: Any, clock_at: Any, province_office: Any) -> None:
    from motcua.integrations.worker import Worker, periodic_jobs

    assert "dossiers.replan" in [job.name for job in periodic_jobs()]
    clock_at("2026-03-02 08:00")
    d = receive(world)
    day_off(province_office, dt.date(2026, 3, 4))
    worker = Worker()
    worker.run_periodic()
    assert worker.stats.jobs_failed == 0
    d.refresh_from_db()
    assert d.due_at == at("2026-03-10 08:00")
