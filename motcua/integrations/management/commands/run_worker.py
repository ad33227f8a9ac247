"""``manage.py run_worker [--loop | --once] [--batch N] [--interval S]``: deliver the outbox.

Without ``--loop`` it makes one pass (deliver everything due, run due periodic jobs) and exits.
"""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integrations.worker import Worker, default_worker_id


class Command(BaseCommand):
    help = "Deliver outbox messages (e-mail, national systems) and run periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--loop", action="store_true", help="keep running until SIGTERM/SIGINT")
        mode.add_argument("--once", action="store_true", help="one pass, then exit (default)")
        parser.add_argument("--batch", type=int, default=10, help="messages claimed at a time")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
        parser.add_argument("--worker-id", default="", help="name in claimed_by (host:pid)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        worker = Worker(
            batch=options["batch"],
            interval=options["interval"],
            worker_id=options["worker_id"] or default_worker_id(),
        )
        previous = {
            sig: signal.signal(sig, worker.request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            if options["loop"]:
                worker.run_forever()
            else:
                worker.run_once()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        s = worker.stats
        self.stdout.write(
            f"sent {s.sent}, retried {s.retried}, dead {s.dead}, taken over {s.lost}; "
            f"periodic jobs run {s.jobs_run}, failed {s.jobs_failed}"
        )
