"""Recompute the audit hash chain; exit 1 if any row was altered, deleted or reordered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Verify the append-only audit log: detects altered, deleted or reordered rows."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {report.checked} events verified.")
            )
            return
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        raise CommandError(
            f"Audit log verification FAILED: {len(report.problems)} problem(s) "
            f"in {report.checked} events."
        )
