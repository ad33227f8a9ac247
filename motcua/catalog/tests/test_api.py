"""The public catalog API: search, detail, fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.catalog.services import catalog_import
from motcua.catalog.tests.conftest import PROVINCE_AGENCY, catalog, dumps, procedure

pytestmark = pytest.mark.django_db

PERMIT = "Cấp giấy phép xây dựng mới công trình cấp đặc biệt, cấp I, cấp II"


@pytest.fixture
def imported(commune_agency: Any, province_agency: Any) -> None:
    province = {"levels": ["province"], "implementing_agencies": {"codes": [PROVINCE_AGENCY]}}
    permit = {"field": "hoat-dong-xay-dung", **province}
    catalog_import(
        text=dumps(
            catalog(
                procedure(),
                procedure("1.004884", name="Thủ tục đăng ký lại khai sinh"),
                procedure("1.000894", name="Thủ tục đăng ký kết hôn"),
                procedure("1.013236", name=PERMIT, **permit),
                procedure("1.013227", name="Gia hạn giấy phép xây dựng", **permit),
                procedure(
                    "1.999999", name="Xác nhận công trình đã cấp giấy phép xây dựng", **permit
                ),
            )
        )
    )


def codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_search_ignores_diacritics_and_case(client: Client, imported: None) -> None:
    response = client.get("/api/v1/procedures", {"q": "GIAY PHEP xay dung"})
    assert response.status_code == 200
    assert set(codes(response)) == {"1.013236", "1.013227", "1.999999"}


def test_search_needs_every_word(client: Client, imported: None) -> None:
    assert codes(client.get("/api/v1/procedures", {"q": "khai sinh lai"})) == ["1.004884"]
    assert codes(client.get("/api/v1/procedures", {"q": "khai sinh xay"})) == []


def test_search_ranks_prefix_and_code_hits_first(client: Client, imported: None) -> None:
    # "Cấp giấy phép…" starts with the phrase; the other two only contain the words.
    assert codes(client.get("/api/v1/procedures", {"q": "cap giay phep"}))[0] == "1.013236"
    assert codes(client.get("/api/v1/procedures", {"q": "thu tuc dang ky khai sinh"})) == [
        "1.001193",
        "1.004884",
    ]
    assert codes(client.get("/api/v1/procedures", {"q": "1.000894"})) == ["1.000894"]


def test_list_filters_and_paginates(client: Client, imported: None) -> None:
    body = client.get("/api/v1/procedures", {"level": "province", "limit": "2"}).json()
    assert body["total"] == 3
    assert body["limit"] == 2 and body["offset"] == 0
    assert len(body["items"]) == 2
    second = client.get("/api/v1/procedures", {"level": "province", "limit": "2", "offset": "2"})
    assert len(second.json()["items"]) == 1
    by_field = client.get("/api/v1/procedures", {"field": "ho-tich"}).json()
    assert by_field["total"] == 3
    item = by_field["items"][0]
    assert item == {
        "code": "1.000894",
        "name": "Thủ tục đăng ký kết hôn",
        "field": {"code": "ho-tich", "name": "Hộ tịch"},
        "levels": ["commune"],
        "online_level": "partial",
        "result_kind": "both",
        "version": 1,
        "cases": [
            {
                "name": "Trường hợp chung",
                "time_limit": {"amount": 1, "unit": "working_days"},
                "online_time_limit": None,
            }
        ],
    }


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"level": "ward"}, {"q": "x" * 201}],
)
def test_bad_parameters_get_a_422(client: Client, imported: None, params: dict[str, Any]) -> None:
    assert client.get("/api/v1/procedures", params).status_code == 422


def test_an_unknown_field_gets_a_422_naming_it(client: Client, imported: None) -> None:
    response = client.get("/api/v1/procedures", {"field": "thue"})
    assert response.status_code == 422
    assert response.json()["field"] == "field"


def test_the_list_query_count_does_not_grow_with_the_page(
    client: Client, imported: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/procedures", {"limit": 1}).json()["items"]) == 1
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/procedures", {"limit": 100}).json()["items"]) == 6


def test_detail_shows_the_current_version(client: Client, imported: None) -> None:
    response = client.get("/api/v1/procedures/1.001193")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Thủ tục đăng ký khai sinh"
    assert body["version"] == 1
    assert body["publication"] == {"decision_number": "163/QĐ-BTP", "date": "2025-06-30"}
    assert body["implementing_agency_level"] == "commune"
    assert [a["code"] for a in body["implementing_agencies"]] == ["000.31.20.H16"]
    assert body["cases"][0]["time_limit"] == {"amount": 1, "unit": "working_days"}
    assert [c["name"] for c in body["components"]] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert [(s["order"], s["role"], s["time_share"]) for s in body["process_steps"]] == [
        (1, "clerk", 10),
        (2, "specialist", 60),
        (3, "leader", 30),
    ]
    assert body["results"] == [{"code": "KQ.G15.000031", "name": "Giấy khai sinh"}]


def test_detail_query_count_is_bounded(
    client: Client, imported: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/procedures/1.013236").status_code == 200


def test_an_unknown_code_gets_a_json_404(client: Client, imported: None) -> None:
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_fields_lists_each_field_with_its_count(client: Client, imported: None) -> None:
    body = sorted(client.get("/api/v1/fields").json(), key=lambda f: f["code"])
    assert body == [
        {"code": "ho-tich", "name": "Hộ tịch", "procedure_count": 3},
        {"code": "hoat-dong-xay-dung", "name": "Hoạt động xây dựng", "procedure_count": 3},
    ]
