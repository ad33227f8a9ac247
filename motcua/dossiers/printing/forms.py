"""The renderers: one function per form, plain dataclasses in, PDF bytes out.

Each follows its official template (vn-rules §2.4): Circular 01/2018/TT-VPCP forms 01–06 or
Circular 03/2025/TT-VPCP forms 01–07, picked by ``data.regime`` (see ``regimes.regime_for``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from .data import (
    AgencyInfo,
    ApologyData,
    ApplicantInfo,
    ControlSheetData,
    ReceiptData,
    RefusalData,
    StopNoticeData,
    SupplementRequestData,
    TrackingBookData,
    TrackingRow,
)
from .fonts import SANS
from .layout import (
    CELL_FONT,
    Styles,
    bold,
    build_pdf,
    code128,
    content_width,
    field,
    fitting_size,
    form_note,
    grid_table,
    italic,
    make_styles,
    official_header,
    or_blank,
    qr_code,
    signature_blocks,
    text,
    title_block,
    upper,
)
from .regimes import FormKind, FormSpec, PrintingError, form_spec
from .wording import (
    BLANK,
    compact_time,
    dateline,
    long_date,
    money,
    outcome_label,
    short_date,
    time_of_day,
)

WIDTH = content_width()  # portrait A4, 25 mm left / 15 mm right margins


def _number_line(number: str, suffix: str = "") -> str:
    value = number.strip() or f"……/{suffix or '……'}"
    return f"Số: {text(value)}"


def _head(
    spec: FormSpec, agency: AgencyInfo, when: date, styles: Styles, left_extra: Sequence[str]
) -> list[Flowable]:
    return [
        form_note(spec, styles),
        Spacer(1, 1.5 * mm),
        official_header(
            agency=agency,
            dateline=dateline(agency.locality, when),
            styles=styles,
            width=WIDTH,
            left_extra=left_extra,
        ),
    ]


def _applicant_fields(applicant: ApplicantInfo, styles: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph(f"Địa chỉ: {or_blank(applicant.address)}", styles.body),
        Paragraph(
            f"Số điện thoại: {or_blank(applicant.phone)}&nbsp;&nbsp;&nbsp;&nbsp;"
            f"Email: {or_blank(applicant.email)}",
            styles.body,
        ),
    ]
    if applicant.id_number.strip():
        out.insert(0, field("Số định danh cá nhân/Mã số thuế", applicant.id_number, styles))
    return out


def _count(n: int) -> str:
    return f"{n:02d}" if n else "—"


# ---------------------------------------------------------------------------------------------
# Form 01 — receipt and appointment


def render_receipt(data: ReceiptData) -> bytes:
    """Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with a Code 128 barcode of the
    dossier code and a QR code of the tracking URL."""
    spec = form_spec(data.regime, FormKind.RECEIPT)
    s = make_styles()
    extra = [_number_line(data.number, "TNHS")]
    if data.copy_label.strip():
        extra.append(f"(Liên: {text(data.copy_label)})")
    story = _head(spec, data.receiving_agency, data.received_at, s, extra)
    story += title_block(spec, s, width=WIDTH)

    code_cell: list[Flowable] = [
        code128(data.dossier_code, width=WIDTH * 0.55),
        Spacer(1, 1 * mm),
        Paragraph(f"Mã hồ sơ: {bold(text(data.dossier_code))}", s.centre),
    ]
    qr_cell: list[Flowable] = []
    if data.tracking_url.strip():
        qr_cell = [
            qr_code(data.tracking_url, size=20 * mm),
            Paragraph(italic("Quét mã để tra cứu hồ sơ"), s.small),
        ]
    codes = Table([[code_cell, qr_cell]], colWidths=[WIDTH * 0.72, WIDTH * 0.28])
    codes.setStyle(
        TableStyle(
            [
                CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("BOX", (0, 0), (0, 0), 0.4, "#999999"),
            ]
        )
    )
    story += [codes, Spacer(1, 3 * mm)]

    agency = data.receiving_agency
    story += [
        Paragraph(
            f"{text(agency.name)} tiếp nhận hồ sơ của: {bold(text(data.applicant.name))}", s.body
        ),
        *_applicant_fields(data.applicant, s),
        Paragraph(
            f"Nội dung yêu cầu giải quyết: {bold(text(data.procedure_name))}"
            + (f" (mã thủ tục: {text(data.procedure_code)})" if data.procedure_code else ""),
            s.body,
        ),
    ]
    if data.competent_agency.name.strip() and data.competent_agency.name != agency.name:
        story.append(field("Cơ quan giải quyết hồ sơ", data.competent_agency.name, s))

    story.append(Paragraph("1. Thành phần hồ sơ nộp gồm:", s.body))
    rows: list[list[Any]] = [
        [
            Paragraph("TT", s.head_cell),
            Paragraph("Tên giấy tờ", s.head_cell),
            Paragraph("Bản chính", s.head_cell),
            Paragraph("Bản sao", s.head_cell),
        ]
    ]
    for i, line in enumerate(data.components, start=1):
        rows.append(
            [
                Paragraph(str(i), s.cell_centre),
                Paragraph(text(line.name), s.cell),
                Paragraph(_count(line.original_count), s.cell_centre),
                Paragraph(_count(line.copy_count), s.cell_centre),
            ]
        )
    story += [
        grid_table(rows, [10 * mm, WIDTH - 10 * mm - 2 * 20 * mm, 20 * mm, 20 * mm]),
        Spacer(1, 2 * mm),
        Paragraph(f"2. Số lượng hồ sơ: {bold(f'{data.set_count:02d}')} (bộ)", s.body),
        Paragraph(
            "3. Thời gian giải quyết hồ sơ theo quy định là: "
            + bold(or_blank(data.time_limit_text)),
            s.body,
        ),
        Paragraph(f"4. Thời gian nhận hồ sơ: {time_of_day(data.received_at)}", s.body),
        Paragraph(
            "5. Thời gian trả kết quả giải quyết hồ sơ: "
            + (
                bold(time_of_day(data.due_at))
                if data.due_at is not None
                else "trả ngay khi giải quyết xong (không hẹn ngày trả)"
            ),
            s.body,
        ),
        Paragraph(f"6. Đăng ký nhận kết quả tại: {or_blank(data.result_place)}", s.body),
        Paragraph(f"Vào Sổ theo dõi hồ sơ: {or_blank(data.tracking_book_ref)}", s.body),
    ]
    if data.tracking_url.strip():
        story.append(
            Paragraph(italic(f"Tra cứu tình trạng hồ sơ tại: {text(data.tracking_url)}"), s.small)
        )
    story.append(
        signature_blocks(
            [
                ("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", data.applicant.name),
                ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", data.receiver_name),
            ],
            s,
            WIDTH,
        )
    )
    return build_pdf(story, author=agency.name, spec=spec, code=data.dossier_code)


# ---------------------------------------------------------------------------------------------
# Form 02 — supplement request


def render_supplement_request(data: SupplementRequestData) -> bytes:
    """Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — what to add or fix, and why."""
    spec = form_spec(data.regime, FormKind.SUPPLEMENT_REQUEST)
    s = make_styles()
    extra = [_number_line(data.number, "HDHS")]
    if data.dossier_code:
        extra.append(f"Mã hồ sơ: {bold(text(data.dossier_code))}")
    agency = data.receiving_agency
    story = _head(spec, agency, data.issued_at, s, extra)
    story += title_block(spec, s, width=WIDTH)
    story += [
        Paragraph(
            f"{text(agency.name)} tiếp nhận hồ sơ/yêu cầu của Ông/Bà: "
            f"{bold(text(data.applicant.name))}",
            s.body,
        ),
        Paragraph(
            f"Nội dung yêu cầu giải quyết: {bold(text(data.procedure_name))}"
            + (f" (mã thủ tục: {text(data.procedure_code)})" if data.procedure_code else ""),
            s.body,
        ),
        *_applicant_fields(data.applicant, s),
    ]
    if data.received_at is not None:
        story.append(Paragraph(f"Thời gian tiếp nhận: {time_of_day(data.received_at)}", s.body))
    if data.apology.strip():
        story.append(Paragraph(text(data.apology), s.body))
    story.append(
        Paragraph("Yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", s.body)
    )
    rows: list[list[Any]] = [
        [
            Paragraph("TT", s.head_cell),
            Paragraph("Thành phần hồ sơ cần bổ sung, hoàn thiện", s.head_cell),
            Paragraph("Bản chính", s.head_cell),
            Paragraph("Bản sao", s.head_cell),
            Paragraph("Lý do", s.head_cell),
        ]
    ]
    for i, item in enumerate(data.items, start=1):
        rows.append(
            [
                Paragraph(str(i), s.cell_centre),
                Paragraph(text(item.name), s.cell),
                Paragraph(_count(item.original_count), s.cell_centre),
                Paragraph(_count(item.copy_count), s.cell_centre),
                Paragraph(text(item.reason), s.cell),
            ]
        )
    name_w = (WIDTH - 10 * mm - 2 * 17 * mm) * 0.52
    story += [
        grid_table(
            rows,
            [10 * mm, name_w, 17 * mm, 17 * mm, WIDTH - 10 * mm - 2 * 17 * mm - name_w],
        ),
        Spacer(1, 2 * mm),
    ]
    if data.guidance.strip():
        story.append(Paragraph(f"{bold('Hướng dẫn:')} {text(data.guidance)}", s.body))
    story.append(
        Paragraph(
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
            f"{or_blank(data.contact)} để được hướng dẫn.",
            s.body,
        )
    )
    story.append(
        signature_blocks(
            [
                ("", "", ""),
                ("Người hướng dẫn", "(Ký và ghi rõ họ tên)", data.officer_name),
            ],
            s,
            WIDTH,
        )
    )
    return build_pdf(story, author=agency.name, spec=spec, code=data.dossier_code)


# ---------------------------------------------------------------------------------------------
# Form 03 — refusal


def render_refusal(data: RefusalData) -> bytes:
    """Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ — legal basis and reasons."""
    spec = form_spec(data.regime, FormKind.REFUSAL)
    s = make_styles()
    extra = [_number_line(data.number, "TCHS")]
    if data.dossier_code:
        extra.append(f"Mã hồ sơ: {bold(text(data.dossier_code))}")
    agency = data.receiving_agency
    story = _head(spec, agency, data.issued_at, s, extra)
    story += title_block(spec, s, width=WIDTH)
    story += [
        Paragraph(
            f"{text(agency.name)} tiếp nhận hồ sơ của: {bold(text(data.applicant.name))}", s.body
        ),
        *_applicant_fields(data.applicant, s),
        Paragraph(
            f"Nội dung yêu cầu giải quyết: {bold(text(data.procedure_name))}"
            + (f" (mã thủ tục: {text(data.procedure_code)})" if data.procedure_code else ""),
            s.body,
        ),
    ]
    if data.legal_basis:
        story.append(Paragraph("Căn cứ quy định tại:", s.body))
        story += [Paragraph(f"- {text(b)};", s.body_indent) for b in data.legal_basis]
    story.append(
        Paragraph(
            "Cơ quan, đơn vị không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
            s.body,
        )
    )
    story += [
        Paragraph(f"{i}. {text(r)}", s.body_indent) for i, r in enumerate(data.reasons, start=1)
    ] or [Paragraph(BLANK, s.body_indent)]
    story.append(Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.", s.body))
    story.append(
        signature_blocks(
            [("", "", ""), ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", data.officer_name)],
            s,
            WIDTH,
        )
    )
    return build_pdf(story, author=agency.name, spec=spec, code=data.dossier_code)


# ---------------------------------------------------------------------------------------------
# Form 04 — apology (2018: and new date; 2025: and extension request)


def _addressee(name: str, s: Styles) -> Paragraph:
    return Paragraph(f"Kính gửi: Ông/Bà {bold(text(name))}", s.centre)


def _recipients(lines: Sequence[str], s: Styles) -> list[Flowable]:
    style = s.small
    out: list[Flowable] = [Paragraph(bold(italic("Nơi nhận:")), style)]
    out += [Paragraph(f"- {text(line)}", style) for line in lines]
    return out


def _leader_signature(title: str, name: str, recipients: Sequence[str], s: Styles) -> Flowable:
    right: list[Flowable] = [
        Paragraph(bold(text(upper(title or "Thủ trưởng cơ quan"))), s.centre_bold),
        Paragraph(italic("(Ký, ghi rõ họ tên và đóng dấu)"), s.centre_italic),
        Spacer(1, 24 * mm),
        Paragraph(bold(text(name)), s.centre_bold),
    ]
    table = Table([[_recipients(recipients, s), right]], colWidths=[WIDTH * 0.45, WIDTH * 0.55])
    table.setStyle(
        TableStyle(
            [
                CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 5 * mm), table])


def render_apology(data: ApologyData) -> bytes:
    """Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (2018) / Văn bản xin lỗi và đề nghị
    gia hạn thời gian giải quyết (2025)."""
    spec = form_spec(data.regime, FormKind.APOLOGY)
    s = make_styles()
    agency = data.agency
    story = _head(spec, agency, data.issued_at, s, [_number_line(data.number, "XL")])
    story += title_block(spec, s, width=WIDTH)
    story += [_addressee(data.applicant.name, s), Spacer(1, 3 * mm)]
    name = text(agency.name)
    story += [
        Paragraph(
            f"{name} tiếp nhận hồ sơ của Ông/Bà (mã hồ sơ {bold(text(data.dossier_code))}) "
            f"đề nghị giải quyết thủ tục: {bold(text(data.procedure_name))}, vào lúc "
            f"{time_of_day(data.received_at)}.",
            s.body,
        ),
        Paragraph(
            f"Thời gian giải quyết hồ sơ theo quy định là {or_blank(data.time_limit_text)}; "
            f"ngày hẹn trả kết quả: {bold(time_of_day(data.original_due_at))}.",
            s.body,
        ),
        Paragraph(
            f"Tuy nhiên, đến {long_date(data.issued_at)}, hồ sơ của Ông/Bà chưa được giải quyết "
            "xong và không thể trả kết quả đúng hẹn.",
            s.body,
        ),
        Paragraph(f"{bold('Lý do:')} {or_blank(data.reason)}", s.body),
    ]
    if data.regime == "2018":
        story.append(
            Paragraph(
                f"Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. {name} "
                "trân trọng xin lỗi Ông/Bà và xin hẹn lại thời gian trả kết quả vào lúc "
                f"{bold(time_of_day(data.new_due_at))}.",
                s.body,
            )
        )
    else:
        story += [
            Paragraph(
                f"Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. {name} "
                "trân trọng xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ đến "
                f"{bold(time_of_day(data.new_due_at))}.",
                s.body,
            ),
            Paragraph(
                "Việc gia hạn thời gian giải quyết hồ sơ chỉ được thực hiện một lần. "
                f"Số lần đã gia hạn trước đây: {data.extension_count}.",
                s.body,
            ),
        ]
    story.append(Paragraph(f"{name} kính mong nhận được sự thông cảm của Ông/Bà./.", s.body))
    story.append(
        _leader_signature(
            data.signer_title,
            data.signer_name,
            ["Như trên;", "Bộ phận Một cửa;", "Lưu: VT."],
            s,
        )
    )
    return build_pdf(story, author=agency.name, spec=spec, code=data.dossier_code)


# ---------------------------------------------------------------------------------------------
# Form 05 (2025) — stop notice


def render_stop_notice(data: StopNoticeData) -> bytes:
    """Form 05 of Circular 03/2025/TT-VPCP: Thông báo dừng giải quyết hồ sơ (no 2018 form)."""
    spec = form_spec(data.regime, FormKind.STOP_NOTICE)
    s = make_styles()
    agency = data.agency
    story = _head(spec, agency, data.issued_at, s, [_number_line(data.number, "TB")])
    story += title_block(spec, s, width=WIDTH)
    story += [_addressee(data.applicant.name, s), Spacer(1, 3 * mm)]
    story += [
        Paragraph(
            f"Ngày {short_date(data.received_at)}, {text(agency.name)} tiếp nhận hồ sơ mã số "
            f"{bold(text(data.dossier_code))} của Ông/Bà đề nghị giải quyết thủ tục: "
            f"{bold(text(data.procedure_name))}.",
            s.body,
        ),
        Paragraph(
            f"{bold('1. Đề nghị dừng giải quyết hồ sơ:')} {or_blank(data.stop_request)}", s.body
        ),
        Paragraph(
            f"{bold('2. Quá trình giải quyết hồ sơ đã thực hiện đến:')} "
            f"{or_blank(data.stage_reached)}",
            s.body,
        ),
        Paragraph(f"{bold('3. Quyết định:')} {or_blank(data.decision)}", s.body),
        Paragraph(bold("4. Phí, lệ phí:"), s.body),
    ]
    if data.fees:
        rows: list[list[Any]] = [
            [
                Paragraph("TT", s.head_cell),
                Paragraph("Tên phí, lệ phí", s.head_cell),
                Paragraph("Số tiền", s.head_cell),
                Paragraph("Xử lý", s.head_cell),
            ]
        ]
        for i, fee in enumerate(data.fees, start=1):
            rows.append(
                [
                    Paragraph(str(i), s.cell_centre),
                    Paragraph(text(fee.name), s.cell),
                    Paragraph(money(fee.amount_vnd), s.cell_centre),
                    Paragraph(text(fee.status), s.cell),
                ]
            )
        rest = WIDTH - 10 * mm - 32 * mm
        story.append(grid_table(rows, [10 * mm, rest * 0.55, 32 * mm, rest * 0.45]))
        story.append(Spacer(1, 2 * mm))
    else:
        story.append(Paragraph("Hồ sơ không phải nộp phí, lệ phí.", s.body_indent))
    if data.fee_note.strip():
        story.append(Paragraph(text(data.fee_note), s.body))
    story.append(Paragraph("Xin thông báo để Ông/Bà được biết./.", s.body))
    story.append(
        _leader_signature(
            data.signer_title, data.signer_name, ["Như trên;", "Bộ phận Một cửa;", "Lưu: VT."], s
        )
    )
    return build_pdf(story, author=agency.name, spec=spec, code=data.dossier_code)


# ---------------------------------------------------------------------------------------------
# Form 05 (2018) / 06 (2025) — process control sheet


def _two_line_time(when: datetime | None) -> str:
    """ "08:30<br/>27/11/2026" — the time over the date, for narrow columns."""
    if when is None:
        return ""
    hm, day = compact_time(when).split(" ")
    return f"{hm}<br/>{day}"


def render_control_sheet(data: ControlSheetData) -> bytes:
    """Form 05 (2018) / 06 (2025): Phiếu kiểm soát quá trình giải quyết hồ sơ — one row per
    hand-over with times, giver and receiver, and the step's timeliness."""
    spec = form_spec(data.regime, FormKind.CONTROL_SHEET)
    s = make_styles()
    agency = data.receiving_agency
    story = _head(spec, agency, data.received_at, s, [])
    story += title_block(spec, s, width=WIDTH)
    story += [
        Paragraph(f"Mã hồ sơ: {bold(text(data.dossier_code))}", s.centre),
        Paragraph(
            italic(
                "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
                + (f" số: {text(data.receipt_number)}" if data.receipt_number.strip() else "")
                + ")"
            ),
            s.centre_italic,
        ),
        Spacer(1, 3 * mm),
        field("Người nộp hồ sơ", data.applicant_name, s),
        Paragraph(f"Thủ tục: {bold(text(data.procedure_name))}", s.body),
        field("Cơ quan (bộ phận) giải quyết hồ sơ", data.lead_agency, s),
        field("Cơ quan phối hợp giải quyết hồ sơ", "; ".join(data.cooperating_agencies), s),
        Paragraph(
            f"Thời gian tiếp nhận: {time_of_day(data.received_at)}. Hẹn trả kết quả: "
            + (bold(time_of_day(data.due_at)) if data.due_at else "không hẹn ngày trả"),
            s.body,
        ),
        Spacer(1, 2 * mm),
    ]
    c = ParagraphStyle("ctl", parent=s.cell, fontSize=8.5, leading=10.5)
    cc = ParagraphStyle("ctl_c", parent=c, alignment=TA_CENTER)
    h = ParagraphStyle("ctl_h", parent=s.head_cell, fontSize=8.5, leading=10.5)
    rows: list[list[Any]] = [
        [
            Paragraph("TT", h),
            Paragraph("Tên cơ quan, bộ phận (giao → nhận)", h),
            Paragraph("Thời gian giao, nhận hồ sơ", h),
            "",
            Paragraph("Người giao", h),
            Paragraph("Người nhận", h),
            Paragraph("Kết quả giải quyết hồ sơ (Trước hạn/Đúng hạn/Quá hạn)", h),
            Paragraph("Ghi chú", h),
        ],
        [
            "",
            "",
            Paragraph("Giao", h),
            Paragraph("Nhận", h),
            "",
            "",
            "",
            "",
        ],
    ]
    for i, line in enumerate(data.handovers, start=1):
        unit = text(line.unit) + (f" → {text(line.to_unit)}" if line.to_unit.strip() else "")
        rows.append(
            [
                Paragraph(str(i), cc),
                Paragraph(unit, c),
                Paragraph(_two_line_time(line.handed_at), cc),
                Paragraph(_two_line_time(line.received_at or line.handed_at), cc),
                Paragraph(text(line.giver_name), cc),
                Paragraph(text(line.receiver_name), cc),
                Paragraph(bold(outcome_label(line.outcome)), cc),
                Paragraph(text(line.note), c),
            ]
        )
    widths = [8 * mm, 36 * mm, 21 * mm, 21 * mm, 21 * mm, 21 * mm, 23 * mm]
    widths.append(WIDTH - sum(widths))
    spans = [
        ("SPAN", (2, 0), (3, 0)),
        *[("SPAN", (col, 0), (col, 1)) for col in (0, 1, 4, 5, 6, 7)],
        ("ROWBACKGROUNDS", (0, 2), (-1, -1), ["#FFFFFF", "#F7F7F7"]),
        # Room for the signatures of giver and receiver.
        ("TOPPADDING", (0, 2), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 2), (-1, -1), 9),
    ]
    story.append(grid_table(rows, widths, header_rows=2, extra=spans))
    return build_pdf(story, author=agency.name, spec=spec, code=data.dossier_code)


# ---------------------------------------------------------------------------------------------
# Form 06 (2018) / 07 (2025) — tracking book


BOOK_MARGINS = (12 * mm, 14 * mm, 10 * mm, 10 * mm)  # top, bottom, left, right (landscape)
BOOK_PADDING = 1.5
BOOK_WIDTH = content_width(landscape_page=True, left=BOOK_MARGINS[2], right=BOOK_MARGINS[3])

#: (header, width in mm) — the columns of vn-rules §2.4; the handed-over column has two parts.
BOOK_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 7.5),
    ("Mã hồ sơ", 38),
    ("Tên thủ tục hành chính", 40),
    ("Số lượng hồ sơ (bộ)", 10),
    ("Tên cá nhân, tổ chức", 24),
    ("Địa chỉ, số điện thoại", 32),
    ("Cơ quan chủ trì giải quyết", 24),
    ("Nhận hồ sơ", 15.5),
    ("Hẹn trả kết quả", 15.5),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 15.5),
    ("Có kết quả giải quyết hồ sơ", 15.5),
    ("Ngày, tháng, năm", 15.5),
    ("Ký nhận", 11),
    ("Ghi chú", 12),
)


def _book_row(i: int, row: TrackingRow, s: Styles, code_width: float) -> list[Any]:
    c, cc = s.sans_cell, s.sans_cell_centre
    size = fitting_size(row.dossier_code, SANS, code_width, c.fontSize)
    contact = text(row.applicant_address) + (
        f"<br/>ĐT: {text(row.applicant_phone)}" if row.applicant_phone.strip() else ""
    )
    return [
        Paragraph(str(i), cc),
        Paragraph(f"<font size='{size:.2f}'>{text(row.dossier_code)}</font>", c),
        Paragraph(text(row.procedure_name), c),
        Paragraph(str(row.set_count), cc),
        Paragraph(text(row.applicant_name), c),
        Paragraph(contact, c),
        Paragraph(text(row.lead_agency), c),
        Paragraph(_two_line_time(row.received_at), cc),
        Paragraph(_two_line_time(row.due_at), cc),
        Paragraph(_two_line_time(row.transferred_at), cc),
        Paragraph(_two_line_time(row.result_at), cc),
        Paragraph(_two_line_time(row.handed_over_at), cc),
        "",
        Paragraph(text(row.note), c),
    ]


def render_tracking_book(data: TrackingBookData) -> bytes:
    """Form 06 (2018) / 07 (2025): Sổ theo dõi hồ sơ for a period — landscape, the header rows
    repeated on every page, "Trang x/y" at the foot."""
    spec = form_spec(data.regime, FormKind.TRACKING_BOOK)
    s = make_styles(10)
    agency = data.agency
    period = f"Từ ngày {short_date(data.period_start)} đến ngày {short_date(data.period_end)}"
    head = s.sans_head
    widths = [w * mm for _, w in BOOK_COLUMNS]
    widths[2] += BOOK_WIDTH - sum(widths)  # give any slack to the procedure name
    names = [h for h, _ in BOOK_COLUMNS]
    top = [Paragraph(text(n), head) for n in names]
    top[11] = Paragraph("Trả kết quả", head)
    top[12] = ""
    sub = ["" for _ in names]
    sub[11] = Paragraph(text(names[11]), head)
    sub[12] = Paragraph(text(names[12]), head)
    numbers = [Paragraph(f"({n})", s.sans_cell_centre) for n in range(1, len(names) + 1)]
    code_width = widths[1] - 2 * BOOK_PADDING
    rows: list[list[Any]] = [top, sub, numbers]
    rows += [_book_row(i, row, s, code_width) for i, row in enumerate(data.rows, start=1)]
    spans: list[tuple[Any, ...]] = [("SPAN", (11, 0), (12, 0))]
    spans += [("SPAN", (col, 0), (col, 1)) for col in range(len(names)) if col not in (11, 12)]
    spans += [
        ("BACKGROUND", (0, 0), (-1, 2), "#EDEDED"),
        ("VALIGN", (0, 3), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 2), (-1, 2), 0.5),
        ("BOTTOMPADDING", (0, 2), (-1, 2), 1),
    ]
    story: list[Flowable] = [
        Table(
            [
                [
                    [
                        Paragraph(text(upper(agency.parent_name)), s.centre)
                        if agency.parent_name.strip()
                        else Spacer(1, 1),
                        Paragraph(bold(text(upper(agency.name))), s.centre_bold),
                    ],
                    form_note(spec, s),
                ]
            ],
            colWidths=[BOOK_WIDTH * 0.5, BOOK_WIDTH * 0.5],
            style=[
                CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ],
        ),
        *title_block(
            spec,
            s,
            subtitle=italic(
                text(period)
                + (f" — Quyển số: {text(data.book_number)}" if data.book_number.strip() else "")
            ),
        ),
    ]
    story.append(grid_table(rows, widths, header_rows=3, extra=spans, padding=BOOK_PADDING))
    if not data.rows:
        story.append(Paragraph(italic("Không có hồ sơ trong kỳ."), s.centre_italic))
    footer = f"{spec.label} — {upper(spec.title)} — {agency.name} — {period}"
    return build_pdf(
        story,
        author=agency.name,
        landscape_page=True,
        margins=BOOK_MARGINS,
        number_single_pages=True,
        footer_left=footer,
        spec=spec,
        code="",
    )


FormData = (
    ReceiptData
    | SupplementRequestData
    | RefusalData
    | ApologyData
    | StopNoticeData
    | ControlSheetData
    | TrackingBookData
)

_RENDERERS: dict[type[Any], tuple[FormKind, Callable[[Any], bytes]]] = {
    ReceiptData: (FormKind.RECEIPT, render_receipt),
    SupplementRequestData: (FormKind.SUPPLEMENT_REQUEST, render_supplement_request),
    RefusalData: (FormKind.REFUSAL, render_refusal),
    ApologyData: (FormKind.APOLOGY, render_apology),
    StopNoticeData: (FormKind.STOP_NOTICE, render_stop_notice),
    ControlSheetData: (FormKind.CONTROL_SHEET, render_control_sheet),
    TrackingBookData: (FormKind.TRACKING_BOOK, render_tracking_book),
}


def render(data: FormData) -> bytes:
    """Render whichever form ``data`` describes (dispatch on its type)."""
    try:
        _, renderer = _RENDERERS[type(data)]
    except KeyError:
        raise PrintingError(f"no form for {type(data).__name__}") from None
    return renderer(data)


def spec_of(data: FormData) -> FormSpec:
    """The number, title and circular ``data`` prints under."""
    kind, _ = _RENDERERS[type(data)]
    return form_spec(data.regime, kind)


def filename(data: FormData) -> str:
    """An ASCII download name: "mau-01-000.00.31.H16-261127-0012.pdf"."""
    spec = spec_of(data)
    if isinstance(data, TrackingBookData):
        tail = f"so-theo-doi-{data.period_start:%Y%m%d}-{data.period_end:%Y%m%d}"
    else:
        tail = data.dossier_code or spec.kind.value.replace("_", "-")
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in ".-") else "-" for ch in tail)
    return f"mau-{spec.number}-{safe}.pdf"


__all__ = [
    "FormData",
    "PrintingError",
    "filename",
    "render",
    "render_apology",
    "render_control_sheet",
    "render_receipt",
    "render_refusal",
    "render_stop_notice",
    "render_supplement_request",
    "render_tracking_book",
    "spec_of",
]
