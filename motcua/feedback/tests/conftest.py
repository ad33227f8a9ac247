from __future__ import annotations

from motcua.dossiers.tests.conftest import clock_at, world  # noqa: F401 (fixtures)
