"""The fast ``timestamptz`` loader reads the same instants as Django's own (PostgreSQL only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

INSTANTS = """
    SELECT v FROM (VALUES
        ('2024-09-06 10:17:00+07'::timestamptz),
        ('2026-11-28 23:59:59.123456+00'),
        ('1999-12-31 17:00:00.5-05'),
        ('2000-02-29 00:00:00+00'),
        (NULL)
    ) AS t(v)
"""


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def test_connections_read_instants_with_psycopgs_loader() -> None:
    from motcua.core.postgres import FastUTCLoader

    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(1184, 0)
    assert loader is FastUTCLoader


def test_it_reads_the_same_instants_as_djangos_loader() -> None:
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    with connection.cursor() as cursor:
        cursor.execute(INSTANTS)
        fast = cursor.fetchall()
    with connection.cursor() as cursor:
        register_tzloader(dt.UTC, cursor.cursor)  # Django's pure-Python loader
        cursor.execute(INSTANTS)
        django = cursor.fetchall()
    assert fast == django
    assert [v[0].tzinfo if v[0] else None for v in fast] == [dt.UTC] * 4 + [None]
    assert fast[1][0] == dt.datetime(2026, 11, 28, 23, 59, 59, 123456, tzinfo=dt.UTC)
