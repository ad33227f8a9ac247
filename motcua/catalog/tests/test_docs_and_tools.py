"""The documented example is valid, and the converter's parsing helpers do what they claim."""

from __future__ import annotations

import re
from pathlib import Path

from motcua.catalog.format import parse_catalog
from motcua.catalog.tools import convert_reference as conv

DOC = Path(__file__).resolve().parents[3] / "docs" / "catalog-format.md"


def test_the_documented_example_is_a_valid_catalog() -> None:
    example = re.search(r"## Example\s+```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    result = parse_catalog(example.group(1))
    assert result.errors == []


def test_applicants_split_on_commas_outside_parentheses() -> None:
    assert conv.split_list("Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX)") == [
        "Công dân Việt Nam",
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
    ]


def test_time_limits_map_units_and_bare_numbers() -> None:
    assert conv.parse_limit("3 Ngày làm việc") == (3, "working_days", "Ngày làm việc")
    assert conv.parse_limit("20 Ngày") == (20, "calendar_days", "Ngày")
    assert conv.parse_limit("1") == (1, "working_days", None)
    assert conv.parse_limit("Không có thông tin") is None


def test_a_year_glued_onto_the_copy_count_is_split_off() -> None:
    notes: list[str] = []
    item = {
        "name": "- Theo Luật Đất đai năm",
        "required": False,
        "original_copies": 20240,
        "copies": 1,
    }
    out = conv.convert_component(item, notes)
    assert (out["name"], out["originals"], out["copies"]) == ("Theo Luật Đất đai năm 2024", 0, 1)
    assert len(notes) == 1


def test_a_glued_form_file_name_becomes_the_form_template() -> None:
    item = {
        "name": "Tờ khai (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).1.MuCT01.doc",
        "required": True,
        "original_copies": 1,
        "copies": 0,
        "form_template_attached": True,
    }
    out = conv.convert_component(item, [])
    assert out["form_template"] == "1.MuCT01.doc"
    assert out["name"].endswith("53/2025/TT-BCA).")
