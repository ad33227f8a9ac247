"""Seed data for the working calendar: statutory days + official schedules. Pure (no Django).

Two layers, merged per date (the second wins):

1. **Statutory and compensatory days from the ``holidays`` package** (``holidays.VN``): the
   Labour Code 2019 Art. 112 holidays (1/1, five Tết days, Hùng Kings 10/3 lunar, 30/4, 1/5,
   2/9 + an adjacent day), the compensatory days (Art. 111(3), "nghỉ bù", detected as the dates
   that appear only when ``observed=True``) and the package's list of official swaps
   (``VietnamStaticHolidays.special_public_holidays``: a weekday off in exchange for a worked
   weekend day).
2. **The official yearly schedule for civil servants** (``OFFICIAL``), checked by hand against the
   sources named in each entry: which days are the Tết days, which Saturday is worked, and any date
   the package gets wrong for the public sector. Where a fact could not be confirmed the entry's
   ``note`` says so (shown on the calendar page and in the API).

The merged rows are what ``services.seed_year`` writes as ``Holiday`` rows, and what
``bench/clock.py`` uses to build an in-memory calendar without a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import holidays
from holidays.countries.vietnam import VietnamStaticHolidays

from motcua.workdays.rules import DayKind, DayRule

SOURCE_HOLIDAY = "Bộ luật Lao động 2019, Điều 112"
SOURCE_COMPENSATORY = "Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù)"
SOURCE_PACKAGE_SWAP = "Lịch hoán đổi theo gói holidays (VietnamStaticHolidays)"
SOURCE_CULTURE_DAY = "Nghị quyết 80-NQ/TW (Ngày Văn hóa Việt Nam); gói holidays"
NOTE_CULTURE_DAY = (
    "Chưa xác minh: chưa thấy văn bản sửa khoản 1 Điều 112 Bộ luật Lao động có hiệu lực "
    "(Nghị quyết 30/NQ-CP năm 2026 mới giao sửa). Nếu tỉnh không nghỉ ngày này, đổi "
    "thành ngày làm việc theo quyết định của tỉnh."
)

_WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class SeedRow:
    day: dt.date
    kind: DayKind
    name_vi: str
    name_en: str
    source: str
    note: str = ""

    def to_rule(self) -> DayRule:
        return DayRule(
            day=self.day,
            kind=self.kind,
            name_vi=self.name_vi,
            name_en=self.name_en,
            source=self.source,
        )


@dataclass(frozen=True, slots=True)
class Overlay:
    """A correction from the official schedule; ``None`` fields keep the package's value."""

    day: dt.date
    kind: DayKind | None = None
    name_vi: str | None = None
    name_en: str | None = None
    source: str | None = None
    note: str | None = None
    drop: bool = False  # the package lists the date but the public-sector schedule does not


def _d(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def _tet(day: dt.date, label_vi: str, label_en: str, source: str, note: str = "") -> Overlay:
    return Overlay(
        day=day,
        kind=DayKind.HOLIDAY,
        name_vi=f"Tết Nguyên đán ({label_vi})",
        name_en=f"Lunar New Year, Tết ({label_en})",
        source=source,
        note=note or None,
    )


def _swap(off: dt.date, work: dt.date, source: str, note: str = "") -> list[Overlay]:
    return [
        Overlay(
            day=off,
            kind=DayKind.SWAP_DAY_OFF,
            name_vi=f"Nghỉ hoán đổi, làm bù vào {_WEEKDAY_VI[work.weekday()]} {work:%d/%m/%Y}",
            name_en=f"Day off, swapped with {_WEEKDAY_EN[work.weekday()]} {work:%d/%m/%Y}",
            source=source,
            note=note or None,
        ),
        Overlay(
            day=work,
            kind=DayKind.SWAP_WORKDAY,
            name_vi=f"Làm việc bù cho ngày nghỉ {_WEEKDAY_VI[off.weekday()]} {off:%d/%m/%Y}",
            name_en=f"Working day in exchange for {_WEEKDAY_EN[off.weekday()]} {off:%d/%m/%Y}",
            source=source,
            note=note or None,
        ),
    ]


# --- 2024 --------------------------------------------------------------------------------------
# Tết and National Day: Thông báo 5015/TB-LĐTBXH of 22/11/2023, after the PM's approval in
# Công văn 8662/VPCP-KGVX of 03/11/2023: off Thu 08/02 (29 tháng Chạp) to Wed 14/02 (mùng 5),
# "05 ngày nghỉ tết Âm lịch và 02 ngày nghỉ bù"; the approved plan was 2 days before Tết and 3
# after, so 10/02 and 11/02 (Sat, Sun) are Tết days and 13/02, 14/02 their compensatory days.
# National Day: off Sat 31/08 to Tue 03/09 (02/09 + 03/09).
# 30/4–1/5: Công văn 2450/VPCP-KGVX of 12/04/2024: Mon 29/04 off, Sat 04/05 worked.
_S2024 = "Thông báo 5015/TB-LĐTBXH ngày 22/11/2023; Công văn 8662/VPCP-KGVX ngày 03/11/2023"
_S2024_APR = "Công văn 2450/VPCP-KGVX ngày 12/04/2024"
_2024: list[Overlay] = [
    _tet(_d(2024, 2, 8), "29 tháng Chạp", "29th of the 12th lunar month", _S2024),
    _tet(_d(2024, 2, 9), "30 tháng Chạp, Giao thừa", "New Year's Eve", _S2024),
    _tet(_d(2024, 2, 10), "Mùng 1", "1st day", _S2024),
    _tet(_d(2024, 2, 11), "Mùng 2", "2nd day", _S2024),
    _tet(_d(2024, 2, 12), "Mùng 3", "3rd day", _S2024),
    Overlay(
        day=_d(2024, 2, 13),
        kind=DayKind.COMPENSATORY,
        name_vi="Nghỉ bù Tết Nguyên đán (Mùng 4)",
        name_en="Lunar New Year, compensatory day (4th day)",
        source=_S2024,
    ),
    Overlay(
        day=_d(2024, 2, 14),
        kind=DayKind.COMPENSATORY,
        name_vi="Nghỉ bù Tết Nguyên đán (Mùng 5)",
        name_en="Lunar New Year, compensatory day (5th day)",
        source=_S2024,
    ),
    *_swap(_d(2024, 4, 29), _d(2024, 5, 4), _S2024_APR),
    Overlay(day=_d(2024, 9, 2), source=_S2024),
    Overlay(day=_d(2024, 9, 3), source=_S2024),
]

# --- 2025 --------------------------------------------------------------------------------------
# Thông báo 6150/TB-BLĐTBXH (2024): Tết off Sat 25/01 to Sun 02/02 (9 days: Mon 27/01 – Fri 31/01
# are the five Tết days, no compensatory day); 30/4–1/5: Fri 02/05 off, Sat 26/04 worked
# (off 30/04–04/05); National Day off Sat 30/08 – Tue 02/09 (01/09 + 02/09). The 30/4 swap and
# the National Day dates are confirmed by the press; the notice number comes from the holidays
# package's reference list.
_S2025 = "Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động – Thương binh và Xã hội"
_2025: list[Overlay] = [
    _tet(_d(2025, 1, 27), "trước Giao thừa", "day before New Year's Eve", _S2025),
    _tet(_d(2025, 1, 28), "Giao thừa", "New Year's Eve", _S2025),
    _tet(_d(2025, 1, 29), "Mùng 1", "1st day", _S2025),
    _tet(_d(2025, 1, 30), "Mùng 2", "2nd day", _S2025),
    _tet(_d(2025, 1, 31), "Mùng 3", "3rd day", _S2025),
    # The package counts Sat 01/02 (mùng 4) as a Tết day; for civil servants the five Tết days
    # were 27–31/01 and 01/02 is an ordinary Saturday.
    Overlay(day=_d(2025, 2, 1), drop=True),
    *_swap(_d(2025, 5, 2), _d(2025, 4, 26), _S2025),
    Overlay(day=_d(2025, 9, 1), source=_S2025),
    Overlay(day=_d(2025, 9, 2), source=_S2025),
]

# --- 2026 --------------------------------------------------------------------------------------
# New Year: Công văn 12729/VPCP-KGVX of 25/12/2025: off Thu 01/01 – Sun 04/01, Fri 02/01 swapped
# with Sat 10/01 (missing from the holidays package).
# Tết: off Sat 14/02 (27 tháng Chạp) – Sun 22/02 (mùng 6), 9 days = five Tết days Mon 16/02 –
# Fri 20/02 + two weekends (press: congan.com.vn, baomoi); decision number not confirmed.
# Hùng Kings: Sun 26/04 → compensatory Mon 27/04 (off 25–27/04). 30/4–1/5: Thu–Fri, no swap.
# National Day: 5 days off Sat 29/08 – Wed 02/09 (press: 25 days off in 2026 = 4 + 9 + 3 + 4 + 5);
# the worked Saturday 22/08 comes from the holidays package and is not confirmed here.
# 24/11 (Vietnam Culture Day): in the holidays package from 2026, but the Labour Code amendment
# was only announced (Resolution 80-NQ/TW, Resolution 30/NQ-CP of 2026); not confirmed.
_S2026_NY = "Công văn 12729/VPCP-KGVX ngày 25/12/2025"
_S2026_TET = "Phương án nghỉ Tết Âm lịch 2026 của Bộ Nội vụ được Thủ tướng đồng ý"
_N2026_TET = (
    "Khoảng nghỉ 14/02–22/02/2026 đã đối chiếu báo chí; số hiệu văn bản chưa xác minh được."
)
_N2026_QK = (
    "Kỳ nghỉ 5 ngày 29/08–02/09/2026 đã đối chiếu báo chí; ngày làm bù Thứ Bảy 22/08 lấy từ gói "
    "holidays, số hiệu văn bản chưa xác minh được."
)
_2026: list[Overlay] = [
    *_swap(_d(2026, 1, 2), _d(2026, 1, 10), _S2026_NY),
    _tet(_d(2026, 2, 16), "Giao thừa", "New Year's Eve", _S2026_TET, _N2026_TET),
    _tet(_d(2026, 2, 17), "Mùng 1", "1st day", _S2026_TET, _N2026_TET),
    _tet(_d(2026, 2, 18), "Mùng 2", "2nd day", _S2026_TET, _N2026_TET),
    _tet(_d(2026, 2, 19), "Mùng 3", "3rd day", _S2026_TET, _N2026_TET),
    _tet(_d(2026, 2, 20), "Mùng 4", "4th day", _S2026_TET, _N2026_TET),
    *_swap(_d(2026, 8, 31), _d(2026, 8, 22), SOURCE_PACKAGE_SWAP, _N2026_QK),
    Overlay(day=_d(2026, 9, 1), note=_N2026_QK),
    Overlay(day=_d(2026, 9, 2), note=_N2026_QK),
]

# --- 2027 --------------------------------------------------------------------------------------
# No official 2027 schedule for civil servants was found in our sources: every 2027 row is the
# holidays package's Labour Code computation (Tết 04/02–10/02 with two compensatory days) and
# carries this note.
_N2027 = (
    "Lịch nghỉ chính thức năm 2027 cho công chức chưa có trong nguồn tham khảo; ngày này tính "
    "theo Bộ luật Lao động (gói holidays). Cập nhật khi có thông báo của Bộ Nội vụ."
)

OFFICIAL: dict[int, list[Overlay]] = {2024: _2024, 2025: _2025, 2026: _2026}
YEAR_NOTES: dict[int, str] = {2027: _N2027}


def _clean(name: str) -> str:
    # Vietnamese orthography: "Tết Nguyên đán" (the package capitalises "Đán").
    return name.replace("Nguyên Đán", "Nguyên đán")


def package_rows(year: int) -> dict[dt.date, SeedRow]:
    """Statutory, compensatory and swap days of ``year`` according to ``holidays.VN``."""
    vi = holidays.country_holidays("VN", years=year, language="vi")
    en = holidays.country_holidays("VN", years=year, language="en_US")
    plain = holidays.country_holidays("VN", years=year, observed=False)
    swaps = _package_swaps(year)
    rows: dict[dt.date, SeedRow] = {}
    for day in sorted(vi):
        if day.year != year or day in swaps:
            continue  # swaps are written below as a pair
        observed = day not in plain
        name_vi, name_en = _clean(vi[day]), en.get(day, "")
        if observed and "nghỉ bù" not in name_vi:
            name_vi += " (nghỉ bù)"
        if observed and "observed" not in name_en:
            name_en += " (compensatory)"
        source, note = _statutory_source(year, observed=observed), ""
        if "Văn hóa Việt Nam" in name_vi:
            source, note = SOURCE_CULTURE_DAY, NOTE_CULTURE_DAY
        rows[day] = SeedRow(
            day=day,
            kind=DayKind.COMPENSATORY if observed else DayKind.HOLIDAY,
            name_vi=name_vi,
            name_en=name_en,
            source=source,
            note=note,
        )
    for off, work in swaps.items():
        for overlay in _swap(off, work, SOURCE_PACKAGE_SWAP):
            rows[overlay.day] = SeedRow(
                day=overlay.day,
                kind=overlay.kind or DayKind.SWAP_DAY_OFF,
                name_vi=overlay.name_vi or "",
                name_en=overlay.name_en or "",
                source=SOURCE_PACKAGE_SWAP,
            )
    return rows


def _statutory_source(year: int, *, observed: bool) -> str:
    if year >= 2021:
        return SOURCE_COMPENSATORY if observed else SOURCE_HOLIDAY
    # Before 2021 the Labour Code 2012 applied (Art. 115, compensatory days in its clause 3).
    return "Bộ luật Lao động 2012, Điều 115" + (" khoản 3 (nghỉ bù)" if observed else "")


def _package_swaps(year: int) -> dict[dt.date, dt.date]:
    """{weekday given off: weekend day worked instead} from the package's special holidays."""
    raw: Any = VietnamStaticHolidays.special_public_holidays.get(year)
    if raw is None:
        return {}
    entries: tuple[tuple[int, ...], ...] = raw if isinstance(raw[0], tuple) else (raw,)
    swaps: dict[dt.date, dt.date] = {}
    for entry in entries:
        month, day, from_month, from_day = entry[:4]
        from_year = entry[4] if len(entry) > 4 else year
        swaps[dt.date(year, month, day)] = dt.date(from_year, from_month, from_day)
    return swaps


def seed_rows(year: int) -> list[SeedRow]:
    """The merged rows for ``year`` (package + official overlay), sorted by date."""
    rows = package_rows(year)
    for overlay in OFFICIAL.get(year, []):
        if overlay.drop:
            rows.pop(overlay.day, None)
            continue
        current = rows.get(overlay.day)
        if current is None:
            if overlay.kind is None:
                raise ValueError(f"overlay for {overlay.day} has nothing to amend")
            current = SeedRow(overlay.day, overlay.kind, "", "", "")
        rows[overlay.day] = replace(
            current,
            kind=overlay.kind or current.kind,
            name_vi=overlay.name_vi if overlay.name_vi is not None else current.name_vi,
            name_en=overlay.name_en if overlay.name_en is not None else current.name_en,
            source=overlay.source if overlay.source is not None else current.source,
            note=overlay.note if overlay.note is not None else current.note,
        )
    year_note = YEAR_NOTES.get(year)
    if year_note:
        rows = {d: replace(r, note=f"{year_note} {r.note}".strip()) for d, r in rows.items()}
    return [rows[d] for d in sorted(rows)]


def seed_rules(years: range) -> list[DayRule]:
    """Calendar rules for ``years`` without a database (used by the benchmark)."""
    by_day: dict[dt.date, DayRule] = {}
    for year in years:
        for row in seed_rows(year):
            by_day.setdefault(row.day, row.to_rule())
    return [by_day[d] for d in sorted(by_day)]
