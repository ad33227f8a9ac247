"""A per-process cache of rendered search results (and, through ``page_cache``, whole anonymous
catalog pages), keyed by the catalog's version.

The catalog changes only through ``catalog_import`` (and the admin), so the results of a query
are the same until then. Any save or delete of a procedure, a version or a field bumps
``catalog_token()``: at once in this process, and for every other web process through the
shared cache when the transaction commits (they re-read it at most every ``TOKEN_TTL`` seconds,
so another process may serve the old results for that long after an import).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

SHARED_KEY = "portal:catalog-token"
TOKEN_TTL = 2.0  # seconds a process trusts its copy of the shared token
MAX_ENTRIES = 1000

_lock = threading.Lock()
_local_generation = 0
_shared: tuple[float, str] = (0.0, "")
_entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()


def catalog_token() -> str:
    """This process's view of the catalog version (one cache read every ``TOKEN_TTL`` s)."""
    global _shared
    now = time.monotonic()
    read_at, token = _shared
    if now - read_at > TOKEN_TTL:
        token = str(cache.get(SHARED_KEY) or "0")
        _shared = (now, token)
    return f"{token}.{_local_generation}"


def _bump_local() -> None:
    global _local_generation, _shared
    with _lock:
        _local_generation += 1
        _shared = (0.0, "")
        _entries.clear()


def _bump_shared() -> None:
    cache.set(SHARED_KEY, uuid.uuid4().hex, timeout=None)
    _bump_local()


def catalog_changed(**_: Any) -> None:
    """Signal receiver: the catalog changed (or will, when the transaction commits)."""
    _bump_local()
    transaction.on_commit(_bump_shared)


def cached_html(key: tuple[Any, ...], render: Callable[[], str]) -> str:
    # The token read before rendering: results rendered across a catalog change are kept under
    # the old token, which is never asked for again.
    full = (catalog_token(), *key)
    html = cached_get(full)
    if html is None:
        html = render()
        cached_put(full, html)
    return str(html)


def cached_get(key: tuple[Any, ...]) -> Any:
    """The value kept for ``key`` under the current catalog token, or None."""
    full = (catalog_token(), *key)
    with _lock:
        value = _entries.get(full)
        if value is not None:
            _entries.move_to_end(full)
        return value


def cached_put(key: tuple[Any, ...], value: Any) -> None:
    full = (catalog_token(), *key)
    with _lock:
        _entries[full] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    _bump_local()
