"""Properties of the clock (hypothesis), checked against a naive day-by-day reference."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from motcua.workdays.rules import TZ, Pause, WorkingCalendar
from motcua.workdays.tests.conftest import at

MINUTE = dt.timedelta(minutes=1)

instants = st.datetimes(
    min_value=dt.datetime(2023, 6, 1),
    max_value=dt.datetime(2027, 6, 1),
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=TZ))
minutes = st.integers(min_value=0, max_value=60 * 8 * 120).map(lambda m: m * MINUTE)
working_days = st.integers(min_value=0, max_value=300)


def naive_add(cal: WorkingCalendar, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """Reference: walk day by day, block by block (slow, obviously right)."""
    t = cal.next_working_moment(start)
    left = duration
    day = t.date()
    first = True
    while True:
        if cal.is_working_day(day):
            for s_us, e_us in cal.office_hours:
                midnight = dt.datetime(day.year, day.month, day.day, tzinfo=TZ)
                s = midnight + dt.timedelta(microseconds=s_us)
                e = midnight + dt.timedelta(microseconds=e_us)
                if first and e <= t:
                    continue
                begin = max(s, t) if first else s
                if begin + left <= e:
                    return begin + left if left else begin
                left -= e - begin
        first = False
        day += dt.timedelta(days=1)


@given(start=instants, amount=minutes)
def test_it_always_lands_on_working_time(
    cal: WorkingCalendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    assert cal.is_working_time(cal.add_working_time(start, amount))


@given(start=instants, a=minutes, b=minutes)
def test_it_adds_a_then_b_like_a_plus_b(
    cal: WorkingCalendar, start: dt.datetime, a: dt.timedelta, b: dt.timedelta
) -> None:
    assert cal.add_working_time(cal.add_working_time(start, a), b) == cal.add_working_time(
        start, a + b
    )


@given(start=instants, a=working_days, b=working_days)
def test_it_adds_working_days_a_then_b_like_a_plus_b(
    cal: WorkingCalendar, start: dt.datetime, a: int, b: int
) -> None:
    assert cal.add_working_days(cal.add_working_days(start, a), b) == cal.add_working_days(
        start, a + b
    )


@given(start=instants, a=minutes, b=minutes)
def test_it_never_gives_an_earlier_date_for_more_work(
    cal: WorkingCalendar, start: dt.datetime, a: dt.timedelta, b: dt.timedelta
) -> None:
    lo, hi = sorted((a, b))
    assert cal.add_working_time(start, lo) <= cal.add_working_time(start, hi)


@given(s1=instants, s2=instants, n=working_days)
def test_it_never_gives_an_earlier_date_for_a_later_start(
    cal: WorkingCalendar, s1: dt.datetime, s2: dt.datetime, n: int
) -> None:
    early, late = sorted((s1, s2))
    assert cal.add_working_days(early, n) <= cal.add_working_days(late, n)


@given(start=instants, amount=minutes)
def test_it_counts_back_exactly_the_time_it_added(
    cal: WorkingCalendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    assert cal.working_time_between(start, cal.add_working_time(start, amount)) == amount


@given(start=instants, amount=minutes)
def test_it_agrees_with_the_naive_day_by_day_walk(
    cal: WorkingCalendar, start: dt.datetime, amount: dt.timedelta
) -> None:
    assert cal.add_working_time(start, amount) == naive_add(cal, start, amount)


@given(start=instants, n=st.integers(min_value=0, max_value=400))
def test_it_lands_calendar_days_on_working_time(
    cal: WorkingCalendar, start: dt.datetime, n: int
) -> None:
    due = cal.add_calendar_days(start, n)
    assert cal.is_working_time(due)
    assert due >= cal.next_working_moment(start) + dt.timedelta(days=n)


# --- the pause ledger ------------------------------------------------------------------------


def test_it_extends_the_due_date_by_the_working_time_paused(cal: WorkingCalendar) -> None:
    # Received 07:00 Mon 04/03/2024, 3 working days (24 h): due 17:00 Wed 06/03 without pauses.
    # Supplement requested 15:00 Mon, completed 09:00 Wed: paused 2 h (Mon) + 8 h (Tue) + 2 h
    # (Wed) = 12 h. Before the pause 6 h ran; 18 h left from 09:00 Wed: Wed 6 h, Thu 8 h,
    # Fri 4 h → 11:00 Fri 08/03.
    start, limit = at(2024, 3, 4, 7), dt.timedelta(hours=24)
    assert cal.apply_pauses(start, limit).due == at(2024, 3, 6, 17)
    pause = Pause(at(2024, 3, 4, 15), at(2024, 3, 6, 9), "supplement")
    result = cal.apply_pauses(start, limit, [pause])
    assert result.due == at(2024, 3, 8, 11)
    assert result.paused == dt.timedelta(hours=12)
    assert result.elapsed == limit
    # As of 12:00 Wed 06/03: Mon 6 h + Wed 09:00–11:30 2.5 h = 8.5 h elapsed, 15.5 h left.
    now = cal.apply_pauses(start, limit, [pause], as_of=at(2024, 3, 6, 12))
    assert now.elapsed == dt.timedelta(hours=8, minutes=30)
    assert now.remaining == dt.timedelta(hours=15, minutes=30)


def test_it_merges_overlapping_pauses_and_ignores_those_before_the_start(
    cal: WorkingCalendar,
) -> None:
    start, limit = at(2024, 3, 4, 7), dt.timedelta(hours=24)
    pauses = [
        Pause(at(2024, 3, 5, 9), at(2024, 3, 6, 9)),
        Pause(at(2024, 3, 4, 15), at(2024, 3, 5, 12)),
        Pause(at(2024, 3, 1, 9), at(2024, 3, 4, 7)),  # before the start: no effect
        Pause(at(2024, 3, 9, 9), at(2024, 3, 10, 9)),  # a weekend: no working time paused
    ]
    assert cal.apply_pauses(start, limit, pauses).due == at(2024, 3, 8, 11)


def test_it_has_no_due_date_while_a_pause_is_open(cal: WorkingCalendar) -> None:
    # Paused since 10:00 Tue 05/03: 8 h (Mon) + 3 h (Tue) elapsed; as of 09:00 Thu 07/03 the
    # pause holds Tue 10:00–17:00 (5 h) + Wed (8 h) + Thu 07:00–09:00 (2 h) = 15 h.
    start, limit = at(2024, 3, 4, 7), dt.timedelta(hours=24)
    result = cal.apply_pauses(start, limit, [Pause(at(2024, 3, 5, 10))], as_of=at(2024, 3, 7, 9))
    assert result.due is None
    assert result.elapsed == dt.timedelta(hours=11)
    assert result.paused == dt.timedelta(hours=15)


@given(
    start=instants,
    limit=minutes,
    offset=minutes,
    length=st.integers(min_value=0, max_value=60 * 24 * 20).map(lambda m: m * MINUTE),
)
def test_it_shifts_the_due_date_by_exactly_the_paused_working_time(
    cal: WorkingCalendar,
    start: dt.datetime,
    limit: dt.timedelta,
    offset: dt.timedelta,
    length: dt.timedelta,
) -> None:
    p0 = cal.next_working_moment(start) + offset
    p1 = p0 + length
    plain_due = cal.add_working_time(start, limit)
    result = cal.apply_pauses(start, limit, [Pause(p0, p1)])
    if p0 >= plain_due:
        assert result.due == plain_due
    else:
        paused = cal.working_time_between(p0, p1)
        assert result.due == cal.add_working_time(start, limit + paused)
    assert result.due is not None and cal.is_working_time(result.due)
