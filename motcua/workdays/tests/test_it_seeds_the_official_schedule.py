"""The seed rows: the holidays package, corrected by the official civil-servant schedules."""

from __future__ import annotations

import datetime as dt

import holidays

from motcua.workdays.rules import DayKind
from motcua.workdays.schedule import seed_rows

D = dt.date


def kinds(year: int) -> dict[dt.date, DayKind]:
    return {r.day: r.kind for r in seed_rows(year)}


def test_it_follows_the_package_except_where_the_official_schedule_differs() -> None:
    documented = {D(2025, 2, 1), D(2026, 1, 2), D(2026, 1, 10)}
    for year in (2024, 2025, 2026, 2027):
        ours = {r.day for r in seed_rows(year) if r.kind is not DayKind.SWAP_WORKDAY}
        package = {d for d in holidays.country_holidays("VN", years=year) if d.year == year}
        assert ours ^ package <= documented, year


def test_it_seeds_the_swapped_saturdays_as_working_days() -> None:
    assert kinds(2024)[D(2024, 4, 29)] is DayKind.SWAP_DAY_OFF
    assert kinds(2024)[D(2024, 5, 4)] is DayKind.SWAP_WORKDAY
    assert kinds(2025)[D(2025, 5, 2)] is DayKind.SWAP_DAY_OFF
    assert kinds(2025)[D(2025, 4, 26)] is DayKind.SWAP_WORKDAY
    assert kinds(2026)[D(2026, 1, 2)] is DayKind.SWAP_DAY_OFF
    assert kinds(2026)[D(2026, 1, 10)] is DayKind.SWAP_WORKDAY


def test_it_seeds_the_tet_breaks_of_2024_to_2027() -> None:
    def off(year: int, first: dt.date, last: dt.date) -> list[dt.date]:
        k = kinds(year)
        days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
        return [d for d in days if d.weekday() < 5 and d not in k]

    assert off(2024, D(2024, 2, 8), D(2024, 2, 14)) == []  # Thu–Wed
    assert off(2025, D(2025, 1, 25), D(2025, 2, 2)) == []
    assert off(2026, D(2026, 2, 14), D(2026, 2, 22)) == []
    assert off(2027, D(2027, 2, 4), D(2027, 2, 10)) == []
    assert D(2025, 2, 3) not in kinds(2025)  # back to work Monday 03/02/2025


def test_it_says_where_a_fact_is_not_confirmed() -> None:
    rows = {r.day: r for r in seed_rows(2026) + seed_rows(2027)}
    assert "Chưa xác minh" in rows[D(2026, 11, 24)].note
    assert "chưa xác minh" in rows[D(2026, 8, 22)].note
    assert all("2027" in r.note for d, r in rows.items() if d.year == 2027)
    assert all(r.source for r in rows.values())
