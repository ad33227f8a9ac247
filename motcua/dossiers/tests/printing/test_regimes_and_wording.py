"""Pure rules of the printed forms: regimes as data, Vietnamese dates and timeliness wording."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.printing import FormKind, FormNotInRegime, classify, form_spec, regime_for
from motcua.dossiers.printing.fonts import SANS, SERIF_BOLD
from motcua.dossiers.printing.layout import balanced_lines, fitting_size
from motcua.dossiers.printing.wording import (
    compact_time,
    dateline,
    long_date,
    money,
    outcome_label,
    time_of_day,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_it_switches_regime_on_1_july_2025() -> None:
    assert regime_for(date(2025, 6, 30)) == "2018"
    assert regime_for(date(2025, 7, 1)) == "2025"
    assert regime_for(date(2018, 7, 1)) == "2018"


def test_it_reads_an_aware_datetime_in_vietnam_time() -> None:
    # 17:30 UTC on 30 June is 00:30 on 1 July in Hà Nội.
    assert regime_for(datetime(2025, 6, 30, 17, 30, tzinfo=UTC)) == "2025"
    assert regime_for(datetime(2025, 6, 30, 16, 59, tzinfo=UTC)) == "2018"


@pytest.mark.parametrize(
    ("regime", "kind", "number", "title"),
    [
        ("2018", FormKind.RECEIPT, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        ("2025", FormKind.RECEIPT, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        ("2018", FormKind.SUPPLEMENT_REQUEST, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        ("2018", FormKind.REFUSAL, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        ("2018", FormKind.APOLOGY, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        (
            "2025",
            FormKind.APOLOGY,
            "04",
            "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        ),
        ("2025", FormKind.STOP_NOTICE, "05", "Thông báo dừng giải quyết hồ sơ"),
        ("2018", FormKind.CONTROL_SHEET, "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        ("2025", FormKind.CONTROL_SHEET, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        ("2018", FormKind.TRACKING_BOOK, "06", "Sổ theo dõi hồ sơ"),
        ("2025", FormKind.TRACKING_BOOK, "07", "Sổ theo dõi hồ sơ"),
    ],
)
def test_it_numbers_and_titles_forms_per_regime(
    regime: str, kind: FormKind, number: str, title: str
) -> None:
    spec = form_spec(regime, kind)  # type: ignore[arg-type]
    assert (spec.number, spec.title, spec.label) == (number, title, f"Mẫu số {number}")
    assert spec.circular.endswith("/2018/TT-VPCP" if regime == "2018" else "/2025/TT-VPCP")


def test_it_has_no_stop_notice_before_2025() -> None:
    with pytest.raises(FormNotInRegime, match="2018"):
        form_spec("2018", FormKind.STOP_NOTICE)


def test_it_writes_dates_the_vietnamese_administrative_way() -> None:
    assert long_date(date(2026, 11, 27)) == "ngày 27 tháng 11 năm 2026"
    # Days below 10 and the months January and February take a leading zero.
    assert long_date(date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert long_date(date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert dateline("Buôn Ma Thuột", date(2026, 11, 27)) == (
        "Buôn Ma Thuột, ngày 27 tháng 11 năm 2026"
    )


def test_it_writes_times_in_vietnam_time() -> None:
    at = datetime(2026, 11, 27, 1, 5, tzinfo=UTC)  # 08:05 in Vietnam
    assert time_of_day(at) == "08 giờ 05 phút, ngày 27/11/2026"
    assert compact_time(at) == "08:05 27/11/2026"
    assert time_of_day(None).startswith("…… giờ …… phút")


def test_it_classifies_early_on_time_late() -> None:
    due = datetime(2026, 12, 18, 16, 30, tzinfo=VN)
    assert classify(datetime(2026, 12, 17, 9, 0, tzinfo=VN), due) == "early"
    assert classify(datetime(2026, 12, 18, 8, 0, tzinfo=VN), due) == "on_time"
    assert classify(due, due) == "on_time"
    assert classify(datetime(2026, 12, 18, 16, 31, tzinfo=VN), due) == "late"
    assert classify(date(2026, 12, 19), date(2026, 12, 18)) == "late"
    assert classify(date(2026, 12, 18), due) == "on_time"
    assert [outcome_label(o) for o in ("early", "on_time", "late", None)] == [
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "",
    ]


def test_it_formats_money_with_dots() -> None:
    assert money(1_500_000) == "1.500.000 đồng"


def test_it_balances_long_titles_without_an_orphan_word() -> None:
    title = "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
    lines = balanced_lines(title, SERIF_BOLD, 12.5, 400)
    assert len(lines) == 2
    assert " ".join(lines) == title
    assert all(len(line.split()) >= 4 for line in lines)
    assert balanced_lines("SỔ THEO DÕI HỒ SƠ", SERIF_BOLD, 12.5, 480) == ["SỔ THEO DÕI HỒ SƠ"]


def test_it_shrinks_a_code_to_fit_its_column() -> None:
    code = "000.00.31.H16-261127-0012"
    assert fitting_size(code, SANS, 500, 7) == 7
    assert fitting_size(code, SANS, 60, 7) < 7
