"""Plain SQL on the hot paths gives and writes what the ORM would (both databases)."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict

from motcua.core.models import RateCounter
from motcua.core.sql import insert, rows_of, update
from motcua.dossiers.models import DossierEvent

pytestmark = pytest.mark.django_db


def test_rows_of_reads_whole_rows_with_the_joined_row_like_select_related(world: Any) -> None:
    from motcua.units.models import Agency

    code = world.justice.code
    (plain,) = rows_of(Agency, "t.code = %s", related="unit").all([code])
    orm = Agency.objects.select_related("unit").get(code=code)
    assert model_to_dict(plain) == model_to_dict(orm)
    assert not plain._state.adding and plain._state.db == "default"
    assert "unit" in plain._state.fields_cache  # no query to read it
    assert model_to_dict(plain.unit) == model_to_dict(orm.unit)
    assert rows_of(Agency, "t.code = %s").all(["no-such-code"]) == []


def test_insert_and_update_write_what_save_would(world: Any, clock_at: Any) -> None:
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import ApplicantIn, ComponentIn, dossier_receive

    clock_at("2026-03-02 08:00")
    version = Procedure.objects.get(code="1.000001").current_version
    assert version is not None
    dossier = dossier_receive(
        actor=world.clerk,
        procedure_code="1.000001",
        case=None,
        channel="direct",
        applicant=ApplicantIn(name="Nguyễn Thị Ánh", id_number="066190004321", phone="0905123456"),
        components=[ComponentIn(component_id=c.pk) for c in version.components.all()],
    )
    assert dossier.submitted_at is not None
    event = DossierEvent(
        dossier=dossier,
        seq=99,
        action="note",
        from_status=2,
        to_status=2,
        at=dossier.submitted_at,
        actor_name="Nguyễn Thị Ánh",
        data={"ghi_chú": "Tiếng Việt có dấu", "n": 1},
    )
    insert(event)
    assert event.pk is not None and not event._state.adding
    stored = DossierEvent.objects.get(pk=event.pk)
    assert model_to_dict(stored) == model_to_dict(event)

    stored.note = "đã sửa"
    stored.to_status = 4
    update(stored, ["note", "to_status"])
    again = DossierEvent.objects.get(pk=event.pk)
    assert (again.note, again.to_status, again.data) == ("đã sửa", 4, event.data)


def test_insert_ignoring_conflicts_leaves_the_row_that_was_there(db: Any) -> None:
    RateCounter.objects.create(key="k", window_start=1.0, hits=7)
    duplicate = RateCounter(key="k", window_start=2.0, hits=1)
    insert(duplicate, ignore_conflicts=True)
    assert duplicate.pk is None and duplicate._state.adding
    assert RateCounter.objects.get(key="k").hits == 7
