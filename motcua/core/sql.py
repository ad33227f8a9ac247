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


@dataclass(frozen=True)
class Rows:
    """Whole model rows by a fixed condition, as a queryset would give them (``from_db``: the
    instances are saved ones, ``save(update_fields=…)`` works), optionally with one forward
    foreign key's row joined and cached on each instance (like ``select_related``). The SQL is
    built once; see :func:`rows_of`."""

    statement: Statement
    model: Any
    related: str  # the forward foreign key joined, or ""

    def all(self, params: list[Any]) -> list[Any]:
        meta = self.model._meta
        own = [f.attname for f in meta.concrete_fields]
        n = len(own)
        out = []
        for values in self.statement.rows(params):
            instance = self.model.from_db(connection.alias, own, values[:n])
            if self.related:
                other = meta.get_field(self.related).related_model
                tail = values[n:]
                for i, col, functions in _converters(other, _names(other), connection.vendor):
                    for convert in functions:
                        tail[i] = convert(tail[i], col, connection)
                fields = [f.attname for f in other._meta.concrete_fields]
                instance._state.fields_cache[self.related] = other.from_db(
                    connection.alias, fields, tail
                )
            out.append(instance)
        return out


def _names(model: Any) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields)


@functools.cache
def rows_of(model: Any, where: str, order: str = "", related: str = "") -> Rows:
    """A :class:`Rows` of ``model`` (alias ``t``; ``related``'s row as ``r``, an inner join: a
    non-null foreign key) ``WHERE where`` (``%s`` placeholders) ``ORDER BY order``."""
    q = connection.ops.quote_name
    meta = model._meta
    columns = [f"t.{q(f.column)}" for f in meta.concrete_fields]
    joins = ""
    if related:
        field = meta.get_field(related)
        other = field.related_model._meta
        columns += [f"r.{q(f.column)}" for f in other.concrete_fields]
        joins = f" JOIN {q(other.db_table)} r ON r.{q(other.pk.column)} = t.{q(field.column)}"
    sql = f"SELECT {', '.join(columns)} FROM {q(meta.db_table)} t{joins} WHERE {where}"  # noqa: S608
    if order:
        sql += f" ORDER BY {order}"
    return Rows(Statement(sql, model, _names(model)), model, related)


def insert(instance: Any, *, ignore_conflicts: bool = False) -> None:
    """Save a new ``instance`` with one plain ``INSERT … RETURNING`` (no ORM compile): the
    fields' ``pre_save`` as ``Model.save`` applies it, the new primary key set on the instance.
    ``ignore_conflicts``: ``ON CONFLICT DO NOTHING`` (as ``bulk_create(ignore_conflicts=True)``;
    the instance then keeps no primary key). For models without save() overrides or signal
    receivers that matter, on the hot paths."""
    model: Any = type(instance)
    fields = _insertable(model)
    pk = insert_values(
        model,
        tuple(f.name for f in fields),
        [f.pre_save(instance, True) for f in fields],
        ignore_conflicts=ignore_conflicts,
    )
    if pk is not None:
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = connection.alias


def update(instance: Any, fields: list[str]) -> None:
    """``instance.save(update_fields=fields)`` as one plain ``UPDATE … WHERE pk`` (no ORM
    compile): each field's ``pre_save`` (``auto_now``) as the ORM applies it. For models without
    save() overrides or signal receivers that matter."""
    meta = type(instance)._meta
    names = tuple(fields)
    values = [meta.get_field(name).pre_save(instance, False) for name in names]
    update_values(type(instance), instance.pk, names, values)


def insert_values(
    model: Any, names: tuple[str, ...], values: list[Any], *, ignore_conflicts: bool = False
) -> Any:
    """One row of ``model`` with ``values`` for the fields ``names`` (Python values, prepared
    with ``get_db_prep_save`` as the ORM saves them); returns its primary key (None when a
    conflict was ignored)."""
    sql, fields = _insert_sql(model, names, ignore_conflicts)
    with connection.cursor() as cursor:
        cursor.execute(sql, _prepared(fields, values))
        row = cursor.fetchone()
    return None if row is None else row[0]


def update_values(model: Any, pk: Any, names: tuple[str, ...], values: list[Any]) -> None:
    """Set the fields ``names`` of ``model``'s row ``pk`` to ``values`` (Python values, prepared
    as the ORM saves them: e.g. aware instants as SQLite's naive UTC text)."""
    sql, fields = _update_sql(model, names)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_prepared(fields, values), pk])


def _prepared(fields: list[Any], values: list[Any]) -> list[Any]:
    return [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]


@functools.cache
def _insertable(model: Any) -> list[Any]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@functools.cache
def _insert_sql(
    model: Any, names: tuple[str, ...], ignore_conflicts: bool
) -> tuple[str, list[Any]]:
    q = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    columns = ", ".join(q(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({placeholders}){conflict} "  # noqa: S608
        f"RETURNING {q(meta.pk.column)}"
    )
    return sql, fields


@functools.cache
def _update_sql(model: Any, names: tuple[str, ...]) -> tuple[str, list[Any]]:
    q = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    assignments = ", ".join(f"{q(f.column)} = %s" for f in fields)
    sql = f"UPDATE {q(meta.db_table)} SET {assignments} WHERE {q(meta.pk.column)} = %s"  # noqa: S608
    return sql, fields
