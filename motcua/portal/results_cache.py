"""A per-process cache of rendered search results, keyed by the catalog's version.

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
_entries: OrderedDict[tuple[Any, ...], str] = OrderedDict()


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
    full = (catalog_token(), *key)
    with _lock:
        html = _entries.get(full)
        if html is not None:
            _entries.move_to_end(full)
            return html
    html = render()
    with _lock:
        _entries[full] = html
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return html


def clear() -> None:
    _bump_local()
