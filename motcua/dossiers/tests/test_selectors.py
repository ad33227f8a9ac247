from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.selectors import dossier_intake_flows, dossier_queue, dossier_queue_counts
from motcua.dossiers.services import dossier_submit_online
from motcua.dossiers.tests.conftest import CENTRE, JUSTICE, at
from motcua.dossiers.tests.test_services_paths import APPLICANT, act, receive

pytestmark = pytest.mark.django_db


def test_reports_tell_the_receiving_counter_from_the_competent_agency(
    world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    receive(world)
    receive(world)
    online = dossier_submit_online(
        actor=world.citizen, procedure_code="1.000001", case=1, applicant=APPLICANT
    )
    act(world.justice_clerk, online, "accept")  # received where it is processed
    flows = dossier_intake_flows(
        user=world.leader, start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00")
    )
    assert [(f.receiving_code, f.competent_code, f.count) for f in flows] == [(CENTRE, JUSTICE, 2)]
    every = dossier_intake_flows(
        user=world.leader,
        start=at("2026-03-01 00:00"),
        end=at("2026-04-01 00:00"),
        boundary_free_only=False,
    )
    assert sum(f.count for f in every) == 3
    assert (
        dossier_intake_flows(
            user=world.outsider, start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00")
        )
        == []
    )


def test_queues_pick_due_soon_at_risk_overdue_and_paused(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    a = receive(world)  # due Mon 09/03 08:00, at risk from Thu 05/03 16:00
    b = act(world.specialist, receive(world), "request_supplement", reason="Thiếu giấy tờ")
    clock_at("2026-03-05 16:30")

    def codes(which: str) -> list[str]:
        return [d.code for d in dossier_queue(user=world.specialist, which=which)]

    assert codes("at_risk") == [a.code]
    assert codes("due_soon") == []
    assert codes("paused") == [b.code]
    clock_at("2026-03-06 09:00")  # 7 working hours left → due soon
    assert codes("due_soon") == [a.code]
    clock_at("2026-03-09 08:30")
    assert codes("overdue") == [a.code]
    counts = dossier_queue_counts(user=world.specialist)
    assert (counts.all, counts.overdue, counts.paused, counts.due_soon) == (2, 1, 1, 0)
    assert dossier_queue(user=world.outsider).count() == 0
    assert [d.code for d in dossier_queue(user=world.specialist, q="nguyen thi anh")] == [
        a.code,
        b.code,
    ]
    assert [d.code for d in dossier_queue(user=world.specialist, q=a.code)] == [a.code]


def test_a_late_step_shows_up_before_the_dossier_is_late(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)  # step 1 (the counter, 10 %) is due Mon 14:00; the dossier Mon 09/03
    assert d.step_due_at == at("2026-03-02 14:00")
    clock_at("2026-03-02 15:00")
    assert [x.code for x in dossier_queue(user=world.clerk, which="step_late")] == [d.code]
    assert dossier_queue_counts(user=world.clerk).step_late == 1
    d = act(world.clerk, d, "forward")  # step 2 (70 % cumulative) is due Thu 14:00
    assert d.step_due_at == at("2026-03-05 14:00")
    assert dossier_queue(user=world.specialist, which="step_late").count() == 0
    d = act(world.leader, d, "settle", result="Đã cấp")
    assert d.step_due_at is None


def test_the_row_rule_agrees_with_the_queryset_rule(
    world: Any, clock_at: Any, alice: Any, admin_user: Any
) -> None:
    """``dossier_row_visible`` (the write path) and ``visible_to`` (every read) say the same."""
    from motcua.accounts.scoping import agency_ids_visible_to
    from motcua.dossiers.models import Dossier, dossier_row_visible

    clock_at("2026-03-02 08:00")
    receive(world)
    dossier_submit_online(
        actor=world.citizen, procedure_code="1.000001", case=1, applicant=APPLICANT
    )
    forwarded = act(world.clerk, receive(world), "forward")
    act(world.specialist, forwarded, "forward", to_agency_code=world.construction.code)
    people = [
        world.clerk,
        world.justice_clerk,
        world.specialist,
        world.outsider,
        world.citizen,
        alice,
        admin_user,
        None,
    ]
    for user in people:
        visible = set(Dossier.objects.visible_to(user).values_list("pk", flat=True))
        scope = agency_ids_visible_to(user)
        for d in Dossier.objects.all():
            expected = d.pk in visible
            assert (
                dossier_row_visible(
                    user=user,
                    scope=scope,
                    agency_ids=(d.agency_id, d.receiving_agency_id, d.current_agency_id),
                    applicant_user_id=d.applicant_user_id,
                )
                is expected
            ), (user, d.code)
