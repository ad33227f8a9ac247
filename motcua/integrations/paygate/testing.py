"""The ``paygate_simulator`` fixture: a running simulator with settings pointed at it.

Registered for the whole suite as a pytest plugin by the root conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.integrations.paygate.simulator import PaygateSimulator

SECRET = "test-paygate-secret-0123456789"  # noqa: S105 (tests only)


@pytest.fixture
def paygate_simulator(settings: Any) -> Iterator[PaygateSimulator]:
    sim = PaygateSimulator(secret=SECRET).start()
    settings.MOTCUA_PAYGATE_URL = sim.url
    settings.MOTCUA_PAYGATE_SECRET = SECRET
    try:
        yield sim
    finally:
        sim.stop()
