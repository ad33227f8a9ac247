"""Every path of the state machine, with due dates and outcomes computed by hand.

Office hours 07:00–11:30 and 13:30–17:00 (8 h a working day); early March 2026 has no holiday.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from motcua.audit.models import AuditEvent
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    ComponentIn,
    dossier_act,
    dossier_receive,
    dossier_submit_online,
)
from motcua.dossiers.tests.conftest import CENTRE, JUSTICE, at
from motcua.dossiers.workflow import Status
from motcua.integrations.models import OutboxMessage

pytestmark = pytest.mark.django_db

APPLICANT = ApplicantIn(
    name="Nguyễn Thị Ánh Tuyết",
    id_number="066190004321",
    phone="0905123456",
    email="tuyet@example.vn",
    address="12 Lê Duẩn, phường Buôn Ma Thuột",
)


def receive(world: Any, procedure: str = "1.000001") -> Dossier:
    from motcua.catalog.models import Procedure

    version = Procedure.objects.get(code=procedure).current_version
    assert version is not None
    comps = [ComponentIn(component_id=c.pk) for c in version.components.all()]
    return dossier_receive(
        actor=world.clerk,
        procedure_code=procedure,
        case=None,
        channel="direct",
        applicant=APPLICANT,
        components=comps,
    )


def act(actor: Any, dossier: Dossier, action: str, **params: Any) -> Dossier:
    return dossier_act(actor=actor, code=dossier.code, action=action, params=ActionIn(**params))


def test_the_full_path_with_supplement_pause_and_payment(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")  # Monday
    d = receive(world)
    # 5 working days = 40 h from Mon 08:00: Mon 7 h, Tue–Fri 32 h, Mon 09/03 1 h → 08:00.
    assert d.code == f"{CENTRE}-260302-0001"
    assert d.status == Status.RECEIVED
    assert d.due_at == at("2026-03-09 08:00")
    assert d.agency.code == JUSTICE and d.receiving_agency.code == CENTRE  # boundary-free
    # At risk when 10 h (25 % of 40 h > 8 h) remain: after 30 h → Thu 05/03 16:00.
    assert d.at_risk_from == at("2026-03-05 16:00")
    steps = list(d.steps.order_by("order"))
    # 10 % = 4 h → Mon 14:00; 70 % = 28 h → Thu 14:00; 90 % = 36 h → Fri 14:00; 100 %.
    assert [s.due_at for s in steps] == [
        at("2026-03-02 14:00"),
        at("2026-03-05 14:00"),
        at("2026-03-06 14:00"),
        at("2026-03-09 08:00"),
    ]
    assert d.components.count() == 2

    clock_at("2026-03-02 10:00")
    d = act(world.clerk, d, "forward")  # transfer to the competent agency
    assert d.status == Status.PROCESSING and d.current_agency.code == JUSTICE
    assert d.steps.get(order=1).outcome == "on_time"  # same date as its due instant

    clock_at("2026-03-03 09:00")
    d = act(
        world.specialist,
        d,
        "request_supplement",
        reason="Thiếu bản chụp căn cước",
        components=["Bản chụp căn cước công dân"],
    )
    assert d.status == Status.AWAITING_SUPPLEMENT and d.supplement_count == 1
    assert d.paused_since == at("2026-03-03 09:00")

    clock_at("2026-03-05 14:00")
    d = act(world.clerk, d, "supplement")
    # Paused Tue 09:00 → Thu 14:00 = 6 + 8 + 5 = 19 working hours: 08:00 Mon 09/03 + 19 h →
    # Mon 7 h, Tue 8 h, Wed 4 h → Wed 11/03 11:00.
    assert d.status == Status.PROCESSING
    assert d.due_at == at("2026-03-11 11:00")

    clock_at("2026-03-06 08:00")
    d = act(world.specialist, d, "request_payment", amount_vnd=200000)
    assert d.status == Status.AWAITING_PAYMENT
    clock_at("2026-03-06 10:00")
    d = act(world.justice_clerk, d, "confirm_payment")
    # Two more paused hours: 11:00 → 11:30, then 13:30 + 1.5 h → 15:00.
    assert d.due_at == at("2026-03-11 15:00")

    clock_at("2026-03-09 09:00")
    d = act(world.specialist, d, "forward")
    clock_at("2026-03-10 16:00")
    d = act(world.leader, d, "settle", result="Cấp Phiếu lý lịch tư pháp số 123/LLTP")
    assert d.status == Status.SETTLED
    assert d.outcome == "early"  # Tue 10/03 is before Wed 11/03

    clock_at("2026-03-11 08:00")
    d = act(world.clerk, d, "return", method="counter")
    assert d.status == Status.RETURNED and d.returned_at == at("2026-03-11 08:00")

    events = list(DossierEvent.objects.filter(dossier=d).order_by("seq"))
    assert [e.action for e in events] == [
        "receive",
        "forward",
        "request_supplement",
        "supplement",
        "request_payment",
        "confirm_payment",
        "forward",
        "settle",
        "return",
    ]
    # The history replays to the current state.
    for prev, nxt in itertools.pairwise(events):
        assert nxt.from_status == prev.to_status
    assert events[-1].to_status == d.status
    assert (
        AuditEvent.objects.filter(subject_type="dossiers.dossier", subject_id=str(d.pk)).count()
        == 9
    )
    # The applicant is e-mailed at each status they should know about.
    templates = [m.payload["template"] for m in OutboxMessage.objects.order_by("pk")]
    assert templates == [
        "received",
        "awaiting_supplement",
        "awaiting_payment",
        "settled",
        "returned",
    ]


def test_online_submission_uses_the_online_limit_and_can_be_late(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-07 20:00")  # Saturday evening: online dossiers are accepted 24/7
    d = dossier_submit_online(
        actor=world.citizen, procedure_code="1.000001", case=1, applicant=APPLICANT
    )
    assert d.status == Status.SUBMITTED and d.code == f"{JUSTICE}-260307-0001"
    assert d.due_at is None and d.applicant_user == world.citizen
    clock_at("2026-03-09 07:30")
    d = act(world.justice_clerk, d, "accept")
    # Online limit 3 working days = 24 h from Mon 07:30: 7.5 + 8 + 8 + 0.5 → Thu 12/03 07:30.
    assert d.due_at == at("2026-03-12 07:30")
    d = act(world.specialist, d, "forward")
    clock_at("2026-03-12 08:00")
    d = act(world.leader, d, "settle", result="Đã cấp phiếu")
    assert d.outcome == "late"


def test_on_time_means_the_due_date(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    clock_at("2026-03-09 07:45")  # the due date, before the due instant (08:00)
    d = act(world.leader, d, "settle", result="Đã cấp phiếu")
    assert d.outcome == "on_time"


def test_restart_mode_starts_the_limit_again_from_the_complete_dossier(
    world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world, "1.000002")
    assert d.due_at == at("2026-03-04 08:00")  # 16 h: Mon 7, Tue 8, Wed 1
    clock_at("2026-03-02 10:00")
    d = act(world.specialist, d, "request_supplement", reason="Thiếu tờ khai")
    clock_at("2026-03-06 14:00")
    d = act(world.clerk, d, "supplement")
    # 16 h again from Fri 14:00: Fri 3, Mon 8, Tue 4.5 + 0.5 → Tue 10/03 14:00.
    assert d.due_at == at("2026-03-10 14:00")
    assert d.events.get(action="supplement").data == {"mode": "restart"}


def test_apology_moves_the_due_date_once_and_keeps_the_old_one(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    clock_at("2026-03-05 09:00")  # 15 working hours before Mon 09/03 08:00
    d = act(
        world.leader,
        d,
        "apologize",
        reason="Cần xác minh thêm tại cơ quan công an",
        new_due_at=at("2026-03-11 17:00"),
    )
    assert d.due_at == at("2026-03-11 17:00")
    assert d.original_due_at == at("2026-03-09 08:00")
    event = d.events.get(action="apologize")
    assert (event.due_before, event.due_after) == (at("2026-03-09 08:00"), at("2026-03-11 17:00"))
    with pytest.raises(Conflict, match="only once"):
        act(world.leader, d, "apologize", reason="Lần nữa", new_due_at=at("2026-03-13 17:00"))
    # A payment pause after the apology still moves the new date.
    clock_at("2026-03-06 08:00")
    d = act(world.specialist, d, "request_payment")
    clock_at("2026-03-06 09:00")
    d = act(world.justice_clerk, d, "confirm_payment")
    assert d.due_at == at("2026-03-12 08:00")  # Wed 17:00 + 1 h → Thu 08:00


def test_apology_is_refused_less_than_one_working_day_before_the_due_date(
    world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    clock_at("2026-03-06 09:00")  # Fri 6 h + Mon 1 h = 7 h left
    with pytest.raises(Conflict, match="at least one working day") as err:
        act(world.leader, d, "apologize", reason="Chậm", new_due_at=at("2026-03-11 17:00"))
    assert err.value.code == "apology_too_late"
    d.refresh_from_db()
    assert d.due_at == at("2026-03-09 08:00") and d.apologized_at is None


@pytest.mark.parametrize(
    ("new_due", "field"),
    [("2026-03-08 10:00", "new_due_at"), ("2026-03-11 12:00", "new_due_at")],
)
def test_apology_needs_a_later_working_moment(
    world: Any, clock_at: Any, new_due: str, field: str
) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    with pytest.raises(InvalidInput) as err:
        act(world.leader, d, "apologize", reason="Chậm", new_due_at=at(new_due))
    assert err.value.field == field


def test_withdrawal_stop_and_refusal(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    withdrawn = act(world.clerk, receive(world), "withdraw", reason="Công dân xin rút")
    assert withdrawn.status == Status.WITHDRAWN and withdrawn.outcome == ""
    assert withdrawn.closed_at == at("2026-03-02 08:00")

    stopped = act(world.clerk, receive(world), "forward")
    clock_at("2026-03-03 08:00")
    stopped = act(world.leader, stopped, "stop", reason="Công dân đề nghị dừng")
    assert stopped.status == Status.STOPPED and stopped.outcome == "early"

    online = dossier_submit_online(
        actor=world.citizen, procedure_code="1.000001", case=1, applicant=APPLICANT
    )
    refused = act(world.justice_clerk, online, "refuse", reason="Không thuộc thẩm quyền")
    assert refused.status == Status.REFUSED and refused.refusal_reason
    assert refused.code.endswith("-260303-0001")

    reviewed = act(world.clerk, receive(world), "forward")
    reviewed = act(
        world.leader,
        reviewed,
        "settle",
        result="Không đủ điều kiện cấp phiếu",
        is_refusal=True,
        reason="Người yêu cầu đang bị truy nã",
    )
    assert reviewed.status == Status.SETTLED and reviewed.result_is_refusal


def test_it_refuses_disallowed_actions_with_the_reason(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    with pytest.raises(Conflict, match="not allowed while the dossier is received"):
        act(world.justice_clerk, d, "confirm_payment")
    with pytest.raises(Conflict, match="needs one of the roles"):
        act(world.clerk, d, "settle", result="x")
    with pytest.raises(InvalidInput) as err:
        act(world.specialist, d, "request_supplement")  # no reason
    assert err.value.field == "reason"
    d = act(world.leader, d, "settle", result="Đã cấp")
    d = act(world.clerk, d, "return", method="electronic")
    for action in ("forward", "settle", "withdraw", "return"):
        with pytest.raises(Conflict):
            act(world.clerk, d, action, result="x", method="counter")
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.events.count() == 3


def test_it_keeps_other_agencies_out(world: Any, clock_at: Any, alice: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    for stranger in (world.outsider, alice):
        with pytest.raises(NotFound):
            act(stranger, d, "forward")
    d.refresh_from_db()
    assert d.version == 1 and d.events.count() == 1


def test_a_stale_version_is_a_conflict(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = receive(world)
    act(world.clerk, d, "forward", expected_version=1)
    with pytest.raises(Conflict, match="changed since you opened it"):
        act(world.specialist, d, "forward", expected_version=1)


def test_bad_intake_input_writes_nothing(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    cases: list[dict[str, Any]] = [
        dict(procedure_code="9.999999"),
        dict(applicant=ApplicantIn(name="  ")),
        dict(applicant=ApplicantIn(name="Trần An", id_number="123")),
        dict(components=[ComponentIn(component_id=999999)]),
        dict(channel="online"),
    ]
    for overrides in cases:
        kwargs: dict[str, Any] = dict(
            actor=world.clerk,
            procedure_code="1.000001",
            case=None,
            channel="direct",
            applicant=APPLICANT,
        )
        kwargs.update(overrides)
        with pytest.raises(InvalidInput):
            dossier_receive(**kwargs)
    with pytest.raises(PermissionDenied):
        dossier_receive(
            actor=world.specialist,
            procedure_code="1.000001",
            case=None,
            channel="direct",
            applicant=APPLICANT,
        )
    assert Dossier.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="dossier.").count() == 0
    # …and the code sequence did not move: the next intake gets 0001.
    assert receive(world).code.endswith("-0001")


def test_actions_save_every_column_but_the_intake_ones() -> None:
    """A new dossier column must be added to the action's save list, or to the intake's."""
    from motcua.dossiers.services import _ACTION_FIELDS

    intake_only = {
        "id",
        "code",
        "channel",
        "procedure_version",
        "case",
        "receiving_agency",
        "agency",
        "applicant_kind",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "applicant_user",
        "summary",
        "search_text",
        "set_count",
        "submitted_at",
        "created_at",
    }
    columns = {f.name for f in Dossier._meta.concrete_fields}
    assert set(_ACTION_FIELDS) == columns - intake_only


def test_the_system_confirms_a_payment_but_cannot_settle(world: Any, clock_at: Any) -> None:
    """A verified gateway callback confirms a payment as the system; nothing more."""
    from motcua.dossiers.services import dossier_act_as_system

    clock_at("2026-03-02 08:00")
    d = act(world.specialist, receive(world), "request_payment", amount_vnd=200000)
    d = dossier_act_as_system(code=d.code, action="confirm_payment", source="paygate:TX-1")
    assert d.status == Status.PROCESSING
    event = d.events.get(action="confirm_payment")
    assert event.actor is None and event.actor_role == "system"
    assert event.data["internal_note"] == "paygate:TX-1"
    with pytest.raises(Conflict, match="needs one of the roles"):
        dossier_act_as_system(code=d.code, action="settle", source="x", params=ActionIn(result="x"))
