"""Two submits of one draft at the same moment (a double click reaching two app servers): one
dossier, both answered with it. Real threads on PostgreSQL (SQLite serialises writers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, connections

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.portal import drafts, results_cache

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent submits need PostgreSQL (MOTCUA_TEST_DB=postgres)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield
    # This test commits for real (a catalog import included): leave no shared catalog token
    # behind for the per-process results cache of the tests that follow.
    cache.clear()
    results_cache.clear()


def test_it_files_one_dossier_for_two_concurrent_submits(world: Any) -> None:
    user = world.citizen
    draft = drafts.draft_choose(
        user=user, procedure_code="1.000001", case_id=None, agency_code=world.justice.code
    )
    drafts.draft_set_applicant(
        user=user,
        pk=draft.pk,
        data={"name": "Nguyễn Thị Ánh Tuyết", "id_number": "066090004321", "phone": "0905123456"},
    )
    version = Procedure.objects.get(code="1.000001").current_version
    assert version is not None
    for n, comp in enumerate(version.components.all()):
        drafts.draft_add_upload(
            user=user,
            pk=draft.pk,
            component_id=comp.pk,
            uploaded_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"{n}.pdf"),
        )
    barrier = threading.Barrier(3)

    def submit() -> Any:
        try:
            barrier.wait(timeout=30)
            return drafts.draft_submit(user=user, pk=draft.pk).pk
        except Exception as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: submit(), range(3)))
    dossier = Dossier.objects.get()
    assert results == [dossier.pk] * 3
    assert dossier.documents.count() == 2
