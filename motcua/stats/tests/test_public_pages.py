"""The public 766 pages (/chi-so-766/): no login, the frozen payload of a published month even
after new data arrives, provisional live numbers otherwise, the drill-down without personal data,
open data, 404s for anything unknown, the rate limit."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from motcua.stats.models import DossierFact
from motcua.stats.publication import publish_month, verify_publication
from motcua.stats.tests.test_index766 import MARCH, dossier, march, put  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world: Any, march: None, clock_at: Any) -> Any:  # noqa: F811
    DossierFact.objects.filter(code="IMP-001").update(applicant_name="Nguyễn Thị Bí Mật")
    clock_at("2026-04-06 09:00")
    return publish_month(MARCH, actor=world.clerk)


def test_it_lists_the_published_months_and_the_latest_ranking(published: Any) -> None:
    response = Client().get("/chi-so-766/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "03/2026" in html and "/chi-so-766/2026-03.json" in html
    assert 'data-ranking="agencies"' in html and "Sở Tư pháp" in html
    assert "Tạm tính" not in html or "04/2026" in html  # the current month is offered live


def test_it_shows_the_month_with_charts_and_rankings(published: Any, world: Any) -> None:
    response = Client().get("/chi-so-766/2026-03/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 300_000
    assert "<svg" in html and 'data-chart="chart-province"' in html
    assert 'data-chart="chart-agencies"' in html and "<title id=" in html
    assert "67,2" in html or "67.2" in html
    assert f"/chi-so-766/2026-03/{world.justice.code}/" in html
    assert 'data-provisional="true"' not in html and 'data-published="2026-03"' in html
    assert "<script" not in html.split("</head>")[1]


def test_it_keeps_showing_the_frozen_numbers_after_new_data(
    published: Any, world: Any, clock_at: Any
) -> None:
    before = Client().get("/chi-so-766/2026-03/tinh/").content.decode()
    # A late import adds March dossiers after the publication.
    for n in range(5):
        put(
            f"LATE-{n}",
            world,
            dossier("direct", "2026-03-16 08:00", "2026-03-17 17:00", "2026-03-30 10:00"),
        )
    after = Client().get("/chi-so-766/2026-03/tinh/").content.decode()
    assert before == after
    assert (
        json.loads(Client().get("/chi-so-766/2026-03.json").content)["payload"] == published.payload
    )
    # The live computation has moved on, and the drill-down says the list is today's data.
    from motcua.stats.index766 import compute_index

    assert compute_index(MARCH).total != published.payload["province"]["total"]
    drill = Client().get("/chi-so-766/2026-03/tinh/progress/").content.decode()
    assert "LATE-0" in drill and "dữ liệu hiện tại" in drill


def test_it_marks_an_unpublished_month_as_provisional(
    world: Any,
    march: None,  # noqa: F811
    clock_at: Any,
) -> None:
    clock_at("2026-04-06 09:00")
    for month in ("2026-03", "2026-04"):
        html = Client().get(f"/chi-so-766/{month}/").content.decode()
        assert 'data-provisional="true"' in html, month
    assert Client().get("/chi-so-766/2026-05/").status_code == 404  # the future
    assert Client().get("/chi-so-766/2024-01/").status_code == 404  # too old, never published
    assert Client().get("/chi-so-766/2026-03.json").status_code == 404  # no open data yet


def test_it_shows_every_indicator_of_a_unit(published: Any, world: Any) -> None:
    html = Client().get(f"/chi-so-766/2026-03/{world.justice.code}/").content.decode()
    assert 'data-indicator="2.1"' in html and 'data-indicator="6.3"' in html
    assert "20 × (hồ sơ kết thúc đúng hạn" in html  # the rule in words
    assert f"/chi-so-766/2026-03/{world.justice.code}/progress/" in html
    assert "70,00%" in html or "70.00%" in html  # 2.1: 7 of 10


def test_it_lists_the_dossiers_behind_a_number_without_personal_data(
    published: Any, world: Any
) -> None:
    client = Client()
    response = client.get(f"/chi-so-766/2026-03/{world.justice.code}/progress/")
    html = response.content.decode()
    assert response.status_code == 200
    assert all(f"IMP-{i:03d}" in html for i in range(1, 11))
    assert "Nguyễn Thị Bí Mật" not in html and "Bí Mật" not in html
    lost = client.get("/chi-so-766/2026-03/tinh/progress/?loai=mat-diem").content.decode()
    assert {c for c in ("IMP-003", "IMP-008", "IMP-010", "IMP-001") if c in lost} == {
        "IMP-003",
        "IMP-008",
        "IMP-010",
    }


def test_it_paginates_the_drill_down(published: Any, world: Any, monkeypatch: Any) -> None:
    from motcua.stats import public_views

    monkeypatch.setattr(public_views, "PER_PAGE", 4)
    client = Client()
    first = client.get("/chi-so-766/2026-03/tinh/progress/").content.decode()
    assert "Trang 1/3" in first and "trang=2" in first
    last = client.get("/chi-so-766/2026-03/tinh/progress/?trang=3").content.decode()
    assert "Trang 3/3" in last and last.count("<code>IMP-") == 2


@pytest.mark.parametrize(
    "url",
    [
        "/chi-so-766/2026-13/",
        "/chi-so-766/2026-03/000.00.99.X99/",
        "/chi-so-766/2026-03/tinh/no_such_drill/",
        "/chi-so-766/2026-03/tinh/sync_x/",
        "/chi-so-766/2025-02.csv",
        "/chi-so-766/2026-13.json",
    ],
)
def test_it_answers_404_for_anything_unknown(published: Any, url: str) -> None:
    assert Client().get(url).status_code == 404


def test_it_rate_limits_the_drill_down(published: Any, settings: Any) -> None:
    settings.MOTCUA_PUBLIC_DRILL_MAX = 2
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [client.get("/chi-so-766/2026-03/tinh/progress/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert other.get("/chi-so-766/2026-03/tinh/progress/").status_code == 200


def test_it_serves_the_frozen_payload_as_open_data(published: Any, world: Any) -> None:
    response = Client().get("/chi-so-766/2026-03.json")
    body = json.loads(response.content)
    assert response.status_code == 200 and response["ETag"] == f'"{published.sha256}"'
    assert body["sha256"] == published.sha256 and body["signature"] == published.signature
    assert body["payload"]["province"]["total"] == published.payload["province"]["total"]
    assert verify_publication(published).ok


def test_it_serves_one_csv_row_per_unit_and_indicator(published: Any, world: Any) -> None:
    response = Client().get("/chi-so-766/2026-03.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["month", "ranking", "rank"] and rows[0][-1] == "max_points"
    indicators = sum(len(g["indicators"]) for g in published.payload["province"]["groups"])
    units = (
        1
        + len(published.payload["rankings"]["agencies"])
        + len(published.payload["rankings"]["communes"])
    )
    assert len(rows) == 1 + units * indicators
    progress = next(r for r in rows if r[1] == "province" and r[6] == "2.1")
    assert progress[8:12] == ["7", "10", "14.0", "20"]
    justice = next(r for r in rows if r[1] == "agencies" and r[3] == world.justice.code)
    assert justice[2] == "1"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_it_translates_the_pages(published: Any, lang: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    html = client.get("/chi-so-766/2026-03/tinh/").content.decode()
    assert "Giải quyết hồ sơ đúng hạn" not in html  # the indicator's name is translated
    assert "Tử số" not in html


def test_it_is_linked_from_the_portal_footer(world: Any) -> None:
    html = Client().get("/").content.decode()
    assert 'href="/chi-so-766/"' in html
