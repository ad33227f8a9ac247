"""The committed demo catalog: it imports, meets the numbers, and loads idempotently."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management.base import OutputWrapper

from motcua.catalog import demo
from motcua.catalog.format import parse_catalog
from motcua.catalog.models import Field, Procedure, ProcedureCase, ProcedureVersion
from motcua.catalog.selectors import version_as_format

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    demo.load(out=OutputWrapper(out))
    return out.getvalue()


def test_the_demo_file_is_valid_by_itself() -> None:
    result = parse_catalog(demo.CATALOG_FILE.read_bytes())
    assert result.errors == []


def test_the_demo_catalog_meets_the_numbers(demo_agencies: Any) -> None:
    assert "43 procedures created" in load()
    assert Procedure.objects.count() >= 30
    assert Field.objects.count() >= 8
    levels = {lv for v in ProcedureVersion.objects.all() for lv in v.levels}
    assert {"province", "commune"} <= levels
    birth = Procedure.objects.get(code="1.001193").current_version
    assert birth is not None
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.field.name == "Hộ tịch"


def test_loading_the_demo_twice_changes_nothing(demo_agencies: Any) -> None:
    load()
    versions = ProcedureVersion.objects.count()
    assert "0 procedures created, 0 new versions, 43 unchanged" in load()
    assert ProcedureVersion.objects.count() == versions


def test_bare_numbers_become_working_days_with_a_note(demo_agencies: Any) -> None:
    load()
    case = ProcedureCase.objects.get(version__procedure__code="1.001193")
    assert (case.time_limit_amount, case.time_limit_unit) == (1, "working_days")
    assert "không ghi đơn vị" in case.note


def test_procedures_without_a_limit_get_a_reasoned_one(demo_agencies: Any) -> None:
    load()
    case = ProcedureCase.objects.get(version__procedure__code="2.001035")
    assert (case.time_limit_amount, case.time_limit_unit) == (2, "working_days")
    assert "Nguồn không ghi thời hạn" in case.note


def test_source_anomalies_are_kept_and_noted() -> None:
    data = json.loads(demo.CATALOG_FILE.read_text(encoding="utf-8"))
    fees = [
        f
        for p in data["procedures"]
        if p["code"] == "2.001610"
        for f in p["fees"]
        if f["channel"] == "online"
    ]
    assert [f["amount_vnd"] for f in fees] == [100]
    assert "Bất thường trong nguồn" in fees[0]["note"]


def test_stored_versions_round_trip_to_the_imported_content(demo_agencies: Any) -> None:
    # Nothing is truncated or lost on the way into the tables: rebuilding each stored version in
    # the import format gives back the hash of what was imported (audit diffs rely on this).
    load()
    for version in ProcedureVersion.objects.select_related("procedure", "field"):
        assert version_as_format(version).content_hash() == version.content_hash, version
