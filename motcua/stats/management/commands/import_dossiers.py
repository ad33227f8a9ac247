"""``manage.py import_dossiers FILE [--batch N] [--workers N]``: import exported dossiers.

FILE holds JSON lines, one national-format ``DongBoHoSoMC`` dossier object per line (vn-rules
§3.3; the mapping is in ``motcua/stats/national.py`` and ADR 0015); ``-`` reads standard input.
The import is one transaction (all of it or nothing), read in batches of N records (default
5,000). On PostgreSQL, ``--workers`` processes (default 2; 0: none) decode and check the batches
while this one writes them, in file order. Bad records are reported on stderr with their line
number and reason and skipped; the rest are imported. Re-importing a ``MaHoSo`` replaces its
fact (an identical record is left as it is). Exit status 1 only when nothing could be read: the
file cannot be opened, or it has records and not one of them could be imported.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.stats.importer import DEFAULT_BATCH, DEFAULT_WORKERS, ImportResult, import_national
from motcua.stats.progress import Progress


class Command(BaseCommand):
    help = "Import dossiers in the national sync format (JSON lines) into the statistics."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON-lines file, or - for standard input")
        parser.add_argument(
            "--batch",
            type=int,
            default=DEFAULT_BATCH,
            help=f"records per batch (default {DEFAULT_BATCH})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"processes preparing the batches, PostgreSQL only (default {DEFAULT_WORKERS}; "
            "0: none)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress line")

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["file"]
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        if options["workers"] is not None and options["workers"] < 0:
            raise CommandError("--workers must be at least 0")
        try:
            stream: IO[bytes] = sys.stdin.buffer if name == "-" else Path(name).open("rb")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {name}: {exc.strerror}") from exc
        total = None
        if name != "-":
            try:
                total = Path(name).stat().st_size
            except OSError:
                total = None
        progress = Progress(total=total, unit="bytes") if not options["no_progress"] else None
        position = [0]

        def lines() -> Iterator[bytes]:
            for line in stream:
                position[0] += len(line)
                yield line

        def on_batch(result: ImportResult) -> None:
            if progress is not None:
                progress.update(position[0])

        try:
            result = import_national(
                lines(), batch_size=options["batch"], on_batch=on_batch, workers=options["workers"]
            )
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        if progress is not None:
            progress.close()
        for line, reason in result.errors:
            self.stderr.write(f"{name}:{line}: {reason}")
        elapsed = progress.elapsed() if progress is not None else 0.0
        rate = f", {result.read / elapsed:,.0f} records/s" if elapsed > 0 else ""
        summary = (
            f"read {result.read:,}, imported {result.imported:,}, updated {result.updated:,}, "
            f"unchanged {result.unchanged:,}, "
            f"skipped {result.skipped:,}{rate}"
        )
        if result.read and result.imported + result.updated + result.unchanged == 0:
            raise CommandError(f"nothing could be imported from {name}: {summary}")
        style = self.style.WARNING if result.skipped else self.style.SUCCESS
        self.stdout.write(style(summary))
