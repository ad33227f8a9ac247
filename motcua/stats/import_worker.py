"""The worker processes of the history import's pipeline (``stats.importer``, ADR 0015).

A separate module because a spawned process imports it *before* Django is set up: it imports
nothing of Django or the models at module level. :func:`init` sets Django up on the importing
process's database; :func:`prepare` prepares one batch (decode, check, map, the batch's stored
facts, its rollup delta, its ``COPY`` payload) for the importing process to write.
"""

from __future__ import annotations

import gc
import os
from typing import Any

_catalog: Any = None
_failed: BaseException | None = None


def init(
    settings_module: str,
    database: dict[str, Any],
    agencies: dict[str, int],
    procedures: dict[str, tuple[int, bool]],
) -> None:
    global _catalog, _failed
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
        import django

        django.setup()
        from django.db import connections

        connections["default"].settings_dict.update(database)
        with connections["default"].cursor() as cursor:
            # This session only looks facts up by code, a few thousand at a time: by the unique
            # index, without parallel workers (the planner, counting on a table that grows
            # under it, picks parallel sequential scans that cost the shared CPUs far more).
            cursor.execute("SET enable_seqscan TO off")
            cursor.execute("SET max_parallel_workers_per_gather TO 0")
        from motcua.stats.importer import _Catalog

        _catalog = _Catalog(agencies, procedures)
        # Everything loaded so far lives as long as the process: out of the collector's sight,
        # its full collections stop walking Django's objects again and again (measured: a
        # batch of re-imported records ~58 → ~42 µs each).
        gc.freeze()
    except BaseException as exc:  # reported by prepare(): a pool would respawn a dead worker
        _failed = exc


def prepare(items: list[tuple[int, bytes | str]]) -> Any:
    if _failed is not None:
        raise RuntimeError(f"import worker could not start: {_failed!r}") from _failed
    from motcua.stats.importer import _prepare

    return _prepare(items, _catalog, copy=True)
