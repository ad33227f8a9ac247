"""The demo province's administrative units before and after 1 July 2025."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management.base import OutputWrapper

from motcua.units import demo
from motcua.units.models import AdministrativeUnit, Agency, UnitLevel, UnitSuccession
from motcua.units.selectors import (
    unit_current_successors,
    unit_get,
    unit_list_valid_on,
    unit_predecessors,
    unit_successors,
    unit_tree,
)

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)
pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return (
        AdministrativeUnit.objects.count(),
        UnitSuccession.objects.count(),
        Agency.objects.count(),
    )


def test_it_loads_the_demo_twice_with_the_same_rows(demo_units: None) -> None:
    first = counts()
    demo.load(out=OutputWrapper(StringIO()))
    assert counts() == first
    # 2 provinces + 24 districts + 286 old communes + 102 new communes
    assert first == (414, 295, 39)


def test_it_builds_the_three_level_tree_before_the_reform(demo_units: None) -> None:
    tree = unit_tree(day=BEFORE, root_code="66")
    assert tree.unit.name == "Tỉnh Đắk Lắk"
    assert len(tree.children) == 15
    assert all(c.unit.level == UnitLevel.DISTRICT for c in tree.children)
    assert sum(len(d.children) for d in tree.children) == 180
    phu_yen = unit_tree(day=BEFORE, root_code="54")
    assert (len(phu_yen.children), phu_yen.count()) == (9, 1 + 9 + 106)


def test_it_builds_the_two_level_tree_after_the_reform(demo_units: None) -> None:
    tree = unit_tree(day=AFTER, root_code="66")
    assert len(tree.children) == 102
    assert {c.unit.level for c in tree.children} == {UnitLevel.COMMUNE}
    assert unit_list_valid_on(day=AFTER, level=UnitLevel.DISTRICT).count() == 0
    assert not unit_list_valid_on(day=AFTER, level=UnitLevel.PROVINCE).filter(code="54").exists()


def test_it_keeps_one_province_row_across_the_merge(demo_units: None) -> None:
    before = unit_get(code="66", day=BEFORE)
    after = unit_get(code="66", day=AFTER)
    assert before.pk == after.pk
    phu_yen = unit_get(code="54", day=BEFORE)
    assert [s.unit.pk for s in unit_successors(unit=phu_yen)] == [after.pk]
    assert phu_yen.pk in {u.pk for u in unit_predecessors(unit=after)}


def test_it_closes_an_old_commune_and_maps_it_to_its_successor(demo_units: None) -> None:
    # Phường Tân Lập (Buôn Ma Thuột) existed until 30/6/2025 and became part of a new ward.
    old = unit_get(code="24118", day=BEFORE)
    assert old.name == "Phường Tân Lập"
    assert old.is_valid_on(BEFORE) and not old.is_valid_on(AFTER)
    assert not unit_list_valid_on(day=AFTER).filter(pk=old.pk).exists()
    successors = unit_current_successors(unit=old, day=AFTER)
    assert len(successors) == 1
    assert successors[0].is_valid_on(AFTER)
    assert successors[0].parent is not None and successors[0].parent.code == "66"


def test_it_maps_a_split_commune_to_several_successors(demo_units: None) -> None:
    # Xã Hòa An (Phú Hòa, Phú Yên) was split between Phường Tuy Hòa and Xã Phú Hòa 1.
    old = unit_get(code="22315", day=BEFORE)
    rows = unit_successors(unit=old)
    assert len(rows) >= 2
    assert {r.change for r in rows} == {UnitSuccession.Change.PART}
    names = {r.unit.name for r in rows}
    assert {"Phường Tuy Hòa", "Xã Phú Hòa 1"} <= names
    assert all(r.effective_on == AFTER for r in rows)


def test_it_keeps_unchanged_and_renamed_communes_as_new_rows(demo_units: None) -> None:
    old = unit_get(code="24235", day=BEFORE)
    new = unit_get(code="24235", day=AFTER)
    assert (old.name, new.name) == ("Xã Krông Na", "Xã Buôn Đôn")
    assert old.pk != new.pk
    (row,) = unit_successors(unit=old)
    assert (row.unit.pk, row.change) == (new.pk, UnitSuccession.Change.RENAMED)


def test_it_reports_an_unknown_unit_on_a_date(demo_units: None) -> None:
    from motcua.core.errors import NotFound

    assert unit_get(code="24118", day=dt.date(2020, 1, 1)).name == "Phường Tân Lập"
    with pytest.raises(NotFound, match="24118"):
        unit_get(code="24118", day=AFTER)
    with pytest.raises(NotFound, match="99999"):
        unit_tree(day=AFTER, root_code="99999")
