"""Ballots through the REST API: validation, the life cycle, the desk, counts, results, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import ballots
from bot.commands.ballots import CastVote
from bot.models import Resident
from bot.models.ballot import Ballot
from tests import factories
from tests.ballot_helpers import ITEMS, app_keys, ballot_body, create_ballot, iso
from tests.identity_helpers import import_roster, roster_csv

YES_NO = [{"title": "축제 예산", "kind": "yes_no"}]


def _post(client, headers, path, body=None):
    return client.post(f"/api/v1/ballots/{path}", json=body, headers=headers)


def _vote(db, ballot_id: int, resident_id: int, picks: dict) -> str:
    """The domain's own check, even of picks no front end could send (model_construct skips the
    command's reading): a malformed ballot records nothing."""
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        return ballots.submit(session, app_keys(), ballot, session.get(Resident, resident_id),
                              "kakao", CastVote.model_construct(picks=picks),
                              datetime.now(UTC)).status


def _residents(db, community, count: int, **kwargs) -> list[int]:
    with db.session() as session:
        c = session.merge(community)
        return [factories.resident(session, c, **kwargs).id for _ in range(count)]


def test_create_answers_201_with_the_ballot_open_at_once_when_opens_at_is_past(
        client, admin_headers, community):
    ballot = create_ballot(client, admin_headers)
    assert ballot["status"] == "open" and ballot["secret"] is True
    assert [i["kind"] for i in ballot["items"]] == ["yes_no", "choose_one", "choose_up_to"]
    assert ballot["items"][0]["options"] == ["찬성", "반대"]
    kinds = [d["kind"] for d in ballot["due"]]
    assert kinds[0] == "open" and kinds[-1] == "close" and set(kinds[1:-1]) == {"remind"}
    closes = datetime.fromisoformat(ballot["closes_at"])
    reminders = [datetime.fromisoformat(r) for r in ballot["reminders"]]
    assert closes - timedelta(hours=2) in reminders  # and 09:00 three days and one day before
    assert all(r.astimezone(ZoneInfo("Asia/Seoul")).hour == 9 for r in reminders[:-1])
    fetched = client.get(f"/api/v1/ballots/{ballot['id']}", headers=admin_headers).get_json()
    assert fetched == ballot


def test_every_problem_is_listed_in_one_422(client, admin_headers, community):
    now = datetime.now(UTC)
    body = {"title": "", "opens_at": "내일", "closes_at": iso(now - timedelta(days=1)),
            "quorum": 5, "secret": "yes", "colour": "red",
            "items": [{"title": "a", "kind": "poll"},
                      {"title": "b", "kind": "choose_one", "options": ["x"]},
                      {"title": "c", "kind": "choose_up_to", "options": ["x", "y"],
                       "max_choices": 3},
                      {"title": "d", "kind": "yes_no", "options": ["좋아", "싫어"]},
                      {"title": "e", "kind": "choose_one", "options": [str(i) for i in range(10)]}]}
    response = client.post("/api/v1/communities/pungsan/ballots", json=body,
                           headers=admin_headers)
    assert response.status_code == 422
    fields = {p["field"] for p in response.get_json()["error"]["details"]["problems"]}
    assert fields == {"title", "opens_at", "closes_at", "quorum", "secret", "colour",
                      "items[0].kind", "items[1].options", "items[2].max_choices",
                      "items[3].options", "items[4].options"}
    assert client.get("/api/v1/communities/pungsan/ballots",
                      headers=admin_headers).get_json()["count"] == 0


def test_closing_before_opening_and_bad_json_are_refused(client, admin_headers, community):
    body = ballot_body(opens=timedelta(days=2), closes=timedelta(days=1))
    response = client.post("/api/v1/communities/pungsan/ballots", json=body, headers=admin_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["problems"][0]["field"] == "closes_at"
    response = client.post("/api/v1/communities/pungsan/ballots", data="{", headers={
        **admin_headers, "Content-Type": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_json"


def test_before_opening_everything_may_change(client, admin_headers, community):
    ballot = create_ballot(client, admin_headers, opens=timedelta(days=1), closes=timedelta(days=9))
    assert ballot["status"] == "scheduled"
    response = client.patch(f"/api/v1/ballots/{ballot['id']}", headers=admin_headers,
                            json={"title": "고친 제목", "items": YES_NO})
    assert response.status_code == 200
    assert response.get_json()["title"] == "고친 제목"
    assert [i["title"] for i in response.get_json()["items"]] == ["축제 예산"]


def test_after_opening_only_a_later_closing_time(client, admin_headers, community):
    ballot = create_ballot(client, admin_headers)
    path = f"/api/v1/ballots/{ballot['id']}"
    refused = client.patch(path, headers=admin_headers, json={"items": YES_NO})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["details"]["fields"] == ["items"]
    earlier = iso(datetime.fromisoformat(ballot["closes_at"]) - timedelta(hours=1))
    assert client.patch(path, headers=admin_headers,
                        json={"closes_at": earlier}).status_code == 422
    later = iso(datetime.fromisoformat(ballot["closes_at"]) + timedelta(days=1))
    moved = client.patch(path, headers=admin_headers, json={"closes_at": later})
    assert moved.status_code == 200
    assert datetime.fromisoformat(moved.get_json()["closes_at"]) == datetime.fromisoformat(later)


def test_cancel_close_and_publish_follow_the_life_cycle(client, admin_headers, community, db):
    scheduled = create_ballot(client, admin_headers, opens=timedelta(days=1))
    assert _post(client, admin_headers, f"{scheduled['id']}/close").status_code == 409
    cancelled = _post(client, admin_headers, f"{scheduled['id']}/cancel", {"reason": "안건 변경"})
    assert cancelled.get_json()["status"] == "cancelled"
    assert _post(client, admin_headers, f"{scheduled['id']}/cancel").status_code == 409

    ballot = create_ballot(client, admin_headers, items=YES_NO)
    early = _post(client, admin_headers, f"{ballot['id']}/publish")
    assert early.status_code == 409 and "마감" in early.get_json()["error"]["message"]
    hidden = client.get(f"/api/v1/ballots/{ballot['id']}/results", headers=admin_headers)
    assert hidden.status_code == 409
    assert hidden.get_json()["error"]["code"] == "results_not_published"
    assert _post(client, admin_headers, f"{ballot['id']}/close").get_json()["status"] == "closed"
    published = _post(client, admin_headers, f"{ballot['id']}/publish")
    assert published.get_json()["status"] == "published"
    assert client.patch(f"/api/v1/ballots/{ballot['id']}", headers=admin_headers,
                        json={"title": "x"}).status_code == 409
    with db.session() as session:
        from bot.models import AuditEvent
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("ballot.%")).order_by(AuditEvent.id)).all()
    assert actions == ["ballot.created", "ballot.cancelled", "ballot.created", "ballot.closed",
                       "ballot.counted", "ballot.published"]


def test_a_manager_reaches_only_their_own_communitys_ballots(client, admin_headers, community, db):
    ballot = create_ballot(client, admin_headers)
    with db.session() as session:
        headers = factories.other_community_manager_headers(session)
    assert client.get(f"/api/v1/ballots/{ballot['id']}", headers=headers).status_code == 403
    assert client.post("/api/v1/communities/pungsan/ballots", json=ballot_body(),
                       headers=headers).status_code == 403
    assert client.get("/api/v1/ballots/999", headers=admin_headers).status_code == 404
    assert client.get(f"/api/v1/ballots/{ballot['id']}").status_code == 401


def test_the_desk_finds_residents_and_blocks_double_votes(client, admin_headers, community, db):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    ballot = create_ballot(client, admin_headers, onsite=True, items=YES_NO)
    path = f"{ballot['id']}/onsite-marks"
    marked = _post(client, admin_headers, path, {"name": "김민수", "birth_date": "1952-03-15"})
    assert marked.status_code == 201 and marked.get_json()["masked_name"] == "김*수"
    again = _post(client, admin_headers, path, {"name": "김민수", "birth_date": "520315"})
    assert again.status_code == 409 and "현장에서" in again.get_json()["error"]["message"]
    with db.session() as session:
        online = session.scalars(select(Resident).where(Resident.masked_name == "이*희")).one()
        resident_id = online.id
    assert _vote(db, ballot["id"], resident_id, {"1": [1]}) == ballots.RECORDED
    shown = _post(client, admin_headers, path, {"name": "이영희", "birth_date": "1948-11-02"})
    assert shown.status_code == 409
    assert shown.get_json()["error"]["details"]["channel"] == "kakao"
    assert "온라인으로" in shown.get_json()["error"]["message"]
    unknown = _post(client, admin_headers, path, {"name": "홍길동", "birth_date": "1950-01-01"})
    assert unknown.status_code == 404
    young = _post(client, admin_headers, path, {"name": "최수아", "birth_date": "2012-05-05"})
    assert young.status_code == 409 and young.get_json()["error"]["code"] == "ineligible_too_young"
    assert _post(client, admin_headers, path, {"name": "김민수"}).status_code == 422
    turnout = client.get(f"/api/v1/ballots/{ballot['id']}/turnout", headers=admin_headers)
    assert turnout.get_json() == {"eligible": 3, "participants": 2, "online": 1, "onsite_app": 0,
                                  "onsite": 1, "rate": round(2 / 3, 4)}


def test_onsite_counts_are_checked_against_the_desk(client, admin_headers, community, db):
    ballot = create_ballot(client, admin_headers, onsite=True, items=ITEMS)
    residents = _residents(db, community, 3)
    with db.session() as session:
        b = session.get(Ballot, ballot["id"])
        for rid in residents:
            ballots.mark_onsite(session, b, session.get(Resident, rid), "desk", datetime.now(UTC))
    path = f"/api/v1/ballots/{ballot['id']}/onsite-counts"
    bad = client.put(path, headers=admin_headers, json={"items": [
        {"number": 1, "counts": [3, 1]},                      # 4 votes, 3 voters
        {"number": 2, "counts": {"풍산공원": 1, "없는공원": 1}},
        {"number": 9, "counts": [1]}]})
    assert bad.status_code == 422
    fields = [p["field"] for p in bad.get_json()["error"]["details"]["problems"]]
    assert fields == ["items[0].counts", "items[1].counts", "items[2].number"]
    missing = client.put(path, headers=admin_headers, json={"items": [
        {"number": 1, "counts": [2, 1]}]})
    assert missing.status_code == 422 and "2, 3" in str(missing.get_json())
    ok = client.put(path, headers=admin_headers, json={"items": [
        {"number": 1, "counts": {"찬성": 2, "반대": 1}}, {"number": 2, "counts": [0, 3, 0]},
        {"number": 3, "counts": [3, 0, 2, 1]}]})
    assert ok.status_code == 200


def test_results_combine_online_and_onsite_with_turnout_quorum_and_ranking(
        client, admin_headers, community, db):
    # Not secret, so the small on-site group may be shown apart (see the small-group tests).
    ballot = create_ballot(client, admin_headers, onsite=True, quorum=0.5, secret=False)
    voters = _residents(db, community, 6)
    _residents(db, community, 2)                                      # eligible, did not vote
    _residents(db, community, 1, moved_out=True)                      # not eligible
    _residents(db, community, 1, birth_date=datetime.now(UTC).date()) # too young
    picks = [{"1": [1], "2": [2], "3": [2, 4]}, {"1": [1], "2": [2], "3": [2]},
             {"1": [2], "2": [1], "3": [4, 1]}, {"1": [1], "2": [3], "3": [3, 2]}]
    for rid, pick in zip(voters[:4], picks, strict=True):
        assert _vote(db, ballot["id"], rid, pick) == ballots.RECORDED
    with db.session() as session:
        b = session.get(Ballot, ballot["id"])
        for rid in voters[4:]:
            ballots.mark_onsite(session, b, session.get(Resident, rid), "desk", datetime.now(UTC))
    assert _post(client, admin_headers, f"{ballot['id']}/close").status_code == 200
    refused = _post(client, admin_headers, f"{ballot['id']}/publish")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "onsite_counts_missing"
    client.put(f"/api/v1/ballots/{ballot['id']}/onsite-counts", headers=admin_headers, json={
        "items": [{"number": 1, "counts": [0, 2]}, {"number": 2, "counts": [1, 1, 0]},
                  {"number": 3, "counts": [1, 0, 1, 2]}]})
    assert _post(client, admin_headers, f"{ballot['id']}/publish").status_code == 200
    result = client.get(f"/api/v1/ballots/{ballot['id']}/results", headers=admin_headers)
    body = result.get_json()
    assert body["turnout"] == {"eligible": 8, "participants": 6, "online": 4, "onsite_app": 0,
                               "onsite": 2, "rate": 0.75}
    assert body["quorum_met"] is True and body["published_at"]
    yes_no, park, projects = body["items"]
    assert [(o["label"], o["online"], o["onsite"], o["total"]) for o in yes_no["options"]] == [
        ("찬성", 3, 0, 3), ("반대", 1, 2, 3)]
    assert yes_no["passed"] is False  # 3 : 3 is not a majority
    assert [o["total"] for o in park["options"]] == [2, 3, 1] and park["passed"] is None
    assert [(o["label"], o["total"], o["rank"]) for o in projects["options"]] == [
        ("경로당 보수", 2, 3), ("어린이 도서관", 3, 2), ("골목 가로등", 2, 3), ("텃밭", 4, 1)]
    exported = client.get(f"/api/v1/ballots/{ballot['id']}/results.csv", headers=admin_headers)
    assert exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][:4] == ["선거인수", "8", "참여", "6"]
    assert ["3", "내년 사업 우선순위", "여러 개 고르기", "텃밭", "2", "2", "4", "1", "", "", ""] in rows
    assert ["1", "마을 축제 예산", "찬반", "찬성", "3", "0", "3", "", "부결", "", ""] in rows


def test_a_yes_no_item_passes_with_more_yes_than_no(client, admin_headers, community, db):
    ballot = create_ballot(client, admin_headers, items=YES_NO, quorum=0.9)
    voters = _residents(db, community, 3)
    _residents(db, community, 1)
    for rid, option in zip(voters, [1, 1, 2], strict=True):
        _vote(db, ballot["id"], rid, {"1": [option]})
    _post(client, admin_headers, f"{ballot['id']}/close")
    _post(client, admin_headers, f"{ballot['id']}/publish", {"confirm_small": True})
    body = client.get(f"/api/v1/ballots/{ballot['id']}/results", headers=admin_headers).get_json()
    assert body["items"][0]["passed"] is True
    assert body["turnout"]["rate"] == 0.75 and body["quorum_met"] is False


@pytest.mark.parametrize("picks", [{"1": [3]}, {"1": [1, 2]}, {}, {"1": [1], "2": [1]},
                                   {"1": ["1"]}])
def test_a_malformed_submission_records_nothing(client, admin_headers, community, db, picks):
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    [rid] = _residents(db, community, 1)
    assert _vote(db, ballot["id"], rid, picks) == ballots.INVALID
    assert client.get(f"/api/v1/ballots/{ballot['id']}/turnout",
                      headers=admin_headers).get_json()["participants"] == 0


def test_the_clock_closes_ballots_whose_time_is_up(client, admin_headers, community, db,
                                                   settings):
    from scheduler.jobs import run_due

    ballot = create_ballot(client, admin_headers, items=YES_NO)
    voters = _residents(db, community, 2)
    for rid in voters:
        _vote(db, ballot["id"], rid, {"1": [1]})
    assert run_due(db, settings, datetime.now(UTC))["ballots.close_due"] == 0
    later = datetime.now(UTC) + timedelta(days=4)
    assert run_due(db, settings, later)["ballots.close_due"] == 1
    assert run_due(db, settings, later)["ballots.close_due"] == 0
    with db.session() as session:
        b = session.get(Ballot, ballot["id"])
        assert ballots.results(session, b)["items"][0]["options"][0]["online"] == 2
