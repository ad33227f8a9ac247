"""Demo data for this app (called by `manage.py load_demo`); must be idempotent."""

from __future__ import annotations

from django.core.management.base import OutputWrapper


def load(*, out: OutputWrapper) -> None:
    pass
