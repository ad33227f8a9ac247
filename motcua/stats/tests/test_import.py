"""``import_dossiers``: imported facts, the rollups they move, bad records, idempotency, one
transaction."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from motcua.stats import importer, services
from motcua.stats.models import AgencyDayCount, DailyCount, DossierFact, Source
from motcua.stats.synthetic import Q3_2024, Mix, national_records, write_jsonl
from motcua.stats.tests.helpers import store_fact
from motcua.stats.tests.test_national import record

pytestmark = pytest.mark.django_db
JUSTICE, CENTRE = "000.00.21.H16", "000.00.20.H16"
PAIRS = [("1.000001", JUSTICE), ("1.000002", JUSTICE)]


def write(tmp_path: Path, objs: list[Any], name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "".join(
            (o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in objs
        ),
        encoding="utf-8",
    )
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_dossiers", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshots() -> tuple[dict, dict]:
    return services.rollup_snapshot(DailyCount), services.rollup_snapshot(AgencyDayCount)


def assert_rollups_equal_a_rebuild() -> None:
    incremental = snapshots()
    services.rebuild_rollups()
    assert snapshots() == incremental


def synthetic(tmp_path: Path, mix: Mix, *, seed: int = 1, name: str = "q3.jsonl") -> Path:
    path = tmp_path / name
    start, end = Q3_2024
    with path.open("w", encoding="utf-8") as stream:
        write_jsonl(stream, national_records(mix=mix, start=start, end=end, pairs=PAIRS, seed=seed))
    return path


def test_it_stores_an_imported_fact_with_its_dimensions(world: Any, tmp_path: Path) -> None:
    out, _ = run(write(tmp_path, [record(NoiTiepNhan=CENTRE)]))
    assert "read 1, imported 1, updated 0, unchanged 0, skipped 0" in out
    row = DossierFact.objects.get()
    assert (row.code, row.source, row.dossier_id) == (record()["MaHoSo"], Source.IMPORTED, None)
    assert (row.agency_id, row.receiving_agency_id) == (world.justice.pk, world.centre.pk)
    assert row.procedure.code == "1.000001"
    assert (row.channel, row.status, row.outcome) == ("online", 10, "early")
    assert row.applicant_name == "Nguyễn Thị Ánh"
    assert row.written_result_required is True  # from the catalog's current version
    assert row.received_at == dt.datetime(2024, 7, 1, 1, 0, tzinfo=dt.UTC)
    assert (row.has_fee, row.paid_online, row.eresult, row.digitized) == (True, True, True, True)
    day = AgencyDayCount.objects.get(agency=world.justice, day=dt.date(2024, 7, 1))
    assert (day.received_online, day.paid_online, day.fee_due) == (1, 1, 1)
    assert AgencyDayCount.objects.get(day=dt.date(2024, 7, 4)).settled_early == 1
    assert_rollups_equal_a_rebuild()


def test_it_reports_each_bad_record_with_its_line_and_imports_the_rest(
    world: Any, tmp_path: Path
) -> None:
    lines = [
        record(MaHoSo="A-1"),
        "{not json",
        "",  # blank lines are not records
        record(MaHoSo="A-2", MaTTHC="9.999999"),
        record(MaHoSo="A-3", DonViXuLy="000.00.99.H16"),
        record(MaHoSo="A-4", NgayKetThucXuLy="20240601080000"),
        record(MaHoSo="A-5", NgayHenTra="2024-07-05"),
        record(MaHoSo="A-6", NoiTiepNhan="000.00.98.H16"),
        "[1]",
        record(MaHoSo="A-7", TrangThaiHoSo=3, NgayTiepNhan=""),
    ]
    out, err = run(write(tmp_path, lines))
    assert "read 9, imported 2, updated 0, unchanged 0, skipped 7" in out
    reported = [line.split(": ", 1) for line in err.strip().splitlines()]
    assert [(where.rsplit(":", 1)[1], why.split(":")[0]) for where, why in reported] == [
        ("2", "invalid JSON"),
        ("4", "MaTTHC '9.999999' is not in the catalog"),
        ("5", "DonViXuLy '000.00.99.H16' is not a known agency"),
        ("6", "the end (NgayKetThucXuLy/NgayTra) is before NgayTiepNhan"),
        ("7", "NgayHenTra"),
        ("8", "NoiTiepNhan '000.00.98.H16' is not a known agency"),
        ("9", "expected a JSON object, got list"),
    ]
    assert set(DossierFact.objects.values_list("code", flat=True)) == {"A-1", "A-7"}
    assert_rollups_equal_a_rebuild()


def test_it_fails_only_when_nothing_could_be_read(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "missing.jsonl")
    with pytest.raises(CommandError, match="nothing could be imported"):
        run(write(tmp_path, ["{", record(MaTTHC="0.0")]))
    out, _ = run(write(tmp_path, [], name="empty.jsonl"))
    assert "read 0, imported 0" in out


def test_it_refuses_a_code_of_a_native_dossier(world: Any, tmp_path: Path, clock_at: Any) -> None:
    from motcua.dossiers.services import ApplicantIn, dossier_receive

    clock_at("2024-07-01 08:00")
    d = dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=ApplicantIn(name="Trần Văn Khánh"),
    )
    native = services.rollup_snapshot(AgencyDayCount)
    out, err = run(write(tmp_path, [record(MaHoSo="B-1"), record(MaHoSo=d.code)]))
    assert "imported 1" in out and "skipped 1" in out
    assert f":2: MaHoSo {d.code} belongs to a dossier of this system" in err
    row = DossierFact.objects.get(code=d.code)
    assert (row.source, row.dossier_id) == (Source.NATIVE, d.pk)
    assert native != services.rollup_snapshot(AgencyDayCount)  # B-1 only
    assert_rollups_equal_a_rebuild()


def test_it_is_idempotent_and_a_changed_record_moves_the_rollups(
    world: Any, tmp_path: Path
) -> None:
    path = synthetic(tmp_path, Mix.q3_2024().scaled(1000))
    first_out, _ = run(path, "--batch", "37")
    once = snapshots()
    count = DossierFact.objects.count()
    again_out, _ = run(path, "--batch", "50")
    assert snapshots() == once
    assert DossierFact.objects.count() == count
    assert f"imported {count}, updated 0" in first_out
    assert f"imported 0, updated 0, unchanged {count}" in again_out

    # One pending dossier is settled late, one settled dossier is withdrawn instead.
    records = [json.loads(line) for line in path.read_text().splitlines()]
    pending = next(r for r in records if r["TrangThaiHoSo"] == 4)
    settled = next(r for r in records if r["TrangThaiHoSo"] == 10)
    pending.update(TrangThaiHoSo=10, NgayKetThucXuLy="20240930160000")
    settled.update(TrangThaiHoSo=7, NgayKetThucXuLy=settled["NgayTiepNhan"])
    before = AgencyDayCount.objects.aggregate(late=Sum("settled_late"), withdrawn=Sum("withdrawn"))
    out, _ = run(write(tmp_path, [pending, settled], name="changes.jsonl"))
    assert "imported 0, updated 2" in out
    after = AgencyDayCount.objects.aggregate(late=Sum("settled_late"), withdrawn=Sum("withdrawn"))
    assert after["withdrawn"] == before["withdrawn"] + 1
    assert DossierFact.objects.get(code=pending["MaHoSo"]).outcome in ("early", "on_time", "late")
    assert DossierFact.objects.get(code=settled["MaHoSo"]).status == 7
    assert DossierFact.objects.count() == count
    assert_rollups_equal_a_rebuild()


def test_it_keeps_the_last_line_of_a_dossier_seen_twice_in_a_file(
    world: Any, tmp_path: Path
) -> None:
    out, _ = run(write(tmp_path, [record(TrangThaiHoSo=4), record(TrangThaiHoSo=7)]))
    assert "read 2, imported 1, updated 1, unchanged 0, skipped 0" in out
    assert DossierFact.objects.get().status == 7
    assert_rollups_equal_a_rebuild()


def test_a_failure_in_any_batch_leaves_nothing_of_the_import_behind(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(write(tmp_path, [record(MaHoSo="C-0", TrangThaiHoSo=4)], name="before.jsonl"))
    before = facts_snapshot(), snapshots()
    objs = [record(MaHoSo=f"C-{n}") for n in range(5)]  # C-0 replaced, C-1… new
    calls = []
    real = importer._insert

    def crash_on_second(rows: Any) -> None:
        calls.append(1)
        real(rows)
        if len(calls) == 2:
            raise RuntimeError("power cut")

    monkeypatch.setattr(importer, "_insert", crash_on_second)
    with pytest.raises(RuntimeError, match="power cut"):
        run(write(tmp_path, objs), "--batch", "2")
    assert (facts_snapshot(), snapshots()) == before
    assert_rollups_equal_a_rebuild()


def test_rollups_summed_past_the_flush_size_are_written_on_the_way(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "FLUSH_ROWS", 3)
    mix = Mix.q3_2024().scaled(2000)
    out, _ = run(synthetic(tmp_path, mix, seed=7), "--batch", "10")
    assert f"imported {mix.total:,}" in out
    assert_rollups_equal_a_rebuild()


def test_it_counts_the_quarter_of_the_acceptance_test_exactly(world: Any, tmp_path: Path) -> None:
    """Issue #5: Q3 2024 settled 183,477 early, 39,491 on time, 1,219 late; here the same
    proportions /100 (``bench/stats_import.py --full`` imports the whole quarter)."""
    mix = Mix.q3_2024().scaled(100)
    out, _ = run(synthetic(tmp_path, mix, seed=2024), "--batch", "1000")
    assert f"read {mix.total:,}, imported {mix.total:,}, updated 0, unchanged 0, skipped 0" in out
    start, end = Q3_2024
    totals = AgencyDayCount.objects.filter(day__range=(start, end)).aggregate(
        early=Sum("settled_early"), on_time=Sum("settled_on_time"), late=Sum("settled_late")
    )
    assert totals == {"early": 1_835, "on_time": 395, "late": 12}
    assert_rollups_equal_a_rebuild()


# -- the pipeline: batches prepared by worker processes (PostgreSQL) ----------------------------


def facts_snapshot() -> dict[str, tuple[Any, ...]]:
    fields = [f.name for f in DossierFact._meta.fields if f.name not in ("id", "updated_at")]
    return {row[0]: row for row in DossierFact.objects.values_list("code", *fields)}


def messy_file(tmp_path: Path) -> Path:
    """Synthetic records with bad lines, blank lines and codes seen twice (in one batch and
    across batches) spread through them."""
    good = [json.loads(line) for line in synthetic(tmp_path, Mix.q3_2024().scaled(800)).open()]
    lines: list[Any] = []
    for n, obj in enumerate(good):
        lines.append(obj)
        if n % 23 == 5:
            lines.append("{not json")
        if n % 31 == 7:
            lines.append(record(MaHoSo=f"BAD-{n}", MaTTHC="9.999999"))
        if n % 37 == 11:
            lines.append("")
        if n % 29 == 3:  # the same dossier again, later and changed (the later line wins)
            lines.append({**good[max(0, n - 60)], "TrangThaiHoSo": 7})
    return write(tmp_path, lines, name="messy.jsonl")


def native_fact(world: Any, code: str) -> None:
    """A fact of a native dossier, with its contributions in the rollups."""
    from motcua.catalog.models import Procedure
    from motcua.stats.national import parse_record

    fact = parse_record(record(MaHoSo=code)).fact(written_result_required=True)
    procedure = Procedure.objects.get(code="1.000001")
    store_fact(
        code,
        fact,
        agency=world.justice,
        receiving_agency=world.justice,
        procedure=procedure,
        source=Source.NATIVE,
        status=10,
    )


@pytest.mark.django_db(transaction=True)
def test_it_imports_the_same_with_workers_as_without(world: Any, tmp_path: Path) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pipeline runs on PostgreSQL only")
    native_fact(world, "NATIVE-1")
    path = messy_file(tmp_path)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(record(MaHoSo="NATIVE-1")) + "\n")

    def run_import(workers: int) -> importer.ImportResult:
        with path.open("rb") as stream:
            return importer.import_national(stream, batch_size=40, workers=workers)

    piped = run_import(2)
    piped_state = facts_snapshot(), snapshots()
    assert piped.skipped > 10 and piped.updated > 5
    assert piped.errors[-1][1] == "MaHoSo NATIVE-1 belongs to a dossier of this system"
    assert_rollups_equal_a_rebuild()

    again = run_import(2)  # every fact replaced: the rollups move by new − old = 0
    assert (facts_snapshot(), snapshots()) == piped_state
    assert again.errors == piped.errors
    assert again.imported == 0

    DossierFact.objects.filter(source=Source.IMPORTED).delete()
    services.rebuild_rollups()
    alone = run_import(0)
    assert (alone.read, alone.imported, alone.updated, alone.skipped) == (
        piped.read,
        piped.imported,
        piped.updated,
        piped.skipped,
    )
    assert alone.errors == piped.errors
    assert (facts_snapshot(), snapshots()) == piped_state


def test_it_prepares_a_batch_again_when_its_stored_facts_changed_meanwhile(
    world: Any, tmp_path: Path
) -> None:
    """A worker prepares a batch outside the writing transaction; if an earlier batch of the
    import wrote one of its codes, the writer prepares the batch again itself."""
    from django.db import connection

    first = [(1, json.dumps(record(MaHoSo="D-1", TrangThaiHoSo=4)))]
    second = [
        (2, json.dumps(record(MaHoSo="D-1", TrangThaiHoSo=7))),
        (3, json.dumps(record(MaHoSo="D-2"))),
    ]
    catalog = importer._Catalog()
    postgres = connection.vendor == "postgresql"
    stale = importer._prepare(second, catalog, copy=postgres)  # D-1 not stored yet
    assert stale.stored == {}
    result = importer.ImportResult()
    rollups: services.Rows = {}
    written: set[int] = set()
    fresh = importer._prepare(first, catalog, copy=postgres)
    services.merge_rows(rollups, importer._write(first, catalog, result, fresh, written))
    services.merge_rows(rollups, importer._write(second, catalog, result, stale, written))
    services.apply_rows(rollups)
    assert (result.read, result.imported, result.updated, result.skipped) == (3, 2, 1, 0)
    assert DossierFact.objects.get(code="D-1").status == 7
    assert_rollups_equal_a_rebuild()


def test_it_writes_values_that_need_escaping_in_copy(world: Any, tmp_path: Path) -> None:
    name = "Nguyễn\tVăn\\An\nB\r"
    run(write(tmp_path, [record(MaHoSo="E-1", ChuHoSo=name)]))
    assert DossierFact.objects.get(code="E-1").applicant_name == name.strip()
