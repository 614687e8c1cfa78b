"""The on-site session's REST contract (docs/architecture.md, issue 18): opening it, reading the
password now, the public QR image, quick questions and their refusals, ending it."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

from bot import live
from bot.models import utcnow
from bot.models.ballot import LiveSession
from tests.ballot_helpers import create_ballot

YES_NO = [{"title": "축제 예산", "kind": "yes_no"}]


def _start(client, headers, ballot_id):
    return client.post(f"/api/v1/ballots/{ballot_id}/live", headers=headers)


def test_open_read_and_end_a_live_session(client, admin_headers, community, db):
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    started = _start(client, admin_headers, ballot["id"])
    assert started.status_code == 201
    body = started.get_json()
    assert set(body) >= {"id", "password", "expires_at", "join_url", "qr_svg_url"}
    assert len(body["password"]) == 6 and body["password"].isdigit()
    assert body["join_url"] == f"https://t.me/maeul_bot?start={body['password']}"
    again = _start(client, admin_headers, ballot["id"])
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]  # one at a time

    read = client.get(f"/api/v1/live/{body['id']}", headers=admin_headers).get_json()
    assert read["password"] in {body["password"], live.password(_row(db, body["id"]), utcnow())}
    assert read["ballot"]["turnout"]["participants"] == 0

    qr = client.get(body["qr_svg_url"].removeprefix("http://localhost"))
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert ElementTree.fromstring(qr.data).tag == "{http://www.w3.org/2000/svg}svg"
    assert client.get(f"/live/{body['id']}/qr/000000.svg").status_code in (200, 404)
    with db.session() as session:
        old = live.password(session.get(LiveSession, body["id"]), utcnow() - timedelta(minutes=5))
    if old not in (read["password"], body["password"]):
        assert client.get(f"/live/{body['id']}/qr/{old}.svg").status_code == 404

    ended = client.post(f"/api/v1/live/{body['id']}/close", headers=admin_headers)
    assert ended.status_code == 200 and ended.get_json()["status"] == "closed"
    assert ended.get_json()["password"] is None
    assert client.get(body["qr_svg_url"].removeprefix("http://localhost")).status_code == 404
    twice = client.post(f"/api/v1/live/{body['id']}/close", headers=admin_headers)
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "live_closed"


def _row(db, live_id):
    with db.session() as session:
        row = session.get(LiveSession, live_id)
        session.expunge(row)
        return row


def test_only_an_open_ballot_gets_a_live_session(client, admin_headers, community):
    later = create_ballot(client, admin_headers, items=YES_NO, opens=timedelta(hours=2))
    refused = _start(client, admin_headers, later["id"])
    assert refused.status_code == 409
    assert refused.get_json()["error"]["message"] == "진행 중인 투표에만 현장 투표를 열 수 있어요."
    assert _start(client, admin_headers, 999).status_code == 404
    assert client.get("/api/v1/live/999", headers=admin_headers).status_code == 404
    assert client.post("/api/v1/ballots/1/live").status_code == 401


def test_quick_questions_are_checked_and_bound_to_the_meeting(client, admin_headers, community):
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    session = _start(client, admin_headers, ballot["id"]).get_json()
    path = f"/api/v1/live/{session['id']}/questions"
    bad = client.post(path, headers=admin_headers, json={
        "title": "", "kind": "choose_up_to", "options": ["하나"], "minutes": 0})
    assert bad.status_code == 422
    fields = {p["field"] for p in bad.get_json()["error"]["details"]["problems"]}
    assert {"title", "kind", "minutes"} <= fields
    no_options = client.post(path, headers=admin_headers,
                             json={"title": "장소", "kind": "choose_one"})
    assert no_options.status_code == 422
    asked = client.post(path, headers=admin_headers, json={"title": "회의를 30분 늘릴까요?",
                                                           "minutes": 2})
    assert asked.status_code == 201
    question = asked.get_json()
    assert question["present_only"] and question["items"][0]["options"] == ["찬성", "반대"]
    assert question["reminders"] == []
    assert _start(client, admin_headers, question["id"]).status_code == 409  # no session of its own
    read = client.get(f"/api/v1/live/{session['id']}", headers=admin_headers).get_json()
    assert [q["title"] for q in read["questions"]] == ["회의를 30분 늘릴까요?"]
    client.post(f"/api/v1/live/{session['id']}/close", headers=admin_headers)
    late = client.post(path, headers=admin_headers, json={"title": "하나 더", "minutes": 2})
    assert late.status_code == 409


def test_another_community_cannot_reach_the_session(client, admin_headers, community, db):
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    session = _start(client, admin_headers, ballot["id"]).get_json()
    assert client.post("/api/v1/communities", headers=admin_headers, json={
        "slug": "haengsin", "name": "행신동 주민자치회"}).status_code == 201
    made = client.post("/api/v1/managers", headers=admin_headers, json={
        "email": "desk@haengsin.kr", "name": "행신 담당", "community": "haengsin"})
    assert made.status_code == 201, made.get_json()
    other = {"Authorization": f"Bearer {made.get_json()['token']}"}
    assert client.get(f"/api/v1/live/{session['id']}", headers=other).status_code == 403
    assert client.post(f"/api/v1/live/{session['id']}/close", headers=other).status_code == 403
    assert client.post(f"/api/v1/ballots/{ballot['id']}/live", headers=other).status_code == 403
