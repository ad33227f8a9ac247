"""Explain a due date step by step, in Vietnamese, English or Spanish. Pure (no Django).

The explanation is for citizens and officials (DESIGN §3.3): when the clock started and why it
moved, how long the limit is, which days were not counted and why (with the source decision),
which weekend days were worked, and the due instant. The due date itself always comes from
``WorkingCalendar``; listing the skipped days walks the days between start and due, which is fine
for a text meant to be read (the hot path never loops over days).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from motcua.workdays.rules import (
    WORKING_DAY,
    DayKind,
    DayRule,
    Unit,
    WorkingCalendar,
    as_local,
    format_office_hours,
)

Lang = Literal["vi", "en", "es"]
LANGS: tuple[Lang, ...] = ("vi", "en", "es")

#: Above this many plain weekends the explanation counts them instead of listing each one.
MAX_LISTED_WEEKENDS = 4

_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}

_T: dict[Lang, dict[str, str]] = {
    "vi": {
        "received_working": "Tiếp nhận lúc {received}, trong giờ làm việc: thời hạn bắt đầu tính "
        "ngay từ thời điểm này.",
        "received_moved": "Tiếp nhận lúc {received}, {why}: thời hạn bắt đầu tính từ {start}, "
        "thời điểm làm việc kế tiếp.",
        "why_day_off": "{day} là ngày nghỉ — {reason}",
        "why_before": "trước giờ làm việc (bắt đầu {at})",
        "why_break": "trong giờ nghỉ giữa ca ({a}–{b})",
        "why_after": "sau giờ làm việc (kết thúc {at})",
        "limit_days": "Thời hạn {n} ngày làm việc = {hours} giờ làm việc (1 ngày làm việc = 8 giờ; "
        "giờ làm việc {hours_spec}, Thứ Hai đến Thứ Sáu).",
        "limit_hours": "Thời hạn {n} giờ làm việc (giờ làm việc {hours_spec}, "
        "Thứ Hai đến Thứ Sáu).",
        "limit_calendar": "Thời hạn {n} ngày theo lịch: cộng {n} ngày vào thời điểm bắt đầu được "
        "{plain}.",
        "calendar_moved": "{plain} không phải thời gian làm việc ({why}): dời đến {due}.",
        "skipped_block": "Không tính {span}: {reasons}.",
        "skipped_weekends": "Không tính {n} ngày nghỉ cuối tuần (Thứ Bảy, Chủ nhật).",
        "worked_weekend": "Vẫn tính {day}: {reason}.",
        "due": "Hạn giải quyết: {due}.",
        "due_end_of_day": "Hạn giải quyết: {due} (hết giờ làm việc của ngày này, tương đương "
        "{next} — cùng một thời điểm làm việc).",
        "weekend": "nghỉ cuối tuần",
        "holiday": "ngày lễ",
        "compensatory": "nghỉ bù",
        "swap_day_off": "nghỉ hoán đổi",
        "override_day_off": "ngày nghỉ theo quyết định của tỉnh",
        "swap_workday": "làm việc bù (hoán đổi)",
        "override_workday": "ngày làm việc theo quyết định của tỉnh",
        "source": "theo {source}",
        "span": "{a} đến {b}",
        "at": "{time} {day}",
    },
    "en": {
        "received_working": "Received at {received}, during working hours: the clock starts "
        "at once.",
        "received_moved": "Received at {received}, {why}: the clock starts at {start}, the next "
        "working moment.",
        "why_day_off": "{day} is not a working day — {reason}",
        "why_before": "before office hours (which start at {at})",
        "why_break": "during the midday break ({a}–{b})",
        "why_after": "after office hours (which end at {at})",
        "limit_days": "Limit: {n} working days = {hours} working hours (1 working day = 8 hours; "
        "office hours {hours_spec}, Monday to Friday).",
        "limit_hours": "Limit: {n} working hours (office hours {hours_spec}, Monday to Friday).",
        "limit_calendar": "Limit: {n} calendar days: {n} days after the start is {plain}.",
        "calendar_moved": "{plain} is not working time ({why}): moved to {due}.",
        "skipped_block": "Not counted, {span}: {reasons}.",
        "skipped_weekends": "Not counted: {n} weekend days (Saturday, Sunday).",
        "worked_weekend": "Counted although a weekend day, {day}: {reason}.",
        "due": "Due: {due}.",
        "due_end_of_day": "Due: {due} (the end of that working day, the same working moment as "
        "{next}).",
        "weekend": "weekend",
        "holiday": "public holiday",
        "compensatory": "compensatory day off",
        "swap_day_off": "swapped day off",
        "override_day_off": "day off decided by the province",
        "swap_workday": "swapped working day",
        "override_workday": "working day decided by the province",
        "source": "per {source}",
        "span": "{a} to {b}",
        "at": "{time}, {day}",
    },
    "es": {
        "received_working": "Recibido a las {received}, en horario laboral: el plazo empieza "
        "a contar de inmediato.",
        "received_moved": "Recibido a las {received}, {why}: el plazo empieza a contar a las "
        "{start}, el siguiente momento laborable.",
        "why_day_off": "{day} no es día laborable — {reason}",
        "why_before": "antes del horario de oficina (empieza a las {at})",
        "why_break": "durante la pausa del mediodía ({a}–{b})",
        "why_after": "después del horario de oficina (termina a las {at})",
        "limit_days": "Plazo: {n} días hábiles = {hours} horas hábiles (1 día hábil = 8 horas; "
        "horario {hours_spec}, de lunes a viernes).",
        "limit_hours": "Plazo: {n} horas hábiles (horario {hours_spec}, de lunes a viernes).",
        "limit_calendar": "Plazo: {n} días naturales: {n} días después del inicio es {plain}.",
        "calendar_moved": "{plain} no es tiempo laborable ({why}): se traslada a {due}.",
        "skipped_block": "No se cuenta, {span}: {reasons}.",
        "skipped_weekends": "No se cuentan {n} días de fin de semana (sábado, domingo).",
        "worked_weekend": "Se cuenta aunque es fin de semana, {day}: {reason}.",
        "due": "Vencimiento: {due}.",
        "due_end_of_day": "Vencimiento: {due} (fin de esa jornada, el mismo momento laborable "
        "que {next}).",
        "weekend": "fin de semana",
        "holiday": "festivo",
        "compensatory": "día de descanso compensatorio",
        "swap_day_off": "día libre por intercambio",
        "override_day_off": "día libre decidido por la provincia",
        "swap_workday": "día laborable por intercambio",
        "override_workday": "día laborable decidido por la provincia",
        "source": "según {source}",
        "span": "{a} a {b}",
        "at": "{time}, {day}",
    },
}


@dataclass(frozen=True, slots=True)
class Explained:
    start: dt.datetime
    due: dt.datetime
    lines: list[str]


def _lang(lang: str) -> Lang:
    for known in LANGS:
        if lang == known:
            return known
    return "vi"


def format_day(d: dt.date, lang: str = "vi") -> str:
    # Plain integer formatting: strftime is several times slower, and this runs a few times
    # on every tracking page (the due-date explanation).
    return f"{_WEEKDAYS[_lang(lang)][d.weekday()]} {d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_instant(t: dt.datetime, lang: str = "vi") -> str:
    lg = _lang(lang)
    local = as_local(t, field="instant")
    return _T[lg]["at"].format(
        time=f"{local.hour:02d}:{local.minute:02d}", day=format_day(local.date(), lg)
    )


def describe_rule(rule: DayRule, lang: str = "vi", *, with_source: bool = True) -> str:
    """The reason a date is special, with its source (``<name> — nghỉ bù, theo <source>``)."""
    lg = _lang(lang)
    t = _T[lg]
    if rule.kind is DayKind.WEEKEND:
        return t["weekend"]
    name = rule.name_vi if lg == "vi" else (rule.name_en or rule.name_vi)
    text = f"{name} — {t[rule.kind.value]}" if name else t[rule.kind.value]
    if rule.source and with_source:
        text += ", " + t["source"].format(source=rule.source)
    return text


def explain(
    calendar: WorkingCalendar,
    received: dt.datetime,
    amount: int,
    unit: Unit | str,
    *,
    lang: str = "vi",
) -> Explained:
    """Compute the due instant of ``amount`` ``unit`` from ``received`` and explain it."""
    lg = _lang(lang)
    t = _T[lg]
    unit = Unit(unit)
    local = as_local(received)
    start = calendar.next_working_moment(local)
    due = calendar.due(local, amount, unit)
    fi: Callable[[dt.datetime], str] = lambda x: format_instant(x, lg)  # noqa: E731
    hours_spec = format_office_hours(calendar.office_hours)

    lines: list[str] = []
    if start == local:
        lines.append(t["received_working"].format(received=fi(local)))
    else:
        lines.append(
            t["received_moved"].format(
                received=fi(local), why=_why_not_working(calendar, local, lg), start=fi(start)
            )
        )

    if unit is Unit.CALENDAR_DAYS:
        plain = start + dt.timedelta(days=amount)
        lines.append(t["limit_calendar"].format(n=amount, plain=fi(plain)))
        if plain != due:
            lines.append(
                t["calendar_moved"].format(
                    plain=fi(plain), why=_why_not_working(calendar, plain, lg), due=fi(due)
                )
            )
    else:
        if unit is Unit.WORKING_DAYS:
            hours = amount * WORKING_DAY // dt.timedelta(hours=1)
            lines.append(t["limit_days"].format(n=amount, hours=hours, hours_spec=hours_spec))
        else:
            lines.append(t["limit_hours"].format(n=amount, hours_spec=hours_spec))
        lines.extend(_skipped_days(calendar, local.date(), due.date(), lg))

    end_of_day = calendar.office_hours[-1][1]
    due_tod = (due.hour * 60 + due.minute) * 60_000_000 + due.second * 1_000_000
    if amount > 0 and due_tod + due.microsecond == end_of_day:
        nxt = calendar.next_working_moment(due + dt.timedelta(microseconds=1))
        lines.append(t["due_end_of_day"].format(due=fi(due), next=fi(nxt)))
    else:
        lines.append(t["due"].format(due=fi(due)))
    return Explained(start=start, due=due, lines=lines)


def _why_not_working(calendar: WorkingCalendar, local: dt.datetime, lg: Lang) -> str:
    t = _T[lg]
    day = local.date()
    if not calendar.is_working_day(day):
        rule = calendar.day_rule(day)
        reason = describe_rule(rule, lg) if rule else t["weekend"]
        return t["why_day_off"].format(day=format_day(day, lg), reason=reason)
    tod = (local.hour * 60 + local.minute) * 60_000_000 + local.second * 1_000_000
    tod += local.microsecond
    segments = calendar.office_hours
    hhmm = format_office_hours
    if tod < segments[0][0]:
        return t["why_before"].format(at=hhmm([segments[0]]).split("–")[0])
    for (_, end), (nxt, _) in itertools.pairwise(segments):
        if end < tod < nxt:
            a, b = hhmm([(end, nxt)]).split("–")
            return t["why_break"].format(a=a, b=b)
    return t["why_after"].format(at=hhmm([segments[-1]]).split("–")[1])


def _skipped_days(calendar: WorkingCalendar, first: dt.date, last: dt.date, lg: Lang) -> list[str]:
    """Blocks of non-working days in ``[first, last]`` and the weekend days worked in it."""
    t = _T[lg]
    blocks: list[list[tuple[dt.date, DayRule]]] = []
    worked: list[tuple[dt.date, DayRule]] = []
    day = first
    one = dt.timedelta(days=1)
    while day <= last:
        rule = calendar.day_rule(day)
        if rule is not None:
            if rule.working:
                if day.weekday() in calendar.weekend:
                    worked.append((day, rule))
            else:
                if blocks and blocks[-1][-1][0] == day - one:
                    blocks[-1].append((day, rule))
                else:
                    blocks.append([(day, rule)])
        day += one

    plain_weekends = [b for b in blocks if all(r.kind is DayKind.WEEKEND for _, r in b)]
    summarise = len(plain_weekends) > MAX_LISTED_WEEKENDS
    events: list[tuple[dt.date, str]] = []
    for block in blocks:
        if summarise and block in plain_weekends:
            continue
        a, b = block[0][0], block[-1][0]
        span = (
            format_day(a, lg)
            if a == b
            else t["span"].format(a=format_day(a, lg), b=format_day(b, lg))
        )
        if all(r.kind is DayKind.WEEKEND for _, r in block):
            reasons = t["weekend"]
        else:
            parts = [f"{d:%d/%m} {describe_rule(r, lg, with_source=False)}" for d, r in block]
            sources = dict.fromkeys(r.source for _, r in block if r.source)
            parts += [t["source"].format(source=src) for src in sources]
            reasons = "; ".join(parts)
        events.append((a, t["skipped_block"].format(span=span, reasons=reasons)))
    for d, rule in worked:
        events.append(
            (d, t["worked_weekend"].format(day=format_day(d, lg), reason=describe_rule(rule, lg)))
        )
    lines = [text for _, text in sorted(events, key=lambda e: e[0])]
    if summarise:
        n = sum(len(b) for b in plain_weekends)
        lines.append(t["skipped_weekends"].format(n=n))
    return lines
