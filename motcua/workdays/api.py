"""Public calendar API: when would something be due, and a year's calendar."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from motcua.core.errors import InvalidInput
from motcua.workdays import explain as explain_mod
from motcua.workdays.rules import MAX_AMOUNT, ClockError, Unit, as_local, format_office_hours
from motcua.workdays.schemas import CalendarDayOut, CalendarYearOut, DueOut, ErrorOut
from motcua.workdays.selectors import check_year, holiday_list, working_calendar

router = Router(tags=["calendar"])

# "2024-02-09T17:01:00+07:00" sent unencoded in a query string arrives with a space for the "+".
_SPACE_OFFSET = re.compile(r"^(\S+T[\d:.]+) (\d{2}:?\d{2})$")


def parse_start(raw: str | None) -> dt.datetime:
    if raw is None or not raw.strip():
        raise InvalidInput(_("start: bắt buộc (thời điểm tiếp nhận, ISO 8601)."), field="start")
    text = _SPACE_OFFSET.sub(r"\1+\2", raw.strip())
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            _("start: không đọc được thời điểm %(v)s; dùng dạng 2024-02-09T17:01:00+07:00.")
            % {"v": repr(raw)},
            field="start",
        ) from None
    try:
        return as_local(value, field="start")
    except ClockError:
        raise InvalidInput(
            _("start: thiếu múi giờ; thêm độ lệch, ví dụ +07:00."), field="start"
        ) from None


def parse_unit(raw: str | None) -> Unit:
    allowed = ", ".join(u.value for u in Unit)
    if raw is None or not raw.strip():
        raise InvalidInput(_("unit: bắt buộc, một trong %(a)s.") % {"a": allowed}, field="unit")
    try:
        return Unit(raw.strip())
    except ValueError:
        raise InvalidInput(
            _("unit: %(v)s không hợp lệ; dùng một trong %(a)s.") % {"v": repr(raw), "a": allowed},
            field="unit",
        ) from None


def parse_amount(raw: str | None, unit: Unit) -> int:
    if raw is None or not raw.strip():
        raise InvalidInput(_("amount: bắt buộc (số nguyên không âm)."), field="amount")
    text = raw.strip()
    if not re.fullmatch(r"\d{1,9}", text):
        raise InvalidInput(
            _("amount: %(v)s không phải số nguyên không âm.") % {"v": repr(raw)}, field="amount"
        )
    value = int(text)
    limit = MAX_AMOUNT[unit.value]
    if value > limit:
        raise InvalidInput(
            _("amount: tối đa %(n)s cho đơn vị %(u)s.") % {"n": limit, "u": unit.value},
            field="amount",
        )
    return value


def parse_lang(raw: str | None) -> str:
    if raw is None or raw == "":
        return "vi"
    if raw not in explain_mod.LANGS:
        raise InvalidInput(
            _("lang: dùng một trong %(a)s.") % {"a": ", ".join(explain_mod.LANGS)}, field="lang"
        )
    return raw


@router.get(
    "/due",
    response={200: DueOut, 422: ErrorOut},
    summary="When would it be due?",
    description=(
        "Due instant of a time limit counted from `start` (DESIGN §3.3.1): `working_days` "
        "(N × 8 working hours), `working_hours`, or `calendar_days`, with a step-by-step "
        "explanation in `lang` (vi, en or es). A limit used up exactly at the end of a working "
        "day is due at 17:00 on that day. A bad parameter gets a 422 naming it in `field`."
    ),
)
def calendar_due_api(
    request: HttpRequest,
    start: Annotated[
        str | None, Query(description="Received-at instant, ISO 8601 + offset")
    ] = None,
    amount: Annotated[str | None, Query(description="Non-negative integer")] = None,
    unit: Annotated[
        str | None, Query(description="working_days | working_hours | calendar_days")
    ] = None,
    lang: Annotated[str | None, Query(description="vi (default), en or es")] = None,
) -> DueOut:
    received = parse_start(start)
    parsed_unit = parse_unit(unit)
    parsed_amount = parse_amount(amount, parsed_unit)
    language = parse_lang(lang)
    try:
        result = explain_mod.explain(
            working_calendar(), received, parsed_amount, parsed_unit, lang=language
        )
    except ClockError as exc:
        raise InvalidInput(f"{exc.message}", field=exc.field or "start") from None
    return DueOut(
        due=result.due.isoformat(),
        start=result.start.isoformat(),
        amount=parsed_amount,
        unit=parsed_unit.value,
        explanation=result.lines,
    )


@router.get(
    "/{int:year}",
    response={200: CalendarYearOut, 422: ErrorOut},
    summary="A year's non-working and swapped days",
)
def calendar_year_api(request: HttpRequest, year: int) -> CalendarYearOut:
    check_year(year)
    cal = working_calendar()
    days = [
        CalendarDayOut(
            date=h.date,
            kind=h.kind,
            working=h.is_working,
            name_vi=h.name_vi,
            name_en=h.name_en,
            source=h.source,
            note=h.note,
        )
        for h in holiday_list(year=year)
    ]
    return CalendarYearOut(
        year=year,
        working_days=cal.working_days_between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        office_hours=format_office_hours(cal.office_hours),
        days=days,
    )
