"""Pure tests of the dossier clock ledger (``clock.py``) and its explanation (``explain.py``).

No database: the calendar is the seeded official one (holidays package + schedules). Office hours
07:00–11:30 and 13:30–17:00 (8 h a working day). Tết 2026: days off Sat 14/02 – Sun 22/02.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.dossiers.clock import apology_allowed, classify, limit_as_work, plan, risk_threshold
from motcua.dossiers.clock import step_dues as compute_step_dues
from motcua.dossiers.explain import PauseFact, explain_dossier
from motcua.dossiers.tests.conftest import VN, at
from motcua.workdays.rules import WORKING_DAY, Pause, WorkingCalendar
from motcua.workdays.schedule import seed_rules

H = dt.timedelta(hours=1)
CAL = WorkingCalendar.build(rules=seed_rules(range(2025, 2028)))


# -- limit_as_work --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "unit", "hours"),
    [
        ("2026-03-02 08:00", 5, "working_days", 40),
        ("2026-03-02 08:00", 12, "working_hours", 12),
        ("2026-03-02 08:00", 0, "working_days", 0),
        ("2026-03-02 08:00", 3, "none", 0),
        # Calendar days are measured once, at planning, over Tết 2026:
        # Fri 13/02 08:00 + 10 days = Mon 23/02 08:00: Fri 7 h + Mon 1 h.
        ("2026-02-13 08:00", 10, "calendar_days", 8),
        # Received during Tết: the count starts Mon 23/02 07:00; + 3 days = Thu 26/02 07:00.
        ("2026-02-14 10:00", 3, "calendar_days", 24),
        # Thu 12/02 08:00 + 15 days = Fri 27/02 08:00: Thu 7, Fri 8, (Tết), Mon–Thu 32, Fri 1.
        ("2026-02-12 08:00", 15, "calendar_days", 48),
        # An ordinary week: Mon 02/03 08:00 + 7 days = Mon 09/03 08:00 = 5 working days.
        ("2026-03-02 08:00", 7, "calendar_days", 40),
    ],
)
def test_it_converts_limits_to_working_time(start: str, amount: int, unit: str, hours: int) -> None:
    assert limit_as_work(CAL, at(start), amount, unit) == hours * H


def test_it_treats_a_missing_amount_as_no_appointment_and_rejects_unknown_units() -> None:
    assert limit_as_work(CAL, at("2026-03-02 08:00"), None, "working_days") == dt.timedelta(0)
    with pytest.raises(ValueError, match="unknown time-limit unit"):
        limit_as_work(CAL, at("2026-03-02 08:00"), 3, "fortnights")


# -- risk_threshold and plan ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit_hours", "kwargs", "expected_hours"),
    [
        (40, {}, 10),  # 25 % of 5 days is more than a day
        (16, {}, 8),  # 25 % of 2 days is under the one-day floor
        (0, {}, 8),
        (40, {"share": 0.5, "floor": 2 * H}, 20),
        (4, {"share": 0.5, "floor": 2 * H}, 2),
    ],
)
def test_it_computes_the_risk_threshold(
    limit_hours: int, kwargs: dict[str, object], expected_hours: int
) -> None:
    assert risk_threshold(limit_hours * H, **kwargs) == expected_hours * H  # type: ignore[arg-type]


def test_a_plan_has_no_due_date_while_a_pause_is_open() -> None:
    start = at("2026-03-02 08:00")
    running = plan(CAL, start=start, limit=40 * H)
    assert (running.due, running.at_risk_from) == (at("2026-03-09 08:00"), at("2026-03-05 16:00"))
    held = plan(CAL, start=start, limit=40 * H, pauses=[Pause(start=at("2026-03-03 09:00"))])
    assert held.due is None and held.at_risk_from is None
    assert (held.elapsed, held.remaining) == (9 * H, 31 * H)  # Mon 7 h + Tue 2 h


# -- step_dues ------------------------------------------------------------------------------------


def test_step_dues_are_cumulative_shares_of_the_limit() -> None:
    dues = compute_step_dues(
        CAL, start=at("2026-03-02 08:00"), limit=40 * H, shares=[10, 60, 20, 10]
    )
    # 4 h, 28 h, 36 h, 40 h from Mon 08:00.
    assert dues == [
        at("2026-03-02 14:00"),
        at("2026-03-05 14:00"),
        at("2026-03-06 14:00"),
        at("2026-03-09 08:00"),
    ]


def test_step_dues_move_with_a_pause_only_after_it() -> None:
    pause = Pause(start=at("2026-03-03 09:00"), end=at("2026-03-05 14:00"))  # 19 working hours
    dues = compute_step_dues(
        CAL, start=at("2026-03-02 08:00"), limit=40 * H, shares=[10, 60, 20, 10], pauses=[pause]
    )
    assert dues == [
        at("2026-03-02 14:00"),  # before the pause: unchanged
        at("2026-03-09 17:00"),  # 28 h: 9 before the pause, Thu 3, Fri 8, Mon 8
        at("2026-03-10 17:00"),
        at("2026-03-11 11:00"),  # the dossier's own due date (test_services_paths)
    ]


def test_step_dues_over_tet_skip_the_holiday() -> None:
    dues = compute_step_dues(CAL, start=at("2026-02-13 08:00"), limit=16 * H, shares=[50, 50])
    # 8 h: Fri 7 h + 1 h on Mon 23/02; 16 h → Tue 24/02 08:00.
    assert dues == [at("2026-02-23 08:00"), at("2026-02-24 08:00")]


# -- classify -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settled", "outcome"),
    [
        ("2026-03-06 16:00", "early"),
        ("2026-03-09 07:00", "on_time"),
        ("2026-03-09 08:00", "on_time"),  # exactly at the due instant
        ("2026-03-09 08:01", "late"),
        ("2026-03-10 07:00", "late"),
    ],
)
def test_it_classifies_the_outcome_against_the_due_date(settled: str, outcome: str) -> None:
    assert classify(at(settled), at("2026-03-09 08:00")) == outcome


def test_classification_uses_the_date_in_vietnam_not_utc() -> None:
    # 23:30 on Sun 08/03 and 00:30 on Mon 09/03 in Hanoi are the same UTC date (08/03).
    due = at("2026-03-09 00:30")
    settled = at("2026-03-08 23:30").astimezone(dt.UTC)
    assert settled.date() == due.astimezone(dt.UTC).date()
    assert classify(settled, due) == "early"


@given(
    due=st.datetimes(
        min_value=dt.datetime(2025, 1, 1),
        max_value=dt.datetime(2027, 12, 31),
        timezones=st.just(VN),
    ),
    offset_minutes=st.integers(min_value=-20_000, max_value=20_000),
)
def test_late_exactly_when_after_the_due_instant(due: dt.datetime, offset_minutes: int) -> None:
    settled = due + dt.timedelta(minutes=offset_minutes)
    outcome = classify(settled, due)
    assert (outcome == "late") == (settled > due)
    if outcome == "early":
        assert settled.date() < due.date()


# -- apology_allowed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "allowed"),
    [
        ("2026-03-05 09:00", True),  # 15 working hours before Mon 09/03 08:00
        ("2026-03-06 08:00", True),  # exactly one working day: Fri 7 h + Mon 1 h
        ("2026-03-06 08:01", False),
        ("2026-03-07 10:00", False),  # Saturday: only Mon 07:00–08:00 remains
        ("2026-03-09 09:00", False),  # already late
    ],
)
def test_an_apology_needs_one_working_day_left(now: str, allowed: bool) -> None:
    assert apology_allowed(CAL, now=at(now), due=at("2026-03-09 08:00")) is allowed


def test_an_apology_before_tet_counts_only_working_days() -> None:
    # Due Tue 24/02 08:00; on Fri 13/02 09:00 there are Fri 6 h + Mon 8 h + Tue 1 h = 15 h left.
    assert apology_allowed(CAL, now=at("2026-02-13 09:00"), due=at("2026-02-24 08:00"))
    assert not apology_allowed(CAL, now=at("2026-02-23 09:00"), due=at("2026-02-24 08:00"))
    assert WORKING_DAY == 8 * H


# -- explain_dossier ------------------------------------------------------------------------------


def explain(lang: str, **overrides: object) -> list[str]:
    values: dict[str, object] = dict(
        clock_start_at=at("2026-03-02 08:00"),
        received_at=at("2026-03-02 08:00"),
        limit_amount=5,
        limit_unit="working_days",
        pauses=[],
        due_at=at("2026-03-09 08:00"),
        original_due_at=None,
        apologized=False,
    )
    values.update(overrides)
    return explain_dossier(CAL, lang=lang, **values)  # type: ignore[arg-type]


def test_it_explains_a_plain_due_date() -> None:
    lines = explain("vi")
    assert lines[0].startswith("Tiếp nhận lúc 08:00 Thứ Hai 02/03/2026")
    assert "5 ngày làm việc = 40 giờ làm việc" in lines[1]
    assert lines[-1] == "Hạn trả kết quả hiện tại: 08:00 Thứ Hai 09/03/2026."
    assert explain("en")[-1] == "Current due date: 08:00, Monday 09/03/2026."


def test_it_explains_pauses_and_an_apology_in_vietnamese_and_english() -> None:
    pauses = [
        PauseFact("supplement", at("2026-03-03 09:00"), at("2026-03-05 14:00")),
        PauseFact("payment", at("2026-03-06 08:00"), None),
    ]
    common = dict(
        pauses=pauses,
        due_at=at("2026-03-11 17:00"),
        original_due_at=at("2026-03-09 08:00"),
        apologized=True,
    )
    vi = explain("vi", **common)
    assert (
        "Tạm dừng tính thời gian từ 09:00 Thứ Ba 03/03/2026 đến 14:00 Thứ Năm 05/03/2026 "
        "(chờ bổ sung hồ sơ): 19 giờ làm việc không được tính, hạn trả lùi tương ứng."
    ) in vi
    assert (
        "Đang tạm dừng tính thời gian từ 08:00 Thứ Sáu 06/03/2026 (chờ thực hiện nghĩa vụ tài "
        "chính): hạn trả sẽ được tính lại khi công dân hoàn thành."
    ) in vi
    assert vi[-2] == (
        "Cơ quan giải quyết đã xin lỗi và hẹn lại ngày trả kết quả: hạn cũ 08:00 Thứ Hai "
        "09/03/2026, hạn mới 17:00 Thứ Tư 11/03/2026."
    )
    assert vi[-1] == "Hạn trả kết quả hiện tại: 17:00 Thứ Tư 11/03/2026."

    en = explain("en", **common)
    assert len(en) == len(vi)
    assert any("19 working hours are not counted" in line for line in en)
    assert any("(waiting for payment)" in line for line in en)
    assert en[-2].startswith("The agency apologised and set a new date: old due date 08:00")
    assert explain("es", **common) == en  # Spanish readers get the English explanation


def test_it_explains_a_restart_and_leaves_out_the_pauses_before_it() -> None:
    pauses = [PauseFact("supplement", at("2026-03-02 10:00"), at("2026-03-06 14:00"), True)]
    lines = explain(
        "vi",
        clock_start_at=at("2026-03-06 14:00"),
        limit_amount=2,
        pauses=pauses,
        due_at=at("2026-03-10 14:00"),
    )
    assert lines[0] == (
        "Hồ sơ được bổ sung đầy đủ lúc 14:00 Thứ Sáu 06/03/2026: theo quy định của thủ tục, "
        "thời hạn giải quyết được tính lại từ đầu."
    )
    assert not any("Tạm dừng" in line for line in lines)
    assert lines[-1] == "Hạn trả kết quả hiện tại: 14:00 Thứ Ba 10/03/2026."
    en = explain(
        "en",
        clock_start_at=at("2026-03-06 14:00"),
        limit_amount=2,
        pauses=pauses,
        due_at=at("2026-03-10 14:00"),
    )
    assert en[0].startswith("The dossier was completed at 14:00, Friday 06/03/2026")


def test_it_explains_a_dossier_not_received_and_one_without_appointment() -> None:
    assert explain("vi", received_at=None, clock_start_at=None, due_at=None) == [
        "Hồ sơ chưa được tiếp nhận: thời hạn chưa bắt đầu tính."
    ]
    assert explain("en", limit_unit="none", limit_amount=None) == [
        "This procedure has no appointment: it is settled on receipt."
    ]


def test_the_explanation_skips_the_tet_days() -> None:
    lines = explain(
        "vi",
        clock_start_at=at("2026-02-13 08:00"),
        received_at=at("2026-02-13 08:00"),
        limit_amount=2,
        due_at=at("2026-02-24 08:00"),
    )
    text = "\n".join(lines)
    assert "Tết" in text and "Hạn trả kết quả hiện tại: 08:00 Thứ Ba 24/02/2026." in text
