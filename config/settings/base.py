"""Settings shared by every environment; environment-specific modules only override."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from config.settings.env import env_bool, env_int, env_secret, env_str

# Lets `admin.ModelAdmin[Model]` and friends be subscripted at run time (typing only).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("MOTCUA_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_secret("SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "motcua.core",
    "motcua.units",
    "motcua.accounts",
    "motcua.audit",
    "motcua.workdays",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.office",
    "motcua.portal",
    "motcua.integrations",
    "motcua.documents",
    "motcua.payments",
    "motcua.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # Only for the hottest public fragments (ADR 0018); templates in <app>/jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "motcua.portal.jinja_env.environment"},
    },
]

# DATABASE_URL=postgres://user:pass@host/db switches to PostgreSQL; SQLite is the embedded default.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # Server-side parameter binding, and psycopg preparing the statements a connection runs
    # repeatedly (after DB_PREPARE_THRESHOLD uses; Django turns that off unless asked, for
    # connection poolers in transaction mode — none here): the hot paths' fixed SQL is parsed
    # and planned once per connection, not on every run (planning was ~80 % of the server's
    # time for the tracking page's statement; bench/portal.py, BENCHMARKS.md).
    # DB_PREPARE_THRESHOLD=0 turns preparing off (e.g. behind PgBouncer in transaction mode).
    _prepare_threshold = env_int("DB_PREPARE_THRESHOLD", 5)
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": env_bool("DB_SERVER_SIDE_BINDING", True),
        "prepare_threshold": _prepare_threshold if _prepare_threshold > 0 else None,
    }

# Covering indexes (INCLUDE) serve the work queues on PostgreSQL; SQLite just ignores the extra
# columns, which is fine for the embedded default.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "office:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese by default; English and Spanish translations.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "motcua.core.sessions"  # database sessions, one query fewer per new one
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"

# The cache is shared by every web and worker process (calendar version, rate limits), so it
# lives in the database by default: no extra component to run. Its table is created by the
# core app's migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "motcua_cache",
    }
}

# The HMAC key of the audit chain; keep it outside the database (defaults to SECRET_KEY).
MOTCUA_AUDIT_KEY = env_secret("MOTCUA_AUDIT_KEY", "")

# Notifications go out by SMTP from the outbox worker (`manage.py run_worker`), never from a
# request. local.py prints them on the console; test.py keeps them in memory.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # seconds; well under the outbox lease
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "motcua@localhost")

# The outbox (docs/decisions/0007-outbox.md): attempts before a message is dead, and how long a
# worker holds a claimed message before another worker may take it over.
MOTCUA_OUTBOX_MAX_ATTEMPTS = env_int("MOTCUA_OUTBOX_MAX_ATTEMPTS", 8)
MOTCUA_OUTBOX_LEASE_SECONDS = env_int("MOTCUA_OUTBOX_LEASE_SECONDS", 300)

# The province this instance serves (GSO code) and its office hours (DESIGN §3.3).
MOTCUA_PROVINCE_CODE = env_str("MOTCUA_PROVINCE_CODE", "66")
MOTCUA_OFFICE_HOURS = env_str("MOTCUA_OFFICE_HOURS", "07:00-11:30,13:30-17:00")
# How often a process re-checks (one cache read) whether the calendar changed elsewhere.
MOTCUA_CALENDAR_CHECK_SECONDS = float(env_str("MOTCUA_CALENDAR_CHECK_SECONDS", "1.0"))

# A dossier is "at risk" when its remaining working time is under this share of its limit or
# under this many working hours (DESIGN §3.3.1; province settings).
MOTCUA_AT_RISK_SHARE = float(env_str("MOTCUA_AT_RISK_SHARE", "0.25"))
MOTCUA_AT_RISK_FLOOR_HOURS = env_int("MOTCUA_AT_RISK_FLOOR_HOURS", 8)
# Notify applicants by e-mail (through the outbox); sync to the National Public Service Portal.
MOTCUA_NOTIFY_EMAIL = env_bool("MOTCUA_NOTIFY_EMAIL", True)
USE_DVCQG = env_bool("USE_DVCQG", False)

# The public portal: tracking lookups allowed per IP and window (guessing codes is rate-limited),
# and the address printed in QR codes of e-results.
MOTCUA_TRACK_MAX_ATTEMPTS = env_int("MOTCUA_TRACK_MAX_ATTEMPTS", 10)
MOTCUA_TRACK_WINDOW_SECONDS = env_int("MOTCUA_TRACK_WINDOW_SECONDS", 600)
MOTCUA_PUBLIC_BASE_URL = env_str("MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Uploads (checked by content: PDF, JPEG, PNG) and the e-result signing pair (PAdES). Without a
# configured pair a self-signed demo pair is generated under var/signing/.
MOTCUA_UPLOAD_MAX_BYTES = env_int("MOTCUA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
MOTCUA_UPLOAD_MAX_FILES = env_int("MOTCUA_UPLOAD_MAX_FILES", 20)
MOTCUA_SIGNING_KEY_FILE = env_str("MOTCUA_SIGNING_KEY_FILE", "")
MOTCUA_SIGNING_CERT_FILE = env_str("MOTCUA_SIGNING_CERT_FILE", "")
MOTCUA_SIGNING_KEY_PASSPHRASE = env_secret("MOTCUA_SIGNING_KEY_PASSPHRASE", "")

# National identity (VNeID-style OpenID Connect) and the payment gateway.
MOTCUA_OIDC_ISSUER = env_str("MOTCUA_OIDC_ISSUER", "")
MOTCUA_OIDC_CLIENT_ID = env_str("MOTCUA_OIDC_CLIENT_ID", "")
MOTCUA_OIDC_CLIENT_SECRET = env_secret("MOTCUA_OIDC_CLIENT_SECRET", "")
MOTCUA_PAYGATE_URL = env_str("MOTCUA_PAYGATE_URL", "")
MOTCUA_PAYGATE_SECRET = env_secret("MOTCUA_PAYGATE_SECRET", "")

# Login attempts allowed per username+IP within the window before a temporary lock-out.
MOTCUA_LOGIN_MAX_ATTEMPTS = env_int("MOTCUA_LOGIN_MAX_ATTEMPTS", 5)
MOTCUA_LOGIN_WINDOW_SECONDS = env_int("MOTCUA_LOGIN_WINDOW_SECONDS", 900)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
