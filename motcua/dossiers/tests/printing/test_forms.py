"""Every form, both regimes: render with real Vietnamese data, read the PDF back with pypdf."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import timedelta
from functools import cache
from typing import cast

import pytest
from pypdf.generic import DictionaryObject

from motcua.dossiers import printing as P
from motcua.dossiers.printing import fonts
from motcua.dossiers.printing.data import Regime

from . import samples as S
from .pdftext import page_texts, pdf_text, reader

REGIMES: tuple[Regime, ...] = ("2018", "2025")


def title(regime: Regime, kind: P.FormKind) -> str:
    return P.form_spec(regime, kind).title.upper()


@pytest.mark.parametrize("regime", REGIMES)
def test_it_prints_the_receipt(regime: Regime) -> None:
    data = S.receipt(regime)
    pdf = P.render_receipt(data)
    text = pdf_text(pdf)

    assert len(reader(pdf).pages) == 1
    assert "Mẫu số 01" in text
    assert title(regime, P.FormKind.RECEIPT) in text
    assert f"Mã hồ sơ: {data.dossier_code}" in text
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert "Ủy ban nhân dân phường Buôn Ma Thuột tiếp nhận hồ sơ của: Nguyễn Thị Ánh Tuyết" in text
    assert "Số điện thoại: 0905 123 456" in text
    assert P.form_spec(regime, P.FormKind.RECEIPT).circular in text
    # Components table: names (wrapped in their cells) and the counts.
    assert "Tên giấy tờ Bản chính Bản sao" in text
    assert "Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1 Phụ lục số II" in text
    assert "02 bộ bản vẽ thiết kế xây dựng kèm theo" in text
    assert "2. Số lượng hồ sơ: 01 (bộ)" in text
    assert "3. Thời gian giải quyết hồ sơ theo quy định là: 15 ngày làm việc" in text
    if regime == "2018":
        assert "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 04/03/2025" in text
        assert "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 25/03/2025" in text
        assert "Buôn Ma Thuột, ngày 04 tháng 3 năm 2025" in text
    else:
        assert "4. Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 27/11/2026" in text
        assert "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 18/12/2026" in text
        assert "Buôn Ma Thuột, ngày 27 tháng 11 năm 2026" in text
    assert "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa" in text
    assert "Vào Sổ theo dõi hồ sơ: Quyển số 03, số thứ tự 128" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Trần Văn Hùng" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in text


def test_it_says_so_when_a_receipt_has_no_appointment() -> None:
    text = pdf_text(P.render_receipt(replace(S.receipt("2025"), due_at=None)))
    assert "không hẹn ngày trả" in text


@pytest.mark.parametrize("regime", REGIMES)
def test_it_prints_the_supplement_request(regime: Regime) -> None:
    text = pdf_text(P.render_supplement_request(S.supplement(regime)))
    assert "Mẫu số 02" in text
    assert title(regime, P.FormKind.SUPPLEMENT_REQUEST) in text
    assert "Số: 05/HDHS" in text
    assert "tiếp nhận hồ sơ/yêu cầu của Ông/Bà: Nguyễn Thị Ánh Tuyết" in text
    assert "Bản vẽ mặt bằng móng của công trình" in text
    assert "Bản vẽ nộp thiếu chữ ký của chủ nhiệm thiết kế" in text
    assert "Bản sao chưa được chứng thực" in text
    assert "Hướng dẫn: Nộp bổ sung trực tiếp tại Bộ phận Một cửa" in text
    assert "liên hệ công chức Lê Thị Mỹ Dung, số điện thoại 0262 3 852 112" in text
    assert "NGƯỜI HƯỚNG DẪN" in text


@pytest.mark.parametrize("regime", REGIMES)
def test_it_prints_the_refusal(regime: Regime) -> None:
    text = pdf_text(P.render_refusal(S.refusal(regime)))
    assert "Mẫu số 03" in text
    assert title(regime, P.FormKind.REFUSAL) in text
    assert "tiếp nhận hồ sơ của: Ê Ban Hờ Ni" in text
    assert "Căn cứ quy định tại: - Điều 103 Luật Xây dựng năm 2014" in text
    assert "1. Công trình thuộc thẩm quyền cấp phép của Sở Xây dựng (công trình cấp II)." in text
    assert "2. Thửa đất nằm trong quy hoạch đất giao thông đã được phê duyệt." in text


def test_it_prints_the_2018_apology_with_a_new_date() -> None:
    text = pdf_text(P.render_apology(S.apology("2018")))
    assert "Mẫu số 04" in text
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "VĂN BẢN XIN LỖI" not in text
    assert "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết" in text
    assert "ngày hẹn trả kết quả: 16 giờ 30 phút, ngày 25/03/2025" in text
    assert "Lý do: Cần lấy ý kiến của Sở Xây dựng về chỉ giới xây dựng." in text
    assert "xin hẹn lại thời gian trả kết quả vào lúc 16 giờ 30 phút, ngày 01/04/2025" in text
    assert "Thông tư số 01/2018/TT-VPCP" in text
    assert "CHỦ TỊCH" in text and "Y Thanh Niê" in text


def test_it_prints_the_2025_apology_as_an_extension_request() -> None:
    text = pdf_text(P.render_apology(S.apology("2025")))
    assert "Mẫu số 04" in text
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "PHIẾU XIN LỖI" not in text
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ đến 16 giờ 30 phút, ngày 25/12/2026" in text
    assert "chỉ được thực hiện một lần" in text
    assert "Thông tư số 03/2025/TT-VPCP" in text


def test_it_prints_the_2025_stop_notice() -> None:
    data = S.stop_notice()
    text = pdf_text(P.render_stop_notice(data))
    assert "Mẫu số 05" in text
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Kính gửi: Ông/Bà Ê Ban Hờ Ni" in text
    assert data.dossier_code in text
    assert "1. Đề nghị dừng giải quyết hồ sơ: Ngày 03/12/2026, Ông/Bà Ê Ban Hờ Ni" in text
    assert "2. Quá trình giải quyết hồ sơ đã thực hiện đến: Thẩm định hồ sơ" in text
    assert "3. Quyết định: Dừng giải quyết hồ sơ" in text
    assert "Lệ phí cấp giấy phép xây dựng 75.000 đồng Đã nộp, không hoàn trả" in text


def test_it_refuses_a_stop_notice_under_the_2018_regime() -> None:
    with pytest.raises(P.FormNotInRegime):
        P.render_stop_notice(replace(S.stop_notice(), regime="2018"))


@pytest.mark.parametrize(("regime", "number"), [("2018", "05"), ("2025", "06")])
def test_it_prints_the_process_control_sheet(regime: Regime, number: str) -> None:
    data = S.control_sheet(regime)
    text = pdf_text(P.render_control_sheet(data))
    assert f"Mẫu số {number}" in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {data.dossier_code}" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: Sở Xây dựng; Công an tỉnh" in text
    assert "Thời gian giao, nhận hồ sơ" in text
    assert "Bộ phận Một cửa → Phòng Kinh tế, Hạ tầng và Đô thị" in text
    for outcome in ("Trước hạn", "Đúng hạn", "Quá hạn"):
        assert outcome in text
    first = data.handovers[0].handed_at
    assert f"{first:%H:%M} {first:%d/%m/%Y}" in text
    assert "Phạm Văn Quang" in text and "Y Thanh Niê" in text


def test_it_repeats_the_control_sheet_header_on_every_page() -> None:
    data = S.control_sheet("2025")
    many = tuple(
        replace(data.handovers[i % 3], handed_at=data.received_at + timedelta(hours=i))
        for i in range(40)
    )
    pages = page_texts(P.render_control_sheet(replace(data, handovers=many)))
    assert len(pages) > 1
    for n, page in enumerate(pages, start=1):
        assert "Thời gian giao, nhận hồ sơ" in page
        assert f"Trang {n}/{len(pages)}" in page


@cache
def book(regime: Regime) -> tuple[P.TrackingBookData, bytes]:
    data = S.tracking_book(regime, rows=120)
    return data, P.render_tracking_book(data)


@pytest.mark.parametrize(("regime", "number"), [("2018", "06"), ("2025", "07")])
def test_it_prints_a_120_row_tracking_book_over_pages_with_headers(
    regime: Regime, number: str
) -> None:
    data, pdf = book(regime)
    pages = page_texts(pdf)
    pdf_reader = reader(pdf)

    assert len(pages) == 16
    first = pdf_reader.pages[0]
    assert first.mediabox.width > first.mediabox.height  # landscape
    assert f"Mẫu số {number}" in pages[0]
    assert "SỔ THEO DÕI HỒ SƠ" in pages[0]
    for n, page in enumerate(pages, start=1):
        assert "STT Mã hồ sơ Tên thủ tục hành chính" in page
        assert "Trả kết quả" in page and "Ký nhận" in page
        assert f"Trang {n}/16" in page
    # Every dossier appears exactly once, in order, with its code unbroken.
    positions = []
    text = " ".join(pages)
    for row in data.rows:
        assert text.count(row.dossier_code) == 1
        positions.append(text.index(row.dossier_code))
    assert positions == sorted(positions)
    assert "Ê Ban Hờ Ni" in pages[-1]
    assert "ĐT: 0905 123 456" in pages[0]


def test_it_prints_an_empty_tracking_book() -> None:
    text = pdf_text(P.render_tracking_book(S.tracking_book("2025", rows=0)))
    assert "Không có hồ sơ trong kỳ." in text
    assert "Trang 1/1" in text


def test_it_wraps_long_content_onto_more_pages_without_losing_the_signatures() -> None:
    data = S.receipt("2025")
    long_name = " ".join([S.BUILDING_PERMIT] * 3)
    data = replace(
        data,
        procedure_name=long_name,
        components=tuple(
            P.ComponentLine(f"{c.name} (bản {i})", 1, i % 3)
            for i, c in enumerate(data.components * 15)
        ),
    )
    pages = page_texts(P.render_receipt(data))
    assert len(pages) >= 2
    assert "Tên giấy tờ Bản chính Bản sao" in pages[1]  # the header row repeats
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in pages[-1]
    assert f"Trang {len(pages)}/{len(pages)}" in pages[-1]


def test_it_prints_decomposed_input_as_precomposed_letters() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    data = replace(S.receipt("2025"), applicant=replace(S.TUYET, name=decomposed))
    assert "Nguyễn Thị Ánh Tuyết" in pdf_text(P.render_receipt(data))


def test_it_renders_the_same_bytes_twice() -> None:
    assert P.render_refusal(S.refusal("2025")) == P.render_refusal(S.refusal("2025"))


def _fonts(resources: DictionaryObject) -> set[str]:
    found: set[str] = set()
    for font in resources.get("/Font", {}).values():
        font = font.get_object()
        found.add(str(font["/BaseFont"]))
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded TrueType
    return found


def test_it_embeds_only_dejavu_fonts() -> None:
    pdfs = [
        P.render_receipt(S.receipt("2025")),
        P.render_supplement_request(S.supplement("2018")),
        P.render_refusal(S.refusal("2018")),
        P.render_apology(S.apology("2018")),
        P.render_stop_notice(S.stop_notice()),
        P.render_control_sheet(S.control_sheet("2025")),
        book("2025")[1],
    ]
    for pdf in pdfs:
        names: set[str] = set()
        for page in reader(pdf).pages:
            names |= _fonts(cast(DictionaryObject, page["/Resources"]))
        assert names, "no fonts found"
        # Subset names look like /AAAAAA+DejaVuSerif-Bold.
        assert {n.split("+", 1)[-1] for n in names} <= {
            "DejaVuSerif",
            "DejaVuSerif-Bold",
            "DejaVuSerif-Italic",
            "DejaVuSans",
            "DejaVuSans-Bold",
        }
        assert any("DejaVuSerif" in n for n in names)


def test_it_fails_clearly_when_the_fonts_are_missing(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTCUA_FONT_DIR", str(tmp_path))
    fonts.reset_for_tests()
    try:
        with pytest.raises(P.FontsMissing, match=r"DejaVuSans\.ttf.*fonts-dejavu-core"):
            P.render_refusal(S.refusal("2025"))
    finally:
        monkeypatch.delenv("MOTCUA_FONT_DIR")
        fonts.reset_for_tests()
    assert P.render_refusal(S.refusal("2025")).startswith(b"%PDF")


def test_it_dispatches_on_the_data_type_and_names_the_file() -> None:
    receipt = S.receipt("2018")
    assert P.render(receipt) == P.render_receipt(receipt)
    assert P.spec_of(S.control_sheet("2025")).number == "06"
    assert P.filename(receipt) == "mau-01-000.00.31.H16-250304-0012.pdf"
    assert P.filename(S.refusal("2025")) == "mau-03-refusal.pdf"
    assert P.filename(S.tracking_book("2025", rows=0)) == "mau-07-so-theo-doi-20261101-20261130.pdf"
    with pytest.raises(P.PrintingError):
        P.render(S.TUYET)  # type: ignore[arg-type]
