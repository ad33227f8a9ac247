"""Agency electronic identifier codes (mã định danh điện tử, QCVN 102:2016). Pure, no ORM."""

from __future__ import annotations

import re

# V1V2V3.Z1Z2.Y1Y2.H1H2H3 read right to left: level 1 (a letter + two digits, "H" = a provincial
# People's Committee), then levels 2, 3 and 4; unused levels are zero-filled.
AGENCY_CODE_PATTERN = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"
_AGENCY_CODE = re.compile(AGENCY_CODE_PATTERN)


def is_agency_code(value: str) -> bool:
    """True when ``value`` has the QCVN 102:2016 shape, e.g. ``000.00.12.H16``."""
    return bool(_AGENCY_CODE.fullmatch(value))
