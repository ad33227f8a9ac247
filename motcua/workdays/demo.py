"""Demo data for this app (called by `manage.py load_demo`); must be idempotent."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

from motcua.workdays.services import seed_year

DEMO_YEARS = range(2024, 2028)


def load(*, out: OutputWrapper) -> None:
    for year in DEMO_YEARS:
        created = seed_year(year=year)
        out.write(f"Calendar {year}: {len(created)} day(s) added")
