"""Test settings. MOTCUA_TEST_DB=postgres runs the suite on PostgreSQL (see conftest.py)."""

from __future__ import annotations

import os

import dj_database_url

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
MOTCUA_CALENDAR_CHECK_SECONDS = 0.0  # re-validate the cached calendar on every read
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Transactional tests empty every table between tests, which the append-only triggers forbid;
# motcua/audit/tests install the triggers themselves to prove they work on both databases.
MOTCUA_AUDIT_TRIGGERS = False

if os.environ.get("MOTCUA_TEST_DB") == "postgres":
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("MOTCUA_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua")
        )
    }
    # as in production (config/settings/base.py): server-side binding, statements prepared
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
else:
    DATABASES = {
        "default": {
            **DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "TEST": {"NAME": ":memory:"},
        }
    }
