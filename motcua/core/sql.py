"""Plain SQL on the hot paths, with the values the ORM would give.

Building a query through the ORM costs more than running it on the busiest paths (the public
tracking page, the statistics hook of every dossier action): those keep their SQL text once and
run it with a cursor. :class:`Statement` converts the columns that are model fields the way the
ORM's compiler does (``get_db_converters``: e.g. SQLite's naive text instants become aware
datetimes), so callers get the same Python values as through a queryset.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection


@dataclass(frozen=True)
class Statement:
    """A plain SELECT whose first columns are ``fields`` of ``model`` (converted like the ORM
    does), then plain columns."""

    sql: str
    model: Any
    fields: tuple[str, ...]

    def rows(self, params: list[Any]) -> list[list[Any]]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not rows:
            return []
        converters = _converters(self.model, self.fields, connection.vendor)
        out = []
        for row in rows:
            values = list(row)
            for i, col, functions in converters:
                for convert in functions:
                    values[i] = convert(values[i], col, connection)
            out.append(values)
        return out


@functools.cache
def _converters(
    model: Any, fields: tuple[str, ...], vendor: str
) -> list[tuple[int, Any, list[Any]]]:
    """(column index, column, converters) for each of ``fields`` that needs converting — what
    the ORM's compiler applies (``get_converters``), per database vendor."""
    out = []
    for i, name in enumerate(fields):
        col = model._meta.get_field(name).get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if functions:
            out.append((i, col, functions))
    return out


def db_values(model: Any, fields: tuple[str, ...], values: list[Any]) -> list[Any]:
    """``values`` of ``fields`` prepared for a plain INSERT or UPDATE as the ORM saves them
    (``get_db_prep_save``: e.g. aware instants as SQLite's naive UTC text)."""
    meta = model._meta
    return [
        meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in zip(fields, values, strict=True)
    ]
