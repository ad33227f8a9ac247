"""A hypothesis state machine drives one dossier through random actions at random moments.

Invariants, after every step:
- terminal states are final: once refused / withdrawn / stopped / returned, no action changes it;
- paused time is never counted: the working time between the clock start and ``due_at`` equals
  ``limit_work`` plus the working time inside the (closed) pauses that lie before ``due_at``;
- the history replays to the current status: seq 1, 2, …; each event's ``from_status`` is the
  previous ``to_status``; the last ``to_status`` is the status;
- ``version`` is 1 + the number of actions taken; the outcome of a settled dossier is its
  classification against the due date; the clock is paused exactly in the paused statuses.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from motcua.core.errors import Conflict, NotFound
from motcua.dossiers import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_allowed_actions
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    dossier_act,
    dossier_receive,
    dossier_submit_online,
)
from motcua.dossiers.tests.conftest import at
from motcua.dossiers.workflow import CLOCK_PAUSED, CLOCK_RUNNING, TERMINAL, Action, Status
from motcua.workdays.selectors import working_calendar

pytestmark = pytest.mark.django_db

APPLICANT = ApplicantIn(name="Phạm Thị Thu Hà", id_number="066190004321", email="ha@example.vn")
START = at("2026-03-02 07:30")
# Who takes each action in this province: the Department of Justice's staff (competent for both
# procedures), or the applicant (a citizen) for what the applicant may do.
ACTORS = {
    Action.ACCEPT: "justice_clerk",
    Action.REFUSE: "justice_clerk",
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
CLOSING = [Action.WITHDRAW, Action.STOP, Action.REFUSE]
PROGRESS = [a for a in Action if a not in CLOSING]


class DossierMachine(RuleBasedStateMachine):
    world: Any = None  # set by the test (the ``world`` fixture)

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.traveller: Any = None
        self.travel(START)
        self.code = ""
        self.actions = 0
        self.terminal: int | None = None

    # -- time -----------------------------------------------------------------------------------

    def travel(self, when: dt.datetime) -> None:
        if self.traveller is not None:
            self.traveller.stop()
        self.now = when
        self.traveller = time_machine.travel(when, tick=False)
        self.traveller.start()

    def teardown(self) -> None:
        if self.traveller is not None:
            self.traveller.stop()
            self.traveller = None

    def dossier(self) -> Dossier:
        return Dossier.objects.get(code=self.code)

    # -- rules ----------------------------------------------------------------------------------

    @initialize(
        procedure=st.sampled_from(["1.000001", "1.000002"]),  # supplement: pause / restart
        online=st.booleans(),
        delay=st.integers(min_value=0, max_value=7 * 24 * 60),
    )
    def file(self, procedure: str, online: bool, delay: int) -> None:
        self.travel(START + dt.timedelta(minutes=delay))
        if online:
            d = dossier_submit_online(
                actor=self.world.citizen, procedure_code=procedure, case=1, applicant=APPLICANT
            )
        else:
            d = dossier_receive(
                actor=self.world.clerk,
                procedure_code=procedure,
                case=None,
                channel="direct",
                applicant=APPLICANT,
            )
        self.code = d.code

    @rule(minutes=st.integers(min_value=0, max_value=4 * 24 * 60))
    def wait(self, minutes: int) -> None:
        self.travel(self.now + dt.timedelta(minutes=minutes))

    def params(self, action: Action, d: Dossier) -> ActionIn:
        new_due = None
        if action is Action.APOLOGIZE and d.due_at is not None:
            new_due = working_calendar().add_working_time(d.due_at, clock.WORKING_DAY)
        return ActionIn(
            reason="Lý do ghi trên văn bản",
            note="Ghi chú nội bộ",
            result="Kết quả giải quyết số 1",
            method="counter",
            amount_vnd=200_000,
            new_due_at=new_due,
            is_refusal=False,
        )

    def take(self, action: Action, actor: Any) -> None:
        before = self.dossier()
        try:
            dossier_act(
                actor=actor, code=self.code, action=action.value, params=self.params(action, before)
            )
        except Conflict:
            after = self.dossier()
            assert (after.status, after.version, after.due_at) == (
                before.status,
                before.version,
                before.due_at,
            )
            return
        assert Status(before.status) not in TERMINAL, f"{action} changed a terminal dossier"
        self.actions += 1

    @rule(action=st.sampled_from(PROGRESS))
    def act_anything(self, action: Action) -> None:
        """Any action, allowed now or not: a disallowed one must change nothing."""
        self.take(action, getattr(self.world, ACTORS[action]))

    @rule(data=st.data())
    def act_allowed(self, data: st.DataObject) -> None:
        """One of the actions the staff could take now (to reach the deeper states)."""
        d = self.dossier()
        offered: set[str] = set()
        for name in set(ACTORS.values()):
            offered |= set(dossier_allowed_actions(d, user=getattr(self.world, name)))
        offered -= {a.value for a in CLOSING}
        if offered:
            action = Action(data.draw(st.sampled_from(sorted(offered)), label="action"))
            self.take(action, getattr(self.world, ACTORS[action]))

    @rule(
        pause=st.sampled_from([Action.REQUEST_SUPPLEMENT, Action.REQUEST_PAYMENT]),
        minutes=st.integers(min_value=1, max_value=3 * 24 * 60),
    )
    def pause_for_a_while(self, pause: Action, minutes: int) -> None:
        """The applicant is asked for something, takes a while, and answers (if it was allowed)."""
        done = self.actions
        self.take(pause, getattr(self.world, ACTORS[pause]))
        if self.actions == done:
            return
        self.travel(self.now + dt.timedelta(minutes=minutes))
        resume = Action.SUPPLEMENT if pause is Action.REQUEST_SUPPLEMENT else Action.CONFIRM_PAYMENT
        self.take(resume, getattr(self.world, ACTORS[resume]))

    @rule(roll=st.integers(min_value=0, max_value=3), action=st.sampled_from(CLOSING))
    def close(self, roll: int, action: Action) -> None:
        """Now and then the applicant withdraws, the agency stops or refuses (allowed or not)."""
        if roll == 0:
            self.take(action, getattr(self.world, ACTORS[action]))

    @rule(action=st.sampled_from(list(Action)))
    def a_stranger_acts(self, action: Action) -> None:
        before = self.dossier()
        with pytest.raises(NotFound):
            dossier_act(actor=self.world.outsider, code=self.code, action=action.value)
        assert self.dossier().version == before.version

    # -- invariants -----------------------------------------------------------------------------

    @invariant()
    def terminal_states_are_final(self) -> None:
        if not self.code:
            return
        status = self.dossier().status
        if self.terminal is not None:
            assert status == self.terminal
        elif Status(status) in TERMINAL:
            self.terminal = status

    @invariant()
    def version_counts_the_actions(self) -> None:
        if self.code:
            assert self.dossier().version == 1 + self.actions

    @invariant()
    def history_replays_to_the_status(self) -> None:
        if not self.code:
            return
        d = self.dossier()
        events = list(d.events.order_by("seq"))
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[0].from_status is None
        for prev, nxt in itertools.pairwise(events):
            assert nxt.from_status == prev.to_status, (prev.action, nxt.action)
        assert events[-1].to_status == d.status
        assert len(events) == d.version

    @invariant()
    def the_clock_is_paused_exactly_while_waiting_for_the_applicant(self) -> None:
        if not self.code:
            return
        d = self.dossier()
        open_pauses = d.pauses.filter(ended_at__isnull=True).count()
        paused = Status(d.status) in CLOCK_PAUSED
        assert (d.paused_since is not None) == paused
        assert open_pauses == (1 if paused else 0)

    @invariant()
    def paused_time_is_never_counted(self) -> None:
        if not self.code:
            return
        d = self.dossier()
        status = Status(d.status)
        if status not in CLOCK_RUNNING | {Status.SETTLED, Status.RETURNED}:
            return  # not started, paused, or closed while paused (the due date is moot)
        assert d.clock_start_at is not None and d.due_at is not None
        assert d.limit_work is not None
        cal = working_calendar()
        paused = dt.timedelta(0)
        for p in d.pauses.all():
            assert p.ended_at is not None
            begin, end = max(p.started_at, d.clock_start_at), min(p.ended_at, d.due_at)
            if begin < end:
                paused += cal.working_time_between(begin, end)
        assert cal.working_time_between(d.clock_start_at, d.due_at) == d.limit_work + paused

    @invariant()
    def a_settled_dossier_is_classified_against_its_due_date(self) -> None:
        if not self.code:
            return
        d = self.dossier()
        if Status(d.status) in (Status.SETTLED, Status.RETURNED):
            assert d.settled_at is not None and d.due_at is not None
            assert d.outcome == clock.classify(d.settled_at, d.due_at)


def test_the_dossier_state_machine_keeps_its_invariants(world: Any) -> None:
    DossierMachine.world = world
    try:
        run_state_machine_as_test(
            DossierMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=15,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
    finally:
        DossierMachine.world = None
