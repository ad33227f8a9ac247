"""Report II.06a as a workbook (openpyxl) and as a landscape A4 PDF (ReportLab, DejaVu fonts):
the form's title, period, the two-row header of form II.06a/VPCP/KSTT (vn-rules §5), one row per
unit and the total. The printed form is Vietnamese whatever the UI language."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from motcua.dossiers.printing.fonts import SERIF, ensure_fonts
from motcua.dossiers.printing.layout import NumberedCanvas, bold, grid_table, make_styles, text
from motcua.stats.report06a import Report, Row

FORM_CODE = "Biểu số II.06a/VPCP/KSTT"
TITLE = (
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ "
    "TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
)
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
TOTAL_LABEL = "Tổng cộng"
PROVINCE_LABEL = "Toàn tỉnh"

#: (header of the first row, columns it spans); STT and Đơn vị span both header rows.
GROUPS: tuple[tuple[str, int], ...] = (
    ("STT", 1),
    ("Đơn vị", 1),
    ("Số hồ sơ nhận giải quyết", 4),
    ("Số hồ sơ đã giải quyết", 4),
    ("Số hồ sơ đang giải quyết", 3),
)
#: The number columns: (header of the second row, the report's value).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Tổng số", "received_total"),
    ("Trực tuyến", "received_online"),
    ("Trực tiếp, dịch vụ bưu chính", "received_direct_postal"),
    ("Từ kỳ trước", "carried_over"),
    ("Tổng số", "settled_total"),
    ("Trước hạn", "settled_early"),
    ("Đúng hạn", "settled_on_time"),
    ("Quá hạn", "settled_late"),
    ("Tổng số", "pending_total"),
    ("Trong hạn", "pending_within_time"),
    ("Quá hạn", "pending_overdue"),
)
WIDTH = 2 + len(COLUMNS)


@dataclass(frozen=True)
class Heading:
    unit_name: str  # the node's name, or "Toàn tỉnh"
    period_line: str  # "Từ ngày 01/03/2026 đến ngày 31/03/2026"


def heading(report: Report) -> Heading:
    first, last = report.period.first, report.period.last
    return Heading(
        unit_name=report.node.name if report.node is not None else PROVINCE_LABEL,
        period_line=f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}",
    )


def values(row: Row) -> list[int]:
    return [int(getattr(row, attr)) for _, attr in COLUMNS]


def identity_note(report: Report) -> str:
    t = report.total
    state = "đúng" if all(r.identity_holds for r in report.rows) else "KHÔNG ĐÚNG"
    return (
        f"Đối chiếu: tồn kỳ trước + tiếp nhận ({t.received_total}) = đã giải quyết "
        f"({t.settled_total}) + rút hồ sơ ({t.withdrawn}) + đang giải quyết ({t.pending_total}) "
        f"+ dừng xử lý ({t.stopped}): {state}."
    )


def filename(report: Report, ext: str) -> str:
    code = report.node.code if report.node is not None else "tinh"
    return f"bao-cao-06a-{code}-{report.period.first:%Y%m%d}-{report.period.last:%Y%m%d}.{ext}"


# -- Excel ----------------------------------------------------------------------------------------


def report_xlsx(report: Report) -> bytes:
    h = heading(report)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101
    ws.title = "II.06a"
    last_col = get_column_letter(WIDTH)
    thin = Side(style="thin", color="333333")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_fill = PatternFill("solid", fgColor="EDEDED")

    ws["A1"] = h.unit_name
    ws["A1"].font = Font(bold=True)
    ws[f"{get_column_letter(WIDTH - 2)}1"] = FORM_CODE
    ws[f"{get_column_letter(WIDTH - 2)}1"].font = Font(bold=True)
    for line, value, font in (
        (3, TITLE, Font(bold=True, size=13)),
        (4, h.period_line, Font(italic=True)),
        (5, UNIT_OF_COUNT, Font(italic=True)),
    ):
        ws.merge_cells(f"A{line}:{last_col}{line}")
        cell = ws[f"A{line}"]
        cell.value = value
        cell.font = font
        cell.alignment = centre
    ws.row_dimensions[3].height = 36

    top, sub = 7, 8
    col = 1
    for name, span in GROUPS:
        cell = ws.cell(row=top, column=col, value=name)
        if span == 1:
            ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        else:
            ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + span - 1)
        col += span
    for i, (name, _) in enumerate(COLUMNS):
        ws.cell(row=sub, column=3 + i, value=name)
    for i in range(WIDTH):  # the column numbers (1) … (13) of the printed form
        ws.cell(row=sub + 1, column=i + 1, value=f"({i + 1})")
    for r in range(top, sub + 2):
        for c in range(1, WIDTH + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(bold=r < sub + 1, italic=r == sub + 1)
            cell.alignment = centre
            cell.border = box
            cell.fill = head_fill

    r = sub + 2
    for n, row in enumerate(report.rows, start=1):
        ws.cell(row=r, column=1, value=n).alignment = centre
        ws.cell(row=r, column=2, value=row.name)
        for i, v in enumerate(values(row)):
            ws.cell(row=r, column=3 + i, value=v)
        r += 1
    ws.cell(row=r, column=2, value=TOTAL_LABEL)
    for i, v in enumerate(values(report.total)):
        ws.cell(row=r, column=3 + i, value=v)
    for c in range(1, WIDTH + 1):
        ws.cell(row=r, column=c).font = Font(bold=True)
    for rr in range(sub + 2, r + 1):
        for c in range(1, WIDTH + 1):
            cell = ws.cell(row=rr, column=c)
            cell.border = box
            if c > 2:
                cell.number_format = "#,##0"
    ws.cell(row=r + 2, column=1, value=identity_note(report)).font = Font(italic=True, size=9)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    for c in range(3, WIDTH + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.row_dimensions[sub].height = 45
    ws.freeze_panes = ws.cell(row=sub + 2, column=3)
    ws.print_options.horizontalCentered = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{top}:{sub + 1}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- PDF ------------------------------------------------------------------------------------------

MARGINS = (12 * mm, 15 * mm, 12 * mm, 12 * mm)  # top, bottom, left, right


def report_pdf(report: Report) -> bytes:
    ensure_fonts()
    h = heading(report)
    s = make_styles(10)
    page = landscape(A4)
    top_m, bottom_m, left_m, right_m = MARGINS
    width = page[0] - left_m - right_m
    unit_w, stt_w = 70 * mm, 10 * mm
    num_w = (width - unit_w - stt_w) / len(COLUMNS)
    widths = [stt_w, unit_w] + [num_w] * len(COLUMNS)
    head, cc, c = s.sans_head, s.sans_cell_centre, s.sans_cell

    first: list[object] = []
    spans: list[tuple[object, ...]] = []
    col = 0
    for name, span in GROUPS:
        first.append(Paragraph(text(name), head))
        first.extend([""] * (span - 1))
        if span == 1:
            spans.append(("SPAN", (col, 0), (col, 1)))
        else:
            spans.append(("SPAN", (col, 0), (col + span - 1, 0)))
        col += span
    second: list[object] = ["", ""] + [Paragraph(text(name), head) for name, _ in COLUMNS]
    numbers: list[object] = [Paragraph(f"({i})", cc) for i in range(1, WIDTH + 1)]
    rows: list[list[object]] = [first, second, numbers]
    for n, row in enumerate(report.rows, start=1):
        rows.append(
            [Paragraph(str(n), cc), Paragraph(text(row.name), c)]
            + [Paragraph(f"{v:,}".replace(",", "."), cc) for v in values(row)]
        )
    rows.append(
        ["", Paragraph(bold(TOTAL_LABEL), c)]
        + [Paragraph(bold(f"{v:,}".replace(",", ".")), cc) for v in values(report.total)]
    )
    spans += [
        ("BACKGROUND", (0, 0), (-1, 2), "#EDEDED"),
        ("BACKGROUND", (0, -1), (-1, -1), "#F5F5F5"),
    ]
    story: list[Flowable] = [
        Paragraph(bold(text(h.unit_name.upper())), s.body),
        Paragraph(bold(text(FORM_CODE)), s.right_bold),
        Paragraph(bold(text(TITLE)), s.title),
        Paragraph(f"<i>{text(h.period_line)}</i>", s.subtitle),
        Paragraph(f"<i>{text(UNIT_OF_COUNT)}</i>", s.small),
        grid_table(rows, widths, header_rows=3, extra=spans, padding=2),
        Spacer(1, 3 * mm),
        Paragraph(f"<i>{text(identity_note(report))}</i>", s.small),
    ]
    if not report.rows:
        story.append(Paragraph("<i>Không có số liệu trong kỳ.</i>", s.centre_italic))

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=page,
        topMargin=top_m,
        bottomMargin=bottom_m,
        leftMargin=left_m,
        rightMargin=right_m,
        title=f"{FORM_CODE} — {h.unit_name} — {h.period_line}",
        author=h.unit_name,
        subject=TITLE,
        creator="motcua",
        invariant=1,
        lang="vi-VN",
        initialFontName=SERIF,
        initialFontSize=10,
    )
    frame = Frame(
        left_m,
        bottom_m,
        width,
        page[1] - top_m - bottom_m,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvas_class = type(
        "ReportCanvas",
        (NumberedCanvas,),
        {"number_single_pages": True, "footer_left": f"{FORM_CODE} — {h.period_line}"},
    )
    doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()
