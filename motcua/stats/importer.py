"""The history import: national-format dossiers (JSON lines) → imported facts and the rollups.

Imported dossiers exist only as ``DossierFact`` rows with ``source="imported"`` (ADR 0015). Each
batch of records is one transaction: its facts are written (a re-imported ``MaHoSo`` replaces
its old fact) and the rollups move by the batch's summed difference with one ``apply_delta``.
A crash loses no committed batch and never leaves half of one. Bad records are reported with
their line number and reason, and skipped.

Run one import at a time: two imports of the same new ``MaHoSo`` in parallel make the later
batch fail on the unique code (nothing of that batch is written).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
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
_LOOKUP_CHUNK = 2_000


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
    """Agency and procedure codes → ids, read once per import."""

    def __init__(self) -> None:
        from motcua.catalog.models import Procedure
        from motcua.units.models import Agency

        self.agencies: dict[str, int] = dict(Agency.objects.values_list("code", "pk"))
        self.procedures: dict[str, tuple[int, bool]] = {
            code: (pk, bool(written))
            for code, pk, written in Procedure.objects.filter(
                current_version__isnull=False
            ).values_list("code", "pk", "current_version__written_result_required")
        }

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


def read_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Any]]:
    """(line number, decoded object or the ``BadRecord`` to report) for each non-blank line."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield number, _loads(raw if isinstance(raw, bytes) else raw.encode())
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            yield number, BadRecord(f"invalid JSON: {exc}")


def import_national(
    lines: Iterable[bytes | str],
    *,
    batch_size: int = DEFAULT_BATCH,
    on_batch: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Import the records of ``lines`` (one JSON object per line) in transactions of
    ``batch_size`` records; ``on_batch`` is called after each committed batch."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    catalog = _Catalog()
    result = ImportResult()
    pending: list[tuple[int, Any]] = []
    for item in read_lines(lines):
        pending.append(item)
        if len(pending) >= batch_size:
            _import_batch(pending, catalog, result)
            pending = []
            if on_batch is not None:
                on_batch(result)
    if pending:
        _import_batch(pending, catalog, result)
        if on_batch is not None:
            on_batch(result)
    return result


def _bad(result: ImportResult, line: int, reason: str) -> None:
    result.skipped += 1
    result.errors.append((line, reason))


def _import_batch(items: list[tuple[int, Any]], catalog: _Catalog, result: ImportResult) -> None:
    result.read += len(items)
    batch: dict[str, _Parsed] = {}
    for line, obj in items:
        try:
            if isinstance(obj, BadRecord):
                raise obj
            parsed = catalog.resolve(line, parse_record(obj))
        except BadRecord as exc:
            _bad(result, line, str(exc))
            continue
        if parsed.record.code in batch:  # the later line of the same dossier wins
            result.updated += 1
        batch[parsed.record.code] = parsed
    if not batch:
        return

    with transaction.atomic():
        existing = _existing(list(batch))
        delta: Counter[Key] = Counter()
        replaced: list[int] = []
        for code, (source, pk, dims, old) in existing.items():
            if source != Source.IMPORTED:
                line = batch.pop(code).line
                _bad(result, line, f"MaHoSo {code} belongs to a dossier of this system")
                continue
            replaced.append(pk)
            for (day, name), n in facts.contributions(old).items():
                delta[(dims, day, name)] -= n
        for parsed in batch.values():
            for (day, name), n in facts.contributions(parsed.fact).items():
                delta[(parsed.dims, day, name)] += n
        if replaced:
            DossierFact.objects.filter(pk__in=replaced).delete()
        _insert(list(batch.values()))
        apply_delta(delta)
    result.updated += len(replaced)
    result.imported += len(batch) - len(replaced)


def _existing(codes: list[str]) -> dict[str, tuple[str, int, Dims, Fact]]:
    """The stored facts of these codes: code → (source, pk, dims, fact)."""
    fields = ["code", "source", "pk", "agency_id", "receiving_agency_id", "procedure_id"]
    out: dict[str, tuple[str, int, Dims, Fact]] = {}
    for i in range(0, len(codes), _LOOKUP_CHUNK):
        chunk = codes[i : i + _LOOKUP_CHUNK]
        for row in DossierFact.objects.filter(code__in=chunk).values_list(*fields, *FACT_FIELDS):
            fact = Fact(*row[len(fields) :])
            out[row[0]] = (row[1], row[2], (row[3], row[4], row[5], fact.channel), fact)
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


def _insert(batch: list[_Parsed]) -> None:
    now = timezone.now()
    if connection.vendor == "postgresql":
        # COPY: several times faster than a multi-row INSERT for thousands of rows.
        table = DossierFact._meta.db_table
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 (Django's wrapper has no copy())
            with raw.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                for p in batch:
                    copy.write_row(_row(p, now))
        return
    DossierFact.objects.bulk_create(
        [DossierFact(**dict(zip(_COLUMNS, _row(p, now), strict=True))) for p in batch],
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
