"""The console's `자료 · 주민 의견 · 추진 상황` page and the proposal page: a manager posts
progress and material with forms, hides a comment with a reason, and every refusal is said in
words on the page (nothing changes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import comments
from bot.commands.agenda import PostComment
from bot.models import AuditEvent
from bot.models.agenda import AgendaProgress, Comment, Material
from bot.models.ballot import Ballot
from bot.models.identity import Resident
from bot.models.proposal import Proposal
from tests import factories
from tests.agenda_helpers import vote
from tests.ballot_helpers import create_ballot
from tests.console_helpers import csrf
from tests.proposal_helpers import published

ITEMS = [{"title": "놀이터 그늘막 설치", "kind": "yes_no"}]


def _comment(db, community, **where) -> int:
    with db.session() as session:
        author = factories.verified(session, session.merge(community), "talker")
        resident = session.get(Resident, author.resident_id)
        target = comments.Where(community.id, **{k: session.get(type(v), v.id)
                                                 for k, v in where.items()})
        return comments.post(session, target, resident, PostComment(text="전화 010-1234-5678"),
                             "kakao", datetime.now(UTC)).id


def test_progress_material_and_hiding_from_the_agenda_page(desk, client, admin_headers, db,
                                                          community):
    ballot = create_ballot(client, admin_headers, items=ITEMS)
    page = f"/console/ballots/{ballot['id']}/agenda"
    with db.session() as session:
        voter = factories.verified(session, session.merge(community), "v1").resident_id
        item = session.get(Ballot, ballot["id"]).items[0]
    comment_id = _comment(db, community, item=item)
    token = csrf(desk, page)
    added = desk.post(f"/console/ballots/{ballot['id']}/materials", follow_redirects=True, data={
        "csrf_token": token, "title": "설명서", "url": "https://pungsan.kr/a.pdf", "item": "1"})
    assert "자료를 올렸어요." in added.get_data(as_text=True)
    bad = desk.post(f"/console/ballots/{ballot['id']}/materials", follow_redirects=True, data={
        "csrf_token": token, "title": "설명서", "url": "javascript:alert(1)"})
    assert "https://로 시작하는 주소여야 해요" in bad.get_data(as_text=True)

    early = desk.post(f"/console/ballots/{ballot['id']}/items/1/progress", follow_redirects=True,
                      data={"csrf_token": token, "stage": "plan", "text": "계획",
                            "due_date": str(datetime.now(ZoneInfo("Asia/Seoul")).date())})
    assert "결과를 공개한 뒤에 추진 상황을 올릴 수 있어요." in early.get_data(as_text=True)
    vote(db, ballot["id"], voter, {"1": [1]}, "kakao", datetime.now(UTC))
    assert client.post(f"/api/v1/ballots/{ballot['id']}/close",
                       headers=admin_headers).status_code == 200
    assert client.post(f"/api/v1/ballots/{ballot['id']}/publish", headers=admin_headers,
                       json={"confirm_small": True}).status_code == 200
    due = datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=14)
    posted = desk.post(f"/console/ballots/{ballot['id']}/items/1/progress",
                       follow_redirects=True, data={"csrf_token": token, "stage": "plan",
                                                    "text": "업체를 골라요.",
                                                    "due_date": str(due)})
    body = posted.get_data(as_text=True)
    assert "추진 상황을 올렸어요." in body and "업체를 골라요." in body

    hidden = desk.post(f"/console/comments/{comment_id}/hide", follow_redirects=True,
                       data={"csrf_token": token, "reason": "전화번호가 있어요"})
    assert "의견을 가렸어요." in hidden.get_data(as_text=True)
    assert "가림: 전화번호가 있어요" in hidden.get_data(as_text=True)
    with db.session() as session:
        assert session.get(Comment, comment_id).hidden_reason == "전화번호가 있어요"
        assert [m.title for m in session.scalars(select(Material))] == ["설명서"]
        assert len(session.scalars(select(AgendaProgress)).all()) == 1


def test_a_comment_under_a_proposal_is_hidden_from_the_proposal_page(desk, db, community):
    proposal_id = published(db, community.id, at=datetime.now(UTC))
    with db.session() as session:
        proposal = session.get(Proposal, proposal_id)
    comment_id = _comment(db, community, proposal=proposal)
    page = f"/console/proposals/{proposal_id}"
    assert "전화 010-1234-5678" in desk.get(page).get_data(as_text=True)
    empty = desk.post(f"/console/comments/{comment_id}/hide", follow_redirects=True,
                      data={"csrf_token": csrf(desk, page), "reason": ""})
    assert "꼭 필요한 항목이에요." in empty.get_data(as_text=True)
    done = desk.post(f"/console/comments/{comment_id}/hide", follow_redirects=True,
                     data={"csrf_token": csrf(desk, page), "reason": "개인정보"})
    assert "가림: 개인정보" in done.get_data(as_text=True)
    with db.session() as session:
        [event] = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "comment.hidden")).all()
        assert event.actor.startswith("manager:")
