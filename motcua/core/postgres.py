"""PostgreSQL connection set-up shared by every app.

Django's psycopg 3 backend registers, on each connection, a ``timestamptz`` loader that
subclasses psycopg's *pure-Python* loader (to attach Django's time zone): every instant read
from the database is parsed by a regular expression in Python, ~2.5 µs each. The session's
time zone is UTC (Django sets it), so psycopg's own C loader gives the very same aware UTC
instants several times faster; :func:`use_fast_instant_loader` puts it back after Django's.
The history import and the tracking page read thousands of instants per second.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
from psycopg.abc import AdaptContext, Buffer
from psycopg.adapt import Loader
from psycopg.postgres import types
from psycopg.pq import Format

_TIMESTAMPTZ = types["timestamptz"].oid
# The loader psycopg registers globally (the C one with psycopg[binary]); Django's replaces it
# only on each connection's own adapters.
_PSYCOPG_LOADER: Any = psycopg.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)


class FastUTCLoader(Loader):
    """psycopg's loader (a final C class: wrapped, not subclassed), with the ``timezone``
    attribute Django compares on each cursor."""

    timezone = dt.UTC

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        self.load = _PSYCOPG_LOADER(oid, context).load  # type: ignore[method-assign]

    def load(self, data: Buffer) -> Any:  # replaced per instance (above)
        raise NotImplementedError


def use_fast_instant_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: psycopg's loader for ``timestamptz`` on this
    connection, when the session's time zone is the UTC that Django's loader would attach."""
    if connection.vendor != "postgresql":
        return
    raw = connection.connection
    if raw.info.parameter_status("TimeZone") != "UTC" or connection.timezone != dt.UTC:
        return
    raw.adapters.register_loader("timestamptz", FastUTCLoader)
