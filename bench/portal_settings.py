"""Settings for the gunicorn server of ``bench/portal.py``: production, plus one bench knob.

``MOTCUA_TRACK_MAX_ATTEMPTS`` (the per-IP limit of tracking lookups) comes from the environment,
because the 50 benchmark clients all share the loopback address and would otherwise be stopped
after 10 lookups. Everything else is ``config.settings.production``.
"""

from __future__ import annotations

from config.settings.env import env_int
from config.settings.production import *  # noqa: F403

MOTCUA_TRACK_MAX_ATTEMPTS = env_int("MOTCUA_TRACK_MAX_ATTEMPTS", 10)
