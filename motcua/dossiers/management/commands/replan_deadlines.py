"""``manage.py replan_deadlines``: re-plan the dossiers in flight after a calendar change, once.

The worker does the same every minute (``motcua.dossiers.jobs.replan_job``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.jobs import replan_job


class Command(BaseCommand):
    help = "Recompute the due dates of open dossiers planned with an older working calendar."

    def handle(self, *args: Any, **options: Any) -> None:
        count = replan_job()
        self.stdout.write(f"re-planned {count} dossiers")
