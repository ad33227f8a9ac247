"""Agency codes (QCVN 102:2016), the demo agencies, and GET /api/v1/agencies."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from motcua.units.codes import is_agency_code
from motcua.units.models import Agency, AgencyLevel
from motcua.units.tests.factories import AgencyFactory, ProvinceFactory

PROVINCIAL = {
    "000.00.00.H16": "Ủy ban nhân dân tỉnh Đắk Lắk",
    "000.00.01.H16": "Văn phòng Ủy ban nhân dân tỉnh",
    "000.00.02.H16": "Trung tâm Phục vụ hành chính công tỉnh",
    "000.00.03.H16": "Sở Tư pháp",
    "000.00.04.H16": "Sở Xây dựng",
    "000.00.05.H16": "Sở Nông nghiệp và Môi trường",
    "000.00.06.H16": "Sở Tài chính",
    "000.00.07.H16": "Sở Công Thương",
    "000.00.08.H16": "Sở Y tế",
    "000.00.09.H16": "Sở Giáo dục và Đào tạo",
    "000.00.10.H16": "Sở Nội vụ",
    "000.00.11.H16": "Sở Văn hóa, Thể thao và Du lịch",
    "000.00.12.H16": "Sở Khoa học và Công nghệ",
    "000.00.13.H16": "Công an tỉnh",
    "000.00.14.H16": "Sở Dân tộc và Tôn giáo",
}


@pytest.mark.parametrize("code", ["000.00.12.H16", "123.45.67.G01", "000.17.22.H56"])
def test_it_accepts_qcvn_codes(code: str) -> None:
    assert is_agency_code(code)


@pytest.mark.parametrize(
    "code", ["H16.12", "000.00.12.h16", "000.00.12.H1", "00.00.12.H16", "000.00.12.H16 ", ""]
)
def test_it_rejects_other_shapes(code: str) -> None:
    assert not is_agency_code(code)


@given(st.text(alphabet="0123456789.ABHZ", max_size=14))
def test_it_matches_exactly_the_documented_pattern(text: str) -> None:
    parts = text.split(".")
    expected = (
        len(parts) == 4
        and [len(p) for p in parts] == [3, 2, 2, 3]
        and all(p.isdigit() for p in parts[:3])
        and parts[3][0].isupper()
        and parts[3][0].isalpha()
        and parts[3][1:].isdigit()
    )
    assert is_agency_code(text) == expected


@pytest.mark.django_db
def test_it_refuses_a_bad_code_in_clean_and_in_the_database() -> None:
    province: Any = ProvinceFactory()
    agency = Agency(code="H16.99", name="Sai mã", level=AgencyLevel.PROVINCE, unit=province)
    with pytest.raises(ValidationError) as exc:
        agency.full_clean()
    assert "QCVN 102:2016" in str(exc.value.message_dict["code"])
    with pytest.raises(IntegrityError), transaction.atomic():
        agency.save()
    assert not Agency.objects.filter(code="H16.99").exists()


@pytest.mark.django_db
def test_it_loads_the_exact_provincial_codes_and_commune_committees(demo_units: None) -> None:
    rows = {a.code: a for a in Agency.objects.select_related("unit", "parent")}
    assert {c: rows[c].name for c in PROVINCIAL} == PROVINCIAL
    assert rows["000.00.00.H16"].parent is None
    parents = {getattr(rows[c].parent, "code", None) for c in PROVINCIAL if c != "000.00.00.H16"}
    assert parents == {"000.00.00.H16"}
    assert rows["000.00.02.H16"].has_one_stop_desk
    communes = [a for a in rows.values() if a.level == AgencyLevel.COMMUNE]
    assert len(communes) >= 22
    assert all(a.has_one_stop_desk and a.unit.valid_from is not None for a in communes)
    assert rows["000.00.31.H16"].unit.name == "Phường Buôn Ma Thuột"
    assert {a.code for a in communes} >= {f"000.00.{n}.H16" for n in range(31, 53)}


@pytest.mark.django_db
def test_it_lists_agencies_publicly_with_filters(client: Client, demo_units: None) -> None:
    response = client.get("/api/v1/agencies")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == Agency.objects.count()
    tuphap = next(r for r in rows if r["code"] == "000.00.03.H16")
    assert tuphap == {
        "code": "000.00.03.H16",
        "name": "Sở Tư pháp",
        "short_name": "STP",
        "level": "province",
        "unit": {"code": "66", "name": "Tỉnh Đắk Lắk"},
        "parent": "000.00.00.H16",
        "has_one_stop_desk": False,
    }
    communes = client.get("/api/v1/agencies", {"level": "commune"}).json()
    assert communes and {r["level"] for r in communes} == {"commune"}
    found = client.get("/api/v1/agencies", {"q": "buon ma thuot"}).json()
    assert [r["code"] for r in found] == ["000.00.31.H16"]
    assert client.get("/api/v1/agencies", {"q": "SO TU PHAP"}).json()[0]["code"] == "000.00.03.H16"


@pytest.mark.django_db
def test_it_rejects_an_unknown_level_with_422(client: Client) -> None:
    response = client.get("/api/v1/agencies", {"level": "galaxy"})
    assert response.status_code == 422
    assert "level" in response.content.decode()


@pytest.mark.django_db
def test_it_lists_agencies_in_one_query(client: Client, django_assert_num_queries: Any) -> None:
    for _ in range(5):
        AgencyFactory(parent=AgencyFactory())
    with django_assert_num_queries(1):
        assert len(client.get("/api/v1/agencies").json()) == 10
