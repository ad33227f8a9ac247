"""Serve the payment gateway simulator for demos: ``manage.py run_paygate_simulator --port 8765``.

Point motcua at it with ``MOTCUA_PAYGATE_URL=http://127.0.0.1:8765`` and the same
``MOTCUA_PAYGATE_SECRET``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integrations.paygate.client import gateway_secret
from motcua.integrations.paygate.simulator import PaygateSimulator


class Command(BaseCommand):
    help = "Serve the VNPay-like payment gateway simulator on 127.0.0.1 (demos and manual tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--secret", default="", help="defaults to MOTCUA_PAYGATE_SECRET")

    def handle(self, *args: Any, **options: Any) -> None:
        secret = options["secret"] or gateway_secret()
        if not secret:
            raise CommandError("Set MOTCUA_PAYGATE_SECRET or pass --secret")
        sim = PaygateSimulator(secret=secret, port=options["port"])
        self.stdout.write(f"Payment gateway simulator on http://127.0.0.1:{options['port']}")
        try:
            sim.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
