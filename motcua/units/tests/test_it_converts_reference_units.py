"""The conversion script keeps Đắk Lắk and Phú Yên, copies values verbatim, is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

from motcua.units.tools import convert_units


def write(path: Path, name: str, data: object) -> None:
    (path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def reference(tmp_path: Path) -> Path:
    prov = "province"
    write(
        tmp_path,
        "units_pre_2025.json",
        [
            {"code": "01", "name": "Thành phố Hà Nội", "level": prov, "parent_code": None,
             "unit_type": "Thành phố trực thuộc trung ương"},
            {"code": "54", "name": "Tỉnh Phú Yên", "level": prov, "parent_code": None,
             "unit_type": "Tỉnh"},
            {"code": "66", "name": "Tỉnh Đắk Lắk", "level": prov, "parent_code": None,
             "unit_type": "Tỉnh"},
            {"code": "001", "name": "Quận Ba Đình", "level": "district", "parent_code": "01",
             "unit_type": "Quận"},
            {"code": "643", "name": "Thành phố Buôn Ma Thuột", "level": "district",
             "parent_code": "66", "unit_type": "Thành phố thuộc tỉnh"},
            {"code": "555", "name": "Thành phố Tuy Hoà", "level": "district", "parent_code": "54",
             "unit_type": "Thành phố thuộc tỉnh"},
            {"code": "00001", "name": "Phường Phúc Xá", "level": "commune", "parent_code": "001",
             "unit_type": "Phường"},
            {"code": "24118", "name": "Phường Tân Lập", "level": "commune", "parent_code": "643",
             "unit_type": "Phường"},
            {"code": "22015", "name": "Phường 1", "level": "commune", "parent_code": "555",
             "unit_type": "Phường"},
        ],
    )  # fmt: skip
    write(
        tmp_path,
        "units_post_2025.json",
        [
            {"code": "66", "name": "Tỉnh Đắk Lắk", "level": prov, "parent_code": None,
             "unit_type": "Tỉnh"},
            {"code": "24121", "name": "Phường Tân Lập", "level": "commune", "parent_code": "66",
             "unit_type": "Phường"},
            {"code": "22015", "name": "Phường Tuy Hòa", "level": "commune", "parent_code": "66",
             "unit_type": "Phường"},
        ],
    )  # fmt: skip
    write(
        tmp_path,
        "units_merge_2025.json",
        {
            "effective_date": "2025-07-01",
            "province_merges": [
                {"new_code": "66", "new_name": "Tỉnh Đắk Lắk", "source_text": "Phú Yên + Đắk Lắk",
                 "old_provinces": [{"code": "54", "name": "Tỉnh Phú Yên"},
                                   {"code": "66", "name": "Tỉnh Đắk Lắk"}]},
            ],
            "commune_mappings_dak_lak": [
                {"old_code": "24118", "new_code": "24121", "change": "whole"},
                {"old_code": "22015", "new_code": "22015", "change": "part"},
            ],
            "new_commune_descriptions_dak_lak": [],
        },
    )  # fmt: skip
    return tmp_path


def test_it_keeps_the_two_provinces_and_the_mapping(tmp_path: Path) -> None:
    out = convert_units.convert(reference(tmp_path))
    pre = out["units_pre_2025.json"]
    assert [p[0] for p in pre["provinces"]] == ["01", "54", "66"]
    assert [d[0] for d in pre["districts"]] == ["643", "555"]
    assert pre["communes"] == [
        ["24118", "Phường Tân Lập", "Phường", "643"],
        ["22015", "Phường 1", "Phường", "555"],
    ]
    post = out["units_post_2025.json"]
    assert post["province"] == ["66", "Tỉnh Đắk Lắk", "Tỉnh"]
    assert post["valid_from"] == "2025-07-01"
    merge = out["units_merge_2025.json"]
    assert merge["provinces"] == [["54", "66", "whole"]]
    assert merge["communes"] == [["24118", "24121", "whole"], ["22015", "22015", "part"]]


def test_it_writes_the_same_bytes_every_time(tmp_path: Path) -> None:
    src = reference(tmp_path)
    first = {k: convert_units._dump(v) for k, v in convert_units.convert(src).items()}
    second = {k: convert_units._dump(v) for k, v in convert_units.convert(src).items()}
    assert first == second
    assert json.loads(first["units_merge_2025.json"])["communes"][0] == ["24118", "24121", "whole"]
