"""``manage.py verify_publication [--month YYYY-MM]``: recompute the SHA-256 of every published
766 index (or one month's) and check its HMAC sign-off; exits non-zero on any mismatch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.stats.models import PublishedIndex
from motcua.stats.publication import verify_publication


class Command(BaseCommand):
    help = "Check the hash and signature of the published 766 indexes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: every published month)")

    def handle(self, *args: Any, **options: Any) -> None:
        publications = PublishedIndex.objects.order_by("month")
        if options["month"]:
            publications = publications.filter(month=options["month"])
        bad = []
        for publication in publications:
            check = verify_publication(publication)
            state = "ok" if check.ok else "TAMPERED"
            self.stdout.write(
                f"{check.month}: {state} (hash {'ok' if check.hash_ok else 'wrong'}, "
                f"signature {'ok' if check.signature_ok else 'wrong'})"
            )
            if not check.ok:
                bad.append(check.month)
        if bad:
            raise CommandError(f"{len(bad)} publication(s) fail verification: {', '.join(bad)}")
