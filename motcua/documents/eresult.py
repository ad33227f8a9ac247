"""The e-result (kết quả điện tử): a one-page PDF stating a dossier's result, carrying a QR code
to the public verification page, signed with PAdES (``signing.sign_pdf``).

Rendering is plain ReportLab with the DejaVu faces registered by the printed forms
(``motcua.dossiers.printing.fonts``), so Vietnamese text is embedded and extractable.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from motcua.dossiers.printing.fonts import SANS, SERIF, SERIF_BOLD, ensure_fonts

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class EResultContent:
    dossier_code: str
    procedure_name: str
    agency_name: str
    holder_name: str
    holder_id_number: str
    result_summary: str
    is_refusal: bool
    settled_at: dt.datetime | None
    issued_at: dt.datetime
    verify_url: str
    location: str = ""


def _t(value: object) -> str:
    return escape(unicodedata.normalize("NFC", str(value)))


def _date(value: dt.datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _qr(value: str, size: float = 32 * mm) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    drawing.initialFontName = SERIF  # never reference the unembedded Helvetica
    drawing.initialFontSize = 10
    return drawing


def render_pdf(content: EResultContent) -> bytes:
    """The unsigned e-result PDF."""
    ensure_fonts()
    body = ParagraphStyle("body", fontName=SERIF, fontSize=11.5, leading=16)
    centre = ParagraphStyle("centre", parent=body, alignment=TA_CENTER)
    title = ParagraphStyle(
        "title", parent=centre, fontName=SERIF_BOLD, fontSize=15, leading=20, spaceAfter=6
    )
    small = ParagraphStyle("small", fontName=SANS, fontSize=8.5, leading=11)

    heading = (
        "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
        if not content.is_refusal
        else "VĂN BẢN TRẢ LỜI KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    )
    rows = [
        ("Mã hồ sơ", content.dossier_code),
        ("Thủ tục", content.procedure_name),
        ("Cơ quan giải quyết", content.agency_name),
        ("Người được cấp", content.holder_name),
        ("Số giấy tờ", content.holder_id_number or "—"),
        ("Ngày có kết quả", _date(content.settled_at)),
        ("Ngày cấp bản điện tử", _date(content.issued_at)),
    ]
    table = Table(
        [[Paragraph(f"<b>{_t(k)}</b>", body), Paragraph(_t(v), body)] for k, v in rows],
        colWidths=[48 * mm, 122 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    qr = Table(
        [
            [
                _qr(content.verify_url),
                Paragraph(
                    _t(
                        "Quét mã QR hoặc mở địa chỉ dưới đây để xác thực bản điện tử này "
                        "(không cần đăng nhập):"
                    )
                    + "<br/>"
                    + _t(content.verify_url),
                    small,
                ),
            ]
        ],
        colWidths=[38 * mm, 132 * mm],
    )
    qr.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [
        Paragraph(f"<b>{_t(MOTTO_1)}</b>", centre),
        Paragraph(_t(MOTTO_2), centre),
        Spacer(1, 10 * mm),
        Paragraph(_t(heading), title),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph("<b>" + _t("Kết quả giải quyết:") + "</b> " + _t(content.result_summary), body),
        Spacer(1, 10 * mm),
        qr,
        Spacer(1, 4 * mm),
        Paragraph(
            _t(
                "Văn bản điện tử được ký số theo chuẩn PAdES; mọi thay đổi nội dung làm chữ ký "
                "mất hiệu lực."
            ),
            small,
        ),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Kết quả điện tử {content.dossier_code}",
        author=content.agency_name,
        subject=content.procedure_name,
    )
    doc.build(story)
    return buffer.getvalue()
