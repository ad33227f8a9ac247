"""Citizen ID numbers (số định danh cá nhân / CCCD) and tax codes (mã số thuế). Pure functions.

Citizen ID (Decree 137/2015/NĐ-CP Art. 13, Circular 07/2016/TT-BCA Art. 7, restated by Circular
59/2021/TT-BCA Art. 4): 12 digits =
  3 digits: the province (or country) where the birth was registered — the GSO code of the 63
            provinces as they were before 1 July 2025, zero-padded (001 Hà Nội … 096 Cà Mau);
            the 2025 provinces kept codes from that list, so it still covers new numbers;
  1 digit:  century of birth and sex — 0/1 = 1900–1999 male/female, 2/3 = 2000–2099,
            4/5 = 2100–2199, 6/7 = 2200–2299, 8/9 = 2300–2399;
  2 digits: the last two digits of the birth year;
  6 digits: a serial number.
Codes for births registered abroad (the country-code range) are not accepted here: the system
serves residents of a province, whose numbers start with a province code.

Tax code (Circular 105/2020/TT-BTC; the check digit as implemented by python-stdnum ``vn.mst``):
10 digits ``PPNNNNNNNC`` — the check digit C = 10 − (Σ dᵢ·wᵢ mod 11) with weights
31, 29, 23, 19, 17, 13, 7, 5, 3 over the first nine digits; the number is invalid when that gives
10, and the seven serial digits cannot all be zero. A dependent unit (branch) has 13 digits: the
parent's 10 followed by 001–999, written ``NNNNNNNNNN-NNN``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext as _

# The 63 provinces before 1 July 2025 (GSO codes; CCCD uses them zero-padded to 3 digits).
# Checked against the GSO list committed in motcua/units/demo/units_pre_2025.json by a test.
CCCD_PROVINCES: Final[dict[str, str]] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

TAX_WEIGHTS: Final[tuple[int, ...]] = (31, 29, 23, 19, 17, 13, 7, 5, 3)

_SEPARATORS = re.compile(r"[\s.]+")
_DIGITS12 = re.compile(r"\d{12}")
_TAX = re.compile(r"(\d{10})(?:-?(\d{3}))?")


class InvalidIdentifier(ValueError):
    """The value is not a valid identifier; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CitizenId:
    number: str
    province_code: str
    province_name: str
    birth_year: int
    female: bool
    serial: str


@dataclass(frozen=True)
class TaxCode:
    number: str  # normalised: "NNNNNNNNNN" or "NNNNNNNNNN-NNN"
    parent: str  # the 10-digit code of the enterprise
    branch: str | None  # "001"…"999" for a dependent unit

    @property
    def is_branch(self) -> bool:
        return self.branch is not None


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", value.strip())


def parse_citizen_id(value: str, *, today: dt.date) -> CitizenId:
    """Check a 12-digit citizen ID; raise ``InvalidIdentifier`` with the reason."""
    number = _compact(value)
    if not number:
        raise InvalidIdentifier(_("Vui lòng nhập số định danh cá nhân (căn cước công dân)."))
    if not _DIGITS12.fullmatch(number):
        raise InvalidIdentifier(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số (bạn đã nhập %(n)d ký tự).")
            % {"n": len(number)}
        )
    province = number[:3]
    if province not in CCCD_PROVINCES:
        raise InvalidIdentifier(
            _(
                "Ba chữ số đầu (%(code)s) không phải mã tỉnh, thành phố nơi đăng ký khai sinh "
                "(từ 001 Hà Nội đến 096 Cà Mau)."
            )
            % {"code": province}
        )
    century_sex = int(number[3])
    birth_year = 1900 + (century_sex // 2) * 100 + int(number[4:6])
    if birth_year > today.year:
        raise InvalidIdentifier(
            _(
                "Chữ số thứ 4 và 5–6 cho năm sinh %(year)d, sau năm hiện tại: "
                "số định danh không hợp lệ."
            )
            % {"year": birth_year}
        )
    return CitizenId(
        number=number,
        province_code=province,
        province_name=CCCD_PROVINCES[province],
        birth_year=birth_year,
        female=century_sex % 2 == 1,
        serial=number[6:],
    )


def citizen_id_problem(value: str, *, today: dt.date) -> str | None:
    """The reason ``value`` is not a valid citizen ID, or None."""
    try:
        parse_citizen_id(value, today=today)
    except InvalidIdentifier as exc:
        return exc.message
    return None


def tax_check_digit(first_nine: str) -> int | None:
    """The check digit for the first nine digits, or None when no digit fits (the sum gives 10)."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("need nine digits")
    total = sum(w * int(d) for w, d in zip(TAX_WEIGHTS, first_nine, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def parse_tax_code(value: str) -> TaxCode:
    """Check a 10- or 13-digit tax code; raise ``InvalidIdentifier`` with the reason."""
    compact = _compact(value)
    if not compact:
        raise InvalidIdentifier(_("Vui lòng nhập mã số thuế."))
    match = _TAX.fullmatch(compact)
    if match is None:
        raise InvalidIdentifier(
            _(
                "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số đối với đơn vị phụ thuộc "
                "(dạng NNNNNNNNNN-NNN)."
            )
        )
    parent, branch = match.group(1), match.group(2)
    if parent[2:9] == "0000000":
        raise InvalidIdentifier(_("Mã số thuế không hợp lệ: bảy chữ số thứ tự đều bằng 0."))
    if tax_check_digit(parent[:9]) != int(parent[9]):
        raise InvalidIdentifier(
            _("Mã số thuế không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không đúng.")
        )
    if branch == "000":
        raise InvalidIdentifier(
            _("Ba chữ số cuối của mã số thuế đơn vị phụ thuộc phải từ 001 đến 999.")
        )
    number = parent if branch is None else f"{parent}-{branch}"
    return TaxCode(number=number, parent=parent, branch=branch)


def tax_code_problem(value: str) -> str | None:
    """The reason ``value`` is not a valid tax code, or None."""
    try:
        parse_tax_code(value)
    except InvalidIdentifier as exc:
        return exc.message
    return None


def looks_like_citizen_id(value: str) -> bool:
    """True when ``value`` is 12 digits (a citizen ID rather than a 10/13-digit tax code)."""
    return bool(_DIGITS12.fullmatch(_compact(value)))
