"""Realistic Vietnamese sample data for the printed forms (Đắk Lắk demo agencies, real
procedure names from the national catalog slice)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.dossiers.printing import (
    AgencyInfo,
    ApologyData,
    ApplicantInfo,
    ComponentLine,
    ControlSheetData,
    FeeLine,
    HandoverLine,
    ReceiptData,
    RefusalData,
    Regime,
    StopNoticeData,
    SupplementItem,
    SupplementRequestData,
    TrackingBookData,
    TrackingRow,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")

BUILDING_PERMIT = (
    "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV (Công trình không theo "
    "tuyến/Theo tuyến trong đô thị/Tín ngưỡng, tôn giáo/Tượng đài, tranh hoành tráng/Theo giai "
    "đoạn cho công trình không theo tuyến/Theo giai đoạn cho công trình theo tuyến trong đô "
    "thị/Dự án) và nhà ở riêng lẻ"
)
BUILDING_PERMIT_CODE = "1.013225"

WARD = AgencyInfo(
    name="Ủy ban nhân dân phường Buôn Ma Thuột",
    code="000.00.31.H16",
    parent_name="Tỉnh Đắk Lắk",
    address="01 Lê Thị Hồng Gấm, phường Buôn Ma Thuột, tỉnh Đắk Lắk",
    phone="0262 3 852 112",
    locality="Buôn Ma Thuột",
)
CENTRE = AgencyInfo(
    name="Trung tâm Phục vụ hành chính công tỉnh",
    code="000.00.02.H16",
    parent_name="UBND tỉnh Đắk Lắk",
    address="09 Lê Duẩn, phường Buôn Ma Thuột, tỉnh Đắk Lắk",
    phone="0262 3 812 345",
    locality="Đắk Lắk",
)
CONSTRUCTION = AgencyInfo(
    name="Sở Xây dựng",
    code="000.00.04.H16",
    parent_name="UBND tỉnh Đắk Lắk",
    locality="Đắk Lắk",
)

TUYET = ApplicantInfo(
    name="Nguyễn Thị Ánh Tuyết",
    id_number="066190004321",
    address="Số 12 đường Y Ngông, phường Buôn Ma Thuột, tỉnh Đắk Lắk",
    phone="0905 123 456",
    email="anhtuyet@example.vn",
)
HONI = ApplicantInfo(
    name="Ê Ban Hờ Ni",
    id_number="066300001122",
    address="Buôn Ko Tam, xã Hòa Phú, tỉnh Đắk Lắk",
    phone="0978 222 333",
)

COMPONENTS = (
    ComponentLine(
        "Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1 Phụ lục số II Nghị định số "
        "175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ",
        1,
        0,
    ),
    ComponentLine(
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất được cấp "
        "theo quy định của pháp luật về đất đai qua các thời kỳ",
        0,
        1,
    ),
    ComponentLine(
        "02 bộ bản vẽ thiết kế xây dựng kèm theo; kết quả thực hiện thủ tục hành chính theo "
        "quy định của pháp luật về phòng cháy, chữa cháy",
        2,
        0,
    ),
)


def at(y: int, m: int, d: int, hh: int = 8, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def received(regime: Regime) -> datetime:
    return at(2025, 3, 4, 8, 30) if regime == "2018" else at(2026, 11, 27, 9, 15)


def code(regime: Regime, n: int = 12) -> str:
    day = "250304" if regime == "2018" else "261127"
    return f"000.00.31.H16-{day}-{n:04d}"


def receipt(regime: Regime) -> ReceiptData:
    r = received(regime)
    return ReceiptData(
        regime=regime,
        dossier_code=code(regime),
        receiving_agency=WARD,
        competent_agency=WARD,
        applicant=TUYET,
        procedure_name=BUILDING_PERMIT,
        procedure_code=BUILDING_PERMIT_CODE,
        components=COMPONENTS,
        set_count=1,
        time_limit_text="15 ngày làm việc",
        received_at=r,
        due_at=(r + timedelta(days=21)).replace(hour=16, minute=30),
        result_place="Bộ phận Một cửa, Ủy ban nhân dân phường Buôn Ma Thuột",
        tracking_book_ref="Quyển số 03, số thứ tự 128",
        receiver_name="Trần Văn Hùng",
        tracking_url=f"https://dichvucong.daklak.gov.vn/tra-cuu/{code(regime)}",
        number="128/TNHS",
    )


def supplement(regime: Regime) -> SupplementRequestData:
    return SupplementRequestData(
        regime=regime,
        receiving_agency=WARD,
        applicant=TUYET,
        procedure_name=BUILDING_PERMIT,
        procedure_code=BUILDING_PERMIT_CODE,
        items=(
            SupplementItem(
                "Bản vẽ mặt bằng móng của công trình",
                "Bản vẽ nộp thiếu chữ ký của chủ nhiệm thiết kế",
                0,
                2,
            ),
            SupplementItem(
                "Giấy chứng nhận quyền sử dụng đất",
                "Bản sao chưa được chứng thực",
                0,
                1,
            ),
        ),
        guidance="Nộp bổ sung trực tiếp tại Bộ phận Một cửa hoặc qua Cổng Dịch vụ công.",
        contact="công chức Lê Thị Mỹ Dung, số điện thoại 0262 3 852 112",
        issued_at=received(regime) + timedelta(days=3),
        officer_name="Lê Thị Mỹ Dung",
        dossier_code=code(regime),
        received_at=received(regime),
        apology="Bộ phận Một cửa xin lỗi Ông/Bà vì sự bất tiện này.",
        number="05/HDHS",
    )


def refusal(regime: Regime) -> RefusalData:
    return RefusalData(
        regime=regime,
        receiving_agency=WARD,
        applicant=HONI,
        procedure_name=BUILDING_PERMIT,
        procedure_code=BUILDING_PERMIT_CODE,
        reasons=(
            "Công trình thuộc thẩm quyền cấp phép của Sở Xây dựng (công trình cấp II).",
            "Thửa đất nằm trong quy hoạch đất giao thông đã được phê duyệt.",
        ),
        legal_basis=("Điều 103 Luật Xây dựng năm 2014, sửa đổi, bổ sung năm 2020",),
        issued_at=received(regime),
        officer_name="Trần Văn Hùng",
        number="02/TCHS",
    )


def apology(regime: Regime) -> ApologyData:
    r = received(regime)
    return ApologyData(
        regime=regime,
        agency=WARD,
        applicant=TUYET,
        dossier_code=code(regime),
        procedure_name=BUILDING_PERMIT,
        received_at=r,
        time_limit_text="15 ngày làm việc",
        original_due_at=at(2025, 3, 25, 16, 30) if regime == "2018" else at(2026, 12, 18, 16, 30),
        reason="Cần lấy ý kiến của Sở Xây dựng về chỉ giới xây dựng.",
        new_due_at=at(2025, 4, 1, 16, 30) if regime == "2018" else at(2026, 12, 25, 16, 30),
        issued_at=at(2025, 3, 21) if regime == "2018" else at(2026, 12, 15),
        signer_name="Y Thanh Niê",
        signer_title="Chủ tịch",
        number="03/XL",
    )


def stop_notice() -> StopNoticeData:
    return StopNoticeData(
        regime="2025",
        agency=WARD,
        applicant=HONI,
        dossier_code=code("2025", 7),
        procedure_name=BUILDING_PERMIT,
        received_at=received("2025"),
        stop_request=(
            "Ngày 03/12/2026, Ông/Bà Ê Ban Hờ Ni có đơn đề nghị dừng giải quyết hồ sơ do thay "
            "đổi phương án xây dựng."
        ),
        stage_reached="Thẩm định hồ sơ tại phòng Kinh tế, Hạ tầng và Đô thị.",
        decision="Dừng giải quyết hồ sơ; trả lại toàn bộ thành phần hồ sơ đã nộp.",
        fees=(FeeLine("Lệ phí cấp giấy phép xây dựng", 75_000, "Đã nộp, không hoàn trả"),),
        issued_at=at(2026, 12, 4),
        signer_name="Y Thanh Niê",
        signer_title="Chủ tịch",
        fee_note="Phí thẩm định đã nộp không được hoàn trả theo quy định.",
        number="11/TB-UBND",
    )


def control_sheet(regime: Regime) -> ControlSheetData:
    r = received(regime)
    steps = (
        HandoverLine(
            "Bộ phận Một cửa",
            r + timedelta(hours=2),
            "Trần Văn Hùng",
            "Phạm Văn Quang",
            to_unit="Phòng Kinh tế, Hạ tầng và Đô thị",
            outcome="early",
        ),
        HandoverLine(
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            r + timedelta(days=7),
            "Phạm Văn Quang",
            "Y Thanh Niê",
            to_unit="Lãnh đạo UBND phường",
            outcome="on_time",
        ),
        HandoverLine(
            "Lãnh đạo UBND phường",
            r + timedelta(days=16),
            "Y Thanh Niê",
            "Trần Văn Hùng",
            to_unit="Bộ phận Một cửa",
            outcome="late",
            note="Xin lỗi, hẹn lại (Mẫu số 04)",
        ),
    )
    return ControlSheetData(
        regime=regime,
        receiving_agency=WARD,
        dossier_code=code(regime),
        applicant_name=TUYET.name,
        procedure_name=BUILDING_PERMIT,
        lead_agency="Ủy ban nhân dân phường Buôn Ma Thuột",
        cooperating_agencies=("Sở Xây dựng", "Công an tỉnh"),
        received_at=r,
        due_at=r + timedelta(days=21),
        handovers=steps,
        receipt_number="128/TNHS",
    )


PROCEDURES = (
    BUILDING_PERMIT,
    "Thủ tục đăng ký khai sinh",
    "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm "
    "y tế cho trẻ em dưới 6 tuổi",
    "Đăng ký thường trú",
)


def tracking_row(regime: Regime, i: int) -> TrackingRow:
    r = received(regime) + timedelta(minutes=7 * i)
    applicant = TUYET if i % 2 else HONI
    return TrackingRow(
        dossier_code=code(regime, i),
        procedure_name=PROCEDURES[i % len(PROCEDURES)],
        set_count=1,
        applicant_name=applicant.name,
        applicant_address=applicant.address,
        applicant_phone=applicant.phone,
        lead_agency="Ủy ban nhân dân phường Buôn Ma Thuột",
        received_at=r,
        due_at=r + timedelta(days=14),
        transferred_at=r + timedelta(hours=3),
        result_at=r + timedelta(days=12) if i % 3 else None,
        handed_over_at=r + timedelta(days=13) if i % 3 else None,
        note="Quá hạn" if i % 17 == 0 else "",
    )


def tracking_book(regime: Regime, rows: int = 120) -> TrackingBookData:
    start = received(regime).date()
    return TrackingBookData(
        regime=regime,
        agency=WARD,
        period_start=start.replace(day=1),
        period_end=start.replace(day=28) if start.month == 2 else date(start.year, start.month, 30),
        rows=tuple(tracking_row(regime, i) for i in range(1, rows + 1)),
        book_number="03",
    )
