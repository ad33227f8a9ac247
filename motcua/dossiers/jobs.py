"""Periodic dossier jobs run by the worker (``manage.py run_worker``).

``replan_job``: when the working calendar changes (a day off added, a Saturday swapped), the open
dossiers planned with an older calendar revision get their due dates recomputed and the change
recorded in their history (``services.dossiers_replan_stale``).
"""

from __future__ import annotations

import logging

from motcua.dossiers import services

logger = logging.getLogger("motcua.dossiers")

REPLAN_EVERY_SECONDS = 60.0


def replan_job() -> int:
    """Re-plan every dossier planned with an older calendar; returns how many were re-planned."""
    count = services.dossiers_replan_stale()
    if count:
        logger.info("re-planned %s dossiers after a calendar change", count)
    return count


def register_jobs() -> None:
    """Register the periodic jobs with the worker, when the integrations app provides one."""
    try:
        from motcua.integrations.worker import register_periodic
    except ImportError:  # pragma: no cover - the worker is part of the project
        return
    register_periodic("dossiers.replan", replan_job, every_seconds=REPLAN_EVERY_SECONDS)
