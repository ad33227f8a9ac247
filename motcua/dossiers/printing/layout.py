"""Shared building blocks of the printed forms: styles, the official header, signature blocks,
tables that wrap long text and repeat their header rows, and page numbers "Trang x/y".

Layout follows Decree 30/2020/NĐ-CP for administrative documents as far as a form allows:
agency name top left, national motto top right, the place-and-date line in italics under it,
the title centred in bold capitals, signature blocks at the foot.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .data import AgencyInfo
from .fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, ensure_fonts
from .regimes import FormSpec
from .wording import BLANK

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"

GRID = colors.HexColor("#333333")
#: Cells holding plain strings (even "") would otherwise use ReportLab's default Helvetica,
#: which cannot show Vietnamese and is not embedded.
CELL_FONT: tuple[Any, ...] = ("FONTNAME", (0, 0), (-1, -1), SERIF)
HEADER_FILL = colors.HexColor("#EDEDED")


def text(value: object) -> str:
    """Paragraph-safe text: NFC-normalised (combining marks would render apart) and escaped."""
    return escape(unicodedata.normalize("NFC", str(value)))


def or_blank(value: str) -> str:
    """Escaped ``value``, or the dotted blank of the official templates when it is empty."""
    return text(value) if value.strip() else BLANK


def upper(value: str) -> str:
    return unicodedata.normalize("NFC", value).upper()


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_indent: ParagraphStyle
    small: ParagraphStyle
    centre: ParagraphStyle
    centre_bold: ParagraphStyle
    centre_italic: ParagraphStyle
    right_bold: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    head_cell: ParagraphStyle
    sans_cell: ParagraphStyle
    sans_cell_centre: ParagraphStyle
    sans_head: ParagraphStyle


def make_styles(size: float = 10.5) -> Styles:
    ensure_fonts()
    leading = size * 1.35
    body = ParagraphStyle(
        "body",
        fontName=SERIF,
        bulletFontName=SERIF,
        fontSize=size,
        leading=leading,
        alignment=TA_JUSTIFY,
        spaceAfter=2,
    )
    cell = ParagraphStyle(
        "cell", fontName=SERIF, fontSize=size - 1.5, leading=(size - 1.5) * 1.25, alignment=TA_LEFT
    )
    sans_cell = ParagraphStyle(
        "sans_cell", fontName=SANS, fontSize=7, leading=8.4, alignment=TA_LEFT
    )
    return Styles(
        body=body,
        body_indent=ParagraphStyle("body_indent", parent=body, leftIndent=5 * mm),
        small=ParagraphStyle("small", parent=body, fontSize=size - 2, leading=(size - 2) * 1.3),
        centre=ParagraphStyle("centre", parent=body, alignment=TA_CENTER, spaceAfter=0),
        centre_bold=ParagraphStyle(
            "centre_bold", parent=body, fontName=SERIF_BOLD, alignment=TA_CENTER, spaceAfter=0
        ),
        centre_italic=ParagraphStyle(
            "centre_italic", parent=body, alignment=TA_CENTER, spaceAfter=0
        ),
        right_bold=ParagraphStyle(
            "right_bold", parent=body, fontName=SERIF_BOLD, fontSize=size - 1.5, alignment=TA_RIGHT
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=SERIF_BOLD,
            fontSize=size + 2,
            leading=(size + 2) * 1.3,
            alignment=TA_CENTER,
            spaceBefore=4 * mm,
            spaceAfter=1 * mm,
        ),
        subtitle=ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER, spaceAfter=3 * mm),
        cell=cell,
        cell_centre=ParagraphStyle("cell_centre", parent=cell, alignment=TA_CENTER),
        head_cell=ParagraphStyle(
            "head_cell", parent=cell, fontName=SERIF_BOLD, alignment=TA_CENTER
        ),
        sans_cell=sans_cell,
        sans_cell_centre=ParagraphStyle("sans_cell_centre", parent=sans_cell, alignment=TA_CENTER),
        sans_head=ParagraphStyle(
            "sans_head", parent=sans_cell, fontName=SANS_BOLD, alignment=TA_CENTER
        ),
    )


def italic(markup: str) -> str:
    return f"<i>{markup}</i>"


def bold(markup: str) -> str:
    return f"<b>{markup}</b>"


def form_note(spec: FormSpec, styles: Styles) -> Paragraph:
    """The "Mẫu số NN" note in the top right corner, with its circular."""
    return Paragraph(
        f"{bold(text(spec.label))}<br/><font size='{styles.small.fontSize - 0.5}'>"
        f"{italic('(' + text(spec.circular) + ')')}</font>",
        ParagraphStyle("note", parent=styles.right_bold, leading=styles.small.leading),
    )


def official_header(
    *,
    agency: AgencyInfo,
    dateline: str,
    styles: Styles,
    width: float,
    left_extra: Sequence[str] = (),
) -> Table:
    """Agency name on the left (governing body above it, a rule under it, then ``left_extra``
    lines such as "Số: …"), the national motto and the dateline on the right."""
    left: list[Flowable] = []
    if agency.parent_name.strip():
        left.append(Paragraph(text(upper(agency.parent_name)), styles.centre))
    left.append(Paragraph(bold(text(upper(agency.name))), styles.centre_bold))
    left.append(
        HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=3)
    )
    left.extend(Paragraph(line, styles.centre) for line in left_extra)
    right: list[Flowable] = [
        Paragraph(bold(MOTTO_1), styles.centre_bold),
        Paragraph(bold(MOTTO_2), styles.centre_bold),
        # The rule under the motto is as long as its second line (Decree 30/2020).
        HRFlowable(
            width=stringWidth(MOTTO_2, SERIF_BOLD, styles.centre_bold.fontSize),
            thickness=0.6,
            color=colors.black,
            spaceBefore=1,
            spaceAfter=3,
            hAlign="CENTER",
        ),
        Paragraph(italic(text(dateline)), styles.centre_italic),
    ]
    table = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    table.setStyle(
        TableStyle(
            [
                CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def balanced_lines(value: str, font: str, size: float, width: float) -> list[str]:
    """Split ``value`` into as few lines as fit ``width``, of balanced length (a title must not
    leave one orphan word on its last line)."""
    ensure_fonts()
    words = value.split()
    if not words or stringWidth(value, font, size) <= width:
        return [value]
    for count in range(2, len(words) + 1):
        best: list[str] | None = None
        best_widest = float("inf")
        # Greedy balance: aim each line at total/count and keep the best split that fits.
        total = stringWidth(value, font, size)
        for slack in (1.0, 1.05, 1.1, 1.2, 1.35, 1.5):
            target = total / count * slack
            lines: list[str] = []
            current: list[str] = []
            for word in words:
                trial = " ".join([*current, word])
                if current and stringWidth(trial, font, size) > target:
                    lines.append(" ".join(current))
                    current = [word]
                else:
                    current.append(word)
            lines.append(" ".join(current))
            widest = max(stringWidth(line, font, size) for line in lines)
            if len(lines) <= count and widest <= width and widest < best_widest:
                best, best_widest = lines, widest
        if best is not None:
            return best
    return [value]


def title_block(
    spec: FormSpec, styles: Styles, subtitle: str = "", *, width: float | None = None
) -> list[Flowable]:
    title = upper(spec.title)
    if width is not None:
        lines = balanced_lines(title, styles.title.fontName, styles.title.fontSize, width)
        markup = "<br/>".join(text(line) for line in lines)
    else:
        markup = text(title)
    out: list[Flowable] = [Paragraph(bold(markup), styles.title)]
    if subtitle:
        out.append(Paragraph(subtitle, styles.subtitle))
    else:
        out.append(Spacer(1, 2 * mm))
    return out


def field(label: str, value: str, styles: Styles, *, indent: bool = False) -> Paragraph:
    """ "Label: value" with a dotted blank for an empty value."""
    style = styles.body_indent if indent else styles.body
    return Paragraph(f"{text(label)}: {or_blank(value)}", style)


def signature_blocks(
    blocks: Sequence[tuple[str, str, str]], styles: Styles, width: float, *, space: float = 18 * mm
) -> Flowable:
    """Side-by-side signature blocks of (title, instruction, name); an empty title leaves the
    column blank (e.g. a lone signature on the right)."""
    cells: list[list[Flowable]] = []
    for heading, instruction, name in blocks:
        cell: list[Flowable] = []
        if heading:
            cell.append(Paragraph(bold(text(upper(heading))), styles.centre_bold))
            if instruction:
                cell.append(Paragraph(italic(text(instruction)), styles.centre_italic))
            cell.append(Spacer(1, space))
            if name.strip():
                cell.append(Paragraph(bold(text(name)), styles.centre_bold))
        cells.append(cell)
    table = Table([cells], colWidths=[width / len(blocks)] * len(blocks))
    table.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 5 * mm), table])


def grid_table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Iterable[tuple[Any, ...]] = (),
    padding: float = 2.5,
) -> Table:
    """A ruled table whose header rows repeat on every page it spans."""
    table = Table(rows, colWidths=list(col_widths), repeatRows=header_rows, splitByRow=True)
    style: list[tuple[Any, ...]] = [
        CELL_FONT,
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
    style.extend(extra)
    table.setStyle(TableStyle(style))
    return table


def fitting_size(value: str, font: str, width: float, size: float, *, floor: float = 5.0) -> float:
    """The largest font size ≤ ``size`` at which ``value`` fits ``width`` on one line (codes
    must not break: they are read back and typed in)."""
    ensure_fonts()
    needed = stringWidth(value, font, size)
    if needed <= width:
        return size
    # Round down to a tenth of a point so the rounded size still fits.
    return max(floor, int(size * width / needed * 10) / 10)


def code128(value: str, *, width: float, height: float = 11 * mm) -> Drawing:
    """A Code 128 barcode of ``value`` no wider than ``width`` (no human-readable line: the code
    is printed as text next to it, in the document's font)."""
    drawing = createBarcodeDrawing(
        "Code128", value=value, barHeight=height, barWidth=0.9, humanReadable=False, quiet=False
    )
    if drawing.width > width:
        drawing = createBarcodeDrawing(
            "Code128",
            value=value,
            barHeight=height,
            barWidth=0.9 * width / drawing.width,
            humanReadable=False,
            quiet=False,
        )
    return _dejavu(drawing)


def qr_code(value: str, *, size: float = 24 * mm) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return _dejavu(drawing)


def _dejavu(drawing: Drawing) -> Drawing:
    """Start the drawing's graphics state in DejaVu (ReportLab's default is Helvetica, which
    would otherwise be referenced, unembedded, by the PDF)."""
    drawing.initialFontName = SERIF
    drawing.initialFontSize = 10
    return drawing


class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
    """Draws "Trang x/y" at the foot of every page once the page count is known.

    ``number_single_pages`` controls whether a one-page document is numbered too.
    """

    number_single_pages = False
    footer_left = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            if total > 1 or self.number_single_pages:
                self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(SERIF, 8.5)
        self.drawRightString(width - 12 * mm, 8 * mm, f"Trang {self._pageNumber}/{total}")
        if self.footer_left:
            self.drawString(12 * mm, 8 * mm, self.footer_left)
        self.restoreState()


def build_pdf(
    story: list[Flowable],
    *,
    spec: FormSpec,
    code: str,
    author: str,
    landscape_page: bool = False,
    margins: tuple[float, float, float, float] = (15 * mm, 15 * mm, 25 * mm, 15 * mm),
    number_single_pages: bool = False,
    footer_left: str = "",
    on_page: Callable[[Canvas, BaseDocTemplate], None] | None = None,
) -> bytes:
    """Lay ``story`` out on A4 and return the PDF bytes.

    ``margins`` are (top, bottom, left, right). The output is reproducible (no timestamps or
    random ids), the initial font is DejaVu (so no base-14 font is referenced) and the document
    language is Vietnamese.
    """
    ensure_fonts()
    top, bottom, left, right = margins
    pagesize = landscape(A4) if landscape_page else A4
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        topMargin=top,
        bottomMargin=bottom,
        leftMargin=left,
        rightMargin=right,
        title=f"{spec.label}: {spec.title}" + (f" — {code}" if code else ""),
        author=author,
        subject=f"{spec.title} ({spec.circular})",
        creator="motcua",
        invariant=1,
        lang="vi-VN",
        initialFontName=SERIF,
        initialFontSize=11,
    )
    # No frame padding: the margins are the margins, and tables sized to the content width
    # line up with the text.
    frame = Frame(
        left,
        bottom,
        pagesize[0] - left - right,
        pagesize[1] - top - bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template = PageTemplate(id="page", frames=[frame], onPage=on_page or _nothing)
    doc.addPageTemplates([template])

    canvas_class = type(
        "FormCanvas",
        (NumberedCanvas,),
        {"number_single_pages": number_single_pages, "footer_left": footer_left},
    )
    doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()


def _nothing(canvas: Canvas, doc: BaseDocTemplate) -> None:
    return None


def content_width(
    *, landscape_page: bool = False, left: float = 25 * mm, right: float = 15 * mm
) -> float:
    pagesize = landscape(A4) if landscape_page else A4
    return float(pagesize[0] - left - right)
