"""``import_dossiers``: imported facts, the rollups they move, bad records, idempotency, batches."""

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
    assert "read 1, imported 1, updated 0, skipped 0" in out
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
    assert "read 9, imported 2, updated 0, skipped 7" in out
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
    assert f"imported 0, updated {count}" in again_out

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
    assert "read 2, imported 1, updated 1, skipped 0" in out
    assert DossierFact.objects.get().status == 7
    assert_rollups_equal_a_rebuild()


def test_a_failed_batch_leaves_nothing_behind_and_the_committed_ones_stay(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    objs = [record(MaHoSo=f"C-{n}") for n in range(5)]
    calls = []
    real = importer.apply_delta

    def crash_on_second(delta: Any) -> None:
        calls.append(1)
        real(delta)
        if len(calls) == 2:
            raise RuntimeError("power cut")

    monkeypatch.setattr(importer, "apply_delta", crash_on_second)
    with pytest.raises(RuntimeError, match="power cut"):
        run(write(tmp_path, objs), "--batch", "2")
    assert sorted(DossierFact.objects.values_list("code", flat=True)) == ["C-0", "C-1"]
    assert AgencyDayCount.objects.aggregate(n=Sum("received_online"))["n"] == 2
    assert_rollups_equal_a_rebuild()


def test_it_counts_the_quarter_of_the_acceptance_test_exactly(world: Any, tmp_path: Path) -> None:
    """Issue #5: Q3 2024 settled 183,477 early, 39,491 on time, 1,219 late; here the same
    proportions /100 (``bench/stats_import.py --full`` imports the whole quarter)."""
    mix = Mix.q3_2024().scaled(100)
    out, _ = run(synthetic(tmp_path, mix, seed=2024), "--batch", "1000")
    assert f"read {mix.total:,}, imported {mix.total:,}, updated 0, skipped 0" in out
    start, end = Q3_2024
    totals = AgencyDayCount.objects.filter(day__range=(start, end)).aggregate(
        early=Sum("settled_early"), on_time=Sum("settled_on_time"), late=Sum("settled_late")
    )
    assert totals == {"early": 1_835, "on_time": 395, "late": 12}
    assert_rollups_equal_a_rebuild()
