"""Load the demo province: units, agencies, accounts, calendar and catalog. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load (or refresh) the demo province; safe to run any number of times."

    def handle(self, *args: Any, **options: Any) -> None:
        from motcua.accounts import demo as accounts_demo
        from motcua.catalog import demo as catalog_demo
        from motcua.dossiers import demo as dossiers_demo
        from motcua.stats import demo as stats_demo
        from motcua.units import demo as units_demo
        from motcua.workdays import demo as workdays_demo

        with transaction.atomic():
            units_demo.load(out=self.stdout)
            workdays_demo.load(out=self.stdout)
            catalog_demo.load(out=self.stdout)
            logins = accounts_demo.load(out=self.stdout)
        # Each dossier is its own (durable) transaction, as at a real counter.
        dossiers_demo.load(out=self.stdout)
        stats_demo.load(out=self.stdout)

        self.stdout.write(self.style.SUCCESS("\nDemo logins (username / password):"))
        for username, password, description in logins:
            self.stdout.write(f"  {username:<16} {password:<14} {description}")
