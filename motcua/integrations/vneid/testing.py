"""Pytest fixture: a VNeID simulator (a real HTTP server on 127.0.0.1, a free port) with the
OpenID Connect client settings pointed at it. Registered suite-wide by the root conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.integrations.vneid.simulator import VneidSimulator


@pytest.fixture
def oidc_provider(settings: Any) -> Iterator[VneidSimulator]:
    simulator = VneidSimulator().start()
    settings.MOTCUA_OIDC_ISSUER = simulator.issuer
    settings.MOTCUA_OIDC_CLIENT_ID = simulator.client_id
    settings.MOTCUA_OIDC_CLIENT_SECRET = simulator.client_secret
    try:
        yield simulator
    finally:
        simulator.stop()
