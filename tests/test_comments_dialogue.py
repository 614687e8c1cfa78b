"""의견 in the chat, as residents meet it (resident says, bot answers), on KakaoTalk and on
Telegram: leaving a comment on an agenda item (confirmed first), listing them five a page with
masked names, deleting one's own, a neighbour's reply pushed (until `알림 끄기`), a comment a
manager hid, BAND comments under a proposal in the same list, and the agenda's material as an
option that sends its link. Nothing in a comment says how anyone voted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.models import ChannelAccount, Outbox
from bot.models.agenda import Comment
from bot.models.ballot import Participation
from tests import factories
from tests.ballot_helpers import create_ballot
from tests.dialogue import CONSENT, KakaoChat, account_key, converse
from tests.proposal_helpers import published

ITEMS = [{"title": "마을 축제 예산", "summary": "12월 축제에 300만 원을 써요.", "kind": "yes_no"},
         {"title": "공원 이름", "summary": "새 공원의 이름을 골라요.", "kind": "choose_one",
          "options": ["풍산공원", "햇살공원"]}]
SAID = "축제는 좋지만 예산을 조금 줄였으면 해요."


@pytest.fixture
def assembly(client, admin_headers, db, community, voter):
    """An open ballot with its budget sheet linked, 김*수 (`grandpa`) and 박*희 (`neighbour`)
    verified on the messenger under test."""
    with db.session() as session:
        factories.verified(session, session.merge(community), "neighbour", masked_name="박*희")
    ballot = create_ballot(client, admin_headers, items=ITEMS)
    added = client.post(f"/api/v1/ballots/{ballot['id']}/materials", headers=admin_headers,
                        json={"title": "축제 예산서", "url": "https://pungsan.kr/festival.pdf",
                              "item": 1})
    assert added.status_code == 201, added.get_json()
    return ballot


def leave(chat: KakaoChat, text: str = SAID) -> None:
    converse(chat, [
        ("안건", ["어떤 안건을 볼까요?", "1. 마을 축제 예산 (투표 중)", "2. 공원 이름 (투표 중)"]),
        ("1", ["[안건] 마을 축제 예산", "12월 축제에 300만 원을 써요.", "1. 자료: 축제 예산서",
               "2. 의견 보기 (", "3. 의견 남기기", "4. 투표하기", "5. 안건 목록"]),
        ("3", ["'마을 축제 예산'에 남길 의견을 300자 안에서 적어 주세요",
               "어떻게 투표했는지는 보이지 않아요"]),
        (text, ["이 의견을 올릴까요?", text, "1. 예 (올리기)", "2. 아니오 (다시 쓰기)"]),
    ])


def stored(db) -> list[tuple[str, str]]:
    with db.session() as session:
        return [(c.author, c.text) for c in session.scalars(select(Comment).order_by(Comment.id))]


def test_a_comment_is_posted_only_after_yes_and_listed_with_a_masked_name(client, db,
                                                                         assembly):
    chat = KakaoChat(client, "grandpa")
    leave(chat)
    assert stored(db) == [], "nothing is posted before 1. 예"
    converse(chat, [("1", ["의견을 올렸어요.", "'마을 축제 예산'에 남긴 의견 1개예요.",
                           "1. 김*수 · ", SAID, "1. 김*수 님 의견", "6. 의견 남기기",
                           "9. 돌아가기"])])
    assert stored(db) == [("김*수", SAID)]
    with db.session() as session:
        assert session.scalars(select(Participation)).all() == [], "commenting is not voting"
    converse(chat, [("9", ["[안건] 마을 축제 예산", "2. 의견 보기 (1)"]),
                    ("1", ["축제 예산서", "https://pungsan.kr/festival.pdf"])])


def test_a_long_text_is_asked_again_and_no_rewrites(client, db, assembly):
    chat = KakaoChat(client, "grandpa")
    leave(chat, "처음 쓴 의견이에요.")
    converse(chat, [("2", "남길 의견을"), ("가" * 301, ["2자에서 300자 사이로", "남길 의견을"]),
                    ("다시 쓴 의견이에요.", "이 의견을 올릴까요?"), ("1", "의견을 올렸어요.")])
    assert stored(db) == [("김*수", "다시 쓴 의견이에요.")]


def test_comments_from_inside_a_vote_keep_the_vote_waiting(client, db, assembly):
    chat = KakaoChat(client, "grandpa")
    converse(chat, [
        ("투표", ["안건 1/2. 마을 축제 예산", "자료가 있어요. '자료'라고 보내면 볼 수 있어요."]),
        ("1", "안건 2/2. 공원 이름"),
        ("의견 보기", ["투표는 아직 제출되지 않았어요", "'공원 이름'에는 아직 의견이 없어요.",
                     "1. 의견 남기기", "2. 돌아가기"]),
        ("1", "'공원 이름'에 남길 의견을"),
        ("햇살공원이 밝아서 좋아요.", "이 의견을 올릴까요?"),
        ("1", ["의견을 올렸어요.", "김*수 · ", "햇살공원이 밝아서 좋아요."]),
        ("투표", ["하시던 투표를 이어서 할게요.", "안건 2/2. 공원 이름"]),
    ])
    assert stored(db) == [("김*수", "햇살공원이 밝아서 좋아요.")]


def test_a_resident_deletes_their_own_comment_only(client, db, assembly):
    neighbour = KakaoChat(client, "neighbour")
    leave(neighbour, "이웃의 의견이에요.")
    converse(neighbour, [("1", "의견을 올렸어요.")])
    chat = KakaoChat(client, "grandpa")
    leave(chat)
    converse(chat, [("1", ["의견 2개예요", "1. 김*수", "2. 박*희"]),
                    ("2", ["박*희 · ", "이웃의 의견이에요.", "1. 답글 달기", "2. 의견 목록으로"])],
             absent=["삭제하기"])
    converse(chat, [("2", "의견 2개예요"),
                    ("1", ["김*수 · ", SAID, "1. 답글 달기", "2. 삭제하기", "3. 의견 목록으로"]),
                    ("2", ["이 의견을 지울까요?", "1. 예 (지우기)", "2. 아니오"])])
    converse(chat, [("1", ["의견을 지웠어요.", "의견 1개예요", "박*희"])], absent=[SAID])
    assert stored(db) == [("박*희", "이웃의 의견이에요."), ("김*수", "")]


def replies_to(db, user: str) -> list[str]:
    with db.session() as session:
        account = session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == account_key(user))).one()
        return session.scalars(select(Outbox.text).where(
            Outbox.idempotency_key.like("comment:%:reply:account:" + str(account.id)))).all()


def test_a_reply_is_pushed_to_the_author_until_notices_are_off(client, db, assembly):
    chat = KakaoChat(client, "grandpa")
    leave(chat)
    converse(chat, [("1", "의견을 올렸어요."), ("0", "1. 투표하기")])
    neighbour = KakaoChat(client, "neighbour")
    converse(neighbour, [
        ("안건", "어떤 안건을 볼까요?"), ("1", "2. 의견 보기 (1)"), ("2", "1. 김*수 님 의견"),
        ("1", ["김*수 · ", SAID, "1. 답글 달기"]),
        ("1", "답글을 300자 안에서 적어 주세요."),
        ("예산서를 보니 줄일 곳이 있어요.", "이 의견을 올릴까요?"),
        ("1", ["의견을 올렸어요.", "(↳ 김*수 님께 답글)"]),
    ])
    [push] = replies_to(db, "grandpa")
    assert "박*희 님이 '마을 축제 예산'에 남기신 의견에 답글을 달았어요." in push
    assert "예산서를 보니 줄일 곳이 있어요." in push and "'알림 끄기'" in push
    assert replies_to(db, "neighbour") == [], "nobody hears their own reply"
    # Right after the push, `의견 보기` opens that thread.
    converse(chat, [("의견 보기", ["'마을 축제 예산'에 남긴 의견 2개예요.",
                                 "박*희 · ", "(↳ 김*수 님께 답글)"]),
                    ("알림 끄기", "알림을 껐어요.")])
    converse(neighbour, [("0", "1. 투표하기"), ("안건", "어떤 안건을 볼까요?"), ("1", "의견 보기"),
                         ("2", "의견 2개예요"), ("2", "김*수 · "), ("1", "답글을"),
                         ("한 번 더 답해요.", "이 의견을 올릴까요?"), ("1", "의견을 올렸어요.")])
    assert len(replies_to(db, "grandpa")) == 1, "notices off: no second push"


def test_a_hidden_comment_shows_the_managers_reason(client, admin_headers, db, assembly):
    chat = KakaoChat(client, "grandpa")
    leave(chat, "010-1234-5678로 연락 주세요.")
    converse(chat, [("1", "의견을 올렸어요.")])
    with db.session() as session:
        comment_id = session.scalars(select(Comment.id)).one()
    hidden = client.post(f"/api/v1/comments/{comment_id}/hide", headers=admin_headers,
                         json={"reason": "전화번호가 있어서 가렸어요"})
    assert hidden.status_code == 200 and hidden.get_json()["hidden"] is True
    converse(chat, [("의견 보기", ["관리자가 가린 의견이에요. (사유: 전화번호가 있어서 가렸어요)"]),
                    ("1", ["관리자가 가린 의견이에요.", "1. 삭제하기", "2. 의견 목록으로"])],
             absent=["010-1234-5678", "답글 달기"])


def test_band_comments_under_a_proposal_are_in_the_same_list(client, db, community, voter):
    proposal_id = published(db, community.id, at=datetime.now(UTC), title="놀이터 그늘막")
    with db.session() as session:
        session.add(Comment(community_id=community.id, proposal_id=proposal_id, channel="band",
                            author="이*영", text="밴드에서도 찬성이에요.",
                            at=datetime.now(UTC)))
    chat = KakaoChat(client, "grandpa")
    converse(chat, [
        ("제안 보기", "놀이터 그늘막"),
        ("1", ["1. 공감하기", "2. 목록으로", "3. 의견 보기 (1)", "4. 의견 남기기"]),
        ("3", ["'놀이터 그늘막'에 남긴 의견 1개예요.", "이*영 · ", "밴드에서도 찬성이에요."]),
        ("6", "남길 의견을"), ("저도 그늘막이 필요해요.", "이 의견을 올릴까요?"),
        ("1", ["의견을 올렸어요.", "의견 2개예요", "1. 김*수", "2. 이*영"]),
        ("9", ["놀이터 그늘막", "3. 의견 보기 (2)"]),
    ])


def test_an_unverified_resident_enrols_before_commenting(client, db, assembly):
    chat = KakaoChat(client, "stranger")
    converse(chat, [("안건", "어떤 안건을 볼까요?"), ("1", "3. 의견 남기기"),
                    ("3", ["의견을 남기려면 먼저 본인 인증을 해 주세요.", *CONSENT])])
    assert stored(db) == []
