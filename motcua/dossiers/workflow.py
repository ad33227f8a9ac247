"""The dossier state machine (pure, table-driven; no ORM).

Statuses map 1:1 to the national sync codes (``TrangThaiHoSo``, DESIGN §3.2). Each action names
the statuses it may start from, the status it leads to and the roles allowed to take it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Status(IntEnum):
    """Dossier statuses; the value is the national code (1–10)."""

    SUBMITTED = 1  # Mới đăng ký — filed online, not yet accepted
    RECEIVED = 2  # Được tiếp nhận — receipt (Form 01) and due date issued
    REFUSED = 3  # Không được tiếp nhận — refused at intake (Form 03)
    PROCESSING = 4  # Đang xử lý
    AWAITING_SUPPLEMENT = 5  # Yêu cầu bổ sung giấy tờ (Form 02) — clock paused
    AWAITING_PAYMENT = 6  # Yêu cầu thực hiện nghĩa vụ tài chính — clock paused
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý
    SETTLED = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả

    @property
    def slug(self) -> str:
        return self.name.lower()


TERMINAL: frozenset[Status] = frozenset(
    {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}
)
CLOCK_RUNNING: frozenset[Status] = frozenset({Status.RECEIVED, Status.PROCESSING})
CLOCK_PAUSED: frozenset[Status] = frozenset({Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT})
OPEN: frozenset[Status] = CLOCK_RUNNING | CLOCK_PAUSED | {Status.SUBMITTED}


class Actor(StrEnum):
    """Who takes an action: a role of an official's membership, or the applicant."""

    CLERK = "clerk"
    SPECIALIST = "specialist"
    HEAD = "head"
    LEADER = "leader"
    SECRETARY = "secretary"
    APPLICANT = "applicant"
    SYSTEM = "system"


class Action(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    FORWARD = "forward"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    WITHDRAW = "withdraw"
    STOP = "stop"
    SETTLE = "settle"
    RETURN = "return"
    APOLOGIZE = "apologize"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change (apology)
    actors: frozenset[Actor]


_OFFICIALS = frozenset({Actor.CLERK, Actor.SPECIALIST, Actor.HEAD, Actor.LEADER})
_S = Status
_A = Actor

RULES: dict[Action, Rule] = {
    Action.ACCEPT: Rule(frozenset({_S.SUBMITTED}), _S.RECEIVED, frozenset({_A.CLERK})),
    Action.REFUSE: Rule(frozenset({_S.SUBMITTED}), _S.REFUSED, frozenset({_A.CLERK})),
    Action.FORWARD: Rule(frozenset({_S.RECEIVED, _S.PROCESSING}), _S.PROCESSING, _OFFICIALS),
    Action.REQUEST_SUPPLEMENT: Rule(
        frozenset({_S.RECEIVED, _S.PROCESSING}),
        _S.AWAITING_SUPPLEMENT,
        frozenset({_A.CLERK, _A.SPECIALIST, _A.HEAD, _A.LEADER}),
    ),
    Action.SUPPLEMENT: Rule(
        frozenset({_S.AWAITING_SUPPLEMENT}), _S.PROCESSING, frozenset({_A.CLERK, _A.APPLICANT})
    ),
    Action.REQUEST_PAYMENT: Rule(
        frozenset({_S.RECEIVED, _S.PROCESSING}),
        _S.AWAITING_PAYMENT,
        frozenset({_A.CLERK, _A.SPECIALIST, _A.HEAD}),
    ),
    Action.CONFIRM_PAYMENT: Rule(
        frozenset({_S.AWAITING_PAYMENT}), _S.PROCESSING, frozenset({_A.CLERK, _A.SYSTEM})
    ),
    Action.WITHDRAW: Rule(
        frozenset({_S.SUBMITTED}) | CLOCK_RUNNING | CLOCK_PAUSED,
        _S.WITHDRAWN,
        frozenset({_A.CLERK, _A.APPLICANT}),
    ),
    Action.STOP: Rule(CLOCK_RUNNING | CLOCK_PAUSED, _S.STOPPED, frozenset({_A.HEAD, _A.LEADER})),
    Action.SETTLE: Rule(
        frozenset({_S.RECEIVED, _S.PROCESSING}), _S.SETTLED, frozenset({_A.HEAD, _A.LEADER})
    ),
    Action.RETURN: Rule(frozenset({_S.SETTLED}), _S.RETURNED, frozenset({_A.CLERK, _A.SYSTEM})),
    Action.APOLOGIZE: Rule(
        frozenset({_S.RECEIVED, _S.PROCESSING}), None, frozenset({_A.HEAD, _A.LEADER})
    ),
}


class TransitionNotAllowed(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def check_transition(action: Action, current: Status, actors: frozenset[Actor]) -> Status:
    """Return the status ``action`` leads to from ``current``, or raise with the reason."""
    rule = RULES[action]
    if current not in rule.sources:
        allowed = ", ".join(s.slug for s in sorted(rule.sources))
        raise TransitionNotAllowed(
            f"'{action.value}' is not allowed while the dossier is {current.slug} "
            f"(allowed from: {allowed})",
            code="transition_not_allowed",
        )
    if not (rule.actors & actors):
        roles = ", ".join(sorted(a.value for a in rule.actors))
        raise TransitionNotAllowed(
            f"'{action.value}' needs one of the roles: {roles}", code="role_not_allowed"
        )
    return rule.target if rule.target is not None else current


def allowed_actions(current: Status, actors: frozenset[Actor]) -> list[Action]:
    """The actions these actors may take now (for buttons on the dossier page)."""
    return [
        action for action, rule in RULES.items() if current in rule.sources and rule.actors & actors
    ]
