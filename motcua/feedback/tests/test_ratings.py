from __future__ import annotations

from typing import Any

import pytest

from motcua.audit.models import AuditEvent
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.dossiers.services import ApplicantIn, dossier_submit_online
from motcua.dossiers.tests.conftest import at
from motcua.dossiers.tests.test_services_paths import act
from motcua.feedback.models import FollowUp, Rating
from motcua.feedback.selectors import follow_up_list, rating_counts
from motcua.feedback.services import follow_up_close, rating_submit

pytestmark = pytest.mark.django_db

HAPPY = {
    "overall": "very_satisfied",
    "convenience": "satisfied",
    "staff": "very_satisfied",
    "timeliness": "satisfied",
}


def returned(world: Any) -> Any:
    d = dossier_submit_online(
        actor=world.citizen,
        procedure_code="1.000001",
        case=1,
        applicant=ApplicantIn(name="Nguyễn Thị Ánh Tuyết", id_number="066190004321"),
    )
    act(world.justice_clerk, d, "accept")
    act(world.leader, d, "settle", result="Đã cấp phiếu")
    return act(world.justice_clerk, d, "return", method="electronic")


def test_a_happy_rating_is_recorded_once(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = returned(world)
    rating = rating_submit(user=world.citizen, code=d.code, answers=HAPPY, comment="Nhanh gọn")
    assert rating.agency == world.justice and not rating.unhappy
    assert FollowUp.objects.count() == 0
    assert AuditEvent.objects.filter(action="rating.submitted").count() == 1
    with pytest.raises(Conflict, match="already been rated"):
        rating_submit(user=world.citizen, code=d.code, answers=HAPPY)
    assert Rating.objects.count() == 1


def test_an_unhappy_rating_opens_a_follow_up_for_the_agency(world: Any, clock_at: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = returned(world)
    rating = rating_submit(
        user=world.citizen,
        code=d.code,
        answers={**HAPPY, "staff": "not_satisfied"},
        comment="Thái độ chưa tốt",
    )
    follow_up = FollowUp.objects.get(rating=rating)
    assert follow_up.agency == world.justice
    assert follow_up.due_at == at("2026-03-09 08:00")  # 5 working days from Mon 08:00
    assert [f.pk for f in follow_up_list(user=world.head)] == [follow_up.pk]
    assert list(follow_up_list(user=world.outsider)) == []
    with pytest.raises(NotFound):
        follow_up_close(user=world.outsider, pk=follow_up.pk, answer="x")
    with pytest.raises(InvalidInput):
        follow_up_close(user=world.head, pk=follow_up.pk, answer="  ")
    follow_up_close(user=world.head, pk=follow_up.pk, answer="Đã gọi điện xin lỗi công dân")
    follow_up.refresh_from_db()
    assert follow_up.state == "closed" and follow_up.closed_by == world.head
    counts = rating_counts(
        user=world.leader, start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00")
    )
    assert counts == {world.justice.code: {"very_satisfied": 1}}


def test_only_the_applicant_rates_and_only_after_return(
    world: Any, clock_at: Any, alice: Any
) -> None:
    clock_at("2026-03-02 08:00")
    d = dossier_submit_online(
        actor=world.citizen,
        procedure_code="1.000001",
        case=1,
        applicant=ApplicantIn(name="Nguyễn Thị Ánh Tuyết"),
    )
    with pytest.raises(Conflict, match="returned"):
        rating_submit(user=world.citizen, code=d.code, answers=HAPPY)
    with pytest.raises(NotFound):
        rating_submit(user=alice, code=d.code, answers=HAPPY)
    with pytest.raises(InvalidInput) as err:
        rating_submit(
            user=world.citizen, code=returned(world).code, answers={**HAPPY, "overall": "so-so"}
        )
    assert err.value.field == "overall"
    assert Rating.objects.count() == 0


def test_the_rating_page(world: Any, clock_at: Any, client: Any) -> None:
    clock_at("2026-03-02 08:00")
    d = returned(world)
    client.force_login(world.citizen)
    page = client.get(f"/danh-gia/{d.code}/")
    assert page.status_code == 200 and "Rất hài lòng" in page.content.decode()
    bad = client.post(f"/danh-gia/{d.code}/", {"overall": "very_satisfied"})
    assert bad.status_code == 422 and Rating.objects.count() == 0
    ok = client.post(f"/danh-gia/{d.code}/", {**HAPPY, "overall": "not_satisfied"})
    assert ok.status_code == 302
    assert Rating.objects.get().overall == "not_satisfied"
    again = client.get(f"/danh-gia/{d.code}/").content.decode()
    assert "Cơ quan giải quyết sẽ liên hệ" in again
    client.force_login(world.head)
    listing = client.get("/office/danh-gia/").content.decode()
    assert d.code in listing
    follow_up = FollowUp.objects.get()
    client.post(f"/office/danh-gia/{follow_up.pk}/dong/", {"answer": "Đã liên hệ"})
    follow_up.refresh_from_db()
    assert follow_up.state == "closed"
    client.force_login(world.outsider)
    assert d.code not in client.get("/office/danh-gia/").content.decode()
    assert client.get(f"/danh-gia/{d.code}/").status_code == 404  # not the applicant
