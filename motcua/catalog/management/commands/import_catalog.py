"""``manage.py import_catalog FILE [--dry-run]``: import a catalog file (docs/catalog-format.md).

Every problem is printed with its path in the file and nothing is imported (exit status 1);
otherwise the whole file is imported in one transaction and each procedure is reported as
created, new version or unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.services import CatalogInvalid, catalog_import

LABELS = {"created": "created", "new_version": "new version", "unchanged": "unchanged"}


class Command(BaseCommand):
    help = "Validate and import a procedure catalog file (JSON, docs/catalog-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and report what would change, then roll everything back",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            report = catalog_import(text=data, dry_run=options["dry_run"])
        except CatalogInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(
                f"{len(exc.errors)} error(s) in {path}; nothing was imported."
            ) from exc
        for item in report.procedures:
            self.stdout.write(f"{item.code}  v{item.version}  {LABELS[item.outcome]}")
        for code in report.fields_created:
            self.stdout.write(f"field {code}  created")
        for code in report.fields_renamed:
            self.stdout.write(f"field {code}  renamed")
        summary = (
            f"{report.count('created')} created, {report.count('new_version')} new version(s), "
            f"{report.count('unchanged')} unchanged"
        )
        if report.dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run: {summary}; nothing was saved."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))
