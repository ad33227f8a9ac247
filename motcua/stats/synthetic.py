"""Deterministic national-format dossiers for tests and benchmarks (pure: no ORM).

:func:`national_records` yields ``DongBoHoSoMC`` objects (the shape ``import_dossiers`` reads)
whose outcomes are exactly the counts of a :class:`Mix`: settled dossiers end inside the period
(so the period's settled columns add up to ``early``/``on_time``/``late``), pending ones are
received in its last weeks and still open at its end, withdrawn and stopped ones end inside it,
and ``not_received`` ones were submitted online and never accepted (or refused at intake).
Channels and the 766 flags follow the mix's shares. The same seed gives the same records.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from typing import IO, Any

from motcua.stats.facts import VN
from motcua.stats.national import format_time

LIMIT_DAYS = (1, 2, 3, 5, 7, 10, 15, 20)
NAMES = (
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Quang Cường",
    "Phạm Thị Dung",
    "Y Bhim Êban",
    "H'Linh Niê",
    "Hoàng Minh Đức",
    "Võ Thị Kim Liên",
    "Ksor H'Nga",
    "Bùi Quang Huy",
    "Đỗ Thị Thu Trang",
    "Công ty TNHH Cà phê Ea Tam",
)


@dataclass(frozen=True)
class Mix:
    """How many records of each kind, and the shares of channels and flags."""

    early: int
    on_time: int
    late: int
    pending: int = 0
    withdrawn: int = 0
    stopped: int = 0
    not_received: int = 0
    online: float = 0.45  # KenhThucHien 2
    postal: float = 0.03  # KenhThucHien 3 (the rest is direct)
    returned: float = 0.9  # settled dossiers already returned (status 10, else 9)
    fee: float = 0.35
    paid_online: float = 0.6  # of those with a fee
    files: float = 0.8
    reused: float = 0.2
    from_store: float = 0.1
    vneid: float = 0.3
    eresult: float = 0.5  # of settled dossiers
    supplement: float = 0.06  # of received dossiers; a tenth of them twice

    @classmethod
    def q3_2024(cls) -> Mix:
        """The figures of issue #5's acceptance test: 224,187 settled in Q3 2024."""
        return cls(
            early=183_477,
            on_time=39_491,
            late=1_219,
            pending=8_000,
            withdrawn=1_500,
            stopped=300,
            not_received=700,
        )

    def scaled(self, divisor: int) -> Mix:
        """Every count divided by ``divisor`` (rounded), the shares unchanged."""
        counts = {
            f.name: round(getattr(self, f.name) / divisor)
            for f in fields(self)
            if isinstance(getattr(self, f.name), int)
        }
        return replace(self, **counts)

    @property
    def settled(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def total(self) -> int:
        return self.settled + self.pending + self.withdrawn + self.stopped + self.not_received


Instant = dt.datetime | None
Q3_2024 = (dt.date(2024, 7, 1), dt.date(2024, 9, 30))


def _weekday(d: dt.date, step: int) -> dt.date:
    """The nearest Monday–Friday from ``d`` in the direction of ``step`` (±1)."""
    while d.weekday() >= 5:
        d += dt.timedelta(days=step)
    return d


def _add_weekdays(d: dt.date, n: int) -> dt.date:
    step = 1 if n >= 0 else -1
    d = _weekday(d, step)
    for _ in range(abs(n)):
        d = _weekday(d + dt.timedelta(days=step), step)
    return d


def _at(d: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, tzinfo=VN) + dt.timedelta(minutes=minutes)


class _Maker:
    def __init__(
        self, rng: random.Random, start: dt.date, end: dt.date, pairs: Sequence[tuple[str, str]]
    ) -> None:
        self.rng = rng
        self.start = _weekday(start, 1)
        self.end = _weekday(end, -1)
        if self.end < self.start:
            raise ValueError("the period has no weekday")
        self.days = (self.end - self.start).days
        self.pairs = list(pairs)
        # A few procedures make most of the dossiers (1/rank weights).
        self.weights = [1 / (rank + 1) for rank in range(len(self.pairs))]

    def office_time(self, d: dt.date) -> dt.datetime:
        """A moment of office hours (07:30–16:30) on ``d``."""
        return _at(d, self.rng.randint(7 * 60 + 30, 16 * 60 + 30))

    def day_in(self, first: dt.date, last: dt.date) -> dt.date:
        """A weekday in ``first``–``last`` (``first`` itself if there is none)."""
        span = max((last - first).days, 0)
        d = _weekday(first + dt.timedelta(days=self.rng.randint(0, span)), 1)
        if d > last:
            d = _weekday(last, -1)
        return max(d, first)

    def day_in_period(self) -> dt.date:
        return self.day_in(self.start, self.end)

    def timeline(self, kind: str) -> tuple[Instant, Instant, Instant]:
        """(received, due, end) for one record of ``kind``."""
        rng = self.rng
        limit = rng.choice(LIMIT_DAYS)
        if kind in ("early", "on_time", "late"):
            ended = self.office_time(self.day_in_period())
            if kind == "early":
                k = rng.randint(1, limit)
                due = _at(_add_weekdays(ended.date(), k), 17 * 60)
            elif kind == "on_time":
                due = _at(ended.date(), 17 * 60)
            else:
                late_by = dt.timedelta(minutes=rng.randint(30, 8 * 24 * 60))
                due = ended - late_by
            received = self.office_time(_add_weekdays(due.date(), -limit))
            received = min(received, ended - dt.timedelta(minutes=1))
            return received, due, ended
        if kind == "pending":
            received = self.office_time(
                self.day_in(max(self.start, self.end - dt.timedelta(days=30)), self.end)
            )
            received = min(received, _at(self.end, 16 * 60 + 30))
            return received, _at(_add_weekdays(received.date(), limit), 17 * 60), None
        received = self.office_time(self.day_in_period())
        received = min(received, _at(self.end, 16 * 60))
        due = _at(_add_weekdays(received.date(), limit), 17 * 60)
        if kind in ("withdrawn", "stopped"):
            last = min(self.end, due.date())
            ended = self.office_time(self.day_in(received.date(), last))
            ended = max(min(ended, _at(self.end, 16 * 60 + 59)), received + dt.timedelta(minutes=5))
            return received, due, ended
        return received, None, None  # not received


def national_records(
    *,
    mix: Mix,
    start: dt.date,
    end: dt.date,
    pairs: Sequence[tuple[str, str]],
    seed: int = 0,
) -> Iterator[dict[str, Any]]:
    """``mix.total`` records over ``start``–``end``; ``pairs`` are (MaTTHC, DonViXuLy) choices,
    the first ones the most frequent."""
    if not pairs:
        raise ValueError("pairs: give at least one (procedure code, agency code)")
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    maker = _Maker(rng, start, end, pairs)
    kinds = (
        ["early"] * mix.early
        + ["on_time"] * mix.on_time
        + ["late"] * mix.late
        + ["pending"] * mix.pending
        + ["withdrawn"] * mix.withdrawn
        + ["stopped"] * mix.stopped
        + ["not_received"] * mix.not_received
    )
    rng.shuffle(kinds)
    for n, kind in enumerate(kinds, start=1):
        yield _record(n, kind, mix, maker)


def _record(n: int, kind: str, mix: Mix, maker: _Maker) -> dict[str, Any]:
    rng = maker.rng
    procedure, agency = rng.choices(maker.pairs, weights=maker.weights)[0]
    received, due, ended = maker.timeline(kind)
    roll = rng.random()
    channel = 2 if roll < mix.online else 3 if roll < mix.online + mix.postal else 1
    submitted = received or maker.office_time(maker.day_in_period())
    status = {
        "pending": rng.choice((2, 4, 4, 4, 5, 6)),
        "withdrawn": 7,
        "stopped": 8,
        "not_received": rng.choice((1, 3)),
    }.get(kind, 10 if rng.random() < mix.returned else 9)
    if kind == "not_received":
        channel = 2
    code = f"{agency}-{submitted:%y%m%d}-N{n:06d}"
    fee = rng.random() < mix.fee
    rec: dict[str, Any] = {
        "MaHoSo": code,
        "MaTTHC": procedure,
        "DonViXuLy": agency,
        "KenhThucHien": channel,
        "ChuHoSo": rng.choice(NAMES),
        "TrangThaiHoSo": status,
        "NgayNopHoSo": format_time(submitted),
        "NgayTiepNhan": format_time(received) if received else "",
        "NgayHenTra": format_time(due) if due else "",
        "NgayKetThucXuLy": format_time(ended) if ended else "",
        "NgayTra": "",
        "DanhSachLePhi": (
            [{"TenPhiLePhi": "Lệ phí", "Gia": rng.choice((2000, 10000, 50000, 100000))}]
            if fee
            else []
        ),
        "DuocThanhToanTrucTuyen": 2 if fee and rng.random() < mix.paid_online else 3,
        "TaiKhoanDuocXacThucVoiVNeID": int(rng.random() < mix.vneid),
        "HoSoCoThanhPhanSoHoa": 0,
        "TaiLieuNop": [],
        "DanhSachGiayToKetQua": [],
        "DanhSachHoSoBoSung": [],
    }
    if status == 10 and ended is not None:
        rec["NgayTra"] = format_time(ended + dt.timedelta(hours=rng.randint(1, 48)))
    component: dict[str, Any] = {"TenTepDinhKem": "To khai.pdf", "MaThanhPhanHoSo": "TP1"}
    if rng.random() < mix.files:
        component["DuongDanTaiTepTin"] = f"/files/{code}/to-khai.pdf"
    if rng.random() < mix.reused:
        component["DuocSoHoa"] = 1
        component["DuocTaiSuDung"] = 1
    if rng.random() < mix.from_store:
        component["DuocLayTuKhoDMQG"] = 1
    rec["TaiLieuNop"].append(component)
    if kind in ("early", "on_time", "late") and rng.random() < mix.eresult:
        rec["DanhSachGiayToKetQua"].append(
            {
                "TenGiayTo": "Kết quả",
                "MaGiayToKetQua": f"KQ-{n}",
                "DuongDanTepTinKetQua": f"/kq/{code}.pdf",
            }
        )
    if received is not None and rng.random() < mix.supplement:
        times = 2 if rng.random() < 0.1 else 1
        for i in range(times):
            asked = received + dt.timedelta(hours=2 + 24 * i)
            rec["DanhSachHoSoBoSung"].append(
                {
                    "NgayBoSung": format_time(asked),
                    "NgayTiepNhanBoSung": format_time(asked + dt.timedelta(hours=20)),
                    "NgayHenTraTruoc": rec["NgayHenTra"],
                }
            )
    if status == 5 and received is not None:
        request = {
            "NgayBoSung": format_time(received + dt.timedelta(hours=3)),
            "NgayHenTraTruoc": rec["NgayHenTra"],
        }
        rec["DanhSachHoSoBoSung"] = [request]
    return rec


def write_jsonl(stream: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """One JSON object per line; returns the number written."""
    n = 0
    for rec in records:
        stream.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
        stream.write("\n")
        n += 1
    return n
