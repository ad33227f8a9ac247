"""Demo statistics: six past months of history in the national format, imported, and those
months' index published — so the reports, dashboards and the public index have numbers.
Idempotent: nothing is imported when imported history exists, and a published month stays."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

SEED = 766
RECORDS = 3_000
MONTHS = 6


def _months_before(today: dt.date, n: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    out = []
    for _ in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append((year, month))
    return sorted(out)


def load(*, out: Any) -> None:
    from motcua.stats.importer import import_national
    from motcua.stats.index766 import IndexPeriod
    from motcua.stats.management.commands.generate_national import catalog_pairs
    from motcua.stats.models import DossierFact, PublishedIndex, Source
    from motcua.stats.publication import publish_month
    from motcua.stats.synthetic import Mix, national_records, write_jsonl

    months = _months_before(timezone.localdate(), MONTHS)
    first = dt.date(*months[0], 1)
    last_year, last_month = months[-1]
    last = (dt.date(last_year, last_month, 28) + dt.timedelta(days=4)).replace(
        day=1
    ) - dt.timedelta(days=1)
    if not DossierFact.objects.filter(source=Source.IMPORTED).exists():
        mix = Mix.q3_2024().scaled(Mix.q3_2024().total // RECORDS)
        buffer = io.StringIO()
        write_jsonl(
            buffer,
            national_records(
                mix=mix, start=first, end=last, pairs=catalog_pairs(per_procedure=30), seed=SEED
            ),
        )
        result = import_national(buffer.getvalue().splitlines())
        out.write(
            f"Statistics: imported {result.imported:,} past dossiers ({first} – {last}) "
            f"in the national format."
        )
    published = 0
    for year, month in months:
        period = IndexPeriod("month", year, month)
        if not PublishedIndex.objects.filter(month=str(period)).exists():
            publish_month(period)
            published += 1
    if published:
        out.write(f"Statistics: published the index of {published} month(s).")
