"""Proposals through the REST API: screening, answers, progress, send-back, filters, stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import proposals
from bot.commands.proposals import Agree, ScreenProposal, SubmitProposal
from bot.models.proposal import Proposal
from tests import factories
from tests.proposal_helpers import bulk_agree, notices, residents

NOW = datetime.now(UTC)


@pytest.fixture
def manager_headers(db, community) -> dict:
    with db.session() as session:
        return factories.manager_headers(session, "desk@pungsan.kr", community.id, "풍산 담당")


def _submitted(db, community, title: str = "횡단보도 신호등", account: str = "author",
               at: datetime = NOW) -> int:
    with db.session() as session:
        author = factories.verified(session, session.merge(community), account)
        return proposals.submit(session, author.resident, SubmitProposal(title=title, content="경로당 앞이 위험해요.", field="traffic"), "kakao", at).id


def _post(client, headers, pid: int, action: str, body: dict):
    return client.post(f"/api/v1/proposals/{pid}/{action}", json=body, headers=headers)


def _awaiting(client, headers, db, community, at: datetime, **kwargs) -> int:
    """A proposal approved at `at` that reached 금천's 20 공감 right away."""
    pid = _submitted(db, community, at=at, **kwargs)
    with db.session() as session:
        proposals.screen(session, session.get(Proposal, pid), ScreenProposal(decision="approve"), "m", at)
    people = residents(db, community.id, 20, prefix=f"x{pid}")
    bulk_agree(db, pid, people[:-1], at)
    with db.session() as session:
        from bot.models import Resident
        outcome = proposals.agree(session, session.get(Proposal, pid),
                                  session.get(Resident, people[-1]), Agree(kind="agree"), "kakao", at)
        assert outcome.reached == 1
    return pid


def test_screening_approve_publishes_and_tells_the_proposer(client, manager_headers, db,
                                                           community):
    pid = _submitted(db, community)
    response = _post(client, manager_headers, pid, "screen", {"decision": "approve"})
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "collecting"
    assert body["status_label"] == "공감 모으는 중" and body["next_threshold"] == 20
    assert [h["action"] for h in body["history"]] == ["submitted", "approved"]
    assert "공개되었어요" in notices(db, pid)[0].text
    again = _post(client, manager_headers, pid, "screen", {"decision": "reject", "reason": "x"})
    assert again.status_code == 409 and "공감 모으는 중" in again.get_json()["error"]["message"]


def test_a_complaint_is_routed_kept_and_counted(client, manager_headers, db, community):
    pid = _submitted(db, community)
    body = _post(client, manager_headers, pid, "screen", {"decision": "complaint"}).get_json()
    assert (body["status"], body["status_label"]) == ("complaint", "민원 이관")
    assert "국민신문고나 120" in notices(db, pid)[0].text  # the community's complaint text
    assert client.get(f"/api/v1/proposals/{pid}", headers=manager_headers).status_code == 200
    stats = client.get("/api/v1/communities/pungsan/stats", headers=manager_headers).get_json()
    assert stats["received"] == 1 and stats["routed_as_complaints"] == 1
    assert stats["published"] == 0


def test_rejecting_needs_a_reason_that_the_proposer_receives(client, manager_headers, db,
                                                            community):
    pid = _submitted(db, community)
    missing = _post(client, manager_headers, pid, "screen", {"decision": "reject"})
    assert missing.status_code == 422
    assert client.get(f"/api/v1/proposals/{pid}",
                      headers=manager_headers).get_json()["status"] == "pending_review"
    assert _post(client, manager_headers, pid, "screen",
                 {"decision": "delete"}).status_code == 422
    body = _post(client, manager_headers, pid, "screen",
                 {"decision": "reject", "reason": "개인정보가 들어 있어요."}).get_json()
    assert (body["status"], body["screen_reason"]) == ("hidden", "개인정보가 들어 있어요.")
    assert "이유: 개인정보가 들어 있어요." in notices(db, pid)[-1].text
    listed = client.get("/api/v1/communities/pungsan/proposals?status=hidden",
                        headers=manager_headers).get_json()
    assert listed["count"] == 1, "nothing is silently deleted"


def test_answers_are_checked_and_kept_in_the_history(client, manager_headers, db, community):
    pid = _awaiting(client, manager_headers, db, community, NOW - timedelta(hours=1))
    for body in ({"outcome": "maybe"}, {"outcome": "rejected"},
                 {"outcome": "accepted", "text": "할게요"},
                 {"outcome": "accepted", "text": "할게요", "due_date": "2020-01-01"}):
        response = _post(client, manager_headers, pid, "answer", body)
        assert response.status_code == 422, body
    due = (NOW + timedelta(days=60)).date().isoformat()
    body = _post(client, manager_headers, pid, "answer", {
        "outcome": "accepted", "text": "내년 상반기에 설치해요.", "due_date": due}).get_json()
    assert body["status_label"] == "답변 완료(수용)"
    assert body["answer"]["until"] == due and body["history"][-1]["details"]["on_time"] is True
    progress = _post(client, manager_headers, pid, "progress",
                     {"stage": "plan", "text": "예산을 확보했어요."}).get_json()
    assert progress["status_label"] == "추진 중"
    assert _post(client, manager_headers, pid, "progress",
                 {"stage": "done", "text": "x"}).status_code == 422


def test_only_the_city_admin_sends_an_answer_back(client, manager_headers, admin_headers, db,
                                                 community):
    pid = _awaiting(client, manager_headers, db, community, NOW - timedelta(hours=1))
    _post(client, manager_headers, pid, "answer", {"outcome": "rejected", "text": "안 돼요."})
    refused = _post(client, manager_headers, pid, "send-back", {"reason": "성의 없어요."})
    assert refused.status_code == 403
    assert _post(client, admin_headers, pid, "send-back", {}).status_code == 422
    body = _post(client, admin_headers, pid, "send-back", {"reason": "이유를 더 적어 주세요."}
                 ).get_json()
    assert body["status"] == "awaiting_answer" and body["answer"]["outcome"] is None
    assert body["history"][-1]["action"] == "sent_back"
    assert body["history"][-1]["actor"] == "admin-token"


def test_overdue_filter_and_statistics(client, manager_headers, db, community):
    late = _awaiting(client, manager_headers, db, community, NOW - timedelta(days=25),
                     title="늦은 제안", account="a1")
    fresh = _awaiting(client, manager_headers, db, community, NOW - timedelta(days=1),
                      title="새 제안", account="a2")
    _submitted(db, community, title="대기 중", account="a3")
    overdue = client.get("/api/v1/communities/pungsan/proposals?overdue=true",
                         headers=manager_headers).get_json()
    assert [p["id"] for p in overdue["items"]] == [late] and overdue["items"][0]["overdue"]
    awaiting = client.get("/api/v1/communities/pungsan/proposals?status=awaiting_answer",
                          headers=manager_headers).get_json()
    assert {p["id"] for p in awaiting["items"]} == {late, fresh}
    assert client.get("/api/v1/communities/pungsan/proposals?status=lost",
                      headers=manager_headers).status_code == 400
    alerts = client.get("/api/v1/alerts", headers=manager_headers).get_json()
    assert [(a["proposal_id"], a["overdue"]) for a in alerts["items"]] == [(late, True)]
    stats = client.get("/api/v1/communities/pungsan/stats", headers=manager_headers).get_json()
    assert stats["received"] == 3 and stats["published"] == 2 and stats["overdue"] == 1
    assert stats["pending_review"] == 1 and stats["reached_stage"] == {"1": 2}


def test_managers_reach_only_their_own_communitys_proposals(client, admin_headers, db,
                                                            community):
    pid = _submitted(db, community)
    with db.session() as session:
        headers = factories.other_community_manager_headers(session)
    assert client.get(f"/api/v1/proposals/{pid}", headers=headers).status_code == 403
    assert _post(client, headers, pid, "screen", {"decision": "approve"}).status_code == 403
    assert client.get("/api/v1/proposals/9999", headers=admin_headers).status_code == 404
    with db.session() as session:
        assert session.scalars(select(Proposal.status)).one() == "pending_review"
