"""Loaded once by the history import's fork server (``stats.importer._pipeline``), which then
forks the worker processes: Django is set up there once, instead of once in every spawned
worker (~0.8 s of CPU each on these machines). Nothing connects to a database here; each
worker connects in :func:`motcua.stats.import_worker.init`."""

from __future__ import annotations

import os

if os.environ.get("DJANGO_SETTINGS_MODULE"):
    import django

    django.setup()

    import motcua.stats.importer  # noqa: F401 (loaded for the workers)
