"""Back-office catalog pages and the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.catalog.services import catalog_import
from motcua.catalog.tests.conftest import catalog, dumps, procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(commune_agency: Any) -> None:
    catalog_import(
        text=dumps(
            catalog(
                procedure(),
                procedure("1.000894", name="Thủ tục đăng ký kết hôn"),
                procedure(
                    "1.013227",
                    name="Gia hạn giấy phép xây dựng",
                    field="hoat-dong-xay-dung",
                ),
            )
        )
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, imported: None) -> None:
    for url in ["/office/catalog/", "/office/catalog/1.001193/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_citizens_may_not_see_the_back_office(client: Client, alice: Any, imported: None) -> None:
    client.force_login(alice)
    assert client.get("/office/catalog/").status_code == 403


def test_the_list_searches_without_diacritics(client: Client, bob: Any, imported: None) -> None:
    client.force_login(bob)
    response = client.get("/office/catalog/", {"q": "ket hon"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thủ tục đăng ký kết hôn" in html
    assert "Thủ tục đăng ký khai sinh" not in html
    assert "<html" in html


def test_the_list_filters_by_field_and_level(client: Client, bob: Any, imported: None) -> None:
    client.force_login(bob)
    html = client.get("/office/catalog/", {"field": "hoat-dong-xay-dung"}).content.decode()
    assert "Gia hạn giấy phép xây dựng" in html
    assert "Thủ tục đăng ký kết hôn" not in html
    html = client.get("/office/catalog/", {"level": "province"}).content.decode()
    assert "Không tìm thấy thủ tục nào." in html


def test_an_unknown_filter_value_shows_an_error(client: Client, bob: Any, imported: None) -> None:
    client.force_login(bob)
    response = client.get("/office/catalog/", {"field": "thue"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_htmx_gets_only_the_results(client: Client, bob: Any, imported: None) -> None:
    client.force_login(bob)
    response = client.get("/office/catalog/", {"q": "khai sinh"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Thủ tục đăng ký khai sinh" in html
    assert "<html" not in html


def test_the_list_paginates(client: Client, bob: Any, commune_agency: Any) -> None:
    many = [procedure(f"1.{n:06d}", name=f"Thủ tục thử {n}") for n in range(25)]
    catalog_import(text=dumps(catalog(*many)))
    client.force_login(bob)
    html = client.get("/office/catalog/", {"q": "thu"}).content.decode()
    assert "Trang 1/2" in html
    assert 'href="?q=thu&amp;page=2"' in html
    assert (
        "Thủ tục thử 24"
        in client.get("/office/catalog/", {"q": "thu", "page": "2"}).content.decode()
    )


def test_the_detail_shows_everything_and_the_history(
    client: Client, bob: Any, imported: None
) -> None:
    changed = procedure()
    changed["cases"][0]["time_limit"] = {"amount": 3, "unit": "working_days"}
    catalog_import(text=dumps(catalog(changed)))
    client.force_login(bob)
    html = client.get("/office/catalog/1.001193/").content.decode()
    for text in [
        "Thủ tục đăng ký khai sinh",
        "3 ngày làm việc",
        "Giấy chứng sinh",
        "Ủy ban nhân dân xã Hòa Phú",
        "163/QĐ-BTP",
        "Lịch sử phiên bản",
        'href="?v=1"',
        "KQ.G15.000031",
    ]:
        assert text in html, text
    old = client.get("/office/catalog/1.001193/", {"v": 1}).content.decode()
    assert "1 ngày làm việc" in old
    assert "phiên bản cũ" in old


def test_an_unknown_procedure_is_a_404(client: Client, bob: Any, imported: None) -> None:
    client.force_login(bob)
    assert client.get("/office/catalog/9.999999/").status_code == 404
    assert client.get("/office/catalog/1.001193/", {"v": 7}).status_code == 404


def test_the_admin_shows_versions_read_only(
    client: Client, admin_user: Any, imported: None
) -> None:
    client.force_login(admin_user)
    version = Procedure.objects.get(code="1.001193").current_version
    assert version is not None
    assert client.get("/admin/catalog/procedure/").status_code == 200
    assert client.get("/admin/catalog/field/").status_code == 200
    page = client.get(f"/admin/catalog/procedureversion/{version.pk}/change/")
    assert page.status_code == 200
    assert "Giấy chứng sinh" in page.content.decode()
    response = client.post(f"/admin/catalog/procedureversion/{version.pk}/change/", {"name": "x"})
    assert response.status_code == 403
