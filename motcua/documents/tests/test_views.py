"""The data-store page and the official's "issue the e-result" button."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.documents.models import DocumentKind, StoredDocument
from motcua.documents.services import eresult_issue

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_official_issues_the_e_result_from_the_dossier_page(
    world: Any, settled_dossier: Any
) -> None:
    path = f"/tai-lieu/ket-qua/{settled_dossier.code}/phat-hanh/"
    assert logged_in(world.leader).get(path).status_code == 405  # POST only
    response = logged_in(world.leader).post(path)
    assert response.status_code == 302
    assert response["Location"] == f"/office/dossiers/{settled_dossier.code}/"
    assert StoredDocument.objects.filter(kind=DocumentKind.ERESULT).count() == 1
    again = logged_in(world.leader).post(path, follow=True)
    assert "Không phát hành được kết quả điện tử" in again.content.decode()
    assert StoredDocument.objects.filter(kind=DocumentKind.ERESULT).count() == 1


def test_others_cannot_issue_an_e_result(world: Any, settled_dossier: Any, alice: Any) -> None:
    path = f"/tai-lieu/ket-qua/{settled_dossier.code}/phat-hanh/"
    assert logged_in(world.outsider).post(path).status_code == 404
    assert logged_in(alice).post(path).status_code == 404
    assert Client().post(path).status_code == 302  # to the login page
    assert not StoredDocument.objects.exists()


def test_the_data_store_page_lists_only_ones_own_documents(
    world: Any, settled_dossier: Any, alice: Any
) -> None:
    doc = eresult_issue(dossier=settled_dossier, actor=world.leader)
    page = logged_in(world.citizen).get("/tai-lieu/").content.decode()
    assert f"Kết quả điện tử hồ sơ {settled_dossier.code}" in page
    assert f"/tai-lieu/{doc.pk}/tai-ve/" in page and f"/xac-thuc/{doc.verify_token}/" in page
    other = logged_in(alice).get("/tai-lieu/").content.decode()
    assert "Kho dữ liệu của bạn chưa có giấy tờ nào." in other
    assert settled_dossier.code not in other
