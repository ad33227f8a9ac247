"""Citizen IDs and tax codes (pure rules; no database)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from motcua.accounts.identifiers import (
    CCCD_PROVINCES,
    InvalidIdentifier,
    citizen_id_problem,
    looks_like_citizen_id,
    parse_citizen_id,
    parse_tax_code,
    tax_check_digit,
    tax_code_problem,
)

TODAY = dt.date(2026, 11, 27)
UNITS_PRE_2025 = Path(__file__).resolve().parents[2] / "units" / "demo" / "units_pre_2025.json"

provinces = st.sampled_from(sorted(CCCD_PROVINCES))
serials = st.integers(min_value=0, max_value=999_999).map(lambda n: f"{n:06d}")
digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def test_it_uses_the_63_gso_province_codes_zero_padded() -> None:
    gso = json.loads(UNITS_PRE_2025.read_text(encoding="utf-8"))["provinces"]
    assert len(gso) == 63
    assert set(CCCD_PROVINCES) == {f"0{code}" for code, _name, _type in gso}
    assert (CCCD_PROVINCES["001"], CCCD_PROVINCES["066"], CCCD_PROVINCES["096"]) == (
        "Hà Nội",
        "Đắk Lắk",
        "Cà Mau",
    )


@pytest.mark.parametrize(
    ("number", "year", "female", "province"),
    [
        ("001090012345", 1990, False, "Hà Nội"),
        ("079185000001", 1985, True, "Hồ Chí Minh"),
        ("066303123456", 2003, True, "Đắk Lắk"),
        ("054224000000", 2024, False, "Phú Yên"),
        (" 066 090 004321 ", 1990, False, "Đắk Lắk"),
    ],
)
def test_it_reads_a_valid_citizen_id(number: str, year: int, female: bool, province: str) -> None:
    cid = parse_citizen_id(number, today=TODAY)
    assert (cid.birth_year, cid.female, cid.province_name) == (year, female, province)
    assert len(cid.number) == 12


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("", "Vui lòng nhập"),
        ("06609000432", "12 chữ số"),
        ("0660900043210", "12 chữ số"),
        ("06609000432a", "12 chữ số"),
        ("003090004321", "003"),  # 003 is not a province code
        ("097090004321", "097"),
        ("000090004321", "000"),
        ("066227004321", "2027"),  # born next year
        ("066400004321", "2100"),
        ("066890004321", "2390"),
    ],
)
def test_it_rejects_a_bad_citizen_id_with_a_reason(number: str, fragment: str) -> None:
    problem = citizen_id_problem(number, today=TODAY)
    assert problem is not None and fragment in problem


@given(
    province=provinces, century_sex=st.sampled_from("0123"), yy=st.integers(0, 99), serial=serials
)
def test_it_accepts_every_well_formed_past_citizen_id(
    province: str, century_sex: str, yy: int, serial: str
) -> None:
    year = 1900 + int(century_sex) // 2 * 100 + yy
    assume(year <= TODAY.year)
    cid = parse_citizen_id(f"{province}{century_sex}{yy:02d}{serial}", today=TODAY)
    assert cid.birth_year == year
    assert cid.female == (int(century_sex) % 2 == 1)


@given(code=st.integers(0, 999).map(lambda n: f"{n:03d}"), rest=st.integers(0, 10**9 - 1))
def test_it_rejects_any_unlisted_province_code(code: str, rest: int) -> None:
    assume(code not in CCCD_PROVINCES)
    with pytest.raises(InvalidIdentifier):
        parse_citizen_id(f"{code}{rest:09d}", today=TODAY)


@given(century_sex=st.sampled_from("456789"), yy=st.integers(0, 99), serial=serials)
def test_it_rejects_every_birth_year_after_this_year(
    century_sex: str, yy: int, serial: str
) -> None:
    with pytest.raises(InvalidIdentifier, match="năm sinh"):
        parse_citizen_id(f"066{century_sex}{yy:02d}{serial}", today=TODAY)


# --- tax codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("0100233488", "0100233488"),  # python-stdnum's doctest examples
        ("0314409058-002", "0314409058-002"),
        ("0314409058002", "0314409058-002"),
        ("0314 409 058 - 002", "0314409058-002"),
        ("6001234562", "6001234562"),
    ],
)
def test_it_accepts_valid_tax_codes(value: str, normalised: str) -> None:
    assert parse_tax_code(value).number == normalised


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "Vui lòng nhập"),
        ("0100233480", "chữ số kiểm tra"),
        ("010023348", "10 chữ số"),
        ("01002334881", "10 chữ số"),
        ("0314409058-000", "001 đến 999"),
        ("0100000000", "bằng 0"),
        ("01002334a8", "10 chữ số"),
    ],
)
def test_it_rejects_bad_tax_codes_with_a_reason(value: str, fragment: str) -> None:
    problem = tax_code_problem(value)
    assert problem is not None and fragment in problem


def test_it_computes_the_check_digit_with_the_official_weights() -> None:
    # 0*31 + 1*29 + 0*23 + 0*19 + 2*17 + 3*13 + 3*7 + 4*5 + 8*3 = 167; 167 mod 11 = 2; 10-2 = 8
    assert tax_check_digit("010023348") == 8
    # a prefix whose weighted sum is 0 mod 11 has no valid check digit
    assert tax_check_digit("000000000") is None


@given(first=st.integers(0, 10**9 - 1).map(lambda n: f"{n:09d}"), last=digits)
def test_it_accepts_exactly_the_check_digit(first: str, last: str) -> None:
    assume(first[2:9] != "0000000")
    expected = tax_check_digit(first)
    ok = tax_code_problem(first + last) is None
    assert ok == (expected is not None and int(last) == expected)


@given(first=st.integers(0, 10**9 - 1).map(lambda n: f"{n:09d}"), branch=st.integers(1, 999))
def test_it_accepts_a_branch_of_any_valid_parent(first: str, branch: int) -> None:
    check = tax_check_digit(first)
    assume(check is not None and first[2:9] != "0000000")
    parent = f"{first}{check}"
    tax = parse_tax_code(f"{parent}{branch:03d}")
    assert (tax.parent, tax.branch, tax.is_branch) == (parent, f"{branch:03d}", True)
    assert tax.number == f"{parent}-{branch:03d}"


def test_it_tells_a_citizen_id_from_a_tax_code() -> None:
    assert looks_like_citizen_id("066090004321")
    assert not looks_like_citizen_id("6001234562")
    assert not looks_like_citizen_id("0314409058-002")
