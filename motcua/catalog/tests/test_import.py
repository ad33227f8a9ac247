"""catalog_import and manage.py import_catalog: all or nothing, versions, audit."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.audit.models import AuditEvent
from motcua.catalog.models import (
    Component,
    Field,
    ImmutableError,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.selectors import version_agencies
from motcua.catalog.services import CatalogInvalid, catalog_import
from motcua.catalog.tests.conftest import PROVINCE_AGENCY, catalog, dumps, procedure

pytestmark = pytest.mark.django_db

MODELS = [Field, Procedure, ProcedureVersion, ProcedureCase, Component, ProcessStep, AuditEvent]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_it_imports_a_catalog_with_audit_entries(commune_agency: Any, province_agency: Any) -> None:
    data = catalog(
        procedure(),
        procedure(
            "1.013236",
            name="Cấp giấy phép xây dựng mới công trình cấp đặc biệt, cấp I, cấp II",
            field="hoat-dong-xay-dung",
            levels=["province"],
            implementing_agencies={"codes": [PROVINCE_AGENCY]},
        ),
    )
    report = catalog_import(text=dumps(data))
    assert [(p.code, p.outcome, p.version) for p in report.procedures] == [
        ("1.001193", "created", 1),
        ("1.013236", "created", 1),
    ]
    assert sorted(report.fields_created) == ["ho-tich", "hoat-dong-xay-dung"]
    birth = Procedure.objects.get(code="1.001193").current_version
    assert birth is not None
    assert birth.levels == ["commune"]
    assert birth.search_text == "thu tuc dang ky khai sinh 1.001193 ho tich"
    assert [c.name for c in birth.components.order_by("order")] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert sum(s.time_share for s in birth.steps.all()) == 100
    assert version_agencies(birth) == [commune_agency]
    permit = Procedure.objects.get(code="1.013236").current_version
    assert permit is not None
    assert version_agencies(permit) == [province_agency]
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", "subject_id"))
    assert ("procedure.imported", str(Procedure.objects.get(code="1.001193").pk)) in actions
    assert [a for a, _ in actions].count("field.created") == 2


def test_it_imports_nothing_when_an_agency_code_is_unknown(commune_agency: Any) -> None:
    data = catalog(
        procedure(),
        procedure("1.013236", implementing_agencies={"codes": ["000.00.99.H16"]}),
    )
    before = counts()
    with pytest.raises(CatalogInvalid) as excinfo:
        catalog_import(text=dumps(data))
    assert [str(e) for e in excinfo.value.errors] == [
        'procedures[1].implementing_agencies.codes[0]: unknown agency code "000.00.99.H16"'
    ]
    assert counts() == before


def test_it_fails_clearly_when_no_agency_has_the_level(db: Any) -> None:
    before = counts()
    with pytest.raises(CatalogInvalid) as excinfo:
        catalog_import(text=dumps(catalog()))
    assert [str(e) for e in excinfo.value.errors] == [
        'procedures[0].implementing_agencies.level: no active agency has level "commune"'
    ]
    assert counts() == before


def test_it_imports_nothing_when_the_format_is_wrong(commune_agency: Any) -> None:
    data = catalog(procedure(), procedure("1.004884", online_level="maybe"))
    before = counts()
    with pytest.raises(CatalogInvalid):
        catalog_import(text=dumps(data))
    assert counts() == before


def test_it_leaves_an_unchanged_procedure_alone(commune_agency: Any) -> None:
    catalog_import(text=dumps(catalog()))
    before = counts()
    report = catalog_import(text=dumps(catalog()))
    assert [(p.outcome, p.version) for p in report.procedures] == [("unchanged", 1)]
    assert counts() == before


def test_it_versions_a_changed_procedure_and_keeps_the_old_one(commune_agency: Any) -> None:
    catalog_import(text=dumps(catalog()))
    first = Procedure.objects.get().current_version
    changed = procedure()
    changed["cases"][0]["time_limit"] = {"amount": 2, "unit": "working_days"}
    report = catalog_import(text=dumps(catalog(changed)))

    assert [(p.outcome, p.version) for p in report.procedures] == [("new_version", 2)]
    proc = Procedure.objects.get()
    assert proc.current_version is not None and proc.current_version.number == 2
    assert proc.current_version.cases.get().time_limit_amount == 2
    assert first is not None
    first.refresh_from_db()
    assert first.cases.get().time_limit_amount == 1  # the old version is intact
    assert proc.versions.count() == 2
    event = AuditEvent.objects.filter(action="procedure.versioned").get()
    assert event.data["before"]["version"] == 1
    assert event.data["after"]["version"] == 2
    assert event.data["before"]["cases"][0]["time_limit"]["amount"] == 1
    assert event.data["after"]["cases"][0]["time_limit"]["amount"] == 2
    assert "name" not in event.data["after"]  # only the changed keys


def test_a_dry_run_reports_but_saves_nothing(commune_agency: Any) -> None:
    before = counts()
    report = catalog_import(text=dumps(catalog()), dry_run=True)
    assert report.dry_run
    assert [p.outcome for p in report.procedures] == ["created"]
    assert counts() == before


def test_versions_are_immutable(commune_agency: Any) -> None:
    catalog_import(text=dumps(catalog()))
    version = ProcedureVersion.objects.get()
    version.name = "Tên khác"
    with pytest.raises(ImmutableError):
        version.save()


def test_it_renames_a_field_with_an_audit_entry(commune_agency: Any) -> None:
    catalog_import(text=dumps(catalog()))
    data = catalog()
    data["fields"][0]["name"] = "Hộ tịch (cấp xã)"
    report = catalog_import(text=dumps(data))
    assert report.fields_renamed == ["ho-tich"]
    assert Field.objects.get(code="ho-tich").name == "Hộ tịch (cấp xã)"
    assert AuditEvent.objects.filter(action="field.renamed").count() == 1


def test_the_command_reports_each_procedure(commune_agency: Any, tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(dumps(catalog()), encoding="utf-8")
    out = StringIO()
    call_command("import_catalog", str(path), stdout=out)
    assert "1.001193  v1  created" in out.getvalue()
    out = StringIO()
    call_command("import_catalog", str(path), stdout=out)
    assert "1.001193  v1  unchanged" in out.getvalue()


def test_the_command_prints_every_error_and_fails(commune_agency: Any, tmp_path: Path) -> None:
    data = catalog(procedure(), procedure("1.004884"))
    data["procedures"][0]["cases"][0]["time_limit"]["unit"] = "weeks"
    data["procedures"][1]["process_steps"][0]["time_share"] = 1
    path = tmp_path / "catalog.json"
    path.write_text(dumps(data), encoding="utf-8")
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_catalog", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        f"{path}: procedures[0].cases[0].time_limit.unit: must be one of "
        "working_days, working_hours, calendar_days, none",
        f"{path}: procedures[1].process_steps: time shares sum to 91, they must sum to 100",
    ]
    assert counts() == before


def test_the_command_dry_run_saves_nothing(commune_agency: Any, tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(dumps(catalog()), encoding="utf-8")
    out = StringIO()
    call_command("import_catalog", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert Procedure.objects.count() == 0


def test_the_command_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_catalog", str(tmp_path / "nope.json"))
