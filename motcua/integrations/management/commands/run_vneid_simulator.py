"""Serve the VNeID OpenID Connect simulator for demos (never in production)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations.vneid.simulator import VneidSimulator


class Command(BaseCommand):
    help = "Run the VNeID OpenID Connect simulator on 127.0.0.1 (demos and manual tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8800)
        parser.add_argument("--client-id", default="motcua")
        parser.add_argument("--client-secret", default="motcua-simulator-secret")

    def handle(self, *args: Any, **options: Any) -> None:
        simulator = VneidSimulator(
            port=options["port"],
            client_id=options["client_id"],
            client_secret=options["client_secret"],
        ).start()
        self.stdout.write(
            f"VNeID simulator at {simulator.issuer}\n"
            "Point the app at it:\n"
            f"  MOTCUA_OIDC_ISSUER={simulator.issuer}\n"
            f"  MOTCUA_OIDC_CLIENT_ID={simulator.client_id}\n"
            f"  MOTCUA_OIDC_CLIENT_SECRET={simulator.client_secret}\n"
            "Demo people: " + ", ".join(f"{p.name} ({p.citizen_id})" for p in simulator.people)
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()
