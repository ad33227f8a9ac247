"""A realistic dossier history made through the real services (``manage.py generate_history``).

Every dossier lives its life through ``dossier_receive`` / ``dossier_submit_online`` and
``dossier_act`` / ``dossier_act_as_system`` — so it has its events, clock ledger, audit entries
and statistics facts exactly as at a real counter. Time is steered with ``time_machine`` (the
test suite's clock; the services read ``timezone.now()``): the lives of all dossiers are
interleaved in time order (a heap of "next instant" per dossier), so ids, audit entries and
code sequences follow the calendar as in production.

The mix: procedures of the catalog weighted (a few make most dossiers), about half online where
the procedure allows it, a few postal, some received for another agency at the provincial
centre (boundary-free); intake peaks on Mondays and in the week after Tết; supplements (a tenth
of them asked twice), fees asked and paid (online ones through the gateway, as the system),
apologies with a new date, withdrawals and stops; most results returned. Dossiers whose next
step falls after the period stay pending.

Settlements come out early / on time / late in the proportions 183,477 : 39,491 : 1,219 (issue
#5's quarter, ≈ 81.8 / 17.6 / 0.54 %) within a settlement or two, on the demo province's short
limits as on long ones. Not by writing the outcome: the settle step is planned last, against
the dossier's due instant as it stands then (after its payments, supplements and apologies),
at an instant that gives the drawn outcome — and the service classifies it. The draw is steered
by the tally of the settlements planned inside the period (``_Sim._steer``), because some
dossiers cannot be early any more when their settle step comes (a one-day procedure paid for on
its due day); the others are then early the more often. Fewer are lost that way because the
steps of a dossier due the next working day are kept on the day (``_Sim.soon``,
``_Sim.paid_after``) rather than slipping into the morning of its due date.

The officials who act are four generated accounts (``lichsu.motcua``, ``lichsu.chuyenvien``,
``lichsu.truongphong``, ``lichsu.lanhdao``: clerk, specialist, head, leader of every agency
used, without a usable password) and online dossiers are filed by one generated citizen.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from motcua.stats.facts import VN

OUTCOME_WEIGHTS = {"early": 183_477, "on_time": 39_491, "late": 1_219}
SHARES = {o: w / sum(OUTCOME_WEIGHTS.values()) for o, w in OUTCOME_WEIGHTS.items()}
STEERING = 1.0  # how hard the draw pulls an outcome back to its share (per settlement of lag)
STAFF = {
    "clerk": ("lichsu.motcua", "Nguyễn Thị Lịch Sử"),
    "specialist": ("lichsu.chuyenvien", "Trần Văn Chuyên"),
    "head": ("lichsu.truongphong", "Lê Thị Trưởng"),
    "leader": ("lichsu.lanhdao", "Phạm Văn Lãnh"),
}
CITIZEN = ("066190000001", "Hoàng Thị Công Dân")
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Hùng", "Lan", "Linh", "Nam", "Tuyết", "Ánh"]
ETHNIC = ["Y Bhim Êban", "H'Linh Niê", "Ksor H'Nga", "Y Khu Niê", "H'Hoa Byă"]

Life = Generator[dt.datetime, None, None]


@dataclass
class HistoryResult:
    dossiers: int = 0  # lives started
    actions: int = 0  # service calls, intake included
    outcomes: Counter[str] = field(default_factory=Counter)  # early / on_time / late
    ended: Counter[str] = field(default_factory=Counter)  # withdrawn / stopped / refused
    returned: int = 0
    pending: int = 0  # still open at the end of the period
    refused_actions: list[str] = field(default_factory=list)  # a service said no (a bug here)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Procedure:
    code: str
    agencies: tuple[Any, ...]
    online: bool
    fee: int  # VND asked, 0 if none
    components: tuple[int, ...]


class _Sim:
    def __init__(self, *, rng: random.Random, start: dt.date, end: dt.date, centre: Any) -> None:
        from motcua.workdays.selectors import working_calendar

        self.rng = rng
        self.cal = working_calendar()
        self.start, self.end = start, end
        self.horizon = dt.datetime(end.year, end.month, end.day, 23, 59, tzinfo=VN)
        self.centre = centre
        self.result = HistoryResult()
        self.planned: Counter[str] = Counter()  # settlements planned inside the period

    # -- time ----------------------------------------------------------------------------------

    def intake_days(self) -> tuple[list[dt.date], list[float]]:
        """Working days of the period with their weights: Mondays ×1.6, the first five working
        days after Tết (a run of three or more weekday holidays in January–February) ×2."""
        days: list[dt.date] = []
        weights: list[float] = []
        d, off_run, boost = self.start - dt.timedelta(days=20), 0, 0
        while d <= self.end:
            if self.cal.is_working_day(d):
                if off_run >= 3 and d.month in (1, 2, 3):
                    boost = 5
                off_run = 0
                if d >= self.start:
                    w = 1.6 if d.weekday() == 0 else 1.0
                    days.append(d)
                    weights.append(w * (2.0 if boost > 0 else 1.0))
                boost = max(boost - 1, 0)
            elif d.weekday() < 5:
                off_run += 1
            d += dt.timedelta(days=1)
        if not days:
            raise ValueError("the period has no working day")
        return days, weights

    def office_instant(self, d: dt.date) -> dt.datetime:
        """A moment of office hours on ``d``, mornings busier than afternoons."""
        if self.rng.random() < 0.62:
            minutes = self.rng.randint(7 * 60 + 15, 11 * 60 + 15)
        else:
            minutes = self.rng.randint(13 * 60 + 35, 16 * 60 + 45)
        return dt.datetime(d.year, d.month, d.day, tzinfo=VN) + dt.timedelta(minutes=minutes)

    def any_instant(self, d: dt.date) -> dt.datetime:
        minutes = self.rng.randint(6 * 60, 23 * 60 + 30)
        return dt.datetime(d.year, d.month, d.day, tzinfo=VN) + dt.timedelta(minutes=minutes)

    def after(self, t: dt.datetime, low_hours: float, high_hours: float) -> dt.datetime:
        """A working moment ``low``–``high`` working hours after ``t``."""
        minutes = self.rng.randint(int(low_hours * 60), max(int(high_hours * 60), 1))
        start = self.cal.next_working_moment(t)
        return self._work(self.cal.add_working_time(start, dt.timedelta(minutes=minutes)))

    def soon(self, t: dt.datetime, due: dt.datetime | None, low: float, high: float) -> dt.datetime:
        """``after(t, low, high)``, squeezed into a fifth of the working time left before
        ``due``: a one-day procedure is not forwarded four hours after its receipt."""
        if due is not None and due > t:
            left = self.cal.working_time_between(t, due).total_seconds() / 3600
            high = min(high, max(left * 0.2, 0.1))
            today = self.left_today(t)
            if today >= 0.5 and self.due_tomorrow(t, due):
                # Today, not tomorrow morning: the dossier keeps a day to be settled early in.
                high = min(high, today * 0.5)
            low = min(low, high / 2)
        return self.after(t, low, high)

    def paid_after(self, t: dt.datetime, due: dt.datetime | None) -> dt.datetime:
        """When a fee asked at ``t`` is paid (the clock is held meanwhile). Usually ½–20
        working hours later; but when the dossier was due the next working day, mostly the
        same day — paid tomorrow morning, it would fall due that very day and could not be
        settled early any more."""
        today = self.left_today(t)
        short = due is not None and today >= 0.75 and self.due_tomorrow(t, due)
        if short and self.rng.random() < 0.85:
            return self.after(t, min(0.25, today * 0.2), today * 0.5)
        return self.after(t, 0.5, 20)

    def left_today(self, t: dt.datetime) -> float:
        """Working hours left on ``t``'s day after ``t``."""
        d = t.astimezone(VN).date()
        midnight = dt.datetime(d.year, d.month, d.day, tzinfo=VN) + dt.timedelta(days=1)
        return max(self.cal.working_time_between(t, midnight).total_seconds() / 3600, 0.0)

    def due_tomorrow(self, t: dt.datetime, due: dt.datetime) -> bool:
        """Whether ``due`` falls on the working day after ``t``'s: early means settled today."""
        d = t.astimezone(VN).date()
        return due.astimezone(VN).date() == self.cal.next_working_day(d + dt.timedelta(days=1))

    def days_after(self, t: dt.datetime, low: int, high: int) -> dt.datetime:
        d = (t + dt.timedelta(days=self.rng.randint(low, high))).astimezone(VN).date()
        return self._work(max(self.office_instant(d), t + dt.timedelta(minutes=5)))

    def _work(self, t: dt.datetime) -> dt.datetime:
        t = self.cal.next_working_moment(t)
        if not self.cal.is_working_time(t):  # the end of a working day (17:00)
            t = self.cal.next_working_moment(t + dt.timedelta(seconds=1))
        return t

    def between(self, a: dt.datetime, b: dt.datetime) -> dt.datetime | None:
        """A random working moment in [a, b], or None if there is none."""
        if b <= a:
            return None
        for _ in range(6):
            span = (b - a).total_seconds()
            t = self._work(a + dt.timedelta(seconds=self.rng.uniform(0, span)))
            if t <= b:
                return t
        first = self._work(a)
        return first if first <= b else None

    def settle_instant(self, now: dt.datetime, due: dt.datetime | None) -> dt.datetime:
        """When to settle a dossier whose due instant is now ``due`` (read from the dossier
        after its pauses and apologies: nothing moves it before the settle step).

        Each outcome the dossier can still have gets a candidate instant: early and on-time
        settlements normally wait ½–2 working hours, or a few minutes when that would be too
        late for them; late ones come ½ hour to 3 working days after the due instant. The
        outcome is drawn by :meth:`_steer` and its instant returned; the settle service then
        classifies the settlement itself, as it would at a real counter.
        """
        if due is None:  # no legal limit: settled on time by definition
            at = self.after(now, 1, 16)
            self._plan("on_time", at)
            return at
        due_day = due.astimezone(VN).date()
        day_start = dt.datetime(due_day.year, due_day.month, due_day.day, tzinfo=VN)
        earliest = self.after(now, 0.5, 2)
        hurried = self._work(now + dt.timedelta(minutes=self.rng.randint(3, 20)))
        candidates: dict[str, dt.datetime] = {}
        latest_early = day_start - dt.timedelta(seconds=1)
        if earliest < latest_early:
            # Most early dossiers are settled well before their date.
            span = (latest_early - earliest) * self.rng.betavariate(1.2, 2.5)
            t = self.between(earliest, earliest + span) or self.between(earliest, latest_early)
            if t is not None:
                candidates["early"] = t
        if "early" not in candidates:
            t = self.between(hurried, latest_early)
            if t is not None:
                candidates["early"] = t
        t = self.between(max(earliest, day_start), due) or self.between(
            max(hurried, day_start), due
        )
        if t is not None:
            candidates["on_time"] = t
        late = self.cal.add_working_time(due, dt.timedelta(minutes=self.rng.randint(30, 24 * 60)))
        candidates["late"] = self._work(max(late, earliest))
        target = self._steer(set(candidates))
        self._plan(target, candidates[target])
        return candidates[target]

    def _steer(self, feasible: set[str]) -> str:
        """The outcome of the next settlement planned inside the period.

        Late ones, five in a thousand, are not drawn but counted out: a settlement is late when
        it brings the late share of the tally half a settlement past the late count (the 92nd,
        the 276th, …), so the late count is the share rounded. Early and on time are drawn with
        the weights, each corrected by how far it is behind (or ahead of) its share of the
        tally — one settlement behind, it is drawn almost surely; ahead, hardly ever. A draw
        this dossier cannot have any more gives the next outcome (early → on time → late), and
        the one it crowded out is drawn the more for the next dossiers.
        """
        planned = sum(self.planned.values())
        if SHARES["late"] * (planned + 1) - self.planned["late"] >= 0.5:
            return "late"
        order = ["early", "on_time"]
        weights = [
            max(SHARES[o] + STEERING * (SHARES[o] * planned - self.planned[o]), 0.0) for o in order
        ]
        drawn = self.rng.choices(order, weights=weights)[0]  # the weights add up to > ½
        return next(o for o in [*order[order.index(drawn) :], "late"] if o in feasible)

    def _plan(self, outcome: str, at: dt.datetime) -> None:
        """Count a settlement planned at ``at`` (those after the period stay pending)."""
        if at <= self.horizon:
            self.planned[outcome] += 1


def _applicant(rng: random.Random) -> Any:
    from motcua.dossiers.services import ApplicantIn

    if rng.random() < 0.12:
        name = rng.choice(ETHNIC)
    else:
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    number = f"066{rng.randint(0, 1)}{rng.randint(50, 99):02d}{rng.randint(0, 999_999):06d}"
    return ApplicantIn(
        name=name,
        id_number=number,
        phone=f"09{rng.randint(0, 99_999_999):08d}",
        address=f"{rng.randint(1, 300)} Lê Duẩn, phường Buôn Ma Thuột",
    )


def _staff(agencies: list[Any]) -> dict[str, Any]:
    from motcua.accounts.models import Membership, User, UserKind

    users: dict[str, Any] = {}
    for role, (username, full_name) in STAFF.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "kind": UserKind.OFFICIAL}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        for agency in agencies:
            Membership.objects.update_or_create(
                user=user, agency=agency, role=role, defaults={"is_active": True}
            )
        users[role] = user
    number, full_name = CITIZEN
    citizen, created = User.objects.get_or_create(
        username=number,
        defaults={"full_name": full_name, "kind": UserKind.CITIZEN, "id_number": number},
    )
    if created:
        citizen.set_unusable_password()
        citizen.save(update_fields=["password"])
    users["citizen"] = citizen
    return users


def _procedures(communes: int) -> list[_Procedure]:
    from motcua.catalog.models import Fee, OnlineLevel, Procedure
    from motcua.catalog.selectors import version_agencies
    from motcua.units.models import AgencyLevel

    out: list[_Procedure] = []
    commune_codes: set[str] = set()
    for p in (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("current_version")
        .order_by("code")
    ):
        v = p.current_version
        assert v is not None  # noqa: S101 (filtered above)
        if v.cases.count() != 1:
            continue  # dossiers of several-case procedures need a case chosen: left out
        agencies = version_agencies(v)
        keep = []
        for a in agencies:
            if a.level == AgencyLevel.COMMUNE:
                if a.code not in commune_codes and len(commune_codes) >= communes:
                    continue
                commune_codes.add(a.code)
            keep.append(a)
        if not keep:
            continue
        fee = sum(Fee.objects.filter(version=v).values_list("amount_vnd", flat=True)) or 0
        out.append(
            _Procedure(
                code=p.code,
                agencies=tuple(keep),
                online=v.online_level != OnlineLevel.NONE,
                fee=int(fee),
                components=tuple(v.components.filter(required=True).values_list("pk", flat=True)),
            )
        )
    return out


def generate_history(
    *,
    dossiers: int,
    start: dt.date,
    end: dt.date,
    seed: int = 0,
    communes: int = 4,
    on_progress: Callable[[HistoryResult], None] | None = None,
) -> HistoryResult:
    """Create ``dossiers`` dossiers received over ``start``–``end`` and live their lives."""
    import time

    import time_machine

    from motcua.units.models import Agency

    if end < start:
        raise ValueError("the period ends before it starts")
    t0 = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (a reproducible simulation, not secrets)
    procedures = _procedures(communes)
    if not procedures:
        raise ValueError("the catalog has no procedure with an agency: load it first")
    rng.shuffle(procedures)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(procedures))]
    centre = (
        Agency.objects.filter(name__icontains="Phục vụ hành chính công", is_active=True)
        .order_by("code")
        .first()
    )
    used = {a.pk: a for p in procedures for a in p.agencies}
    if centre is not None:
        used[centre.pk] = centre
    sim = _Sim(rng=rng, start=start, end=end, centre=centre)
    users = _staff(list(used.values()))
    days, day_weights = sim.intake_days()
    heap: list[tuple[dt.datetime, int, Life]] = []
    for n in range(dossiers):
        life = _life(sim, users, rng.choices(procedures, weights=weights)[0], days, day_weights)
        first = next(life)
        heapq.heappush(heap, (first, n, life))
    traveller = time_machine.travel(heap[0][0] if heap else start, tick=False)
    coordinates = traveller.start()
    try:
        while heap:
            at, n, life = heapq.heappop(heap)
            if at > sim.horizon:
                sim.result.pending += 1
                continue
            coordinates.move_to(at)
            try:
                nxt = life.send(None)
            except StopIteration:
                if on_progress is not None:
                    on_progress(sim.result)
                continue
            heapq.heappush(heap, (max(nxt, at + dt.timedelta(seconds=1)), n, life))
    finally:
        traveller.stop()
    sim.result.seconds = time.perf_counter() - t0
    return sim.result


def _life(
    sim: _Sim, users: dict[str, Any], proc: _Procedure, days: list[dt.date], weights: list[float]
) -> Life:
    """One dossier: yields the instant of its next step, then takes it when resumed."""
    from motcua.core.errors import DomainError
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import (
        ActionIn,
        ComponentIn,
        dossier_act,
        dossier_act_as_system,
        dossier_receive,
        dossier_submit_online,
    )
    from motcua.dossiers.workflow import Status
    from motcua.workdays.rules import Unit

    rng, cal, result = sim.rng, sim.cal, sim.result
    agency = rng.choice(proc.agencies)
    day = rng.choices(days, weights=weights)[0]
    roll = rng.random()
    channel = "online" if proc.online and roll < 0.5 else "postal" if roll > 0.96 else "direct"
    components = [ComponentIn(component_id=pk) for pk in proc.components]
    applicant = _applicant(rng)

    due: dt.datetime | None = None

    def act(role: str, action: str, **params: Any) -> Any:
        nonlocal due
        result.actions += 1
        d = dossier_act(actor=users[role], code=code, action=action, params=ActionIn(**params))
        due = d.due_at
        return d

    try:
        if channel == "online":
            now = sim.any_instant(day)
            yield now
            result.dossiers += 1
            result.actions += 1
            code = dossier_submit_online(
                actor=users["citizen"],
                procedure_code=proc.code,
                case=1,
                agency_code=agency.code,
                applicant=applicant,
                components=components,
            ).code
            now = sim.after(now, 0.3, 8)
            yield now
            if rng.random() < 0.02:
                act("clerk", "refuse", reason="Hồ sơ không thuộc thẩm quyền giải quyết")
                result.ended["refused"] += 1
                return
            act("clerk", "accept")
        else:
            now = sim.office_instant(day)
            yield now
            boundary_free = (
                sim.centre is not None and sim.centre.pk != agency.pk and rng.random() < 0.25
            )
            receiving = sim.centre if boundary_free else agency
            result.dossiers += 1
            result.actions += 1
            received = dossier_receive(
                actor=users["clerk"],
                procedure_code=proc.code,
                case=1,
                channel=channel,
                applicant=applicant,
                components=components,
                receiving_agency_code=receiving.code,
                agency_code=agency.code,
            )
            code, due = received.code, received.due_at
        now = sim.soon(now, due, 0.2, 4)
        yield now
        act("clerk", "forward")

        if rng.random() < 0.08:
            for ask in range(2 if rng.random() < 0.1 else 1):
                now = sim.soon(now, due, 1, 10)
                yield now
                act(
                    "specialist",
                    "request_supplement",
                    reason="Bổ sung bản sao giấy tờ tùy thân" if ask == 0 else "Bổ sung lần hai",
                    components=["Bản sao căn cước công dân"],
                )
                if rng.random() < 0.04:
                    now = sim.days_after(now, 5, 20)
                    yield now
                    act("clerk", "withdraw", reason="Công dân không bổ sung, xin rút hồ sơ")
                    result.ended["withdrawn"] += 1
                    return
                now = sim.days_after(now, 1, 6)
                yield now
                act("clerk", "supplement")

        if proc.fee and rng.random() < 0.7:
            now = sim.soon(now, due, 1, 8)
            yield now
            asked_due = due
            act("specialist", "request_payment", amount_vnd=proc.fee, reason="Nộp phí, lệ phí")
            now = sim.paid_after(now, asked_due)
            yield now
            result.actions += 1
            if channel == "online":
                paid = dossier_act_as_system(code=code, action="confirm_payment", source="paygate")
                due = paid.due_at
            else:
                act("clerk", "confirm_payment")

        roll = rng.random()
        if roll < 0.012:
            now = sim.after(now, 2, 24)
            yield now
            act("clerk", "withdraw", reason="Công dân xin rút hồ sơ")
            result.ended["withdrawn"] += 1
            return
        if roll < 0.018:
            now = sim.after(now, 2, 24)
            yield now
            act("head", "stop", reason="Hồ sơ không đủ điều kiện giải quyết")
            result.ended["stopped"] += 1
            return

        # The due instant as the payments and supplements left it (the settle step is planned
        # against it, after an apology's new date if any).
        due = Dossier.objects.values_list("due_at", flat=True).get(code=code)
        if due is not None and rng.random() < 0.012:
            from motcua.dossiers import clock

            now = sim.after(now, 0.5, 4)
            if now < due and clock.apology_allowed(cal, now=now, due=due):
                yield now
                new_due = cal.due(due, 2, Unit.WORKING_DAYS)
                if not cal.is_working_time(new_due):
                    new_due = sim._work(new_due)
                act(
                    "head",
                    "apologize",
                    reason="Cần xác minh thêm với cơ quan liên quan",
                    new_due_at=new_due,
                )
                due = Dossier.objects.values_list("due_at", flat=True).get(code=code)

        now = sim.settle_instant(now, due)
        yield now
        settled = act("leader", "settle", result="Đã giải quyết, kết quả sẵn sàng trả")
        if settled.status == Status.SETTLED:
            result.outcomes[settled.outcome or "on_time"] += 1
        if rng.random() < 0.92:
            now = sim.after(now, 0.5, 24)
            yield now
            method = (
                "electronic"
                if channel == "online"
                else "post"
                if channel == "postal"
                else "counter"
            )
            act("clerk", "return", method=method)
            result.returned += 1
    except DomainError as exc:  # the simulation asked for something the rules refuse
        result.refused_actions.append(f"{exc}")
