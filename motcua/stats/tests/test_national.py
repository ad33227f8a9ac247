"""The national-format mapping (pure) and the synthetic generator."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from motcua.stats import facts
from motcua.stats.facts import VN, EndKind
from motcua.stats.national import BadRecord, format_time, parse_record, parse_time
from motcua.stats.synthetic import Q3_2024, Mix, national_records


def t(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=VN)


def record(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "MaHoSo": "000.00.21.H16-240701-0001",
        "MaTTHC": "1.000001",
        "DonViXuLy": "000.00.21.H16",
        "KenhThucHien": 2,
        "ChuHoSo": "Nguyễn Thị Ánh",
        "TrangThaiHoSo": 10,
        "NgayTiepNhan": "20240701080000",
        "NgayHenTra": "20240705170000",
        "NgayKetThucXuLy": "20240704100000",
        "NgayTra": "20240705090000",
        "DanhSachLePhi": [
            {"TenPhiLePhi": "Phí", "Gia": 0},
            {"TenPhiLePhi": "Lệ phí", "Gia": "200000"},
        ],
        "DuocThanhToanTrucTuyen": 2,
        "TaiLieuNop": [
            {"DuongDanTaiTepTin": "/f/1.pdf", "DuocSoHoa": 0, "DuocTaiSuDung": 0},
            {"DuocLayTuKhoDMQG": 1},
        ],
        "DanhSachGiayToKetQua": [{"MaGiayToKetQua": "KQ1", "DuongDanTepTinKetQua": "/kq/1.pdf"}],
        "TaiKhoanDuocXacThucVoiVNeID": 1,
        "DanhSachHoSoBoSung": [{"NgayBoSung": "20240702080000", "NgayTiepNhanBoSung": "20240703"}],
        "HoSoCoThanhPhanSoHoa": 0,
    }
    base.update(over)
    return base


def test_it_maps_every_field() -> None:
    r = parse_record(record(NoiTiepNhan="000.00.20.H16"))
    assert (r.code, r.procedure_code, r.agency_code, r.receiving_agency_code, r.status) == (
        "000.00.21.H16-240701-0001",
        "1.000001",
        "000.00.21.H16",
        "000.00.20.H16",
        10,
    )
    assert r.applicant_name == "Nguyễn Thị Ánh"
    f = r.fact(written_result_required=True)
    assert f == facts.Fact(
        channel="online",
        received_at=t("20240701080000"),
        due_at=t("20240705170000"),
        ended_at=t("20240704100000"),  # NgayKetThucXuLy before NgayTra
        end_kind=EndKind.SETTLED,
        supplement_count=1,
        has_fee=True,
        paid_online=True,
        digitized=True,  # a file, and the result file the procedure requires
        reused=False,
        from_store=True,
        citizen_data=True,
        written_result_required=True,
        eresult=True,
        synced=True,  # it came in the national sync format
    )
    assert facts.outcome(f) == facts.Outcome.EARLY
    assert parse_record(record()).receiving_agency_code == "000.00.21.H16"  # default: DonViXuLy


def test_it_maps_the_channels_and_the_flags_one_by_one() -> None:
    for value, channel in ((1, "direct"), (None, "direct"), ("2", "online"), (3, "postal")):
        assert parse_record(record(KenhThucHien=value)).base.channel == channel
    bare = record(
        DanhSachLePhi=[{"Gia": 0}],
        DuocThanhToanTrucTuyen=3,
        TaiLieuNop=[{"DuongDanTaiTepTin": "/f.pdf"}],
        DanhSachGiayToKetQua=[{"MaGiayToKetQua": "KQ1"}],  # no file: not an e-result
        TaiKhoanDuocXacThucVoiVNeID=0,
        DanhSachHoSoBoSung=[],
    )
    r = parse_record(bare)
    f = r.fact(written_result_required=True)
    assert not (f.has_fee or f.paid_online or f.eresult or f.from_store or f.citizen_data)
    assert not f.digitized  # files, but not the required result file
    assert r.fact(written_result_required=False).digitized
    assert f.supplement_count == 0
    assert parse_record(record(DuocThanhToanTrucTuyen="1")).base.paid_online
    assert parse_record(record(HoSoCoThanhPhanSoHoa=1)).base.reused
    assert parse_record(record(TaiLieuNop=[{"DuocSoHoa": 1}])).base.reused
    assert parse_record(record(TaiLieuNop=[{"DuocTaiSuDung": 2}])).base.reused
    deleted = parse_record(record(TaiLieuNop=[{"DuongDanTaiTepTin": "/x", "IsDeleted": True}]))
    assert not deleted.has_files


def test_it_maps_the_end_of_each_status() -> None:
    settled_at_return = parse_record(record(TrangThaiHoSo=9, NgayKetThucXuLy=""))
    assert settled_at_return.base.ended_at == t("20240705090000")
    assert settled_at_return.base.end_kind == EndKind.SETTLED
    assert parse_record(record(TrangThaiHoSo=7)).base.end_kind == EndKind.WITHDRAWN
    stopped = parse_record(record(TrangThaiHoSo=8, NgayKetThucXuLy=""))
    assert (stopped.base.end_kind, stopped.base.ended_at) == (EndKind.STOPPED, t("20240705090000"))
    for pending in (2, 4, 5, 6):
        f = parse_record(record(TrangThaiHoSo=pending)).base
        assert (f.ended_at, f.end_kind) == (None, "")
    for never in (1, 3):  # never received: no receipt, no contribution
        f = parse_record(record(TrangThaiHoSo=never, NgayTiepNhan="")).base
        assert f.received_at is None
        assert facts.contributions(f) == Counter()


def test_it_judges_a_dossier_waiting_for_its_supplement_at_the_request() -> None:
    f = parse_record(
        record(
            TrangThaiHoSo=5,
            DanhSachHoSoBoSung=[
                {"NgayBoSung": "20240702080000", "NgayHenTraTruoc": "20240703170000"}
            ],
        )
    ).base
    assert (f.paused_at, f.due_before_pause) == (t("20240702080000"), t("20240703170000"))


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        ([1, 2], "expected a JSON object"),
        (record(MaHoSo=""), "MaHoSo is missing"),
        (record(MaHoSo="x" * 61), "MaHoSo: longer than 60"),
        (record(MaTTHC=None), "MaTTHC is missing"),
        (record(DonViXuLy=None), "DonViXuLy is missing"),
        (record(KenhThucHien=4), "KenhThucHien: expected 1, 2 or 3"),
        (record(TrangThaiHoSo=None), "TrangThaiHoSo is missing"),
        (record(TrangThaiHoSo=11), "TrangThaiHoSo: expected 1–10"),
        (record(TrangThaiHoSo="chín"), "TrangThaiHoSo: expected a number"),
        (record(NgayTiepNhan="2024-07-01 08:00"), "NgayTiepNhan: expected yyyyMMddHHmmss"),
        (record(NgayTiepNhan="20241301080000"), "NgayTiepNhan: not a valid date"),
        (record(NgayTiepNhan=""), "NgayTiepNhan is missing"),
        (record(NgayHenTra="20240630080000"), "NgayHenTra is before NgayTiepNhan"),
        (record(NgayKetThucXuLy="", NgayTra=""), "NgayKetThucXuLy or NgayTra is required"),
        (record(TrangThaiHoSo=8, NgayKetThucXuLy="", NgayTra=""), "is required with"),
        (record(NgayKetThucXuLy="20240630080000"), "before NgayTiepNhan"),
        (record(DanhSachLePhi=[{"Gia": "nhiều"}]), "Gia: expected a number"),
        (record(TaiLieuNop="tep.pdf"), "TaiLieuNop: expected a list of objects"),
        (record(ChuHoSo=12.5), "ChuHoSo: expected a string"),
    ],
)
def test_it_says_why_a_record_is_bad(obj: Any, reason: str) -> None:
    with pytest.raises(BadRecord, match=reason.replace("(", r"\(")):
        parse_record(obj)


def test_it_round_trips_the_date_format() -> None:
    moment = t("20240229235959")
    assert parse_time(format_time(moment), "x") == moment
    assert parse_time("", "x") is None


def test_it_generates_exactly_the_mix_deterministically() -> None:
    mix = Mix.q3_2024().scaled(200)
    pairs = [("1.000001", "000.00.21.H16"), ("1.000002", "000.00.21.H16")]
    start, end = Q3_2024
    first = list(national_records(mix=mix, start=start, end=end, pairs=pairs, seed=7))
    assert first == list(national_records(mix=mix, start=start, end=end, pairs=pairs, seed=7))
    assert first != list(national_records(mix=mix, start=start, end=end, pairs=pairs, seed=8))
    assert len(first) == mix.total
    assert len({r["MaHoSo"] for r in first}) == mix.total
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for obj in first:
        f = parse_record(obj).fact(written_result_required=True)  # every one is valid
        outcomes[facts.outcome(f)] += 1
        kinds[f.end_kind if f.received_at else "not_received"] += 1
        if f.end_kind:
            assert f.ended_at is not None
            assert start <= facts.local_day(f.ended_at) <= end
    assert (outcomes["early"], outcomes["on_time"], outcomes["late"]) == (
        mix.early,
        mix.on_time,
        mix.late,
    )
    assert kinds[EndKind.WITHDRAWN] == mix.withdrawn
    assert kinds[EndKind.STOPPED] == mix.stopped
    assert kinds[""] == mix.pending
    assert kinds["not_received"] == mix.not_received


def test_it_scales_the_quarter_of_the_acceptance_test() -> None:
    q3 = Mix.q3_2024()
    assert (q3.early, q3.on_time, q3.late, q3.settled) == (183_477, 39_491, 1_219, 224_187)
    small = q3.scaled(100)
    assert (small.early, small.on_time, small.late) == (1_835, 395, 12)
