"""What one dossier contributes to the statistics (pure: no ORM).

A dossier — native or imported from another system — is reduced to a :class:`Fact`: the few
instants and flags the reports read. A fact contributes ``+1`` to counters on given days
(:func:`contributions`); the daily rollups are the sum of the contributions of all facts.
When a dossier changes, the rollups move by ``contributions(new) - contributions(old)``, so the
incremental rollups always equal a rebuild from the facts (a property test checks it).

Counters that describe a *state* at a day's end (pending, overdue) are written as the day the
state starts and the day it ends, so that "how many are overdue at the end of day T" is the sum
of ``*_start`` minus ``*_end`` over days ≤ T: a one-dimensional prefix sum (DESIGN §3.3.1, report
II.06a and the 766 progress rule in ``reference/vn-rules.md`` §1.2 and §5).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


class EndKind:
    """How a received dossier left the pending pool (report II.06a's columns)."""

    SETTLED = "settled"  # statuses 9/10 (a written refusal as result is settled too)
    WITHDRAWN = "withdrawn"  # status 7
    STOPPED = "stopped"  # status 8: processing stopped after acceptance


class Outcome:
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


# Every counter a day can carry; the rollup tables have one column each.
COUNTERS: tuple[str, ...] = (
    # report II.06a
    "received_online",
    "received_direct",
    "received_postal",
    "settled_early",
    "settled_on_time",
    "settled_late",
    "withdrawn",
    "stopped",
    "overdue_start",  # pending and past due from this day (day of the due instant)
    "overdue_end",  # ... until this day (the day a late dossier ended)
    # Decision 766 group 2 (progress) on the national rules
    "p766_on_time",  # ended on time (by end day)
    "p766_late",  # ended late (by end day)
    "p766_overdue_start",
    "p766_overdue_end",
    # Decision 766, counted by received day
    "online_counted",  # online (KenhThucHien 2) and, if a written result is required, an e-result
    "fee_due",  # the procedure charges a fee (> 0)
    "paid_online",  # paid through the payment gateway
    "digitized",  # at least one component file attached (and the result file if required)
    "reused",  # a component reused from digitized data
    "from_store",  # a component taken from the citizen's data store (or an e-result synced)
    "citizen_data",  # VNeID-verified account or data-store component
    "synced",  # synchronised to the National Public Service Portal (DVCQG)
    # Decision 766, counted by end day (settled/returned dossiers)
    "written_result_settled",  # settled dossiers of procedures requiring a written result
    "eresult",  # ... of which an e-result was issued
    "eresult_any",  # settled dossiers with an e-result, whatever the procedure requires
    "unhappy",  # settled and rated not satisfied (or late, or followed by feedback)
    "rated",  # settled and rated
)


class Fact(NamedTuple):
    """One dossier as the statistics see it. Instants are aware datetimes. (A named tuple, not a
    frozen dataclass: the history import builds one per record, and this is ~4× cheaper.)"""

    channel: str  # direct / online / postal
    received_at: dt.datetime | None  # NgayTiepNhan; None: never accepted (not counted)
    due_at: dt.datetime | None  # NgayHenTra; None while the clock is held or without a limit
    ended_at: dt.datetime | None = None
    end_kind: str = ""  # EndKind; "" while pending
    # The 766 rule judges a dossier waiting for a supplement at the request instant.
    paused_at: dt.datetime | None = None
    due_before_pause: dt.datetime | None = None
    supplement_count: int = 0
    has_fee: bool = False
    paid_online: bool = False
    digitized: bool = False
    reused: bool = False
    from_store: bool = False
    citizen_data: bool = False
    written_result_required: bool = False
    eresult: bool = False
    rating: str = ""  # very_satisfied / satisfied / not_satisfied / ""
    # Imported records came from a national sync export; native dossiers once the DVCQG sync
    # delivers them (not built yet: 0 until then — the index then says so).
    synced: bool = False


def local_day(t: dt.datetime) -> dt.date:
    if t.tzinfo is VN:  # imported instants are built in VN time: no conversion to make
        return t.date()
    return t.astimezone(VN).date()


def classify(ended_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """DESIGN §3.3.1: late if after the due instant; early if on an earlier date; else on time.
    Without a due instant (no legal limit) a dossier cannot be late."""
    if due_at is None:
        return Outcome.ON_TIME
    if ended_at > due_at:
        return Outcome.LATE
    if local_day(ended_at) < local_day(due_at):
        return Outcome.EARLY
    return Outcome.ON_TIME


def outcome(fact: Fact) -> str:
    """The II.06a outcome of a settled dossier ("" otherwise)."""
    if fact.end_kind != EndKind.SETTLED or fact.ended_at is None:
        return ""
    return classify(fact.ended_at, fact.due_at)


def p766_deadline(fact: Fact) -> tuple[dt.datetime | None, bool]:
    """(the instant after which the 766 progress rule counts the dossier overdue, forced late).

    vn-rules §1.2 group 2: on time iff NgayKetThucXuLy ≤ NgayHenTra; more than one supplement
    request makes it overdue; a dossier waiting for its (only) supplement is judged at the
    request instant, because the clock is paused.
    """
    if fact.supplement_count > 1:
        return None, True
    if fact.ended_at is None and fact.paused_at is not None:
        due = fact.due_before_pause
        if due is not None and fact.paused_at > due:
            return due, False
        return None, False
    return fact.due_at, False


def contributions(fact: Fact) -> Counter[tuple[dt.date, str]]:
    """``(day, counter) → +n``: what this dossier adds to the daily rollups."""
    return Counter(contribution_list(fact))


def contribution_list(fact: Fact) -> list[tuple[dt.date, str]]:
    """The ``(day, counter)`` pairs this dossier adds 1 to (a pair may repeat). The history
    import runs this per record: a list is cheaper to build than a Counter."""
    out: list[tuple[dt.date, str]] = []
    add = out.append
    if fact.received_at is None:
        return out
    received = local_day(fact.received_at)
    add((received, f"received_{fact.channel}"))
    if fact.channel == "online" and (fact.eresult or not fact.written_result_required):
        add((received, "online_counted"))
    for flag in ("paid_online", "digitized", "reused", "from_store", "citizen_data", "synced"):
        if getattr(fact, flag):
            add((received, flag))
    if fact.has_fee:
        add((received, "fee_due"))

    ended = local_day(fact.ended_at) if fact.ended_at is not None else None
    if ended is not None:
        if fact.end_kind == EndKind.SETTLED:
            settled = outcome(fact)
            add((ended, f"settled_{settled}"))
            if fact.written_result_required:
                add((ended, "written_result_settled"))
                if fact.eresult:
                    add((ended, "eresult"))
            if fact.eresult:
                add((ended, "eresult_any"))
            if fact.rating:
                add((ended, "rated"))
            if fact.rating == "not_satisfied" or settled == Outcome.LATE:
                add((ended, "unhappy"))
        else:
            add((ended, fact.end_kind))

    # II.06a: pending and overdue from the due day until the end day.
    if fact.due_at is not None and (fact.ended_at is None or fact.ended_at > fact.due_at):
        add((max(local_day(fact.due_at), received), "overdue_start"))
        if ended is not None:
            add((ended, "overdue_end"))

    # 766 progress: the same shape with the national end-time rules.
    deadline, forced_late = p766_deadline(fact)
    if ended is not None:
        late = forced_late or (deadline is not None and fact.ended_at > deadline)  # type: ignore[operator]
        add((ended, "p766_late" if late else "p766_on_time"))
    if forced_late:
        add((received, "p766_overdue_start"))
        if ended is not None:
            add((ended, "p766_overdue_end"))
    elif deadline is not None and (fact.ended_at is None or fact.ended_at > deadline):
        add((max(local_day(deadline), received), "p766_overdue_start"))
        if ended is not None:
            add((ended, "p766_overdue_end"))
    return out
