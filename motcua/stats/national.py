"""Dossiers in the national sync format (``DongBoHoSoMC``, vn-rules §3.3) → statistics facts.

Pure: no ORM. :func:`parse_record` checks one decoded JSON object and returns a
:class:`NationalRecord`; the importer (``stats.importer``) resolves its codes against the database
and turns it into a :class:`~motcua.stats.facts.Fact` with :meth:`NationalRecord.fact` (whether the
procedure requires a written result comes from the catalog, not from the record).

Mapping (ADR 0015):

- ``MaHoSo`` → the fact's code; ``MaTTHC`` → the procedure; ``DonViXuLy`` → the competent agency;
  ``NoiTiepNhan`` (optional, ours) → the receiving agency, default ``DonViXuLy``.
- ``KenhThucHien`` 1 or missing → direct, 2 → online, 3 → postal.
- ``TrangThaiHoSo`` 1–10 (vn-rules §2.1). 1 (submitted) and 3 (refused at intake) were never
  received: the fact has no ``received_at`` and contributes nothing.
- ``NgayTiepNhan`` → received_at (required from status 2 on); ``NgayHenTra`` → due_at.
- 9/10 → settled, 7 → withdrawn, 8 → stopped; ended_at = ``NgayKetThucXuLy``, else ``NgayTra``
  (one of them is required then; the end may not precede the receipt).
- ``DanhSachLePhi[].Gia`` > 0 → has_fee; ``DuocThanhToanTrucTuyen`` 1 or 2 → paid_online.
- ``TaiLieuNop[]`` (entries with ``IsDeleted`` set are ignored): a ``DuongDanTaiTepTin`` →
  files attached (digitized when, as for native dossiers, the result file is there too if the
  procedure requires a written result); ``DuocSoHoa`` = 1, ``DuocTaiSuDung`` 1/2 or
  ``HoSoCoThanhPhanSoHoa`` = 1 → reused; ``DuocLayTuKhoDMQG`` = 1 → from_store.
- ``DanhSachGiayToKetQua[].DuongDanTepTinKetQua`` → eresult (which also counts as from_store:
  an e-result synced to the national store, vn-rules §1.2 4.4).
- ``TaiKhoanDuocXacThucVoiVNeID`` = 1 or a component from the store → citizen_data.
- ``DanhSachHoSoBoSung`` → supplement_count; with status 5, the last request without a
  ``NgayTiepNhanBoSung`` gives paused_at (its ``NgayBoSung``) and due_before_pause
  (``NgayHenTraTruoc``, else ``NgayHenTra``), for the 766 rule.
- Dates are ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from motcua.stats.facts import VN, EndKind, Fact

CHANNELS = {1: "direct", 2: "online", 3: "postal"}
END_KINDS = {7: EndKind.WITHDRAWN, 8: EndKind.STOPPED, 9: EndKind.SETTLED, 10: EndKind.SETTLED}
NOT_RECEIVED = frozenset({1, 3})
MAX_CODE = 60


class BadRecord(ValueError):
    """A record that cannot be imported; the message says why (for the operator)."""


@dataclass(frozen=True, slots=True)
class NationalRecord:
    code: str
    procedure_code: str
    agency_code: str
    receiving_agency_code: str
    status: int
    applicant_name: str
    # The fact without the catalog's knowledge (written_result_required False, digitized by files).
    base: Fact
    has_files: bool

    def fact(self, *, written_result_required: bool) -> Fact:
        """The fact, once the procedure's ``written_result_required`` is known."""
        b = self.base
        return Fact(  # not dataclasses.replace: several times faster, and this runs per record
            channel=b.channel,
            received_at=b.received_at,
            due_at=b.due_at,
            ended_at=b.ended_at,
            end_kind=b.end_kind,
            paused_at=b.paused_at,
            due_before_pause=b.due_before_pause,
            supplement_count=b.supplement_count,
            has_fee=b.has_fee,
            paid_online=b.paid_online,
            digitized=self.has_files and (b.eresult or not written_result_required),
            reused=b.reused,
            from_store=b.from_store,
            citizen_data=b.citizen_data,
            written_result_required=written_result_required,
            eresult=b.eresult,
            rating=b.rating,
            synced=b.synced,
        )


# Parsed instants by their text: an export repeats the same minutes (and due dates at 17:00)
# thousands of times, and a dict lookup is far cheaper than building the datetime again.
_TIMES: dict[str, dt.datetime] = {}
_TIMES_MAX = 200_000


def parse_time(value: Any, name: str) -> dt.datetime | None:
    """``yyyyMMddHHmmss`` (Asia/Ho_Chi_Minh) → an aware instant; empty or missing → None."""
    if type(value) is str:
        known = _TIMES.get(value)
        if known is not None:
            return known
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 14 or not value.isdigit():
        raise BadRecord(f"{name}: expected yyyyMMddHHmmss, got {value!r}")
    try:
        moment = dt.datetime(
            int(value[0:4]),
            int(value[4:6]),
            int(value[6:8]),
            int(value[8:10]),
            int(value[10:12]),
            int(value[12:14]),
            tzinfo=VN,
        )
    except ValueError as exc:
        raise BadRecord(f"{name}: not a valid date {value!r} ({exc})") from None
    if len(_TIMES) >= _TIMES_MAX:
        _TIMES.clear()
    _TIMES[value] = moment
    return moment


def format_time(t: dt.datetime) -> str:
    return t.astimezone(VN).strftime("%Y%m%d%H%M%S")


def _text(obj: Mapping[str, Any], name: str, *, required: bool = True, max_len: int = 0) -> str:
    value = obj.get(name)
    if type(value) is str:  # the common case first: a non-blank string within the limit
        stripped = value.strip()
        if stripped and (not max_len or len(stripped) <= max_len):
            return stripped
    if value is None or value == "":
        if required:
            raise BadRecord(f"{name} is missing")
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadRecord(f"{name}: expected a string, got {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise BadRecord(f"{name} is missing")
    if max_len and len(value) > max_len:
        raise BadRecord(f"{name}: longer than {max_len} characters")
    return value


def _int(value: Any, name: str) -> int | None:
    """An integer code given as a number or a string of digits; None when missing."""
    if type(value) is int:
        return value
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadRecord(f"{name}: expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise BadRecord(f"{name}: expected a number, got {value!r}")


def _flag(obj: Mapping[str, Any], name: str) -> int:
    value = obj.get(name)
    if value is None:
        return 0
    if type(value) is int:
        return value
    if isinstance(value, bool):
        return int(value)
    return _int(value, name) or 0


def _list(obj: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = obj.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord(f"{name}: expected a list of objects")
    for v in value:  # a loop: cheaper than all() over a generator, and this runs per record
        if not isinstance(v, dict):
            raise BadRecord(f"{name}: expected a list of objects")
    return value


def _amount(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        raise BadRecord(f"DanhSachLePhi[].Gia: expected a number, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            pass
    raise BadRecord(f"DanhSachLePhi[].Gia: expected a number, got {value!r}")


def parse_record(obj: Any) -> NationalRecord:
    """Check one decoded ``DongBoHoSoMC`` object; raise :class:`BadRecord` with the reason."""
    if not isinstance(obj, dict):
        raise BadRecord(f"expected a JSON object, got {type(obj).__name__}")
    code = _text(obj, "MaHoSo", max_len=MAX_CODE)
    procedure_code = _text(obj, "MaTTHC", max_len=30)
    agency_code = _text(obj, "DonViXuLy", max_len=32)
    receiving_code = _text(obj, "NoiTiepNhan", required=False, max_len=32) or agency_code

    channel_code = _int(obj.get("KenhThucHien"), "KenhThucHien")
    channel = CHANNELS.get(1 if channel_code is None else channel_code)
    if channel is None:
        raise BadRecord(f"KenhThucHien: expected 1, 2 or 3, got {channel_code}")
    status = _int(obj.get("TrangThaiHoSo"), "TrangThaiHoSo")
    if status is None:
        raise BadRecord("TrangThaiHoSo is missing")
    if not 1 <= status <= 10:
        raise BadRecord(f"TrangThaiHoSo: expected 1–10, got {status}")

    received_at = parse_time(obj.get("NgayTiepNhan"), "NgayTiepNhan")
    due_at = parse_time(obj.get("NgayHenTra"), "NgayHenTra")
    finished_at = parse_time(obj.get("NgayKetThucXuLy"), "NgayKetThucXuLy")
    returned_at = parse_time(obj.get("NgayTra"), "NgayTra")
    if status in NOT_RECEIVED:
        received_at = due_at = None
    elif received_at is None:
        raise BadRecord(f"NgayTiepNhan is missing (required with TrangThaiHoSo {status})")
    if received_at is not None and due_at is not None and due_at < received_at:
        raise BadRecord("NgayHenTra is before NgayTiepNhan")

    end_kind = END_KINDS.get(status, "")
    ended_at: dt.datetime | None = None
    if end_kind:
        ended_at = finished_at or returned_at
        if ended_at is None:
            raise BadRecord(f"NgayKetThucXuLy or NgayTra is required with TrangThaiHoSo {status}")
        if received_at is not None and ended_at < received_at:
            raise BadRecord("the end (NgayKetThucXuLy/NgayTra) is before NgayTiepNhan")

    has_fee = any(_amount(fee.get("Gia")) > 0 for fee in _list(obj, "DanhSachLePhi"))
    paid_online = _flag(obj, "DuocThanhToanTrucTuyen") in (1, 2)
    components = [c for c in _list(obj, "TaiLieuNop") if not _flag(c, "IsDeleted")]
    has_files = any(_text(c, "DuongDanTaiTepTin", required=False) for c in components)
    reused = _flag(obj, "HoSoCoThanhPhanSoHoa") == 1 or any(
        _flag(c, "DuocSoHoa") == 1 or _flag(c, "DuocTaiSuDung") in (1, 2) for c in components
    )
    store = any(_flag(c, "DuocLayTuKhoDMQG") == 1 for c in components)
    eresult = any(
        _text(r, "DuongDanTepTinKetQua", required=False) for r in _list(obj, "DanhSachGiayToKetQua")
    )
    vneid = _flag(obj, "TaiKhoanDuocXacThucVoiVNeID") == 1

    supplements = _list(obj, "DanhSachHoSoBoSung")
    paused_at = due_before_pause = None
    if status == 5 and supplements:
        open_requests = [s for s in supplements if not s.get("NgayTiepNhanBoSung")]
        if open_requests:
            last = open_requests[-1]
            paused_at = parse_time(last.get("NgayBoSung"), "DanhSachHoSoBoSung[].NgayBoSung")
            due_before_pause = (
                parse_time(last.get("NgayHenTraTruoc"), "DanhSachHoSoBoSung[].NgayHenTraTruoc")
                or due_at
            )
    if received_at is None:
        paused_at = due_before_pause = None

    base = Fact(
        channel=channel,
        received_at=received_at,
        due_at=due_at,
        ended_at=ended_at,
        end_kind=end_kind if ended_at is not None else "",
        paused_at=paused_at,
        due_before_pause=due_before_pause,
        supplement_count=min(len(supplements), 32767),
        has_fee=has_fee,
        paid_online=paid_online,
        digitized=False,
        reused=reused,
        from_store=store or eresult,
        citizen_data=vneid or store,
        written_result_required=False,
        eresult=eresult,
        rating="",
        # A record in the national sync format is what the previous system sent to DVCQG.
        synced=True,
    )
    return NationalRecord(
        code=code,
        procedure_code=procedure_code,
        agency_code=agency_code,
        receiving_agency_code=receiving_code,
        status=status,
        applicant_name=_text(obj, "ChuHoSo", required=False)[:200],
        base=base,
        has_files=has_files,
    )
