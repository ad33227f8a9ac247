"""Printed forms of the one-stop process as PDFs (issue 3, item 6; ADR 0008).

Plain frozen dataclasses in (``data``), PDF bytes out (``forms``); the form numbers and titles
of the two legal regimes are data (``regimes``); Vietnamese dates and timeliness wording are in
``wording``. Nothing here touches the ORM: the dossier services map their models onto the
dataclasses.
"""

from __future__ import annotations

from .data import (
    AgencyInfo,
    ApologyData,
    ApplicantInfo,
    ComponentLine,
    ControlSheetData,
    FeeLine,
    HandoverLine,
    Outcome,
    ReceiptData,
    RefusalData,
    Regime,
    StopNoticeData,
    SupplementItem,
    SupplementRequestData,
    TrackingBookData,
    TrackingRow,
)
from .fonts import FontsMissing
from .forms import (
    FormData,
    filename,
    render,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_stop_notice,
    render_supplement_request,
    render_tracking_book,
    spec_of,
)
from .regimes import (
    REGIME_2025_START,
    FormKind,
    FormNotInRegime,
    FormSpec,
    PrintingError,
    form_spec,
    regime_for,
)
from .wording import classify, outcome_label

__all__ = [
    "REGIME_2025_START",
    "AgencyInfo",
    "ApologyData",
    "ApplicantInfo",
    "ComponentLine",
    "ControlSheetData",
    "FeeLine",
    "FontsMissing",
    "FormData",
    "FormKind",
    "FormNotInRegime",
    "FormSpec",
    "HandoverLine",
    "Outcome",
    "PrintingError",
    "ReceiptData",
    "RefusalData",
    "Regime",
    "StopNoticeData",
    "SupplementItem",
    "SupplementRequestData",
    "TrackingBookData",
    "TrackingRow",
    "classify",
    "filename",
    "form_spec",
    "outcome_label",
    "regime_for",
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
