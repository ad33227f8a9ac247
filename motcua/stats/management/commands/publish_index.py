"""``manage.py publish_index [--month YYYY-MM] [--method national|all_settled]``: compute, freeze,
sign and publish the Decision 766 index of a finished month (default: the previous month). The
worker does the same by itself from the 5th of each month (``stats.publication``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.stats.index766 import ERESULT_METHODS
from motcua.stats.publication import PublicationError, parse_month, previous_month, publish_month


class Command(BaseCommand):
    help = "Publish the Decision 766 index of a finished month (default: the previous month)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")
        parser.add_argument("--method", choices=sorted(ERESULT_METHODS), default="national")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_month(options["month"]) if options["month"] else previous_month()
            publication = publish_month(period, eresult_method=options["method"])
        except PublicationError as exc:
            raise CommandError(str(exc)) from exc
        total = publication.payload["province"]["total"]
        self.stdout.write(
            f"Published the 766 index of {publication.month}: {total} points; "
            f"sha256 {publication.sha256}"
        )
