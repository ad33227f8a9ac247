"""Golden due dates, hand-computed in the comments (office hours 07:00–11:30, 13:30–17:00)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.workdays.rules import (
    CalendarRangeError,
    ClockError,
    NaiveDatetimeError,
    OfficeHoursError,
    Unit,
    WorkingCalendar,
    parse_office_hours,
)
from motcua.workdays.tests.conftest import at

H = dt.timedelta(hours=1)

GOLDEN = [
    # --- Tết 2024: off Thu 08/02 – Wed 14/02 (Thông báo 5015/TB-LĐTBXH) ---
    # 17:01 Wed 07/02 → next working moment 07:00 Thu 15/02; 24 h = Thu 8 + Fri 8 + Mon 8
    # → 17:00 Mon 19/02 (the canonical end of the day that completes the work).
    (at(2024, 2, 7, 17, 1), 3, Unit.WORKING_DAYS, at(2024, 2, 19, 17, 0)),
    # 10:00 Wed 07/02: 1.5 h + 3.5 h = 5 h that day, 3 h left → 10:00 Thu 15/02.
    (at(2024, 2, 7, 10, 0), 1, Unit.WORKING_DAYS, at(2024, 2, 15, 10, 0)),
    # --- Tết 2025: off Sat 25/01 – Sun 02/02 ---
    # 16:59 Fri 24/01: 1 min, then Mon 03/02 07:00 + 7 h 59 = 4.5 h morning + 3 h 29 → 16:59.
    (at(2025, 1, 24, 16, 59), 1, Unit.WORKING_DAYS, at(2025, 2, 3, 16, 59)),
    # --- Tết 2026: off Sat 14/02 – Sun 22/02 ---
    # 17:01 Fri 13/02 → 07:00 Mon 23/02; 16 h → 17:00 Tue 24/02.
    (at(2026, 2, 13, 17, 1), 2, Unit.WORKING_DAYS, at(2026, 2, 24, 17, 0)),
    # New Year 2026: Thu 01/01 holiday, Fri 02/01 swapped off (Công văn 12729/VPCP-KGVX).
    # 09:00 Wed 31/12/2025: 2.5 + 3.5 = 6 h; Mon 05/01 8 h (14 h); 2 h → 09:00 Tue 06/01.
    (at(2025, 12, 31, 9, 0), 2, Unit.WORKING_DAYS, at(2026, 1, 6, 9, 0)),
    # ... and Sat 10/01/2026 is worked: 13:30 Fri 09/01 → 3.5 h; Sat 07:00 + 4.5 h → 11:30 Sat.
    (at(2026, 1, 9, 13, 30), 1, Unit.WORKING_DAYS, at(2026, 1, 10, 11, 30)),
    # --- Tết 2027 (holidays package; official schedule not yet published): off Thu 04/02 –
    # Wed 10/02. 15:00 Wed 03/02: 2 h; Thu 11/02 07:00 + 6 h = 4.5 h + 1.5 h → 15:00 Thu 11/02.
    (at(2027, 2, 3, 15, 0), 1, Unit.WORKING_DAYS, at(2027, 2, 11, 15, 0)),
    # --- 30/4–1/5 2024 with the swapped Saturday (Công văn 2450/VPCP-KGVX) ---
    # 12:00 Fri 26/04 (lunch) → 13:30; 40 h: Fri 3.5; Sat 27, Sun 28 weekend; Mon 29 swapped off;
    # Tue 30/4, Wed 1/5 holidays; Thu 02/05 8 (11.5); Fri 03/05 8 (19.5); Sat 04/05 worked 8
    # (27.5); Sun off; Mon 06/05 8 (35.5); Tue 07/05 4.5 → 11:30 Tue 07/05.
    (at(2024, 4, 26, 12, 0), 5, Unit.WORKING_DAYS, at(2024, 5, 7, 11, 30)),
    # 2025: Sat 26/04 worked, Fri 02/05 off. 09:00 Fri 25/04: 6 h; Sat 26/04 8 h (14 h);
    # Mon 28/04 2 h → 09:00 Mon 28/04.
    (at(2025, 4, 25, 9, 0), 2, Unit.WORKING_DAYS, at(2025, 4, 28, 9, 0)),
    # --- received at 16:59, 17:01, lunch, Sunday (ordinary week of 04/03/2024) ---
    (at(2024, 3, 4, 16, 59), 1, Unit.WORKING_DAYS, at(2024, 3, 5, 16, 59)),
    (at(2024, 3, 4, 17, 1), 1, Unit.WORKING_DAYS, at(2024, 3, 5, 17, 0)),
    # 12:00 → 13:30: Mon 3.5 h, Tue 4.5 h → 11:30 Tue (the end of the morning block).
    (at(2024, 3, 4, 12, 0), 1, Unit.WORKING_DAYS, at(2024, 3, 5, 11, 30)),
    (at(2024, 3, 3, 10, 0), 1, Unit.WORKING_DAYS, at(2024, 3, 4, 17, 0)),
    # --- working hours vs working days vs calendar days, from 10:00 Fri 01/03/2024 ---
    (at(2024, 3, 1, 10, 0), 4, Unit.WORKING_HOURS, at(2024, 3, 1, 16, 0)),
    (at(2024, 3, 1, 10, 0), 1, Unit.WORKING_DAYS, at(2024, 3, 4, 10, 0)),
    (at(2024, 3, 1, 10, 0), 1, Unit.CALENDAR_DAYS, at(2024, 3, 4, 7, 0)),  # Sat → Mon 07:00
    (at(2024, 3, 1, 10, 0), 3, Unit.CALENDAR_DAYS, at(2024, 3, 4, 10, 0)),  # Mon, working time
    (at(2024, 3, 1, 10, 0), 0, Unit.WORKING_DAYS, at(2024, 3, 1, 10, 0)),
    # Calendar days landing in Tết 2024: 07:00 Mon 05/02 + 5 days = Sat 10/02 → 07:00 Thu 15/02.
    (at(2024, 2, 3, 9, 0), 5, Unit.CALENDAR_DAYS, at(2024, 2, 15, 7, 0)),
    # --- the canonical representation: 17:00 on D, never 07:00 of the next working day ---
    (at(2024, 3, 4, 7, 0), 1, Unit.WORKING_DAYS, at(2024, 3, 4, 17, 0)),
    (at(2024, 3, 8, 7, 0), 1, Unit.WORKING_DAYS, at(2024, 3, 8, 17, 0)),  # Fri, not Mon 07:00
    (at(2024, 3, 4, 17, 0), 1, Unit.WORKING_DAYS, at(2024, 3, 5, 17, 0)),  # 17:00 is a moment
    (at(2024, 3, 4, 7, 0), 9, Unit.WORKING_HOURS, at(2024, 3, 5, 8, 0)),
]


@pytest.mark.parametrize(("start", "amount", "unit", "expected"), GOLDEN)
def test_it_computes_golden_due_dates(
    cal: WorkingCalendar, start: dt.datetime, amount: int, unit: Unit, expected: dt.datetime
) -> None:
    due = cal.due(start, amount, unit)
    assert due == expected
    assert due.tzinfo is not None and due.utcoffset() == dt.timedelta(hours=7)


def test_it_treats_the_end_of_a_day_and_the_next_morning_as_the_same_working_moment(
    cal: WorkingCalendar,
) -> None:
    assert cal.working_time_between(at(2024, 3, 4, 17, 0), at(2024, 3, 5, 7, 0)) == dt.timedelta(0)
    assert cal.working_time_between(at(2024, 3, 8, 17, 0), at(2024, 3, 11, 7, 0)) == dt.timedelta(0)
    assert cal.is_working_time(at(2024, 3, 4, 17, 0))
    assert cal.is_working_time(at(2024, 3, 4, 11, 30))
    assert not cal.is_working_time(at(2024, 3, 4, 11, 31))
    assert not cal.is_working_time(at(2024, 3, 4, 17, 1))
    assert not cal.is_working_time(at(2024, 5, 4, 6, 59))
    assert cal.is_working_time(at(2024, 5, 4, 7, 0))  # the swapped Saturday
    assert not cal.is_working_time(at(2024, 2, 12, 9, 0))  # Tết


def test_it_counts_working_time_between_instants(cal: WorkingCalendar) -> None:
    # Fri 26/04/2024 13:30 → Tue 07/05/2024 11:30 is the 40 h of the 30/4 golden case.
    assert cal.working_time_between(at(2024, 4, 26, 13, 30), at(2024, 5, 7, 11, 30)) == 40 * H
    assert cal.working_time_between(at(2024, 5, 7, 11, 30), at(2024, 4, 26, 13, 30)) == -40 * H
    assert cal.working_time_between(at(2024, 3, 4, 12, 0), at(2024, 3, 4, 13, 30)) == 0 * H


def test_it_converts_other_time_zones_and_refuses_naive_datetimes(cal: WorkingCalendar) -> None:
    utc = dt.datetime(2024, 3, 4, 0, 0, tzinfo=dt.UTC)  # 07:00 in Hồ Chí Minh City
    due = cal.add_working_days(utc, 1)
    assert due == at(2024, 3, 4, 17, 0)
    assert due.tzinfo == ZoneInfo("Asia/Ho_Chi_Minh")
    with pytest.raises(NaiveDatetimeError) as err:
        cal.add_working_days(dt.datetime(2024, 3, 4, 7, 0), 1)
    assert err.value.field == "start"


def test_it_rejects_bad_input_with_the_offending_field(cal: WorkingCalendar) -> None:
    with pytest.raises(ClockError) as err:
        cal.due(at(2024, 3, 4, 7), -1, Unit.WORKING_DAYS)
    assert err.value.field == "amount"
    with pytest.raises(ClockError) as err:
        cal.due(at(2024, 3, 4, 7), 1, "weeks")
    assert err.value.field == "unit"
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(at(1989, 12, 31, 9), 1)
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(at(2100, 12, 1, 9), 500)


def test_it_reads_office_hours_and_refuses_bad_ones() -> None:
    assert parse_office_hours("07:00-11:30,13:30-17:00") == (
        (7 * 3_600_000_000, 11 * 3_600_000_000 + 30 * 60_000_000),
        (13 * 3_600_000_000 + 30 * 60_000_000, 17 * 3_600_000_000),
    )
    for bad in ("", "7-11", "11:30-07:00", "07:00-12:00,11:00-17:00", "25:00-26:00"):
        with pytest.raises(OfficeHoursError):
            parse_office_hours(bad)


def test_it_honours_other_office_hours() -> None:
    # 08:00–12:00 and 13:00–17:00 (8 h). 1 working day from 16:00 Mon → 1 h Mon, 7 h Tue → 16:00.
    cal = WorkingCalendar.build(office_hours="08:00-12:00,13:00-17:00")
    assert cal.add_working_days(at(2024, 3, 4, 16), 1) == at(2024, 3, 5, 16)
    assert cal.next_working_moment(at(2024, 3, 4, 12, 30)) == at(2024, 3, 4, 13)


def test_it_costs_the_same_for_five_hundred_working_days_as_for_five(
    cal: WorkingCalendar,
) -> None:
    # 500 working days from Mon 04/03/2024 07:00 still answers, and agrees with counting back.
    start = at(2024, 3, 4, 7)
    due = cal.add_working_days(start, 500)
    assert cal.working_time_between(start, due) == 500 * 8 * H
    assert cal.working_days_between(start.date(), due.date()) == 500
