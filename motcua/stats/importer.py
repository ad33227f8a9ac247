"""The history import: national-format dossiers (JSON lines) → imported facts and the rollups.

Imported dossiers exist only as ``DossierFact`` rows with ``source="imported"`` (ADR 0015). An
import is one transaction: all of it lands, or none of it (a re-run is idempotent, so committed
batches would save no work). The records are read in batches: each batch's facts are written (a
re-imported ``MaHoSo`` replaces its old fact) and its rollup delta is summed in memory into fine
rows, which are written once at the end (or whenever they grow large): a quarter's 234,687
records move ~23,000 rollup rows in all, against ~217,000 summed batch by batch. Bad records are
reported with their line number and reason, and skipped.

On PostgreSQL the records can be prepared by worker processes (``workers``; ADR 0015 §Speed):
each worker decodes and checks a batch, reads the batch's stored facts, sums the batch's rollup
delta and encodes its ``COPY`` payload; the main process takes the batches in file order and
writes each — unless an earlier batch of this import wrote one of its codes, which the worker
could not see: then it prepares the batch again itself, inside the transaction. The result —
facts, rollups, errors and their line numbers — is the single-process one.

Imports run one at a time on PostgreSQL (a transaction-level advisory lock: a second one waits).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from multiprocessing.pool import AsyncResult
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from motcua.stats import facts
from motcua.stats.facts import Fact
from motcua.stats.models import DossierFact, Source
from motcua.stats.national import BadRecord, NationalRecord, parse_record
from motcua.stats.services import (
    FACT_FIELDS,
    Dims,
    Rows,
    add_contributions,
    apply_rows,
    merge_rows,
)

try:  # orjson parses several times faster when it is installed; json otherwise
    import orjson

    _loads: Callable[[bytes], Any] = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads

DEFAULT_BATCH = 5_000
# Worker processes preparing batches on PostgreSQL (measured on 2 CPUs: ADR 0015 §Speed).
DEFAULT_WORKERS = 2
_LOOKUP_CHUNK = 2_000
# Summed rollup rows written before the end when they grow past this (bounded memory on a
# migration of millions; a year of a province sums to ~100,000).
FLUSH_ROWS = 200_000

Item = tuple[int, bytes | str]  # (line number, the line as read)


@dataclass
class ImportResult:
    read: int = 0  # non-blank lines
    imported: int = 0  # new facts
    updated: int = 0  # facts replaced (a MaHoSo seen before, in the database or the file)
    unchanged: int = 0  # records equal to the stored fact of their MaHoSo (nothing written)
    skipped: int = 0  # bad records
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


@dataclass(frozen=True)
class _Parsed:
    line: int
    record: NationalRecord
    dims: Dims
    fact: Fact


class _Catalog:
    """Agency and procedure codes → ids, read once per import (and handed to the workers)."""

    def __init__(
        self,
        agencies: dict[str, int] | None = None,
        procedures: dict[str, tuple[int, bool]] | None = None,
    ) -> None:
        if agencies is None or procedures is None:
            from motcua.catalog.models import Procedure
            from motcua.units.models import Agency

            agencies = dict(Agency.objects.values_list("code", "pk"))
            procedures = {
                code: (pk, bool(written))
                for code, pk, written in Procedure.objects.filter(
                    current_version__isnull=False
                ).values_list("code", "pk", "current_version__written_result_required")
            }
        self.agencies: dict[str, int] = agencies
        self.procedures: dict[str, tuple[int, bool]] = procedures

    def resolve(self, line: int, record: NationalRecord) -> _Parsed:
        procedure = self.procedures.get(record.procedure_code)
        if procedure is None:
            raise BadRecord(f"MaTTHC {record.procedure_code!r} is not in the catalog")
        agency = self.agencies.get(record.agency_code)
        if agency is None:
            raise BadRecord(f"DonViXuLy {record.agency_code!r} is not a known agency")
        receiving = self.agencies.get(record.receiving_agency_code)
        if receiving is None:
            raise BadRecord(f"NoiTiepNhan {record.receiving_agency_code!r} is not a known agency")
        fact = record.fact(written_result_required=procedure[1])
        return _Parsed(line, record, (agency, receiving, procedure[0], fact.channel), fact)


def _decode(raw: bytes | str) -> Any:
    try:
        return _loads(raw if isinstance(raw, bytes) else raw.encode())
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadRecord(f"invalid JSON: {exc}") from None


def read_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Any]]:
    """(line number, decoded object or the ``BadRecord`` to report) for each non-blank line."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield number, _decode(raw)
        except BadRecord as exc:
            yield number, exc


def _batches(lines: Iterable[bytes | str], size: int) -> Iterator[list[Item]]:
    """The non-blank lines with their numbers, ``size`` at a time (decoded later, by whoever
    prepares the batch)."""
    batch: list[Item] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        batch.append((number, raw))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def default_workers() -> int:
    """Worker processes for an import on this connection: none on SQLite, inside a transaction
    (workers could not see its rows) or on a single CPU."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 0
    return DEFAULT_WORKERS if (os.cpu_count() or 1) > 1 else 0


def import_national(
    lines: Iterable[bytes | str],
    *,
    batch_size: int = DEFAULT_BATCH,
    on_batch: Callable[[ImportResult], None] | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Import the records of ``lines`` (one JSON object per line), ``batch_size`` at a time,
    in one transaction; ``on_batch`` is called after each batch is written.

    ``workers``: processes preparing the batches (PostgreSQL only; 0: this process does it
    all; None: :func:`default_workers`). An input of one batch is always imported here."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers is None:
        workers = default_workers()
    if workers < 0:
        raise ValueError("workers must be at least 0")
    postgres = connection.vendor == "postgresql"
    if not postgres:
        workers = 0
    catalog = _Catalog()
    result = ImportResult()
    rollups: Rows = {}
    codes: set[int] = set()

    def written(prepared: _Prepared | None, items: list[Item]) -> None:
        merge_rows(rollups, _write(items, catalog, result, prepared, codes))
        if len(rollups) > FLUSH_ROWS:
            apply_rows(rollups)
            rollups.clear()
        if on_batch is not None:
            on_batch(result)

    batches = _batches(lines, batch_size)
    # What the process holds before the import stays out of the collector's full collections
    # while it runs (they would walk it again and again as the batches' objects come and go).
    gc.freeze()
    try:
        with transaction.atomic():
            if postgres:
                # The import is idempotent: a crash may lose its durability (import again), never
                # half of it — so no WAL flush is waited for at the commit.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                    # One import at a time: the workers' reads must see every fact but this
                    # import's own (a second import waits here until this one commits).
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('motcua.stats.import'))")
            head = [b for b in (next(batches, None), next(batches, None)) if b is not None]
            if workers and len(head) > 1:
                _pipeline(chain(head, batches), catalog, written, workers)
            else:
                for items in chain(head, batches):
                    written(None, items)
            apply_rows(rollups)
    finally:
        gc.unfreeze()
    return result


# -- preparing a batch (a worker, or this process) ------------------------------------------------


@dataclass
class _Prepared:
    """One batch, checked and mapped; everything but the writes."""

    errors: list[tuple[int, str]]  # bad records, in line order
    duplicates: int  # lines whose code an earlier line of the batch had (the later one wins)
    codes: list[str]  # the batch's codes, and the line each one comes from
    lines: list[int]
    unchanged: frozenset[str]  # codes whose record equals their stored fact: nothing to write
    # The stored facts of these codes when the batch was prepared: code → (source, pk).
    stored: dict[str, tuple[str, int]]
    delta: Rows  # the rollups' move: new contributions − replaced facts' contributions
    # The facts to write (codes of native dossiers left out): the COPY payload on PostgreSQL
    # (text format), the parsed records elsewhere.
    rows: bytes | list[_Parsed]
    count: int  # facts in rows


def _prepare(items: Sequence[Item], catalog: _Catalog, *, copy: bool) -> _Prepared:
    errors: list[tuple[int, str]] = []
    batch: dict[str, _Parsed] = {}
    duplicates = 0
    for line, raw in items:
        try:
            parsed = catalog.resolve(line, parse_record(_decode(raw)))
        except BadRecord as exc:
            errors.append((line, str(exc)))
            continue
        code = parsed.record.code
        if code in batch:  # the later line of the same dossier wins
            duplicates += 1
        batch[code] = parsed
    existing = _existing(list(batch)) if batch else {}
    delta: Rows = {}
    kept: list[_Parsed] = []
    unchanged: set[str] = set()
    for code, p in batch.items():
        stored = existing.get(code)
        if stored is None:
            kept.append(p)
            continue
        if stored.source != Source.IMPORTED:
            continue  # a native dossier's code: the writer reports it
        r = p.record
        if (stored.dims, stored.fact, stored.described) == (
            p.dims,
            p.fact,
            (r.status, r.applicant_name),
        ):
            unchanged.add(code)  # a re-import of the same record: nothing moves
            continue
        add_contributions(delta, stored.dims, stored.fact, -1)
        kept.append(p)
    for p in kept:
        add_contributions(delta, p.dims, p.fact)
    return _Prepared(
        errors=errors,
        duplicates=duplicates,
        codes=list(batch),
        lines=[p.line for p in batch.values()],
        unchanged=frozenset(unchanged),
        stored={code: (stored.source, stored.pk) for code, stored in existing.items()},
        delta=delta,
        rows=_copy_payload(kept) if copy else kept,
        count=len(kept),
    )


def _lookup(codes: list[str], columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """The ``columns`` of the stored facts of these codes (``code`` first)."""
    if connection.vendor == "postgresql":
        # One array parameter: far cheaper to send and plan than thousands of placeholders.
        table = DossierFact._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE code = ANY(%s)",  # noqa: S608
                [codes],
            )
            yield from cursor.fetchall()
        return
    for i in range(0, len(codes), _LOOKUP_CHUNK):
        chunk = codes[i : i + _LOOKUP_CHUNK]
        yield from DossierFact.objects.filter(code__in=chunk).values_list(*columns)


@dataclass(frozen=True, slots=True)
class _StoredFact:
    source: str
    pk: int
    dims: Dims
    fact: Fact
    described: tuple[int, str]  # (status, applicant_name): stored, but not part of the fact


def _existing(codes: list[str]) -> dict[str, _StoredFact]:
    """The stored facts of these codes."""
    fields = [
        "code",
        "source",
        "id",
        "agency_id",
        "receiving_agency_id",
        "procedure_id",
        "status",
        "applicant_name",
    ]
    out: dict[str, _StoredFact] = {}
    for row in _lookup(codes, [*fields, *FACT_FIELDS]):
        fact = Fact(*row[len(fields) :])
        dims = (row[3], row[4], row[5], fact.channel)
        out[row[0]] = _StoredFact(row[1], row[2], dims, fact, (row[6], row[7]))
    return out


_COLUMNS = [
    "code",
    "source",
    "agency_id",
    "receiving_agency_id",
    "procedure_id",
    "status",
    "applicant_name",
    "outcome",
    "updated_at",
    *FACT_FIELDS,
]
# PostgreSQL's COPY text format: a backslash, tab, newline or carriage return in a value is
# escaped; NULL is \N; booleans t/f; instants ISO 8601 with their offset.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _copy_text(value: str) -> str:
    return value.translate(_COPY_ESCAPES)


# By exact type (bool before int would not matter: type() tells them apart).
_ISO: dict[dt.datetime, str] = {}


def _copy_instant(value: dt.datetime) -> str:
    # An export repeats the same instants (minutes, 17:00 due dates) many times; a datetime's
    # hash is cached, so the lookup is ~30× cheaper than isoformat() with a time zone.
    text = _ISO.get(value)
    if text is None:
        if len(_ISO) >= 200_000:
            _ISO.clear()
        text = _ISO[value] = value.isoformat()
    return text


_COPY_FORMAT: dict[type, Callable[[Any], str]] = {
    str: _copy_text,
    bool: lambda v: "t" if v else "f",
    int: str,
    dt.datetime: _copy_instant,
}


def _copy_value(value: Any) -> str:
    return _NULL if value is None else _COPY_FORMAT[type(value)](value)


def _copy_payload(batch: list[_Parsed]) -> bytes:
    """The batch's facts as PostgreSQL's COPY text: the values of :func:`_row`, one line each."""
    now = timezone.now()
    value = _copy_value
    lines = ["\t".join([value(v) for v in _row(p, now)]) for p in batch]
    lines.append("")
    return "\n".join(lines).encode()


# -- writing a batch (this process) ---------------------------------------------------------------


def _write(
    items: Sequence[Item],
    catalog: _Catalog,
    result: ImportResult,
    prepared: _Prepared | None,
    written: set[int],
) -> Rows:
    """Write one batch's facts (inside the import's transaction); returns its rollup delta.

    ``prepared`` was made by a worker, which reads the stored facts outside this transaction and
    so cannot see what this import wrote: it is used unless one of its codes was written by an
    earlier batch (``written``: the hashes of the codes written so far — a collision only costs
    a needless re-preparation); then the batch is prepared again here. No other import can
    write meanwhile (the import's lock, :func:`import_national`)."""
    postgres = connection.vendor == "postgresql"
    result.read += len(items)
    if prepared is None or any(hash(code) in written for code in prepared.codes):
        prepared = _prepare(items, catalog, copy=postgres)
    written.update(map(hash, prepared.codes))
    for line, reason in prepared.errors:
        _bad(result, line, reason)
    result.updated += prepared.duplicates
    replaced = []
    for code, line in zip(prepared.codes, prepared.lines, strict=True):
        if code in prepared.unchanged:
            result.unchanged += 1
            continue
        source, pk = prepared.stored.get(code, ("", 0))
        if source == Source.IMPORTED:
            replaced.append(pk)
        elif source:
            _bad(result, line, f"MaHoSo {code} belongs to a dossier of this system")
    if not prepared.count:
        return {}
    if replaced:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {DossierFact._meta.db_table} WHERE id = ANY(%s)",  # noqa: S608
                    [replaced],
                )
        else:
            DossierFact.objects.filter(pk__in=replaced).delete()
    _insert(prepared.rows)
    result.updated += len(replaced)
    result.imported += prepared.count - len(replaced)
    return prepared.delta


def _bad(result: ImportResult, line: int, reason: str) -> None:
    result.skipped += 1
    result.errors.append((line, reason))


def _insert(rows: bytes | list[_Parsed]) -> None:
    if isinstance(rows, bytes):
        # COPY: several times faster than a multi-row INSERT for thousands of rows; the payload
        # is encoded once, by whoever prepared the batch.
        table = DossierFact._meta.db_table
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 (Django's wrapper has no copy())
            with raw.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                copy.write(rows)
        return
    now = timezone.now()
    DossierFact.objects.bulk_create(
        [DossierFact(**dict(zip(_COLUMNS, _row(p, now), strict=True))) for p in rows],
        batch_size=500,
    )


def _row(p: _Parsed, now: Any) -> tuple[Any, ...]:
    """The values of ``_COLUMNS`` for one parsed record."""
    r, f = p.record, p.fact
    return (
        r.code,
        Source.IMPORTED.value,
        p.dims[0],
        p.dims[1],
        p.dims[2],
        r.status,
        r.applicant_name,
        facts.outcome(f),
        now,
        *f,  # the fact's fields, in FACT_FIELDS order
    )


# -- the pipeline (PostgreSQL) --------------------------------------------------------------------


def _pipeline(
    batches: Iterator[list[Item]],
    catalog: _Catalog,
    written: Callable[[_Prepared | None, list[Item]], None],
    workers: int,
) -> None:
    """Workers prepare the batches; this process writes them in file order. At most two
    batches per worker are in flight (memory stays bounded whatever the file's size)."""
    from django.conf import settings

    from motcua.stats import import_worker

    database = {
        key: connection.settings_dict[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")
    }
    # A fork server, not a fork of this process (which holds an open connection inside a
    # transaction) and not a spawn per worker (each would set Django up again).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["motcua.stats.import_preload"])
    pool = context.Pool(
        workers,
        initializer=import_worker.init,
        initargs=(settings.SETTINGS_MODULE, database, catalog.agencies, catalog.procedures),
    )
    try:
        window: deque[tuple[list[Item], AsyncResult[_Prepared]]] = deque()

        def write_oldest() -> None:
            items, pending = window.popleft()
            written(pending.get(), items)

        for items in batches:
            window.append((items, pool.apply_async(import_worker.prepare, (items,))))
            if len(window) > 2 * workers:
                write_oldest()
        while window:
            write_oldest()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
