"""Fixtures of the workdays tests: a seeded in-memory calendar, a clean calendar cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from motcua.workdays.rules import TZ, WorkingCalendar
from motcua.workdays.schedule import seed_rules


@pytest.fixture(scope="session")
def cal() -> WorkingCalendar:
    """The seeded calendar 2023–2028 (holidays package + official schedules), no database."""
    return WorkingCalendar.build(rules=seed_rules(range(2023, 2029)))


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # Test transactions roll rows back, but the version token lives in the (process) cache:
    # forget both so no test sees another test's calendar.
    from django.core.cache import cache

    from motcua.workdays.selectors import CALENDAR_VERSION_KEY, reset_calendar_cache

    cache.delete(CALENDAR_VERSION_KEY)
    reset_calendar_cache()
    yield
    cache.delete(CALENDAR_VERSION_KEY)
    reset_calendar_cache()


@pytest.fixture
def seeded(db: Any) -> None:
    from motcua.workdays.services import seed_year

    for year in range(2023, 2029):
        seed_year(year=year)


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, s, tzinfo=TZ)
