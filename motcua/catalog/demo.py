"""Demo data for this app (called by `manage.py load_demo`); must be idempotent.

Imports ``demo/catalog.json`` (43 real procedures, converted by ``tools/convert_reference.py``).
It names demo agency codes, so it runs after ``motcua.units.demo``; a second run reports every
procedure unchanged and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import OutputWrapper

from motcua.catalog.services import catalog_import

CATALOG_FILE = Path(__file__).resolve().parent / "demo" / "catalog.json"


def load(*, out: OutputWrapper) -> None:
    report = catalog_import(text=CATALOG_FILE.read_bytes())
    out.write(
        f"Catalog: {report.count('created')} procedures created, "
        f"{report.count('new_version')} new versions, {report.count('unchanged')} unchanged."
    )
