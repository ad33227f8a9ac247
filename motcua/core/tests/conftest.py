"""The dossier tests' small province (``world``) and time control (``clock_at``)."""

from motcua.dossiers.tests.conftest import clock_at, world  # noqa: F401
