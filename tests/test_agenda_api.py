"""The REST contracts of the follow-through, the material and the comments:
`POST /api/v1/ballots/<id>/items/<n>/progress`, items carrying `progress`, `/materials`,
`GET /api/v1/communities/<slug>/comments?target=…` and `POST /api/v1/comments/<id>/hide`, with
every refusal explained."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, Outbox, Room
from bot.models.agenda import Comment
from bot.models.ballot import Ballot
from tests import factories
from tests.agenda_helpers import vote
from tests.ballot_helpers import create_ballot

BUDGET = {"title": "주민참여예산", "kind": "budget", "budget": 30_000_000, "options": [
    {"label": "경로당 보수", "cost": 20_000_000}, {"label": "골목 가로등", "cost": 8_000_000},
    {"label": "어린이 도서관", "cost": 25_000_000}]}
ITEMS = [{"title": "놀이터 그늘막 설치", "kind": "yes_no"},
         {"title": "마을 축제 야간 연장", "kind": "yes_no"}, BUDGET]


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Seoul")).date()


@pytest.fixture
def published(client, admin_headers, db, community):
    """A ballot that adopted item 1, rejected item 2 and funded 경로당 보수 and 골목 가로등."""
    with db.session() as session:
        c = session.merge(community)
        voters = [factories.verified(session, c, f"v{n}").resident_id for n in range(3)]
    ballot = create_ballot(client, admin_headers, items=ITEMS)
    for resident_id in voters:
        vote(db, ballot["id"], resident_id, {"1": [1], "2": [2], "3": [1, 2]}, "kakao",
             datetime.now(UTC))
    assert client.post(f"/api/v1/ballots/{ballot['id']}/close",
                       headers=admin_headers).status_code == 200
    return ballot


def publish(client, admin_headers, ballot) -> None:
    answer = client.post(f"/api/v1/ballots/{ballot['id']}/publish", headers=admin_headers,
                         json={"confirm_small": True})
    assert answer.status_code == 200, answer.get_json()


def progress(client, headers, ballot_id: int, number: int, **body):
    return client.post(f"/api/v1/ballots/{ballot_id}/items/{number}/progress", headers=headers,
                       json=body)


def test_progress_waits_for_the_published_result_and_only_for_what_was_adopted(
        client, admin_headers, published):
    ballot_id = published["id"]
    plan = {"stage": "plan", "text": "업체를 골라요.", "due_date": str(today() + timedelta(10))}
    early = progress(client, admin_headers, ballot_id, 1, **plan)
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "agenda_not_published"
    publish(client, admin_headers, published)

    made = progress(client, admin_headers, ballot_id, 1, **plan)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["stage"] == "plan" and body["due_date"] == plan["due_date"]
    assert [e["stage"] for e in body["item"]["progress"]] == ["plan"]
    read = client.get(f"/api/v1/ballots/{ballot_id}", headers=admin_headers).get_json()
    assert read["items"][0]["progress"][0]["text"] == "업체를 골라요."
    assert read["items"][0]["overdue"] is False and read["items"][1]["progress"] == []

    rejected = progress(client, admin_headers, ballot_id, 2, **plan)
    assert rejected.status_code == 409
    assert rejected.get_json()["error"]["code"] == "agenda_not_adopted"
    assert "가결되지 않았어요" in rejected.get_json()["error"]["message"]
    missing = progress(client, admin_headers, ballot_id, 9, **plan)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "item_not_found"


@pytest.mark.parametrize(("body", "field"), [
    ({"stage": "plan", "text": "계획"}, "due_date"),
    ({"stage": "result", "text": "끝", "due_date": "2099-01-01"}, "due_date"),
    ({"stage": "plan", "text": "계획", "due_date": "2020-01-01"}, "due_date"),
    ({"stage": "plan", "text": "", "due_date": "2099-01-01"}, "text"),
    ({"stage": "done", "text": "끝"}, "stage"),
    ({"stage": "progress", "text": "x", "project": "1"}, "project"),
    ({"stage": "progress", "text": "x", "extra": 1}, "extra"),
])
def test_a_bad_progress_body_names_the_field_and_changes_nothing(client, admin_headers, db,
                                                                 published, body, field):
    publish(client, admin_headers, published)
    answer = progress(client, admin_headers, published["id"], 1, **body)
    assert answer.status_code == 422, answer.get_json()
    assert field in [p["field"] for p in answer.get_json()["error"]["details"]["problems"]]
    read = client.get(f"/api/v1/ballots/{published['id']}", headers=admin_headers).get_json()
    assert read["items"][0]["progress"] == []


def test_a_budget_item_follows_each_funded_project(client, admin_headers, published):
    publish(client, admin_headers, published)
    due = str(today() + timedelta(30))
    whole = progress(client, admin_headers, published["id"], 3, stage="plan", text="계획",
                     due_date=due)
    assert whole.status_code == 422
    assert whole.get_json()["error"]["details"]["problems"][0]["field"] == "project"
    unfunded = progress(client, admin_headers, published["id"], 3, stage="plan", text="계획",
                        due_date=due, project=3)
    assert unfunded.status_code == 409
    assert unfunded.get_json()["error"]["code"] == "project_not_funded"
    assert "어린이 도서관" in unfunded.get_json()["error"]["message"]
    funded = progress(client, admin_headers, published["id"], 3, stage="plan", text="설계해요",
                      due_date=due, project=2)
    assert funded.status_code == 201
    assert (funded.get_json()["project"], funded.get_json()["project_label"]) == (2, "골목 가로등")
    not_budget = progress(client, admin_headers, published["id"], 1, stage="plan", text="계획",
                          due_date=due, project=1)
    assert not_budget.status_code == 422


def test_progress_needs_a_plan_ends_with_the_result_and_shows_in_the_alerts(
        client, admin_headers, db, published):
    publish(client, admin_headers, published)
    ballot_id = published["id"]
    first = progress(client, admin_headers, ballot_id, 1, stage="progress", text="시작했어요")
    assert first.status_code == 409 and first.get_json()["error"]["code"] == "agenda_no_plan"
    assert progress(client, admin_headers, ballot_id, 1, stage="plan", text="오늘까지 해요",
                    due_date=str(today())).status_code == 201
    [alert] = client.get("/api/v1/alerts", headers=admin_headers).get_json()["items"]
    assert (alert["kind"], alert["ballot_id"], alert["item"], alert["overdue"]) == (
        "agenda", ballot_id, 1, False)
    assert progress(client, admin_headers, ballot_id, 1, stage="result",
                    text="마쳤어요").status_code == 201
    again = progress(client, admin_headers, ballot_id, 1, stage="progress", text="더 있어요")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "agenda_done"
    assert client.get("/api/v1/alerts", headers=admin_headers).get_json()["items"] == []
    with db.session() as session:  # pushed to the three who voted, per entry
        keys = session.scalars(select(Outbox.idempotency_key).where(
            Outbox.idempotency_key.like("agenda:%"))).all()
        assert len(keys) == 6
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("agenda.%"))).all()
        assert actions == ["agenda.plan", "agenda.result"]


def test_another_community_and_no_token_are_refused(client, admin_headers, db, published):
    publish(client, admin_headers, published)
    with db.session() as session:
        other = factories.other_community_manager_headers(session)
    body = {"stage": "plan", "text": "계획", "due_date": str(today())}
    assert progress(client, other, published["id"], 1, **body).status_code == 403
    assert progress(client, {}, published["id"], 1, **body).status_code == 401
    assert client.post(f"/api/v1/ballots/{published['id']}/materials", headers=other, json={
        "title": "자료", "url": "https://a.kr"}).status_code == 403


def test_material_links_are_kept_and_a_new_video_goes_to_the_rooms(client, admin_headers, db,
                                                                   community):
    with db.session() as session:
        session.add(Room(community_id=community.id, channel="band", external_key="band-1"))
    ballot = create_ballot(client, admin_headers, items=ITEMS[:1])
    url = f"/api/v1/ballots/{ballot['id']}/materials"
    doc = client.post(url, headers=admin_headers, json={"title": "안건 설명서", "item": 1,
                                                        "url": "https://pungsan.kr/a.pdf"})
    assert doc.status_code == 201 and doc.get_json()["kind"] == "document"
    video = client.post(url, headers=admin_headers, json={
        "title": "주민총회 생중계", "url": "https://band.us/band/123/live/456"})
    assert video.status_code == 201 and video.get_json()["kind"] == "video"
    for bad, field in (({"title": "x", "url": "javascript:alert(1)"}, "url"),
                       ({"title": "x", "url": "https://a.kr", "item": 5}, "item"),
                       ({"title": "", "url": "https://a.kr"}, "title")):
        refused = client.post(url, headers=admin_headers, json=bad)
        assert refused.status_code == 422, refused.get_json()
        assert refused.get_json()["error"]["details"]["problems"][0]["field"] == field
    read = client.get(f"/api/v1/ballots/{ballot['id']}", headers=admin_headers).get_json()
    assert [m["title"] for m in read["materials"]] == ["주민총회 생중계"]
    assert [m["title"] for m in read["items"][0]["materials"]] == ["안건 설명서"]
    with db.session() as session:
        [notice] = session.scalars(select(Outbox.text).where(
            Outbox.idempotency_key.like("material:%"))).all()
    assert "https://band.us/band/123/live/456" in notice, "only the video is announced"
    gone = client.delete(f"/api/v1/materials/{doc.get_json()['id']}", headers=admin_headers)
    assert gone.status_code == 200 and gone.get_json() == {"removed": True,
                                                            "id": doc.get_json()["id"]}
    assert client.delete(f"/api/v1/materials/{doc.get_json()['id']}",
                         headers=admin_headers).status_code == 404


def test_comments_are_listed_by_target_and_hidden_with_a_reason(client, admin_headers, db,
                                                                community):
    ballot = create_ballot(client, admin_headers, items=ITEMS[:1])
    with db.session() as session:
        account = factories.verified(session, session.merge(community), "talker")
        item_id = session.get(Ballot, ballot["id"]).items[0].id
        for n, moment in enumerate((datetime(2026, 12, 1, tzinfo=UTC),
                                    datetime(2026, 12, 2, tzinfo=UTC))):
            session.add(Comment(community_id=community.id, ballot_id=ballot["id"],
                                item_id=item_id, resident_id=account.resident_id,
                                channel="kakao", author="김*수", text=f"의견 {n}", at=moment))
    url = "/api/v1/communities/pungsan/comments"
    target = f"ballot_item:{ballot['id']}:1"
    listed = client.get(url, query_string={"target": target}, headers=admin_headers)
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert [c["text"] for c in items] == ["의견 1", "의견 0"], "newest first"
    assert items[0]["target"] == target and items[0]["author"] == "김*수"
    for bad in (None, "ballot_item:x:1", "proposal:"):
        refused = client.get(url, query_string={"target": bad} if bad else {},
                             headers=admin_headers)
        assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_target"
    assert client.get(url, query_string={"target": "proposal:999"},
                      headers=admin_headers).status_code == 400

    hide = f"/api/v1/comments/{items[0]['id']}/hide"
    assert client.post(hide, headers=admin_headers, json={}).status_code == 422
    hidden = client.post(hide, headers=admin_headers, json={"reason": "욕설이 있어요"})
    assert hidden.status_code == 200
    assert (hidden.get_json()["hidden"], hidden.get_json()["hidden_reason"]) == (True,
                                                                                 "욕설이 있어요")
    twice = client.post(hide, headers=admin_headers, json={"reason": "다시"})
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "comment_hidden"
    assert client.post("/api/v1/comments/999/hide", headers=admin_headers,
                       json={"reason": "x"}).status_code == 404
    with db.session() as session:
        other = factories.other_community_manager_headers(session)
        [event] = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "comment.hidden")).all()
        assert event.details["reason"] == "욕설이 있어요"
    assert client.post(hide, headers=other, json={"reason": "x"}).status_code == 403
    assert client.get(url, query_string={"target": target}, headers=other).status_code == 403
