from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.dossiers.workflow import (
    RULES,
    TERMINAL,
    Action,
    Actor,
    Status,
    TransitionNotAllowed,
    allowed_actions,
    check_transition,
)

EVERYONE = frozenset(Actor)


def test_status_values_are_the_national_codes() -> None:
    assert [s.value for s in Status] == list(range(1, 11))
    assert Status.RETURNED.slug == "returned"


@pytest.mark.parametrize("status", sorted(TERMINAL))
def test_it_allows_nothing_from_a_terminal_status(status: Status) -> None:
    assert allowed_actions(status, EVERYONE) == []


def test_it_names_the_reason_when_a_transition_is_not_allowed() -> None:
    with pytest.raises(TransitionNotAllowed, match="while the dossier is returned") as err:
        check_transition(Action.SETTLE, Status.RETURNED, EVERYONE)
    assert err.value.code == "transition_not_allowed"


def test_it_gates_actions_by_role() -> None:
    with pytest.raises(TransitionNotAllowed, match="needs one of the roles") as err:
        check_transition(Action.SETTLE, Status.PROCESSING, frozenset({Actor.CLERK}))
    assert err.value.code == "role_not_allowed"
    assert check_transition(Action.SETTLE, Status.PROCESSING, frozenset({Actor.LEADER})) == (
        Status.SETTLED
    )


def test_apology_keeps_the_status() -> None:
    assert check_transition(Action.APOLOGIZE, Status.PROCESSING, EVERYONE) == Status.PROCESSING


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_any_walk_stays_in_the_table_and_terminal_states_are_final(walk: list[Action]) -> None:
    status = Status.SUBMITTED
    for action in walk:
        try:
            new = check_transition(action, status, EVERYONE)
        except TransitionNotAllowed:
            assert status not in RULES[action].sources
            continue
        assert status not in TERMINAL
        status = new
