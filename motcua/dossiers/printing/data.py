"""Plain, frozen inputs of the printed forms (no ORM).

The dossier services map their models onto these; the renderers in ``forms.py`` only read them.
Datetimes may be aware (printed in Vietnam time, Asia/Ho_Chi_Minh) or naive (printed as given).
Text is printed as given (NFC-normalised); empty optional fields print as a dotted blank so a
clerk can fill them in by hand, as on the official templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

#: The legal regime a form follows: Circular 01/2018/TT-VPCP (forms 01–06) until 30/06/2025,
#: Circular 03/2025/TT-VPCP (forms 01–07) from 01/07/2025. See ``regimes.regime_for``.
Regime = Literal["2018", "2025"]

#: Timeliness of a dossier or of one step (DESIGN §3.2): before, on or after the due date.
Outcome = Literal["early", "on_time", "late"]


@dataclass(frozen=True)
class AgencyInfo:
    """An agency or one-stop desk as printed in a form's top-left header.

    ``parent_name`` is the governing body printed above it ("UBND TỈNH ĐẮK LẮK");
    ``locality`` is the place name of the date line ("Buôn Ma Thuột, ngày …").
    """

    name: str
    code: str = ""
    parent_name: str = ""
    address: str = ""
    phone: str = ""
    locality: str = ""


@dataclass(frozen=True)
class ApplicantInfo:
    """The person or organisation filing the dossier (``id_number``: citizen ID or tax code)."""

    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ComponentLine:
    """One submitted dossier component with its number of originals and copies."""

    name: str
    original_count: int = 0
    copy_count: int = 0


@dataclass(frozen=True)
class SupplementItem:
    """A component the applicant must add or fix (Form 02), with the reason."""

    name: str
    reason: str
    original_count: int = 0
    copy_count: int = 0


@dataclass(frozen=True)
class FeeLine:
    """A fee or charge and what happens to it (Form 05 stop notice, 2025)."""

    name: str
    amount_vnd: int
    status: str = ""  # e.g. "Đã nộp, không hoàn trả" / "Hoàn trả 50%"


@dataclass(frozen=True)
class ReceiptData:
    """Form 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả.

    ``due_at`` is None for a procedure with no appointment date (settled on the spot);
    ``tracking_book_ref`` is the entry in the tracking book ("Quyển số 03, số thứ tự 128").
    """

    regime: Regime
    dossier_code: str
    receiving_agency: AgencyInfo
    competent_agency: AgencyInfo
    applicant: ApplicantInfo
    procedure_name: str
    procedure_code: str
    components: tuple[ComponentLine, ...]
    set_count: int
    time_limit_text: str
    received_at: datetime
    due_at: datetime | None
    result_place: str
    tracking_book_ref: str
    receiver_name: str
    tracking_url: str = ""
    number: str = ""
    copy_label: str = ""  # "Liên: 01" — which copy of the receipt


@dataclass(frozen=True)
class SupplementRequestData:
    """Form 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.

    ``received_at`` is None when the guidance is given at the counter before the dossier is
    received; ``contact`` says whom to ask ("Bộ phận Một cửa, điện thoại 0262 3 812 345").
    """

    regime: Regime
    receiving_agency: AgencyInfo
    applicant: ApplicantInfo
    procedure_name: str
    procedure_code: str
    items: tuple[SupplementItem, ...]
    guidance: str
    contact: str
    issued_at: datetime
    officer_name: str
    dossier_code: str = ""
    received_at: datetime | None = None
    apology: str = ""  # printed when the request comes during processing (Decree 61 Art. 19)
    number: str = ""


@dataclass(frozen=True)
class RefusalData:
    """Form 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    regime: Regime
    receiving_agency: AgencyInfo
    applicant: ApplicantInfo
    procedure_name: str
    procedure_code: str
    reasons: tuple[str, ...]
    legal_basis: tuple[str, ...]
    issued_at: datetime
    officer_name: str
    dossier_code: str = ""
    number: str = ""


@dataclass(frozen=True)
class ApologyData:
    """Form 04 — apology and new date (2018) / apology and extension request (2025).

    Signed by the head of ``agency`` (the competent agency); ``extension_count`` is how many
    extensions this dossier had before this one (the law allows one).
    """

    regime: Regime
    agency: AgencyInfo
    applicant: ApplicantInfo
    dossier_code: str
    procedure_name: str
    received_at: datetime
    time_limit_text: str
    original_due_at: datetime
    reason: str
    new_due_at: datetime
    issued_at: datetime
    signer_name: str
    signer_title: str
    extension_count: int = 0
    number: str = ""


@dataclass(frozen=True)
class StopNoticeData:
    """Form 05 (2025 only) — Thông báo dừng giải quyết hồ sơ.

    ``stop_request`` states who asked to stop and why; ``stage_reached`` the step the dossier had
    reached; ``decision`` what the agency decides (and what happens to the submitted papers).
    """

    regime: Regime
    agency: AgencyInfo
    applicant: ApplicantInfo
    dossier_code: str
    procedure_name: str
    received_at: datetime
    stop_request: str
    stage_reached: str
    decision: str
    fees: tuple[FeeLine, ...]
    issued_at: datetime
    signer_name: str
    signer_title: str
    fee_note: str = ""
    number: str = ""


@dataclass(frozen=True)
class HandoverLine:
    """One hand-over of the dossier on the process control sheet.

    ``unit`` is the agency or step that hands the dossier on (or, with ``to_unit``, "A → B");
    ``received_at`` defaults to ``handed_at``; ``outcome`` is the step's timeliness (None while
    the step is open).
    """

    unit: str
    handed_at: datetime
    giver_name: str
    receiver_name: str
    to_unit: str = ""
    received_at: datetime | None = None
    outcome: Outcome | None = None
    note: str = ""


@dataclass(frozen=True)
class ControlSheetData:
    """Form 05 (2018) / 06 (2025) — Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    regime: Regime
    receiving_agency: AgencyInfo
    dossier_code: str
    applicant_name: str
    procedure_name: str
    lead_agency: str
    cooperating_agencies: tuple[str, ...]
    received_at: datetime
    due_at: datetime | None
    handovers: tuple[HandoverLine, ...]
    receipt_number: str = ""


@dataclass(frozen=True)
class TrackingRow:
    """One dossier in the tracking book (columns of vn-rules §2.4, Form 06/07)."""

    dossier_code: str
    procedure_name: str
    set_count: int
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    lead_agency: str
    received_at: datetime
    due_at: datetime | None
    transferred_at: datetime | None = None
    result_at: datetime | None = None
    handed_over_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class TrackingBookData:
    """Form 06 (2018) / 07 (2025) — Sổ theo dõi hồ sơ of one desk for a period."""

    regime: Regime
    agency: AgencyInfo
    period_start: date
    period_end: date
    rows: tuple[TrackingRow, ...]
    book_number: str = ""
