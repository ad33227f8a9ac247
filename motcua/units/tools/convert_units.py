"""Convert the shared reference unit data into the compact files committed in ``units/demo/``.

Usage (from the repository root)::

    .venv/bin/python -m motcua.units.tools.convert_units /path/to/reference/data

It reads ``units_pre_2025.json``, ``units_post_2025.json`` and ``units_merge_2025.json`` (see that
folder's ``PROVENANCE.md``) and writes, keeping only Đắk Lắk (66) and Phú Yên (54), which merged
into Đắk Lắk on 1 July 2025:

- ``units_pre_2025.json``: the 63 pre-2025 provinces (code, name, type; only 66 and 54 are loaded,
  the full list backs the citizen-ID province codes in ``accounts.identifiers``), the 24 districts
  and the 286 communes of 66 and 54 as ``[code, name, unit_type, parent_code]``;
- ``units_post_2025.json``: the merged province and its 102 communes as ``[code, name, unit_type]``;
- ``units_merge_2025.json``: the province merge (54 → 66) and the 294 old → new commune rows as
  ``[old_code, new_code, change]`` with ``change`` in whole/part/unchanged/renamed.

Values are copied, never edited. The script is deterministic: running it again on the same input
gives byte-identical files, so a diff shows any change in the source.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent.parent / "demo"
PROVINCE = "66"
MERGED_IN = ("54",)
KEPT = (PROVINCE, *MERGED_IN)
SOURCE = (
    "Converted by motcua/units/tools/convert_units.py from the project's reference data "
    "(NSO/GSO official lists: pre-2025 list dated 2025-01-04, NSO conversion table "
    "'Bảng chuyển đổi ĐVHC mới–cũ' for 2025-07-01); see motcua/units/demo/PROVENANCE.md."
)


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def convert(src: Path) -> dict[str, dict[str, Any]]:
    pre: list[dict[str, Any]] = _load(src / "units_pre_2025.json")
    post: list[dict[str, Any]] = _load(src / "units_post_2025.json")
    merge: dict[str, Any] = _load(src / "units_merge_2025.json")

    provinces = [[u["code"], u["name"], u["unit_type"]] for u in pre if u["level"] == "province"]
    districts = [
        [u["code"], u["name"], u["unit_type"], u["parent_code"]]
        for u in pre
        if u["level"] == "district" and u["parent_code"] in KEPT
    ]
    district_codes = {d[0] for d in districts}
    communes = [
        [u["code"], u["name"], u["unit_type"], u["parent_code"]]
        for u in pre
        if u["level"] == "commune" and u["parent_code"] in district_codes
    ]

    (province,) = [u for u in post if u["level"] == "province" and u["code"] == PROVINCE]
    new_communes = [
        [u["code"], u["name"], u["unit_type"]]
        for u in post
        if u["level"] == "commune" and u["parent_code"] == PROVINCE
    ]

    (pmerge,) = [m for m in merge["province_merges"] if m["new_code"] == PROVINCE]
    province_rows = [
        [p["code"], PROVINCE, "whole"] for p in pmerge["old_provinces"] if p["code"] != PROVINCE
    ]
    commune_rows = [
        [m["old_code"], m["new_code"], m["change"]] for m in merge["commune_mappings_dak_lak"]
    ]

    return {
        "units_pre_2025.json": {
            "_source": SOURCE,
            "valid_to": merge["effective_date"],
            "provinces": provinces,
            "districts": districts,
            "communes": communes,
        },
        "units_post_2025.json": {
            "_source": SOURCE,
            "valid_from": merge["effective_date"],
            "province": [province["code"], province["name"], province["unit_type"]],
            "communes": new_communes,
        },
        "units_merge_2025.json": {
            "_source": SOURCE,
            "effective_on": merge["effective_date"],
            "province_text": pmerge["source_text"],
            "provinces": province_rows,
            "communes": commune_rows,
        },
    }


def _dump(data: dict[str, Any]) -> str:
    """One row per line: compact yet diff-friendly."""
    lines = ["{"]
    items = list(data.items())
    for i, (key, value) in enumerate(items):
        sep = "," if i < len(items) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], list):
            rows = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in value)
            lines.append(f"{json.dumps(key)}: [\n{rows}\n]{sep}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{sep}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__ or "")
        return 2
    for name, data in convert(Path(argv[1])).items():
        (OUT_DIR / name).write_text(_dump(data), encoding="utf-8")
        sys.stdout.write(f"wrote {OUT_DIR / name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
