"""/api/v1/dossiers: intake, one dossier, actions, work queues — shapes, codes and scope.

Office hours 07:00–11:30 and 13:30–17:00; early March 2026 has no holiday (see
``test_services_paths.py`` for the hand-computed due dates reused here).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.services import api_token_create
from motcua.catalog.models import Procedure
from motcua.dossiers.idempotency import IdempotencyKey
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CENTRE, CONSTRUCTION, JUSTICE, VN, at

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers"

APPLICANT = {
    "name": "Nguyễn Thị Ánh Tuyết",
    "id_number": "066190004321",
    "phone": "0905123456",
    "email": "tuyet@example.vn",
    "address": "12 Lê Duẩn, phường Buôn Ma Thuột",
}


class Api:
    """A test client speaking JSON with one user's bearer token."""

    def __init__(self, user: Any) -> None:
        _, key = api_token_create(user=user, expires_at=dt.datetime(2030, 1, 1, tzinfo=VN))
        self.client = Client(headers={"Authorization": f"Bearer {key}"})

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params)

    def post(self, url: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            url, data=json.dumps(body), content_type="application/json", headers=headers
        )

    def act(self, code: str, action: str, **body: Any) -> Any:
        return self.post(f"{URL}/{code}/actions/{action}", body)


def components(procedure: str = "1.000001") -> list[dict[str, Any]]:
    version = Procedure.objects.get(code=procedure).current_version
    assert version is not None
    return [{"component_id": c.pk} for c in version.components.order_by("pk")]


def intake(api: Api, **overrides: Any) -> Any:
    body: dict[str, Any] = {
        "procedure_code": "1.000001",
        "channel": "direct",
        "applicant": APPLICANT,
        "components": components(),
    }
    body.update(overrides)
    return api.post(URL, body)


def iso(text: str) -> str:
    return at(text).isoformat()


def parse(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


# -- intake and reading ---------------------------------------------------------------------------


def test_it_receives_a_dossier_at_the_counter_with_201_and_the_full_shape(
    world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    response = intake(Api(world.clerk))
    assert response.status_code == 201, response.content
    d = response.json()
    assert d["code"] == f"{CENTRE}-260302-0001"
    assert (d["status"], d["status_code"], d["channel"], d["version"]) == (
        "received",
        2,
        "direct",
        1,
    )
    assert parse(d["received_at"]) == at("2026-03-02 08:00")
    assert parse(d["due_at"]) == at("2026-03-09 08:00")  # 5 working days
    assert d["outcome"] is None
    assert d["procedure"]["code"] == "1.000001"
    assert d["procedure"]["name"] == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert d["case"] == "Trường hợp chung"
    assert (d["receiving_agency_code"], d["agency_code"], d["current_agency_code"]) == (
        CENTRE,
        JUSTICE,
        CENTRE,
    )
    assert d["applicant"]["name"] == "Nguyễn Thị Ánh Tuyết"
    assert d["limit"] == {"amount": 5, "unit": "working_days"}
    assert [len(d["steps"]), len(d["components"]), d["pauses"]] == [4, 2, []]
    assert d["steps"][0]["agency_code"] == CENTRE and d["steps"][1]["agency_code"] == JUSTICE
    [event] = d["history"]
    assert event["seq"] == 1 and event["action"] == "receive"
    assert (event["from_status"], event["to_status"], event["to_status_code"]) == (
        None,
        "received",
        2,
    )
    assert event["actor_name"] == "Hoàng Văn Nam" and event["role"] == "clerk"
    assert event["agency_code"] == CENTRE
    assert parse(event["due_after"]) == at("2026-03-09 08:00")
    assert d["explanation"] and "09/03/2026" in d["explanation"][-1]
    assert "forward" in d["allowed_actions"] and "settle" not in d["allowed_actions"]

    again = Api(world.clerk).get(f"{URL}/{d['code']}")
    assert again.status_code == 200 and again.json() == d


def test_it_explains_the_due_date_in_english_on_request(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    api = Api(world.clerk)
    code = intake(api).json()["code"]
    vi = api.get(f"{URL}/{code}").json()["explanation"]
    en = api.get(f"{URL}/{code}", lang="en").json()["explanation"]
    assert vi[-1].startswith("Hạn trả kết quả hiện tại")
    assert en[-1].startswith("Current due date") and len(en) == len(vi)
    assert api.get(f"{URL}/{code}", lang="fr").status_code == 422


def test_it_needs_authentication(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    code = intake(Api(world.clerk)).json()["code"]
    anonymous = Client()
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}/{code}").status_code == 401
    assert anonymous.post(URL, "{}", content_type="application/json").status_code == 401
    response = anonymous.post(
        f"{URL}/{code}/actions/forward", "{}", content_type="application/json"
    )
    assert response.status_code == 401
    bad = Client(headers={"Authorization": "Bearer mc_nope"})
    assert bad.get(f"{URL}/{code}").status_code == 401
    assert Dossier.objects.get().version == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"applicant": {**APPLICANT, "id_number": "123"}}, "applicant.id_number"),
        ({"applicant": {**APPLICANT, "name": "   "}}, "applicant.name"),
        ({"components": [{"component_id": 999999}]}, "components[0]"),
        ({"components": [{}]}, "components[0]"),
        ({"agency_code": CONSTRUCTION}, "agency_code"),
    ],
)
def test_it_answers_422_naming_the_field(
    world: Any, clock_at: Any, overrides: dict[str, Any], field: str
) -> None:
    clock_at("2026-03-02 08:00")
    response = intake(Api(world.clerk), **overrides)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field and response.json()["detail"]
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"channel": "fax"}, "channel"),
        ({"set_count": 0}, "set_count"),
        ({"applicant": {**APPLICANT, "kind": "alien"}}, "kind"),
        ({"colour": "blue"}, "colour"),  # unknown fields are refused, not ignored
    ],
)
def test_it_validates_the_body_shape_with_422(
    world: Any, clock_at: Any, overrides: dict[str, Any], loc: str
) -> None:
    clock_at("2026-03-02 08:00")
    response = intake(Api(world.clerk), **overrides)
    assert response.status_code == 422
    assert loc in json.dumps(response.json()["detail"])
    assert Dossier.objects.count() == 0


def test_a_specialist_cannot_receive_at_the_counter(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    response = intake(Api(world.specialist))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Dossier.objects.count() == 0


def test_a_citizen_submits_online_and_sees_only_their_own(
    world: Any, clock_at: Any, alice: Any
) -> None:
    clock_at("2026-03-07 20:00")  # Saturday evening: online filing is 24/7
    citizen = Api(world.citizen)
    response = intake(citizen, channel="online", case=1)
    assert response.status_code == 201, response.content
    d = response.json()
    assert (d["status"], d["status_code"], d["code"]) == ("submitted", 1, f"{JUSTICE}-260307-0001")
    assert d["due_at"] is None and d["received_at"] is None
    assert "withdraw" in d["allowed_actions"] and "accept" not in d["allowed_actions"]
    listing = citizen.get(URL).json()
    assert listing["count"] == 1 and listing["items"][0]["code"] == d["code"]

    stranger = Api(alice)
    assert stranger.get(f"{URL}/{d['code']}").status_code == 404
    assert stranger.act(d["code"], "withdraw").status_code == 404
    assert stranger.get(URL).json()["count"] == 0


# -- actions --------------------------------------------------------------------------------------


def test_it_takes_actions_and_answers_the_updated_dossier(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    clerk, specialist, leader = Api(world.clerk), Api(world.specialist), Api(world.leader)
    code = intake(clerk).json()["code"]

    clock_at("2026-03-02 10:00")
    r = clerk.act(code, "forward", expected_version=1)
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["current_agency_code"], r.json()["version"]) == (
        "processing",
        JUSTICE,
        2,
    )
    clock_at("2026-03-03 09:00")
    r = specialist.act(code, "request_supplement", reason="Thiếu bản chụp căn cước")
    assert r.json()["status"] == "awaiting_supplement"
    assert r.json()["paused_since"] is not None and r.json()["pauses"][0]["kind"] == "supplement"
    clock_at("2026-03-05 14:00")
    r = clerk.act(code, "supplement")
    assert parse(r.json()["due_at"]) == at("2026-03-11 11:00")  # 19 paused working hours
    assert any("Tạm dừng" in line for line in r.json()["explanation"])

    clock_at("2026-03-10 16:00")
    r = leader.act(code, "settle", result="Cấp Phiếu lý lịch tư pháp số 123/LLTP")
    assert (r.json()["status"], r.json()["status_code"], r.json()["outcome"]) == (
        "settled",
        9,
        "early",
    )
    clock_at("2026-03-11 08:00")
    r = clerk.act(code, "return", method="counter")
    d = r.json()
    assert (d["status"], d["status_code"], d["return_method"]) == ("returned", 10, "counter")
    assert d["allowed_actions"] == []
    history = d["history"]
    assert [e["action"] for e in history] == [
        "receive",
        "forward",
        "request_supplement",
        "supplement",
        "settle",
        "return",
    ]
    assert [e["seq"] for e in history] == [1, 2, 3, 4, 5, 6]
    for prev, nxt in itertools.pairwise(history):
        assert nxt["from_status"] == prev["to_status"]
    assert history[2]["note"] == "Thiếu bản chụp căn cước"
    assert parse(history[3]["due_before"]) == at("2026-03-09 08:00")
    assert parse(history[3]["due_after"]) == at("2026-03-11 11:00")
    assert d["version"] == 6


def test_it_answers_409_with_the_reason(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    clerk = Api(world.clerk)
    code = intake(clerk).json()["code"]
    r = Api(world.justice_clerk).act(code, "confirm_payment")
    assert r.status_code == 409
    assert r.json()["code"] == "transition_not_allowed"
    assert "not allowed while the dossier is received" in r.json()["detail"]
    r = clerk.act(code, "settle", result="x")
    assert r.status_code == 409 and r.json()["code"] == "role_not_allowed"
    assert clerk.act(code, "forward", expected_version=1).status_code == 200
    r = Api(world.specialist).act(code, "forward", expected_version=1)
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    leader = Api(world.leader)
    r = leader.act(code, "apologize", reason="Chậm", new_due_at=iso("2026-03-11 17:00"))
    assert r.status_code == 200, r.content
    r = leader.act(code, "apologize", reason="Lần nữa", new_due_at=iso("2026-03-13 17:00"))
    assert r.status_code == 409 and r.json()["code"] == "apology_already_given"
    assert Dossier.objects.get().version == 3


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("request_supplement", {}, "reason"),
        ("settle", {}, "result"),
        ("apologize", {"reason": "Chậm"}, "new_due_at"),
        ("apologize", {"reason": "Chậm", "new_due_at": "2026-03-11T17:00:00"}, "new_due_at"),
        ("apologize", {"reason": "Chậm", "new_due_at": "2026-03-08T10:00:00+07:00"}, "new_due_at"),
        ("forward", {"to_agency_code": "000.99.99.H16"}, "to_agency_code"),
        ("forward", {"assignee_username": "outsider"}, "assignee_username"),
    ],
)
def test_a_bad_action_parameter_is_a_422_naming_it(
    world: Any, clock_at: Any, action: str, body: dict[str, Any], field: str
) -> None:
    clock_at("2026-03-02 08:00")
    code = intake(Api(world.clerk)).json()["code"]
    r = Api(world.leader).act(code, action, **body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert Dossier.objects.get().version == 1


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("teleport", {}),
        ("forward", {"to_agency": JUSTICE}),  # misspelt parameter
        ("return", {"method": "pigeon"}),
        ("forward", {"expected_version": "latest"}),
    ],
)
def test_a_malformed_action_is_a_422(
    world: Any, clock_at: Any, action: str, body: dict[str, Any]
) -> None:
    clock_at("2026-03-02 08:00")
    code = intake(Api(world.clerk)).json()["code"]
    assert Api(world.clerk).act(code, action, **body).status_code == 422
    assert Dossier.objects.get().version == 1


def test_an_unknown_dossier_is_a_404(world: Any) -> None:
    api = Api(world.clerk)
    assert api.get(f"{URL}/{CENTRE}-260302-0042").status_code == 404
    r = api.act(f"{CENTRE}-260302-0042", "forward")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


# -- scope ----------------------------------------------------------------------------------------


def test_an_official_of_another_agency_can_neither_see_nor_act(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    code = intake(Api(world.clerk)).json()["code"]
    Api(world.clerk).act(code, "forward")
    outsider = Api(world.outsider)
    assert outsider.get(f"{URL}/{code}").status_code == 404
    for action, body in [
        ("forward", {}),
        ("settle", {"result": "x"}),
        ("request_supplement", {"reason": "x"}),
        ("stop", {"reason": "x"}),
    ]:
        r = outsider.act(code, action, **body)
        assert r.status_code == 404, (action, r.content)
    for queue in ("all", "due_soon", "at_risk", "overdue", "paused", "settled", "closed"):
        assert outsider.get(URL, queue=queue).json()["count"] == 0
    assert outsider.get(URL, q=code).json()["count"] == 0
    d = Dossier.objects.get()
    assert d.version == 2 and d.events.count() == 2


def test_bob_and_carol_see_only_their_agencys_dossiers(
    world: Any, clock_at: Any, bob: Any, carol: Any
) -> None:
    """The suite's personas: officials of agencies that neither receive nor process it."""
    clock_at("2026-03-02 08:00")
    code = intake(Api(world.clerk)).json()["code"]
    for persona in (bob, carol):
        api = Api(persona)
        assert api.get(f"{URL}/{code}").status_code == 404
        assert api.act(code, "forward").status_code == 404
        assert api.get(URL).json() == {"count": 0, "limit": 20, "offset": 0, "items": []}


def test_a_citizen_sees_their_dossier_without_internal_notes(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-09 08:00")
    citizen = Api(world.citizen)
    code = intake(citizen, channel="online").json()["code"]
    jclerk, specialist = Api(world.justice_clerk), Api(world.specialist)
    r = jclerk.act(code, "accept", note="Đã gọi điện xác nhận (nội bộ)")
    assert r.status_code == 200, r.content
    r = jclerk.act(
        code, "forward", note="Chuyển anh Đức xử lý gấp (nội bộ)", assignee_username="spec"
    )
    assert r.status_code == 200, r.content
    r = specialist.act(
        code,
        "request_supplement",
        reason="Thiếu bản chụp căn cước công dân",
        note="Nghi giả mạo, kiểm tra kỹ (nội bộ)",
    )
    assert r.status_code == 200, r.content

    official = specialist.get(f"{URL}/{code}").json()
    notes = json.dumps(official["history"], ensure_ascii=False)
    assert "Nghi giả mạo" in notes and "Chuyển anh Đức" in notes
    assert official["assignee"] == "spec"

    mine = citizen.get(f"{URL}/{code}")
    assert mine.status_code == 200
    seen = mine.json()
    assert seen["status"] == "awaiting_supplement"
    assert "(nội bộ)" not in json.dumps(seen, ensure_ascii=False)
    assert all(e["internal_note"] is None for e in seen["history"])
    assert seen["assignee"] is None
    assert seen["history"][-1]["note"] == "Thiếu bản chụp căn cước công dân"  # Form 02 is public
    assert seen["allowed_actions"] == ["supplement", "withdraw"]
    # …and acts on it as the applicant.
    r = citizen.act(code, "supplement")
    assert r.status_code == 200 and r.json()["status"] == "processing"
    assert citizen.act(code, "settle", result="x").status_code == 409


def test_the_public_history_never_carries_internal_notes(world: Any, clock_at: Any) -> None:
    from motcua.dossiers.selectors import dossier_public_events

    clock_at("2026-03-02 08:00")
    code = intake(Api(world.clerk)).json()["code"]
    Api(world.clerk).act(code, "forward", note="Chuyển gấp, hồ sơ người quen (nội bộ)")
    events = dossier_public_events(Dossier.objects.get(code=code))
    assert all("nội bộ" not in e.note for e in events)


# -- idempotency ----------------------------------------------------------------------------------


def test_a_retried_post_with_the_same_idempotency_key_answers_the_same_dossier(
    world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    api = Api(world.clerk)
    body = {
        "procedure_code": "1.000001",
        "channel": "direct",
        "applicant": APPLICANT,
        "components": components(),
    }
    first = api.post(URL, body, **{"Idempotency-Key": "quay-3:0001"})
    assert first.status_code == 201
    clock_at("2026-03-02 08:01")
    second = api.post(URL, body, **{"Idempotency-Key": "quay-3:0001"})
    assert second.status_code == 201 and second.headers["Idempotent-Replayed"] == "true"
    assert second.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1
    # Another key is another dossier; the same key with another body is refused.
    third = api.post(URL, body, **{"Idempotency-Key": "quay-3:0002"})
    assert third.json()["code"].endswith("-0002")
    other = {**body, "summary": "Khác"}
    r = api.post(URL, other, **{"Idempotency-Key": "quay-3:0001"})
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_reused"
    # Keys belong to their user: the justice clerk's key of the same name is a separate claim.
    assert Dossier.objects.count() == 2


def test_a_failed_intake_gives_its_idempotency_key_back(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    api = Api(world.clerk)
    bad = {"procedure_code": "1.000001", "channel": "direct", "applicant": {"name": " "}}
    assert api.post(URL, bad, **{"Idempotency-Key": "k1"}).status_code == 422
    assert IdempotencyKey.objects.count() == 0
    good = {**bad, "applicant": APPLICANT}
    assert api.post(URL, good, **{"Idempotency-Key": "k1"}).status_code == 201
    assert IdempotencyKey.objects.get().dossier_id == Dossier.objects.get().pk


def test_a_claim_in_progress_is_a_conflict_until_it_goes_stale(world: Any, clock_at: Any) -> None:
    from motcua.dossiers import idempotency

    clock_at("2026-03-02 08:00")
    body = {"procedure_code": "1.000001", "channel": "direct", "applicant": APPLICANT}
    api = Api(world.clerk)
    from motcua.dossiers.schemas import DossierCreateIn

    fp = idempotency.fingerprint(DossierCreateIn(**body).model_dump(mode="json"))  # type: ignore[arg-type]
    idempotency.claim(user=world.clerk, key="k", body_fingerprint=fp)  # a request still running
    r = api.post(URL, body, **{"Idempotency-Key": "k"})
    assert r.status_code == 409 and r.json()["code"] == "idempotency_in_progress"
    clock_at("2026-03-02 08:06")  # the first request crashed five minutes ago: take it over
    assert api.post(URL, body, **{"Idempotency-Key": "k"}).status_code == 201
    assert Dossier.objects.count() == 1


# -- work queues ----------------------------------------------------------------------------------


def test_the_work_queues_filter_and_count(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    clerk, leader, specialist = Api(world.clerk), Api(world.leader), Api(world.specialist)
    codes = [intake(clerk).json()["code"] for _ in range(4)]
    # 0: settled; 1: paused for a supplement; 2 and 3: running, due Mon 09/03 08:00.
    leader.act(codes[0], "settle", result="Đã cấp")
    specialist.act(codes[1], "request_supplement", reason="Thiếu tờ khai")
    clock_at("2026-03-06 08:00")  # Fri: 8 working hours left → due soon and at risk
    counts = {
        q: leader.get(URL, queue=q).json()["count"]
        for q in ("all", "due_soon", "at_risk", "overdue", "paused", "settled", "closed")
    }
    assert counts == {
        "all": 3,
        "due_soon": 2,
        "at_risk": 2,
        "overdue": 0,
        "paused": 1,
        "settled": 1,
        "closed": 0,
    }
    clock_at("2026-03-09 09:00")
    overdue = leader.get(URL, queue="overdue").json()
    assert overdue["count"] == 2 and {i["code"] for i in overdue["items"]} == set(codes[2:])
    item = overdue["items"][0]
    assert item["status"] == "received" and item["procedure_code"] == "1.000001"
    assert item["applicant_name"] == "Nguyễn Thị Ánh Tuyết"
    # Search by code, by name without diacritics, by ID number; filter by holding agency.
    assert leader.get(URL, q=codes[2]).json()["count"] == 1
    assert leader.get(URL, q="nguyen thi anh tuyet").json()["count"] == 3
    assert leader.get(URL, q="066190004321").json()["count"] == 3
    assert leader.get(URL, agency=CENTRE).json()["count"] == 3
    assert leader.get(URL, agency=JUSTICE).json()["count"] == 0
    r = leader.get(URL, agency="000.99.99.H16")
    assert r.status_code == 422 and r.json()["field"] == "agency"
    assert leader.get(URL, queue="later").status_code == 422
    assert leader.get(URL, limit=0).status_code == 422


def test_the_list_pages_and_its_query_count_does_not_grow_with_the_page(
    world: Any, clock_at: Any
) -> None:
    clock_at("2026-03-02 08:00")
    clerk = Api(world.clerk)
    codes = [intake(clerk).json()["code"] for _ in range(6)]
    page = clerk.get(URL, limit=4, offset=4).json()
    assert (page["count"], page["limit"], page["offset"]) == (6, 4, 4)
    assert [i["code"] for i in page["items"]] == codes[4:]  # same due date: intake order

    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert clerk.get(URL, limit=limit).status_code == 200
        return len(ctx.captured_queries)

    assert queries(1) == queries(6)


# -- OpenAPI --------------------------------------------------------------------------------------


def test_the_openapi_description_documents_the_dossier_api(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/dossiers", "/api/v1/dossiers/{code}"} <= set(paths)
    act = paths["/api/v1/dossiers/{code}/actions/{action}"]["post"]
    assert {"200", "404", "409", "422"} <= set(act["responses"])
    assert "201" in paths["/api/v1/dossiers"]["post"]["responses"]
