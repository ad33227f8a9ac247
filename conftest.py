"""Suite-wide fixtures: the database switch, personas, and the browser.

``MOTCUA_TEST_DB=postgres`` runs the suite on PostgreSQL (``make test`` does this when
``MOTCUA_TEST_POSTGRES=1``); an unreachable server fails the run instead of skipping it.
Personas follow healthchecks: ``alice`` (citizen), ``bob`` (official of agency A),
``carol`` (official of agency B), ``admin``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "motcua",
    deadline=None,
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "100")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("motcua")

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the
# same tests are still synchronous, so Django's async-safety guard must be relaxed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"

# Suite-wide fixtures that live beside the code they serve.
pytest_plugins = [
    "motcua.integrations.email.testing",
    "motcua.integrations.vneid.testing",
    "motcua.integrations.paygate.testing",
]


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("MOTCUA_TEST_DB") != "postgres":
        return
    import psycopg
    from django.conf import settings as dj_settings

    db = dj_settings.DATABASES["default"]
    try:
        psycopg.connect(
            host=db.get("HOST") or "127.0.0.1",
            port=int(db.get("PORT") or 5432),
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        raise pytest.UsageError(
            f"MOTCUA_TEST_DB=postgres but PostgreSQL is unreachable: {exc}. "
            "Start it with: "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        ) from exc


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Rate-limit counters and the calendar and version caches must not leak between tests."""
    from django.conf import settings as dj_settings
    from django.core.cache import cache
    from django.utils import translation

    from motcua.catalog.selectors import reset_version_cache
    from motcua.workdays.selectors import reset_calendar_cache

    cache.clear()
    reset_calendar_cache()
    reset_version_cache()  # ids are reused after a rollback
    # A request in another language leaves that language active in the thread (LocaleMiddleware
    # activates it and nothing deactivates it): start every test in the default language.
    translation.activate(dj_settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def agency_a(db: Any) -> Any:
    from motcua.units.tests.factories import AgencyFactory

    return AgencyFactory(code="000.00.01.H16", name="Sở Tư pháp")


@pytest.fixture
def agency_b(db: Any) -> Any:
    from motcua.units.tests.factories import AgencyFactory

    return AgencyFactory(code="000.00.02.H16", name="Sở Xây dựng")


@pytest.fixture
def alice(db: Any) -> Any:
    from motcua.accounts.models import UserKind
    from motcua.accounts.tests.factories import UserFactory

    return UserFactory(
        username="001190012345",
        kind=UserKind.CITIZEN,
        id_number="001190012345",
        full_name="Nguyễn Thị Ánh",
    )


@pytest.fixture
def bob(agency_a: Any) -> Any:
    from motcua.accounts.models import Role
    from motcua.accounts.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="bob", full_name="Trần Văn Bình")
    MembershipFactory(user=user, agency=agency_a, role=Role.SPECIALIST)
    return user


@pytest.fixture
def carol(agency_b: Any) -> Any:
    from motcua.accounts.models import Role
    from motcua.accounts.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="carol", full_name="Lê Thị Cúc")
    MembershipFactory(user=user, agency=agency_b, role=Role.SPECIALIST)
    return user


@pytest.fixture
def admin_user(db: Any) -> Any:
    from motcua.accounts.tests.factories import UserFactory

    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright's bundled driver (never a downloaded browser).

    Per module, not per session: Playwright's sync API keeps an asyncio loop running in the test
    thread while it is open, and code under test that calls ``asyncio.run`` (pyHanko signing)
    fails if a later, non-browser test runs in that thread first."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()
