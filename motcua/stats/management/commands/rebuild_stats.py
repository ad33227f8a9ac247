"""``manage.py rebuild_stats [--facts]``: recompute the statistics rollups."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.stats import services


class Command(BaseCommand):
    help = (
        "Recompute the daily rollups from the dossier facts; with --facts, first re-derive the "
        "facts of native dossiers from the dossiers, their events and documents."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--facts",
            action="store_true",
            help="re-derive native dossiers' facts too (after a change of the rules)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        t0 = time.perf_counter()
        if options["facts"]:
            n = services.rebuild_native_facts()
            self.stdout.write(f"Re-derived {n:,} native dossier facts.")
        else:
            n = services.rebuild_rollups()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rollups rebuilt from {n:,} facts in {time.perf_counter() - t0:.1f} s."
            )
        )
