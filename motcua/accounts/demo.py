"""Demo accounts (called by `manage.py load_demo`); must be idempotent."""

from __future__ import annotations

from django.core.management.base import OutputWrapper


def load(*, out: OutputWrapper) -> list[tuple[str, str, str]]:
    """Create the demo users and return (username, password, description) rows to print."""
    return []
