"""Vietnamese wording of dates, times and timeliness on the printed forms (pure; no Django).

Dates follow Decree 30/2020/NĐ-CP (administrative documents): a day below 10 and the months
1 and 2 take a leading zero — "ngày 05 tháng 01 năm 2026", "ngày 27 tháng 11 năm 2026".
"""

from __future__ import annotations

from datetime import date, datetime

from .data import Outcome
from .regimes import VN_TZ

OUTCOME_LABELS: dict[Outcome, str] = {
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Quá hạn",
}

BLANK = "……………"


def local(when: datetime) -> datetime:
    """``when`` in Vietnam time (naive datetimes are taken as already local)."""
    return when.astimezone(VN_TZ) if when.tzinfo is not None else when


def _day(d: date) -> str:
    return f"{d.day:02d}"


def _month(d: date) -> str:
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def long_date(when: date) -> str:
    """ "ngày 05 tháng 3 năm 2026"."""
    d = local(when).date() if isinstance(when, datetime) else when
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def dateline(locality: str, when: date) -> str:
    """The place-and-date line under the national motto.

    ``dateline("Buôn Ma Thuột", date(2026, 11, 27))`` → "Buôn Ma Thuột, ngày 27 tháng 11 năm 2026".
    """
    place = locality.strip() or "……"
    return f"{place}, {long_date(when)}"


def short_date(when: date | None) -> str:
    """ "27/11/2026" (empty for None)."""
    if when is None:
        return ""
    d = local(when).date() if isinstance(when, datetime) else when
    return d.strftime("%d/%m/%Y")


def time_of_day(when: datetime | None) -> str:
    """ "08 giờ 30 phút, ngày 27/11/2026" (a dotted blank for None)."""
    if when is None:
        return f"…… giờ …… phút, ngày {BLANK}"
    t = local(when)
    return f"{t.hour:02d} giờ {t.minute:02d} phút, ngày {t:%d/%m/%Y}"


def compact_time(when: datetime | None) -> str:
    """ "08:30 27/11/2026" for table cells (empty for None)."""
    if when is None:
        return ""
    return f"{local(when):%H:%M %d/%m/%Y}"


def classify(finished: datetime | date, due: datetime | date) -> Outcome:
    """Timeliness of work finished at ``finished`` against ``due`` (DESIGN §3.2).

    Late when it finished after the due moment; on time when it finished on the due day (not
    after it); early before that day. Dates compare by day; datetimes in Vietnam time.
    """
    if isinstance(finished, datetime) and isinstance(due, datetime):
        f_at, d_at = local(finished), local(due)
        if f_at > d_at:
            return "late"
        return "on_time" if f_at.date() == d_at.date() else "early"
    f_day = local(finished).date() if isinstance(finished, datetime) else finished
    d_day = local(due).date() if isinstance(due, datetime) else due
    if f_day > d_day:
        return "late"
    return "on_time" if f_day == d_day else "early"


def outcome_label(outcome: Outcome | None) -> str:
    """ "Trước hạn" / "Đúng hạn" / "Quá hạn" (empty while the step is still open)."""
    return "" if outcome is None else OUTCOME_LABELS[outcome]


def money(amount_vnd: int) -> str:
    """ "1.500.000 đồng" (Vietnamese thousands separator)."""
    return f"{amount_vnd:,}".replace(",", ".") + " đồng"
