"""The step-by-step explanation names the start, each skipped day with its reason, and the due."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from motcua.workdays.explain import explain
from motcua.workdays.rules import Unit, WorkingCalendar
from motcua.workdays.tests.conftest import at


def test_it_explains_a_dossier_received_after_hours_before_tet_2024(cal: WorkingCalendar) -> None:
    result = explain(cal, at(2024, 2, 7, 17, 1), 3, Unit.WORKING_DAYS, lang="vi")
    text = "\n".join(result.lines)
    assert result.due == at(2024, 2, 19, 17)
    assert "17:01 Thứ Tư 07/02/2024" in result.lines[0]
    assert "sau giờ làm việc" in result.lines[0]
    assert "07:00 Thứ Năm 15/02/2024" in result.lines[0]
    assert "3 ngày làm việc = 24 giờ làm việc" in text
    # Every skipped Tết day is named, with the compensatory days and the source decision.
    for day in ("08/02", "09/02", "10/02", "11/02", "12/02", "13/02", "14/02"):
        assert day in text
    assert "Tết Nguyên đán" in text
    assert "nghỉ bù" in text
    assert "5015/TB-LĐTBXH" in text
    assert "Thứ Bảy 17/02/2024 đến Chủ nhật 18/02/2024: nghỉ cuối tuần" in text
    assert result.lines[-1].startswith("Hạn giải quyết: 17:00 Thứ Hai 19/02/2024")
    assert "07:00 Thứ Ba 20/02/2024" in result.lines[-1]  # the same working moment


def test_it_explains_the_swapped_saturday_in_english(cal: WorkingCalendar) -> None:
    result = explain(cal, at(2024, 4, 26, 12, 0), 5, Unit.WORKING_DAYS, lang="en")
    text = "\n".join(result.lines)
    assert "during the midday break (11:30–13:30)" in result.lines[0]
    assert "swapped day off" in text and "2450/VPCP-KGVX" in text
    assert "Counted although a weekend day, Saturday 04/05/2024" in text
    assert "Reunification Day" in text
    assert result.lines[-1] == "Due: 11:30, Tuesday 07/05/2024."


def test_it_explains_a_sunday_receipt_and_calendar_days_in_spanish(cal: WorkingCalendar) -> None:
    result = explain(cal, at(2024, 2, 3, 9, 0), 5, Unit.CALENDAR_DAYS, lang="es")
    assert "sábado 03/02/2024 no es día laborable — fin de semana" in result.lines[0]
    assert "07:00, sábado 10/02/2024" in result.lines[1]
    assert "se traslada a 07:00, jueves 15/02/2024" in result.lines[2]
    assert result.due == at(2024, 2, 15, 7)


def test_it_explains_a_receipt_inside_office_hours(cal: WorkingCalendar) -> None:
    result = explain(cal, at(2024, 3, 4, 16, 59), 1, Unit.WORKING_DAYS)
    assert "trong giờ làm việc" in result.lines[0]
    assert result.lines[-1] == "Hạn giải quyết: 16:59 Thứ Ba 05/03/2024."


def test_it_summarises_many_weekends(cal: WorkingCalendar) -> None:
    result = explain(cal, at(2024, 3, 4, 7), 100, Unit.WORKING_DAYS)
    text = "\n".join(result.lines)
    assert "ngày nghỉ cuối tuần (Thứ Bảy, Chủ nhật)" in text
    assert "Ngày Chiến thắng" in text and "Quốc khánh" not in text  # due before September
    assert "Vẫn tính Thứ Bảy 04/05/2024" in text


@given(
    moment=st.datetimes(
        min_value=dt.datetime(1900, 1, 1),
        max_value=dt.datetime(2200, 12, 31),
        timezones=st.just(dt.UTC),
    ),
    lang=st.sampled_from(["vi", "en", "es"]),
)
def test_it_writes_days_and_instants_as_strftime_would(moment: dt.datetime, lang: str) -> None:
    from motcua.workdays.explain import _T, _WEEKDAYS, _lang, format_day, format_instant
    from motcua.workdays.rules import TZ

    local = moment.astimezone(TZ)
    weekday = _WEEKDAYS[_lang(lang)][local.weekday()]
    assert format_day(local.date(), lang) == f"{weekday} {local:%d/%m/%Y}"
    assert format_instant(moment, lang) == _T[_lang(lang)]["at"].format(
        time=f"{local:%H:%M}", day=f"{weekday} {local:%d/%m/%Y}"
    )
