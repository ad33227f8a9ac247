"""``manage.py generate_national FILE [--preset q3-2024] [--scale D] [--seed S]``: write synthetic
dossiers in the national sync format (JSON lines) for ``import_dossiers`` tests and benchmarks.

The records use the procedures of the catalog and their agencies (load the catalog and agencies
first, e.g. ``load_demo``). ``--preset q3-2024`` is issue #5's quarter (1/7–30/9/2024) whose
settled outcomes are exactly 183,477 early, 39,491 on time and 1,219 late (224,187 settled), plus
pending, withdrawn, stopped and never-received dossiers; ``--scale 100`` divides every count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.stats.synthetic import Q3_2024, Mix, national_records, write_jsonl


def catalog_pairs(*, per_procedure: int = 3) -> list[tuple[str, str]]:
    """(procedure code, agency code) for the current catalog: each procedure with up to
    ``per_procedure`` of the agencies that implement it, in a stable order."""
    from motcua.catalog.models import Procedure
    from motcua.catalog.selectors import version_agencies

    pairs: list[tuple[str, str]] = []
    for procedure in (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("current_version")
        .order_by("code")
    ):
        assert procedure.current_version is not None  # noqa: S101 (filtered above)
        agencies = version_agencies(procedure.current_version)[:per_procedure]
        pairs.extend((procedure.code, a.code) for a in agencies)
    return pairs


class Command(BaseCommand):
    help = "Write synthetic national-format dossiers (JSON lines) for import tests and benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--preset", choices=["q3-2024"], default="q3-2024")
        parser.add_argument("--scale", type=int, default=1, help="divide every count by this")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 1:
            raise CommandError("--scale must be at least 1")
        mix = Mix.q3_2024().scaled(options["scale"])
        start, end = Q3_2024
        pairs = catalog_pairs()
        if not pairs:
            raise CommandError("the catalog has no procedure with an agency: load it first")
        path: Path = options["file"]
        with path.open("w", encoding="utf-8") as stream:
            n = write_jsonl(
                stream,
                national_records(mix=mix, start=start, end=end, pairs=pairs, seed=options["seed"]),
            )
        self.stdout.write(
            f"wrote {n:,} records to {path} ({start:%d/%m/%Y}–{end:%d/%m/%Y}): settled "
            f"{mix.settled:,} = {mix.early:,} early + {mix.on_time:,} on time + {mix.late:,} late"
        )
