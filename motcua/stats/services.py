"""Keeping the statistics in step: facts and rollups move in the transaction of each action.

``dossier_changed(dossier)`` is called by every service that changes what a dossier contributes
(the dossier actions, intake, re-planning, e-results, payments, ratings) inside its transaction.
``apply_facts`` is the bulk form used by the history import; ``rebuild_rollups`` recomputes every
rollup from the facts (``manage.py rebuild_stats``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from motcua.catalog.selectors import version_parts
from motcua.stats import facts
from motcua.stats.facts import COUNTERS, EndKind, Fact
from motcua.stats.models import AgencyDayCount, DailyCount, DossierFact, Source

# (agency, receiving agency, procedure, channel): the dimensions of a fine rollup row.
Dims = tuple[int, int, int, str]
Key = tuple[Dims, dt.date, str]
# Fine rollup rows being summed: (day, dims) → one count per entry of COUNTERS, in that order.
Rows = dict[tuple[dt.date, Dims], list[int]]
_COUNTER_INDEX = {name: i for i, name in enumerate(COUNTERS)}
_FINE_KEY = ["day", "agency_id", "receiving_agency_id", "procedure_id", "channel"]

FACT_FIELDS = Fact._fields

_END_KINDS = {7: EndKind.WITHDRAWN, 8: EndKind.STOPPED, 9: EndKind.SETTLED, 10: EndKind.SETTLED}


def fact_of(row: DossierFact) -> Fact:
    return Fact(**{name: getattr(row, name) for name in FACT_FIELDS})


def dims_of(row: DossierFact) -> Dims:
    return (row.agency_id, row.receiving_agency_id, row.procedure_id, row.channel)


def keyed(dims: Dims, fact: Fact) -> Counter[Key]:
    return Counter({(dims, day, name): n for (day, name), n in facts.contributions(fact).items()})


# -- native dossiers -------------------------------------------------------------------------------

_FLAGS_SQL = ""


def _flags_sql() -> str:
    """One statement for the flags a dossier's documents, payments and rating decide (raw SQL:
    compiling the ORM form on every action cost more than running it)."""
    global _FLAGS_SQL
    if not _FLAGS_SQL:
        from motcua.accounts.models import User
        from motcua.catalog.models import ProcedureVersion
        from motcua.documents.models import StoredDocument
        from motcua.dossiers.models import Dossier
        from motcua.feedback.models import Rating
        from motcua.payments.models import PaymentRequest

        docs = StoredDocument._meta.db_table
        _FLAGS_SQL = (
            "SELECT "  # noqa: S608 (table names from the models)
            f"EXISTS (SELECT 1 FROM {PaymentRequest._meta.db_table} p "
            "WHERE p.dossier_id = d.id AND p.status = 'paid'), "
            f"EXISTS (SELECT 1 FROM {docs} s WHERE s.dossier_id = d.id "
            "AND s.component_id IS NOT NULL), "
            f"EXISTS (SELECT 1 FROM {docs} s WHERE s.dossier_id = d.id "
            "AND s.reused_from_id IS NOT NULL), "
            f"EXISTS (SELECT 1 FROM {docs} s WHERE s.dossier_id = d.id AND s.kind = 'eresult'), "
            f"(SELECT r.overall FROM {Rating._meta.db_table} r WHERE r.dossier_id = d.id), "
            f"(SELECT u.identity_verified_at IS NOT NULL FROM {User._meta.db_table} u "
            "WHERE u.id = d.applicant_user_id), "
            "v.procedure_id, v.written_result_required "
            f"FROM {Dossier._meta.db_table} d "
            f"JOIN {ProcedureVersion._meta.db_table} v ON v.id = d.procedure_version_id "
            "WHERE d.id = %s"
        )
    return _FLAGS_SQL


def _flags(dossier: Any) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(_flags_sql(), [dossier.pk])
        row = cursor.fetchone()
    paid, files, reused, eresult, rating, vneid, procedure, written = row
    return {
        "paid": bool(paid),
        "files": bool(files),
        "reused": bool(reused),
        "eresult": bool(eresult),
        "rating": rating or "",
        "vneid": bool(vneid),
        "procedure": procedure,
        "written": bool(written),
    }


def _flags_of_fact(fact: Fact, *, procedure: int) -> dict[str, Any]:
    """The flags a stored fact already knows (when the action cannot have changed them)."""
    return {
        "paid": fact.paid_online,
        "files": fact.digitized,
        "reused": fact.reused,
        "eresult": fact.eresult,
        "rating": fact.rating,
        "vneid": fact.citizen_data and not fact.reused,
        "procedure": procedure,
        "written": fact.written_result_required,
    }


def _native_fact(
    dossier: Any, flags: dict[str, Any] | None = None
) -> tuple[Dims, Fact, dict[str, Any]]:
    from motcua.dossiers.models import DossierEvent

    if flags is None:
        flags = _flags(dossier)
    status = int(dossier.status)
    end_kind = _END_KINDS.get(status, "")
    ended_at = dossier.settled_at if end_kind == EndKind.SETTLED else dossier.closed_at
    if not end_kind or dossier.received_at is None:
        ended_at = None
    due_before_pause = None
    if dossier.paused_since is not None:
        due_before_pause = (
            DossierEvent.objects.filter(dossier_id=dossier.pk, at__lte=dossier.paused_since)
            .exclude(due_before=None)
            .order_by("-seq")
            .values_list("due_before", flat=True)
            .first()
        )
    written, eresult, reused = flags["written"], flags["eresult"], flags["reused"]
    fact = Fact(
        channel=dossier.channel,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        ended_at=ended_at,
        end_kind=end_kind if ended_at is not None else "",
        paused_at=dossier.paused_since,
        due_before_pause=due_before_pause,
        supplement_count=dossier.supplement_count,
        has_fee=version_parts(dossier.procedure_version_id).has_fee,
        paid_online=flags["paid"],
        digitized=flags["files"] and (eresult or not written),
        reused=reused,
        from_store=reused,
        citizen_data=reused or flags["vneid"],
        written_result_required=written,
        eresult=eresult,
        rating=flags["rating"],
    )
    dims = (
        dossier.agency_id,
        dossier.receiving_agency_id,
        flags["procedure"],
        dossier.channel,
    )
    extra = {
        "code": dossier.code,
        "status": status,
        "applicant_name": dossier.applicant_name[:200],
        "outcome": facts.outcome(fact),
    }
    return dims, fact, extra


def _fill(row: DossierFact, dims: Dims, fact: Fact, extra: dict[str, Any]) -> None:
    """Write a native dossier's fact, dimensions and descriptive columns onto its row."""
    for name in FACT_FIELDS:
        setattr(row, name, getattr(fact, name))
    row.agency_id, row.receiving_agency_id, row.procedure_id, row.channel = dims
    for name, value in extra.items():
        setattr(row, name, value)


# The columns the hook reads and writes, as plain SQL (the ORM's query building cost more than
# the statements themselves on every dossier action): dims but the channel (the fact has it),
# descriptive columns, the fact.
_HOOK_FIELDS = (
    "agency",
    "receiving_agency",
    "procedure",
    "code",
    "status",
    "applicant_name",
    "outcome",
    *FACT_FIELDS,
)
_HOOK_READ: list[Any] = []


def _hook_read() -> Any:
    """The stored fact of a dossier: ``_HOOK_FIELDS``, then its id."""
    if not _HOOK_READ:
        from motcua.core.sql import Statement

        meta = DossierFact._meta
        columns = [
            str(cast("Field[Any, Any]", meta.get_field(name)).column) for name in _HOOK_FIELDS
        ]
        _HOOK_READ.append(
            Statement(
                f"SELECT {', '.join(columns)}, id FROM {meta.db_table} "  # noqa: S608
                "WHERE dossier_id = %s",
                DossierFact,
                _HOOK_FIELDS,
            )
        )
    return _HOOK_READ[0]


def dossier_changed(dossier: Any, *, flags_may_change: bool = True) -> None:
    """Bring the dossier's fact and the rollups in step (inside the caller's transaction, which
    holds the dossier's row lock, so two changes of one dossier cannot interleave).

    ``flags_may_change=False``: the caller's change cannot touch documents, payments or the
    rating (e.g. a forward), so the stored fact's flags are reused instead of read again."""
    from motcua.core.sql import insert_values, update_values

    found = _hook_read().rows([dossier.pk])
    stored = found[0] if found else None  # dims but the channel (3), described (4), fact, id
    old: tuple[Dims, Fact] | None = None
    if stored is not None:
        old_fact = Fact(*stored[7:-1])
        old = ((stored[0], stored[1], stored[2], old_fact.channel), old_fact)
    reuse = old is not None and not flags_may_change
    dims, fact, extra = _native_fact(
        dossier, _flags_of_fact(old[1], procedure=old[0][2]) if old and reuse else None
    )
    rows: Rows = {}
    if stored is not None and old is not None:
        if old == (dims, fact) and stored[4] == extra["status"]:
            return
        add_contributions(rows, *old, -1)
    described = [extra["code"], extra["status"], extra["applicant_name"], extra["outcome"]]
    names = (*_HOOK_FIELDS, "updated_at")
    values = [*dims[:3], *described, *fact, timezone.now()]
    if stored is None:
        insert_values(
            DossierFact, (*names, "dossier", "source"), [*values, dossier.pk, Source.NATIVE.value]
        )
    else:
        update_values(DossierFact, stored[-1], names, values)
    add_contributions(rows, dims, fact)
    apply_rows(rows)


# -- rollups ---------------------------------------------------------------------------------------


def _upsert_sql(table: str, key_columns: list[str], rows: list[list[Any]]) -> tuple[str, list[Any]]:
    """PostgreSQL: one ``INSERT … SELECT FROM unnest(…) ON CONFLICT`` whatever the number of
    rows (a history import moves tens of thousands): one array per column, unnested in the
    given (lock-stable) order."""
    return _upsert_text(table, tuple(key_columns)), [
        _pg_array(column) for column in zip(*rows, strict=True)
    ]


@functools.cache
def _upsert_text(table: str, key_columns: tuple[str, ...]) -> str:
    columns = [*key_columns, *COUNTERS]
    names = ", ".join(columns)
    arrays = ", ".join(f"%s::{_PG_ARRAY.get(c, 'bigint')}[]" for c in columns)
    return (
        f"INSERT INTO {table} ({names}) SELECT {names} "  # noqa: S608 (names from the models)
        f"FROM unnest({arrays}) WITH ORDINALITY AS u({names}, ord) ORDER BY ord "
        f"{_on_conflict(table, key_columns)}"
    )


def _on_conflict(table: str, key_columns: tuple[str, ...]) -> str:
    """Add the new counts to the row already there."""
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    return f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}"


def _upsert(table: str, key_columns: list[str], rows: list[list[Any]]) -> None:
    """Elsewhere (SQLite): one row at a time, in the given (lock-stable) order."""
    if not rows:
        return
    columns = [*key_columns, *COUNTERS]
    placeholders = ", ".join(["%s"] * len(columns))
    conflict = _on_conflict(table, tuple(key_columns))
    # Table and column names come from the models and COUNTERS, never from input.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) {conflict}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


_PG_ARRAY = {"day": "date", "channel": "text"}


def _pg_array(values: Iterable[Any]) -> str:
    """A PostgreSQL array literal (``{1,2,3}``): one string parameter instead of thousands of
    values for the driver to quote one by one."""
    values = list(values)
    if not values or not isinstance(values[0], str):  # one column: counters, ids or days, unquoted
        return "{" + ",".join(map(str, values)) + "}"
    items = [
        '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' if isinstance(v, str) else str(v)
        for v in values
    ]
    return "{" + ",".join(items) + "}"


def add_contributions(rows: Rows, dims: Dims, fact: Fact, sign: int = 1) -> None:
    """Add (``sign`` 1) or take away (-1) the fact's contributions to the fine rows ``rows``."""
    for day, name in facts.contribution_list(fact):
        counts = rows.get((day, dims))
        if counts is None:
            counts = rows[(day, dims)] = [0] * len(COUNTERS)
        counts[_COUNTER_INDEX[name]] += sign


def merge_rows(into: Rows, rows: Rows) -> None:
    """Add ``rows`` to ``into`` (the lists of ``rows`` may be taken over: do not reuse them)."""
    for key, counts in rows.items():
        mine = into.get(key)
        if mine is None:
            into[key] = counts
            continue
        for i, n in enumerate(counts):
            if n:
                mine[i] += n


def apply_rows(rows: Rows) -> None:
    """Add the fine rows ``rows`` to both rollup tables (the coarse one summed from them)."""
    width = len(COUNTERS)
    fine = []
    coarse: dict[tuple[dt.date, int], list[int]] = {}
    # A stable order: concurrent transactions lock rollup rows in the same order (no deadlock).
    for (day, dims), counts in sorted(rows.items()):
        if not any(counts):
            continue
        fine.append([day, *dims, *counts])
        total = coarse.get((day, dims[0]))
        if total is None:
            coarse[(day, dims[0])] = list(counts)
        else:
            for i in range(width):
                total[i] += counts[i]
    if not fine:
        return
    tables = (
        (DailyCount._meta.db_table, _FINE_KEY, fine),
        (
            AgencyDayCount._meta.db_table,
            ["day", "agency_id"],
            [[day, agency, *counts] for (day, agency), counts in sorted(coarse.items())],
        ),
    )
    for table, key, table_rows in tables:
        if connection.vendor != "postgresql":
            _upsert(table, key, table_rows)
            continue
        # Two statements rather than one (a data-modifying CTE): psycopg caches the parsing of
        # a statement only up to 4,096 characters and 50 parameters, and the parsing cost more
        # than the round trip saved (bench/lifecycle.py).
        with connection.cursor() as cursor:
            cursor.execute(*_upsert_sql(table, key, table_rows))


def apply_delta(delta: Mapping[Key, int]) -> None:
    """Add ``delta`` to both rollup tables (one upsert per touched row)."""
    rows: Rows = {}
    for (dims, day, name), n in delta.items():
        if n:
            counts = rows.get((day, dims))
            if counts is None:
                counts = rows[(day, dims)] = [0] * len(COUNTERS)
            counts[_COUNTER_INDEX[name]] += n
    apply_rows(rows)


def contributions_of_rows(rows: Iterable[DossierFact]) -> Counter[Key]:
    total: Counter[Key] = Counter()
    for row in rows:
        total.update(keyed(dims_of(row), fact_of(row)))
    return total


@transaction.atomic
def rebuild_rollups(*, chunk: int = 20_000) -> int:
    """Recompute both rollup tables from the facts; returns the number of facts read."""
    DailyCount.objects.all().delete()
    AgencyDayCount.objects.all().delete()
    total: Counter[Key] = Counter()
    count = 0
    fields = ["agency_id", "receiving_agency_id", "procedure_id", "channel", *FACT_FIELDS]
    last = 0
    while True:
        rows = list(DossierFact.objects.filter(pk__gt=last).order_by("pk").only(*fields)[:chunk])
        if not rows:
            break
        last = rows[-1].pk
        count += len(rows)
        total.update(contributions_of_rows(rows))
    apply_delta(total)
    return count


@transaction.atomic
def rebuild_native_facts() -> int:
    """Re-derive every native dossier's fact from the dossier, its events and documents, and the
    rollups with it (after a bug fix in the rules, or to prove the incremental path)."""
    from motcua.dossiers.models import Dossier

    DossierFact.objects.filter(source=Source.NATIVE).delete()
    DailyCount.objects.all().delete()
    AgencyDayCount.objects.all().delete()
    n = 0
    for dossier in Dossier.objects.order_by("pk").iterator(chunk_size=2000):
        dims, fact, extra = _native_fact(dossier)
        row = DossierFact(dossier_id=dossier.pk, source=Source.NATIVE)
        _fill(row, dims, fact, extra)
        row.save()
        n += 1
    rebuild_rollups()
    return n


def rollup_snapshot(
    model: type[DailyCount] | type[AgencyDayCount],
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Non-zero rollup rows as comparable data (tests: rebuild == incremental)."""
    keys = (
        ["day", "agency_id", "receiving_agency_id", "procedure_id", "channel"]
        if model is DailyCount
        else ["day", "agency_id"]
    )
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in model.objects.values(*keys, *COUNTERS):
        counts = {c: row[c] for c in COUNTERS if row[c]}
        if counts:
            out[tuple(row[k] for k in keys)] = counts
    return out
