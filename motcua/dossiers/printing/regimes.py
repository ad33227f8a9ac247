"""The two legal regimes of the printed forms, as data (pure; no Django).

Circular 01/2018/TT-VPCP (forms 01–06) applies to dossiers dated before 1 July 2025, Circular
03/2025/TT-VPCP (forms 01–07, guiding Decree 118/2025) from that day (vn-rules §2.4). A form's
number and title depend on the regime; the stop notice exists only in 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from .data import Regime

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: The first day of the 2025 regime (Decree 118/2025, Circular 03/2025/TT-VPCP).
REGIME_2025_START = date(2025, 7, 1)


class PrintingError(Exception):
    """A form cannot be printed (missing fonts, a form the regime does not have, bad data)."""


class FormNotInRegime(PrintingError, ValueError):
    pass


class FormKind(StrEnum):
    RECEIPT = "receipt"
    SUPPLEMENT_REQUEST = "supplement_request"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP_NOTICE = "stop_notice"
    CONTROL_SHEET = "control_sheet"
    TRACKING_BOOK = "tracking_book"


@dataclass(frozen=True)
class FormSpec:
    regime: Regime
    kind: FormKind
    number: str  # "01" … "07"
    title: str  # as written in the circular (sentence case); printed in capitals
    circular: str

    @property
    def label(self) -> str:
        return f"Mẫu số {self.number}"


CIRCULARS: dict[Regime, str] = {
    "2018": "Thông tư số 01/2018/TT-VPCP",
    "2025": "Thông tư số 03/2025/TT-VPCP",
}

_K = FormKind
_TITLES_2018: dict[FormKind, tuple[str, str]] = {
    _K.RECEIPT: ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    _K.SUPPLEMENT_REQUEST: ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    _K.REFUSAL: ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    _K.APOLOGY: ("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    _K.CONTROL_SHEET: ("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    _K.TRACKING_BOOK: ("06", "Sổ theo dõi hồ sơ"),
}
_TITLES_2025: dict[FormKind, tuple[str, str]] = {
    _K.RECEIPT: ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    _K.SUPPLEMENT_REQUEST: ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    _K.REFUSAL: ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    _K.APOLOGY: ("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    _K.STOP_NOTICE: ("05", "Thông báo dừng giải quyết hồ sơ"),
    _K.CONTROL_SHEET: ("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    _K.TRACKING_BOOK: ("07", "Sổ theo dõi hồ sơ"),
}

_TABLES: tuple[tuple[Regime, dict[FormKind, tuple[str, str]]], ...] = (
    ("2018", _TITLES_2018),
    ("2025", _TITLES_2025),
)
FORMS: dict[tuple[Regime, FormKind], FormSpec] = {
    (regime, kind): FormSpec(regime, kind, number, title, CIRCULARS[regime])
    for regime, table in _TABLES
    for kind, (number, title) in table.items()
}


def regime_for(when: date) -> Regime:
    """The regime of a dossier dated ``when`` (a date, or a datetime read in Vietnam time)."""
    if isinstance(when, datetime):
        when = (when.astimezone(VN_TZ) if when.tzinfo is not None else when).date()
    return "2025" if when >= REGIME_2025_START else "2018"


def form_spec(regime: Regime, kind: FormKind) -> FormSpec:
    """Number and title of ``kind`` under ``regime``; raises ``FormNotInRegime`` if it has none."""
    try:
        return FORMS[(regime, kind)]
    except KeyError:
        if regime not in CIRCULARS:
            raise FormNotInRegime(
                f"unknown regime {regime!r} (expected '2018' or '2025')"
            ) from None
        raise FormNotInRegime(
            f"the {regime} regime ({CIRCULARS[regime]}) has no {kind.value} form"
        ) from None
