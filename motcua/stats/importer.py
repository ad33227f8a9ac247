"""The history import: national-format dossiers (JSON lines) → imported facts and the rollups.

Imported dossiers exist only as ``DossierFact`` rows with ``source="imported"`` (ADR 0015). Each
batch of records is one transaction: its facts are written (a re-imported ``MaHoSo`` replaces
its old fact) and the rollups move by the batch's summed difference with one ``apply_delta``.
A crash loses no committed batch and never leaves half of one. Bad records are reported with
their line number and reason, and skipped.

On PostgreSQL the records can be prepared by worker processes (``workers``; ADR 0015 §Speed):
each worker decodes and checks a batch, reads the batch's stored facts, sums the batch's rollup
delta and encodes its ``COPY`` payload; the main process takes the batches in file order and,
in each batch's transaction, checks that the stored facts of its codes are still the ones the
worker read (else it prepares the batch again itself, inside the transaction), then writes.
The result — facts, rollups, errors and their line numbers — is the single-process one.

Run one import at a time: two imports of the same new ``MaHoSo`` in parallel make the later
batch fail on the unique code (nothing of that batch is written).
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
from collections import Counter, deque
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
from motcua.stats.services import FACT_FIELDS, Dims, Key, apply_delta

try:  # orjson parses several times faster when it is installed; json otherwise
    import orjson

    _loads: Callable[[bytes], Any] = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads

DEFAULT_BATCH = 5_000
# Worker processes preparing batches on PostgreSQL (measured on 2 CPUs: ADR 0015 §Speed).
DEFAULT_WORKERS = 2
_LOOKUP_CHUNK = 2_000

Item = tuple[int, bytes | str]  # (line number, the line as read)


@dataclass
class ImportResult:
    read: int = 0  # non-blank lines
    imported: int = 0  # new facts
    updated: int = 0  # facts replaced (a MaHoSo seen before, in the database or the file)
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
    """Import the records of ``lines`` (one JSON object per line) in transactions of
    ``batch_size`` records; ``on_batch`` is called after each committed batch.

    ``workers``: processes preparing the batches (PostgreSQL only; 0: this process does it
    all; None: :func:`default_workers`). An input of one batch is always imported here."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers is None:
        workers = default_workers()
    if workers < 0:
        raise ValueError("workers must be at least 0")
    if connection.vendor != "postgresql":
        workers = 0
    catalog = _Catalog()
    result = ImportResult()
    batches = _batches(lines, batch_size)
    head = [b for b in (next(batches, None), next(batches, None)) if b is not None]
    if workers and len(head) > 1:
        _pipeline(chain(head, batches), catalog, result, on_batch, workers)
        return result
    for items in chain(head, batches):
        _commit(items, catalog, result, None)
        if on_batch is not None:
            on_batch(result)
    return result


# -- preparing a batch (a worker, or this process) ------------------------------------------------


@dataclass
class _Prepared:
    """One batch, checked and mapped; everything but the writes."""

    errors: list[tuple[int, str]]  # bad records, in line order
    duplicates: int  # lines whose code an earlier line of the batch had (the later one wins)
    codes: list[str]  # the batch's codes, and the line each one comes from
    lines: list[int]
    # The stored facts of these codes when the batch was prepared: code → (source, pk). Imported
    # facts are never changed in place (a re-import deletes and inserts), so the same pk is the
    # same fact; the main process compares this with what its transaction sees.
    stored: dict[str, tuple[str, int]]
    delta: Counter[Key]  # the rollups' move: new contributions − replaced facts' contributions
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
    delta: Counter[Key] = Counter()
    for source, _, dims, old in existing.values():
        if source == Source.IMPORTED:
            for (day, name), n in facts.contributions(old).items():
                delta[(dims, day, name)] -= n
    kept = [
        p
        for code, p in batch.items()
        if code not in existing or existing[code][0] == Source.IMPORTED
    ]
    for p in kept:
        dims = p.dims
        for (day, name), n in facts.contributions(p.fact).items():
            delta[(dims, day, name)] += n
    return _Prepared(
        errors=errors,
        duplicates=duplicates,
        codes=list(batch),
        lines=[p.line for p in batch.values()],
        stored={code: (source, pk) for code, (source, pk, _, _) in existing.items()},
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


def _existing(codes: list[str]) -> dict[str, tuple[str, int, Dims, Fact]]:
    """The stored facts of these codes: code → (source, pk, dims, fact)."""
    fields = ["code", "source", "id", "agency_id", "receiving_agency_id", "procedure_id"]
    out: dict[str, tuple[str, int, Dims, Fact]] = {}
    for row in _lookup(codes, [*fields, *FACT_FIELDS]):
        fact = Fact(*row[len(fields) :])
        out[row[0]] = (row[1], row[2], (row[3], row[4], row[5], fact.channel), fact)
    return out


def _stored(codes: list[str]) -> dict[str, tuple[str, int]]:
    """code → (source, pk) of the stored facts of these codes."""
    return {code: (source, pk) for code, source, pk in _lookup(codes, ["code", "source", "id"])}


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


def _copy_value(value: Any) -> str:
    if value is None:
        return _NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _copy_payload(batch: list[_Parsed]) -> bytes:
    now = timezone.now().isoformat()
    source = Source.IMPORTED.value
    value = _copy_value
    lines = []
    for p in batch:
        r, f = p.record, p.fact
        lines.append(
            "\t".join(
                (
                    value(r.code),
                    source,
                    str(p.dims[0]),
                    str(p.dims[1]),
                    str(p.dims[2]),
                    str(r.status),
                    value(r.applicant_name),
                    facts.outcome(f),
                    now,
                    *[value(getattr(f, name)) for name in FACT_FIELDS],
                )
            )
        )
    lines.append("")
    return "\n".join(lines).encode()


# -- writing a batch (this process) ---------------------------------------------------------------


def _commit(
    items: Sequence[Item], catalog: _Catalog, result: ImportResult, prepared: _Prepared | None
) -> None:
    """One batch, one transaction. ``prepared`` (by a worker, outside this transaction) is used
    when the stored facts of its codes are still the ones it read; else the batch is prepared
    again here."""
    postgres = connection.vendor == "postgresql"
    result.read += len(items)
    with transaction.atomic():
        if postgres:
            # The import is idempotent: a crash may lose the last batches' durability (import
            # again), never half a batch — so no WAL flush is waited for at each commit.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if prepared is None or (prepared.codes and _stored(prepared.codes) != prepared.stored):
            prepared = _prepare(items, catalog, copy=postgres)
        for line, reason in prepared.errors:
            _bad(result, line, reason)
        result.updated += prepared.duplicates
        replaced = []
        for code, line in zip(prepared.codes, prepared.lines, strict=True):
            source, pk = prepared.stored.get(code, ("", 0))
            if source == Source.IMPORTED:
                replaced.append(pk)
            elif source:
                _bad(result, line, f"MaHoSo {code} belongs to a dossier of this system")
        if not prepared.count:
            return
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
        apply_delta(prepared.delta)
    result.updated += len(replaced)
    result.imported += prepared.count - len(replaced)


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
        *(getattr(f, name) for name in FACT_FIELDS),
    )


# -- the pipeline (PostgreSQL) --------------------------------------------------------------------


def _pipeline(
    batches: Iterator[list[Item]],
    catalog: _Catalog,
    result: ImportResult,
    on_batch: Callable[[ImportResult], None] | None,
    workers: int,
) -> None:
    """Workers prepare the batches; this process commits them in file order. At most two
    batches per worker are in flight (memory stays bounded whatever the file's size)."""
    from django.conf import settings

    from motcua.stats import import_worker

    database = {
        key: connection.settings_dict[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")
    }
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(
        workers,
        initializer=import_worker.init,
        initargs=(settings.SETTINGS_MODULE, database, catalog.agencies, catalog.procedures),
    )
    try:
        window: deque[tuple[list[Item], AsyncResult[_Prepared]]] = deque()

        def commit_oldest() -> None:
            items, pending = window.popleft()
            _commit(items, catalog, result, pending.get())
            if on_batch is not None:
                on_batch(result)

        for items in batches:
            window.append((items, pool.apply_async(import_worker.prepare, (items,))))
            if len(window) > 2 * workers:
                commit_oldest()
        while window:
            commit_oldest()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
