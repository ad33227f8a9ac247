"""The back-office statistics pages: report II.06a with its scoped drill-down, the exports, the
dashboards and the bad-parameter answers (dossiers built through the real services)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import MembershipFactory, UserFactory
from motcua.core.errors import InvalidInput
from motcua.dossiers.services import ActionIn, ApplicantIn, dossier_act, dossier_receive
from motcua.dossiers.tests.conftest import CONSTRUCTION, JUSTICE, _procedure
from motcua.stats import selectors
from motcua.stats.chart import bar_chart, nice_max
from motcua.stats.report06a import Period
from motcua.units.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

REPORT, DRILL = "/office/thong-ke/06a/", "/office/thong-ke/06a/ho-so/"
XLSX, PDF, DASHBOARD = "/office/thong-ke/06a.xlsx", "/office/thong-ke/06a.pdf", "/office/thong-ke/"
MARCH = {"kind": "month", "year": "2026", "month": "3"}
APPLICANT = ApplicantIn(name="Lê Thị Hoa", id_number="066190004321")


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def receive(world: Any, procedure: str, channel: str = "direct") -> str:
    d = dossier_receive(
        actor=world.clerk, procedure_code=procedure, case=None, channel=channel, applicant=APPLICANT
    )
    return d.code


@pytest.fixture
def province(world: Any, clock_at: Any) -> dict[str, Any]:
    """March 2026: two Justice dossiers (one settled early), one Construction dossier."""
    from motcua.catalog.services import catalog_import

    procedure = _procedure(
        "1.000003", "Cấp giấy phép xây dựng", days=5, online_days=None, mode="pause"
    )
    procedure["implementing_agencies"] = {"codes": [CONSTRUCTION]}
    catalog_import(
        text=json.dumps(
            {
                "format": "motcua.catalog/1",
                "fields": [{"code": "ly-lich-tu-phap", "name": "Lý lịch tư pháp"}],
                "procedures": [procedure],
            },
            ensure_ascii=False,
        )
    )
    clock_at("2026-03-02 08:00")
    justice = [receive(world, "1.000001", "direct"), receive(world, "1.000001", "postal")]
    construction = receive(world, "1.000003")
    clock_at("2026-03-03 09:00")
    dossier_act(actor=world.specialist, code=justice[0], action="forward")
    dossier_act(
        actor=world.leader, code=justice[0], action="settle", params=ActionIn(result="Kết quả")
    )
    clock_at("2026-03-20 10:00")
    office = UserFactory(username="vanphong", full_name="Nguyễn Văn Phòng")
    MembershipFactory(user=office, agency=world.centre, role=Role.PROVINCE_OFFICE)
    return {"justice": justice, "construction": construction, "office": office}


def links(html: str, prefix: str = DRILL) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html) if h.startswith(prefix)]


def drill_link(html: str, row: str, cell: str) -> str:
    for href in links(html):
        q = parse_qs(urlsplit(href).query, keep_blank_values=True)
        if q.get("row") == [row] and q.get("cell") == [cell]:
            return href
    raise AssertionError(f"no drill-down link for {row} {cell}")


# -- the report -----------------------------------------------------------------------------------


def test_it_shows_the_current_month_by_default(world: Any, province: dict[str, Any]) -> None:
    response = login(world.justice_clerk).get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sở Tư pháp" in html and "Sở Xây dựng" in html
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in html
    rows = {r["row"].code: r["row"] for r in response.context["table"]["rows"]}
    assert rows[JUSTICE].received_direct_postal == 2
    assert (rows[JUSTICE].settled_total, rows[JUSTICE].pending_total) == (1, 1)
    assert rows[CONSTRUCTION].received_total == 1
    assert response.context["table"]["total"]["row"].received_total == 3
    assert "Không khớp" not in html  # the identity holds on every row


def test_it_reads_quarters_years_and_date_ranges(world: Any, province: dict[str, Any]) -> None:
    client = login(world.justice_clerk)
    for params, first, last in [
        ({"kind": "quarter", "year": "2026", "quarter": "1"}, "2026-01-01", "2026-03-31"),
        ({"kind": "year", "year": "2026"}, "2026-01-01", "2026-12-31"),
        ({"kind": "range", "date_from": "2026-03-02", "date_to": "2026-03-02"}, None, None),
    ]:
        response = client.get(REPORT, params)
        assert response.status_code == 200, params
        period = response.context["period"]
        if first:
            assert (str(period.first), str(period.last)) == (first, last)
    # On 2 March the three were received and none settled yet.
    assert response.context["report"].total.received_total == 3
    assert response.context["report"].total.settled_total == 0
    # April: all carried over from March but the settled one.
    april = client.get(REPORT, {"kind": "month", "year": "2026", "month": "4"})
    assert april.context["report"].total.carried_over == 2


def test_every_number_links_to_the_dossiers_behind_it(world: Any, province: dict[str, Any]) -> None:
    client = login(world.justice_clerk)
    html = client.get(REPORT, MARCH).content.decode()
    response = client.get(drill_link(html, JUSTICE, "received_direct_postal"))
    assert response.status_code == 200
    page = response.content.decode()
    for code in province["justice"]:
        assert f'href="/office/dossiers/{code}/"' in page
    assert province["construction"] not in page
    settled = client.get(drill_link(html, JUSTICE, "settled_early")).content.decode()
    assert province["justice"][0] in settled and province["justice"][1] not in settled
    assert "Giải quyết trước hạn" in settled
    # A total is the union of its cells.
    total = client.get(drill_link(html, JUSTICE, "received_total"))
    assert total.context["page"].paginator.count == 2


def test_an_official_cannot_list_another_agencys_dossiers(
    world: Any, province: dict[str, Any]
) -> None:
    client = login(world.outsider)  # Department of Construction
    html = client.get(REPORT, MARCH).content.decode()
    assert "Sở Tư pháp" in html  # the aggregate numbers are shown for every unit
    assert not [h for h in links(html) if f"row={JUSTICE}" in h]  # but no link to its dossiers
    forged = client.get(DRILL, {**MARCH, "row": JUSTICE, "cell": "received_direct_postal"})
    assert forged.status_code == 404
    for code in province["justice"]:
        assert code not in forged.content.decode()
    own = client.get(drill_link(html, CONSTRUCTION, "received_total")).content.decode()
    assert province["construction"] in own
    # The province total lists only what the official may see, and says so.
    total = client.get(drill_link(html, "", "received_total"))
    assert total.status_code == 200
    assert total.context["partial"] is True
    page = total.content.decode()
    assert province["construction"] in page
    assert all(code not in page for code in province["justice"])


def test_the_province_office_lists_every_agencys_dossiers(
    world: Any, province: dict[str, Any]
) -> None:
    client = login(province["office"])
    html = client.get(REPORT, MARCH).content.decode()
    total = client.get(drill_link(html, "", "received_total"))
    assert total.context["partial"] is False
    page = total.content.decode()
    for code in [*province["justice"], province["construction"]]:
        assert code in page
    justice = client.get(DRILL, {**MARCH, "row": JUSTICE, "cell": "pending_total"})
    assert justice.status_code == 200
    assert province["justice"][1] in justice.content.decode()


def test_a_unit_with_units_under_it_links_to_its_own_report(world: Any, clock_at: Any) -> None:
    AgencyFactory(code="000.21.21.H16", name="Phòng Hộ tịch", parent=world.justice)
    html = login(world.justice_clerk).get(REPORT, MARCH).content.decode()
    sub = [h for h in links(html, REPORT) if f"node={JUSTICE}" in h]
    assert sub
    response = login(world.justice_clerk).get(sub[0])
    assert response.context["node"] == world.justice
    assert [r["row"].name for r in response.context["table"]["rows"]] == ["Phòng Hộ tịch"]


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        (
            REPORT,
            {"kind": "range", "date_from": "2026-03-31", "date_to": "2026-03-01"},
            "sau ngày bắt đầu",
        ),
        (REPORT, {"kind": "range", "date_from": "31-31-2026", "date_to": "2026-03-01"}, "date"),
        (REPORT, {"kind": "range", "date_to": "2026-03-01"}, "ngày bắt đầu"),
        (REPORT, {**MARCH, "node": "000.00.99.H16"}, "000.00.99.H16"),
        (REPORT, {"kind": "month", "year": "2026", "month": "13"}, "13"),
        (REPORT, {"kind": "decade"}, "decade"),
        (XLSX, {**MARCH, "node": "000.00.99.H16"}, "000.00.99.H16"),
        (PDF, {"kind": "range", "date_from": "2026-04-01", "date_to": "2026-03-01"}, "sau ngày"),
        (DRILL, {**MARCH, "row": JUSTICE, "cell": "everything"}, "everything"),
        (DRILL, {**MARCH, "row": JUSTICE}, "Chọn một ô"),
        (DRILL, {}, "Chọn một số liệu"),
        (DRILL, {**MARCH, "node": "nope", "cell": "stopped"}, "nope"),
    ],
)
def test_bad_parameters_get_a_clear_message(
    world: Any, url: str, params: dict[str, str], message: str
) -> None:
    response = login(world.justice_clerk).get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in unescape(response.content.decode())


def test_an_unknown_row_is_not_found(world: Any, province: dict[str, Any]) -> None:
    client = login(province["office"])
    assert (
        client.get(DRILL, {**MARCH, "row": "000.00.99.H16", "cell": "stopped"}).status_code == 404
    )


def test_only_officials_see_statistics(world: Any) -> None:
    for url in (REPORT, DRILL, XLSX, PDF, DASHBOARD):
        assert Client().get(url).status_code == 302
        assert login(world.citizen).get(url).status_code == 403


def test_query_counts_do_not_grow_with_the_data(
    world: Any, province: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = login(province["office"])
    drill = {**MARCH, "row": "", "cell": "received_total"}
    pages = [(REPORT, MARCH), (DRILL, drill), (XLSX, MARCH), (DASHBOARD, {})]

    def counts() -> list[int]:
        out = []
        for url, params in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            out.append(len(queries))
        return out

    before = counts()
    for _ in range(6):
        receive(world, "1.000001")
        receive(world, "1.000003")
    assert counts() == before
    assert client.get(DRILL, drill).context["page"].paginator.count == 15
    with django_assert_max_num_queries(9):
        client.get(REPORT, MARCH)
    with django_assert_max_num_queries(7):
        client.get(DRILL, drill)


def test_the_drill_down_is_paginated(world: Any, province: dict[str, Any]) -> None:
    from motcua.stats import views

    client = login(province["office"])
    drill = {**MARCH, "row": "", "cell": "received_total"}
    old, views.DRILL_PER_PAGE = views.DRILL_PER_PAGE, 2
    try:
        first = client.get(DRILL, drill)
        second = client.get(DRILL, {**drill, "page": "2"})
    finally:
        views.DRILL_PER_PAGE = old
    assert first.context["page"].paginator.num_pages == 2
    assert 'rel="next"' in first.content.decode()
    codes = {r["f"].code for r in first.context["facts"]} | {
        r["f"].code for r in second.context["facts"]
    }
    assert codes == {*province["justice"], province["construction"]}


# -- exports --------------------------------------------------------------------------------------


def test_the_workbook_has_the_forms_layout_and_numbers(
    world: Any, province: dict[str, Any]
) -> None:
    response = login(world.outsider).get(XLSX, MARCH)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Biểu số II.06a/VPCP/KSTT" in cells
    assert any(isinstance(c, str) and c.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT") for c in cells)
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in cells
    assert [ws.cell(7, c).value for c in (1, 2, 3, 7, 11)] == [
        "STT",
        "Đơn vị",
        "Số hồ sơ nhận giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
    ]
    assert [ws.cell(8, c).value for c in range(3, 14)] == [
        "Tổng số",
        "Trực tuyến",
        "Trực tiếp, dịch vụ bưu chính",
        "Từ kỳ trước",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A7:A8", "B7:B8", "C7:F7", "G7:J7", "K7:M7"} <= merged
    rows = {ws.cell(r, 2).value: r for r in range(10, ws.max_row + 1)}
    justice = [ws.cell(rows["Sở Tư pháp"], c).value for c in range(3, 14)]
    # The open one was due on 9 March: overdue at the end of the month.
    assert justice == [2, 0, 2, 0, 1, 1, 0, 0, 1, 0, 1]
    total = [ws.cell(rows["Tổng cộng"], c).value for c in range(3, 14)]
    assert total[0] == 3 and all(isinstance(v, int) for v in total)


def test_the_pdf_is_landscape_and_readable_in_vietnamese(
    world: Any, province: dict[str, Any]
) -> None:
    response = login(world.justice_clerk).get(PDF, MARCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    content = " ".join(p.extract_text() for p in reader.pages)
    assert "Sở Tư pháp" in content and "Sở Xây dựng" in content
    assert "Tổng cộng" in content
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in content
    after_total = content.split("Tổng cộng", 1)[1].split()[:11]
    assert after_total == ["3", "0", "3", "0", "1", "1", "0", "0", "2", "0", "2"]


# -- dashboards -----------------------------------------------------------------------------------


def test_the_province_office_dashboard(world: Any, province: dict[str, Any]) -> None:
    response = login(province["office"]).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<script" not in html.split("</head>")[1]
    trend = response.context["trend"]
    assert len(trend) == 12 and str(trend[-1].first) == "2026-03-01"
    assert (trend[-1].received, trend[-1].settled) == (3, 1)
    assert response.context["node"] is None
    # Due on 9 March, still open on the 20th: overdue, listed with a link.
    assert response.context["counts"].overdue == 2
    assert f'href="/office/dossiers/{province["justice"][1]}/"' in html
    assert response.context["summary"].total.received_total == 3


def test_an_agency_dashboard_is_its_own(world: Any, province: dict[str, Any]) -> None:
    client = login(world.outsider)
    response = client.get(DASHBOARD)
    assert response.context["node"] == world.construction
    assert response.context["summary"].total.received_total == 1
    assert province["justice"][1] not in response.content.decode()
    assert client.get(DASHBOARD, {"node": JUSTICE}).status_code == 404
    assert client.get(DASHBOARD, {"node": ""}).context["node"] == world.construction


def test_the_dashboard_survives_a_failing_index(
    world: Any, province: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.stats import index766

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("not yet")

    monkeypatch.setattr(index766, "compute_index", broken)  # an injected fault
    response = login(province["office"]).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["index"].available is False
    assert "Chưa tính được Bộ chỉ số" in response.content.decode()


def test_the_office_home_links_to_the_statistics(world: Any) -> None:
    html = login(world.justice_clerk).get("/office/").content.decode()
    assert 'href="/office/thong-ke/"' in html


# -- pieces ---------------------------------------------------------------------------------------


def test_it_scales_the_chart_to_a_round_maximum() -> None:
    assert [nice_max(v) for v in (0, 1, 3, 10, 11, 240, 5001)] == [1, 1, 5, 10, 20, 500, 10000]
    chart = bar_chart(["01", "02"], [[5, 0], [10, 20]])
    assert len(chart.bars) == 4
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.value == 20 and tallest.y == 10  # the top of the plot
    assert all(b.y + b.height == chart.bottom for b in chart.bars)


def test_the_tree_offers_only_visible_agencies(world: Any) -> None:
    from motcua.accounts.scoping import agency_ids_visible_to

    options = selectors.tree_options(agency_ids_visible_to(world.outsider))
    assert [a.code for a, _ in options] == [CONSTRUCTION]
    with pytest.raises(InvalidInput, match="unknown"):
        selectors.drill_filter("nope", Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))


def test_a_row_whose_identity_fails_is_flagged(world: Any, province: dict[str, Any]) -> None:
    from django.db.models import F

    from motcua.stats.models import AgencyDayCount

    # Corrupt rollups (say, a bad import): more overdue than pending makes a negative cell.
    AgencyDayCount.objects.filter(agency=world.justice).update(overdue_start=F("overdue_start") + 5)
    html = login(world.justice_clerk).get(REPORT, MARCH).content.decode()
    assert 'role="alert"' in html and "Số liệu không cân đối" in html
    assert "Không khớp" in html


def test_the_dashboard_shows_the_real_index(world: Any, province: dict[str, Any]) -> None:
    response = login(province["office"]).get(DASHBOARD)
    index = response.context["index"]
    assert index.available is True and index.period == "2026-03"
    assert index.losses == tuple(sorted(index.losses, key=lambda loss: (-loss.lost, loss.code)))
    html = unescape(response.content.decode())
    for loss in index.losses:
        assert loss.lost > 0 and loss.rule
        assert loss.name in html
        if loss.drill:  # the dossiers that lose the points, on the public drill-down
            assert f"/chi-so-766/2026-03/tinh/{loss.drill}/?loai=mat-diem" in html
