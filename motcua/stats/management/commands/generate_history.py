"""``manage.py generate_history --dossiers N --from YYYY-MM-DD --to YYYY-MM-DD [--seed S]``:
a realistic history made through the real dossier services (``motcua/stats/history.py``).

Needs the agencies, working calendar and catalog (``load_demo``). Time is steered with
``time_machine`` (a dev dependency, installed by ``make setup``); every dossier action is its own
transaction, as at a real counter. Prints progress on stderr and a summary: the settlements per
outcome with their shares beside issue #5's (early / on time / late), returns, ends, pending.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.stats.history import SHARES, HistoryResult, generate_history
from motcua.stats.progress import Progress


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from exc


class Command(BaseCommand):
    help = "Generate a realistic dossier history through the real services (demo, benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--communes", type=int, default=4, help="commune agencies used (default 4)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import time_machine  # noqa: F401
        except ImportError as exc:
            raise CommandError(
                "generate_history steers time with time-machine (a dev dependency): "
                "install the locked dependencies (make setup)"
            ) from exc
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to is before --from")
        if end >= timezone.localdate():
            raise CommandError("--to must be in the past (this is a history)")
        if options["dossiers"] < 1:
            raise CommandError("--dossiers must be at least 1")
        progress = (
            None if options["no_progress"] else Progress(total=options["dossiers"], unit="dossiers")
        )

        def on_progress(result: HistoryResult) -> None:
            if progress is not None:
                progress.update(result.dossiers)

        try:
            r = generate_history(
                dossiers=options["dossiers"],
                start=start,
                end=end,
                seed=options["seed"],
                communes=options["communes"],
                on_progress=on_progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if progress is not None:
            progress.update(r.dossiers, force=True)
            progress.close()
        settled = sum(r.outcomes.values())
        self.stdout.write(
            f"{r.dossiers:,} dossiers, {r.actions:,} actions in {r.seconds:,.1f} s "
            f"({r.dossiers / max(r.seconds, 1e-9):,.1f} dossiers/s, "
            f"{r.actions / max(r.seconds, 1e-9):,.0f} actions/s)"
        )
        mix = ", ".join(
            f"{label} {r.outcomes[o]:,} ({100 * r.outcomes[o] / max(settled, 1):.1f} %)"
            for o, label in (("early", "early"), ("on_time", "on time"), ("late", "late"))
        )
        target = " / ".join(f"{100 * share:.1f}" for share in SHARES.values())
        self.stdout.write(
            f"settled {settled:,}: {mix} (target {target} %); returned {r.returned:,}"
        )
        self.stdout.write(
            f"withdrawn {r.ended['withdrawn']:,}, stopped {r.ended['stopped']:,}, refused "
            f"{r.ended['refused']:,}; pending at {end:%d/%m/%Y}: {r.pending:,}"
        )
        for reason in r.refused_actions[:20]:
            self.stderr.write(f"refused by the rules: {reason}")
        if r.refused_actions:
            self.stderr.write(f"{len(r.refused_actions)} action(s) refused by the rules")
