"""Benchmark of the legal clock (no database): `.venv/bin/python bench/clock.py`.

Builds the calendar in memory from the seed data (holidays package + official schedules,
``motcua.workdays.schedule``), then measures on one core:

1. due-date computations per second for a realistic mix of limits and receipt instants;
2. the per-call cost of 5 vs 500 working days (the ratio must stay within 2x: no day loops);
3. a naive day-by-day loop on the same inputs, as the baseline (and as a correctness check).

Exits 1 when a target is missed. Results are recorded in BENCHMARKS.md ("Legal clock").
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from motcua.workdays.rules import TZ, WORKING_DAY, Unit, WorkingCalendar
from motcua.workdays.schedule import seed_rules

TARGET_PER_SECOND = 100_000
MAX_RATIO_500_VS_5 = 2.0
Case = tuple[dt.datetime, int, Unit]


def realistic_mix(n: int, rng: random.Random) -> list[Case]:
    """Receipt instants over 2024–2027 (any hour, any day: online submissions are 24/7) and
    limits shaped like a provincial catalog: mostly working days, some hours and calendar days."""
    first = dt.datetime(2024, 1, 1, tzinfo=TZ)
    span_minutes = 4 * 365 * 24 * 60
    day_limits = [1, 2, 3, 3, 5, 5, 5, 7, 10, 10, 12, 15, 15, 20, 20, 30, 45, 60]
    cases: list[Case] = []
    for _ in range(n):
        start = first + dt.timedelta(minutes=rng.randrange(span_minutes))
        roll = rng.random()
        if roll < 0.75:
            cases.append((start, rng.choice(day_limits), Unit.WORKING_DAYS))
        elif roll < 0.88:
            cases.append((start, rng.choice([2, 4, 8, 16, 24, 40]), Unit.WORKING_HOURS))
        else:
            cases.append((start, rng.choice([5, 7, 10, 15, 30]), Unit.CALENDAR_DAYS))
    return cases


def naive_due(cal: WorkingCalendar, start: dt.datetime, amount: int, unit: Unit) -> dt.datetime:
    """The obvious implementation: walk the calendar one day at a time."""
    if unit is Unit.CALENDAR_DAYS:
        return cal.add_calendar_days(start, amount)
    hours = amount * (WORKING_DAY if unit is Unit.WORKING_DAYS else dt.timedelta(hours=1))
    left = hours
    t = cal.next_working_moment(start)
    if not left:
        return t
    day = t.date()
    first = True
    one_day = dt.timedelta(days=1)
    while True:
        if cal.is_working_day(day):
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=TZ)
            for s_us, e_us in cal.office_hours:
                s = midnight + dt.timedelta(microseconds=s_us)
                e = midnight + dt.timedelta(microseconds=e_us)
                if first and e <= t:
                    continue
                begin = max(s, t) if first else s
                if begin + left <= e:
                    return begin + left
                left -= e - begin
        first = False
        day += one_day


def per_call_seconds(
    fn: Callable[[dt.datetime, int, Unit], dt.datetime], cases: Sequence[Case], repeat: int = 3
) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for start, amount, unit in cases:
            fn(start, amount, unit)
        best = min(best, time.perf_counter() - t0)
    return best / len(cases)


def main() -> int:
    rng = random.Random(20240207)
    t0 = time.perf_counter()
    cal = WorkingCalendar.build(rules=seed_rules(range(2023, 2030)))
    cal.add_working_days(dt.datetime(2024, 1, 1, tzinfo=TZ), 1)  # build the prefix sums
    build_ms = (time.perf_counter() - t0) * 1000

    mix = realistic_mix(200_000, rng)
    fast = per_call_seconds(cal.due, mix)
    per_second = 1 / fast

    starts = [c[0] for c in realistic_mix(50_000, rng)]
    five = per_call_seconds(cal.due, [(s, 5, Unit.WORKING_DAYS) for s in starts])
    five_hundred = per_call_seconds(cal.due, [(s, 500, Unit.WORKING_DAYS) for s in starts])
    ratio = five_hundred / five

    def naive(start: dt.datetime, amount: int, unit: Unit) -> dt.datetime:
        return naive_due(cal, start, amount, unit)

    naive_mix = mix[:10_000]
    mismatches = sum(cal.due(*c) != naive(*c) for c in naive_mix)
    naive_cost = per_call_seconds(naive, naive_mix, repeat=1)
    naive_500 = per_call_seconds(naive, [(s, 500, Unit.WORKING_DAYS) for s in starts[:1000]], 1)

    print(f"Legal clock benchmark — Python {platform.python_version()} on {platform.machine()}")
    print(f"  calendar build (1990–2100 prefix sums, seed 2023–2029): {build_ms:8.1f} ms")
    print(
        f"  realistic mix, prefix sums:  {per_second:12,.0f} due dates/s "
        f"({fast * 1e6:.2f} µs/call; target ≥ {TARGET_PER_SECOND:,})"
    )
    print(f"  5 working days:              {five * 1e6:12.2f} µs/call")
    print(
        f"  500 working days:            {five_hundred * 1e6:12.2f} µs/call "
        f"(ratio {ratio:.2f}×; target ≤ {MAX_RATIO_500_VS_5:.0f}×)"
    )
    print(
        f"  naive day-by-day, same mix:  {1 / naive_cost:12,.0f} due dates/s "
        f"({naive_cost * 1e6:.2f} µs/call) → prefix sums are {naive_cost / fast:.1f}× faster"
    )
    print(
        f"  naive day-by-day, 500 days:  {naive_500 * 1e6:12.2f} µs/call "
        f"({naive_500 / five_hundred:.0f}× slower than prefix sums)"
    )
    print(f"  naive vs fast disagreements on {len(naive_mix):,} cases: {mismatches}")

    failures = []
    if per_second < TARGET_PER_SECOND:
        failures.append(f"{per_second:,.0f}/s is below {TARGET_PER_SECOND:,}/s")
    if ratio > MAX_RATIO_500_VS_5:
        failures.append(f"500 vs 5 working days costs {ratio:.2f}×")
    if mismatches:
        failures.append(f"{mismatches} results differ from the naive walk")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if not failures:
        print("OK: all targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
