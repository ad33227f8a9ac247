"""Demo data for units and agencies (called by ``manage.py load_demo``); idempotent.

Loads the real administrative units of Đắk Lắk (66) before and after 1 July 2025, with Phú Yên
(54), which merged into it, from the compact files next to this module (converted by
``motcua/units/tools/convert_units.py``; see ``PROVENANCE.md``), then the demo agencies of
``agencies.json`` (real names, **demo** identifier codes). Rows are keyed by
``(code, valid_from)`` for units and ``code`` for agencies, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import OutputWrapper
from django.db import transaction

from motcua.units.models import (
    AdministrativeUnit,
    Agency,
    AgencyLevel,
    UnitLevel,
    UnitSuccession,
)

DATA_DIR = Path(__file__).resolve().parent
PROVINCE_CODE = "66"
MERGED_PROVINCES = ("54",)
SUCCESSION_SOURCE = "NSO: Bảng chuyển đổi ĐVHC mới–cũ (01/7/2025)"


def read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    unit_type: str
    level: str
    parent: tuple[str, dt.date | None] | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def key(self) -> tuple[str, dt.date | None]:
        return (self.code, self.valid_from)


def _unit_rows() -> list[list[_Row]]:
    """The desired rows, parents before children (one list per tree level)."""
    pre = read("units_pre_2025.json")
    post = read("units_post_2025.json")
    change_on = dt.date.fromisoformat(pre["valid_to"])
    assert post["valid_from"] == pre["valid_to"]  # noqa: S101 (data invariant)

    names = {p[0]: p for p in pre["provinces"]}
    code, name, unit_type = post["province"]
    provinces = [_Row(code, name, unit_type, UnitLevel.PROVINCE, None, None, None)]
    for merged in MERGED_PROVINCES:
        _, mname, mtype = names[merged]
        provinces.append(_Row(merged, mname, mtype, UnitLevel.PROVINCE, None, None, change_on))
    districts = [
        _Row(c, n, t, UnitLevel.DISTRICT, (p, None), None, change_on)
        for c, n, t, p in pre["districts"]
    ]
    communes = [
        _Row(c, n, t, UnitLevel.COMMUNE, (p, None), None, change_on)
        for c, n, t, p in pre["communes"]
    ]
    communes += [
        _Row(c, n, t, UnitLevel.COMMUNE, (PROVINCE_CODE, None), change_on, None)
        for c, n, t in post["communes"]
    ]
    return [provinces, districts, communes]


def _load_units() -> dict[tuple[str, dt.date | None], AdministrativeUnit]:
    existing = {(u.code, u.valid_from): u for u in AdministrativeUnit.objects.all()}
    for level_rows in _unit_rows():
        to_create: list[AdministrativeUnit] = []
        to_update: list[AdministrativeUnit] = []
        for row in level_rows:
            parent_id = existing[row.parent].pk if row.parent else None
            values = {
                "name": row.name,
                "unit_type": row.unit_type,
                "level": row.level,
                "parent_id": parent_id,
                "valid_to": row.valid_to,
            }
            unit = existing.get(row.key)
            if unit is None:
                to_create.append(
                    AdministrativeUnit(code=row.code, valid_from=row.valid_from, **values)
                )
            elif any(getattr(unit, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(unit, f, v)
                to_update.append(unit)
        for unit in AdministrativeUnit.objects.bulk_create(to_create):
            existing[(unit.code, unit.valid_from)] = unit
        if to_update:
            AdministrativeUnit.objects.bulk_update(
                to_update, ["name", "unit_type", "level", "parent_id", "valid_to"]
            )
    return existing


def _load_successions(units: dict[tuple[str, dt.date | None], AdministrativeUnit]) -> int:
    merge = read("units_merge_2025.json")
    on = dt.date.fromisoformat(merge["effective_on"])
    wanted: dict[tuple[int, int], str] = {}
    for old, new, change in merge["provinces"]:
        wanted[(units[(old, None)].pk, units[(new, None)].pk)] = change
    for old, new, change in merge["communes"]:
        wanted[(units[(old, None)].pk, units[(new, on)].pk)] = change
    existing = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    to_create = []
    to_update = []
    for (pred, succ), change in wanted.items():
        row = existing.get((pred, succ))
        if row is None:
            to_create.append(
                UnitSuccession(
                    predecessor_id=pred,
                    successor_id=succ,
                    change=change,
                    effective_on=on,
                    source=SUCCESSION_SOURCE,
                )
            )
        elif (row.change, row.effective_on, row.source) != (change, on, SUCCESSION_SOURCE):
            row.change, row.effective_on, row.source = change, on, SUCCESSION_SOURCE
            to_update.append(row)
    UnitSuccession.objects.bulk_create(to_create)
    UnitSuccession.objects.bulk_update(to_update, ["change", "effective_on", "source"])
    return len(wanted)


def _load_agencies(units: dict[tuple[str, dt.date | None], AdministrativeUnit]) -> int:
    data = read("agencies.json")
    change_on = dt.date.fromisoformat(read("units_post_2025.json")["valid_from"])
    rows: list[dict[str, Any]] = data["agencies"]
    for row in rows:  # parents come first in the file
        level = AgencyLevel(row["level"])
        unit_key = (row["unit"], None if level == AgencyLevel.PROVINCE else change_on)
        defaults = {
            "name": row["name"],
            "short_name": row["short_name"],
            "level": level,
            "unit": units[unit_key],
            "parent": Agency.objects.get(code=row["parent"]) if row["parent"] else None,
            "has_one_stop_desk": row["has_one_stop_desk"],
            "is_active": True,
        }
        agency = Agency.objects.filter(code=row["code"]).first() or Agency(code=row["code"])
        if agency.pk is None or any(getattr(agency, f) != v for f, v in defaults.items()):
            for f, v in defaults.items():
                setattr(agency, f, v)
            agency.full_clean()
            agency.save()
    return len(rows)


@transaction.atomic
def load(*, out: OutputWrapper) -> None:
    units = _load_units()
    successions = _load_successions(units)
    agencies = _load_agencies(units)
    out.write(
        f"units: {len(units)} administrative units, {successions} successions, "
        f"{agencies} agencies (demo codes)"
    )
