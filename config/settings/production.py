"""Production overrides: secrets must come from the environment."""

from __future__ import annotations

from config.settings.base import *  # noqa: F403
from config.settings.env import env_secret

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
