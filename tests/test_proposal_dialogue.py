"""제안 and 공감 in the chat, as residents meet them (resident says, bot answers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.models import Community
from bot.models.proposal import Agreement, Proposal
from tests import factories
from tests.dialogue import KakaoChat, converse
from tests.proposal_helpers import published

MENU = ["주민 제안이에요", "1. 제안 보기", "2. 제안하기", "3. 내 제안", "0. 처음으로"]
RECENT = datetime.now(UTC) - timedelta(hours=1)


def _agreements(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Agreement))


@pytest.fixture
def neighbour(db, community):
    with db.session() as session:
        factories.verified(session, session.merge(community), "neighbour", masked_name="이*희")
    return "neighbour"


@pytest.fixture
def shade(db, community) -> int:
    return published(db, community.id, at=RECENT)


def test_proposing_step_by_step(client, db, neighbour):
    chat = KakaoChat(client, neighbour)
    converse(chat, [
        ("제안", MENU),
        ("2", "제목을 한 줄로"),
        ("가", ["2~100자", "제목을 한 줄로"]),
        ("경로당 앞 횡단보도", "내용을 한 번에"),
        ("어르신들이 길을 건너기 위험해요.\n신호등이 필요해요.", ["어느 분야", "1. 교통", "6. 기타"]),
        ("교통", ["이 내용으로 제안할까요?", "[교통] 경로당 앞 횡단보도", "신호등이 필요해요.",
                  "1. 예 (제출)", "2. 아니오 (다시 쓰기)"]),
    ])
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Proposal)) == 0
    converse(chat, [("1", ["제안이 접수되었어요", "확인한 뒤 공개돼요"])])
    with db.session() as session:
        proposal = session.scalars(select(Proposal)).one()
        assert (proposal.title, proposal.field, proposal.status) == (
            "경로당 앞 횡단보도", "traffic", "pending_review")
    converse(chat, [("제안", MENU), ("1", "아직 공개된 제안이 없어요"),
                    ("3", ["내 제안이에요", "1. 경로당 앞 횡단보도 (검토 대기)"]),
                    ("1", ["상태: 검토 대기", "1. 목록으로"])], absent=["공감하기"])


def test_no_at_the_draft_starts_over_and_zero_keeps_nothing(client, db, neighbour):
    chat = KakaoChat(client, neighbour)
    converse(chat, [("제안하기", "제목"), ("가로등 고장", "내용"), ("골목 가로등이 꺼졌어요.", "분야"),
                    ("9", ["잘 알아듣지 못했어요", "어느 분야"]), ("4", "[안전] 가로등 고장"),
                    ("2", "제목을 한 줄로"), ("가로등", "내용"), ("0", "원하시는 번호를")])
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_viewing_and_agreeing_once(client, db, neighbour, shade):
    chat = KakaoChat(client, neighbour)
    converse(chat, [
        ("제안", MENU),
        ("제안 보기", ["풍산동 주민자치회 제안이에요", "1. 놀이터 그늘막 (공감 0)"]),
        ("1", ["[복지] 놀이터 그늘막", "상태: 공감 모으는 중", "공감 0명",
               "20명이 공감하면 담당 부서 검토로", "1. 공감하기", "2. 목록으로"]),
        ("공감하기", ["'놀이터 그늘막'에", "공감할까요?", "1. 예", "2. 아니오"]),
    ], absent=["비공감"])
    assert _agreements(db) == 0
    converse(chat, [("1", ["공감했어요. 지금 공감은 1명이에요.", "공감 1명", "공감하셨어요",
                           "1. 목록으로"])], absent=["공감하기"])
    converse(chat, [("공감", ["이미 공감하셨어요", "한 번만"])])
    assert _agreements(db) == 1
    converse(chat, [("목록", "1. 놀이터 그늘막 (공감 1)")])


def test_no_at_the_confirmation_records_nothing(client, db, neighbour, shade):
    converse(KakaoChat(client, neighbour), [("제안", MENU), ("1", "제안이에요"), ("1", "공감하기"),
                                          ("1", "공감할까요?"), ("아니요", "1. 공감하기")])
    assert _agreements(db) == 0


def test_disagreeing_where_the_community_uses_it(client, db, community, neighbour, shade):
    with db.session() as session:
        session.get(Community, community.id).uses_disagree = True
    converse(KakaoChat(client, neighbour), [
        ("제안", MENU), ("1", "제안이에요"),
        ("1", ["공감 0명 · 비공감 0명", "1. 공감하기", "2. 비공감하기", "3. 목록으로"]),
        ("2", "비공감할까요?"), ("1", ["비공감을 남겼어요", "비공감 1명"])])
    with db.session() as session:
        assert session.scalars(select(Agreement.kind)).all() == ["disagree"]


def test_paging_five_at_a_time(client, db, community, neighbour):
    for n in range(12):
        published(db, community.id, at=RECENT + timedelta(minutes=n), title=f"제안 {n + 1:02d}",
                  proposer_account=f"p{n}")
    chat = KakaoChat(client, neighbour)
    converse(chat, [("제안", MENU),
                    ("1", ["(1/3쪽)", "1. 제안 12", "5. 제안 08", "8. 다음"])],
             absent=["7. 이전", "6."])
    converse(chat, [("다음", ["(2/3쪽)", "1. 제안 07", "5. 제안 03", "7. 이전", "8. 다음"])])
    converse(chat, [("8", ["(3/3쪽)", "1. 제안 02", "2. 제안 01", "7. 이전"])],
             absent=["8. 다음", "3. 제안"])
    converse(chat, [("6", ["잘 알아듣지 못했어요", "(3/3쪽)"]), ("7", "(2/3쪽)"),
                    ("3", "[복지] 제안 05"), ("목록으로", "(2/3쪽)")])


def test_an_unverified_resident_may_look_but_is_offered_enrolment_to_agree(client, db, shade):
    chat = KakaoChat(client, "visitor")
    converse(chat, [("제안", MENU), ("1", "1. 놀이터 그늘막"), ("1", "1. 공감하기"),
                    ("1", ["본인 인증을 한", "주민만 할 수 있어요", "1. 동의합니다"]),
                    ("1", "1. 이름·생년월일로 확인")])
    converse(chat, [("제안", MENU), ("2", ["본인 인증을 한", "1. 이름·생년월일로 확인"])])
    assert _agreements(db) == 0


def test_a_resident_of_another_community_is_refused_and_told_how_to_move(client, db, community,
                                                                         shade):
    with db.session() as session:
        other = Community(slug="hwajeong", name="화정동 주민자치회")
        session.add(other)
        session.flush()
        factories.verified(session, other, "sim-outsider", channel="simulator")

    def say(text: str) -> str:
        return client.post("/simulator/messages", json={
            "user": "sim-outsider", "community": "pungsan", "text": text}).get_json()["text"]

    assert "1. 놀이터 그늘막" in (say("제안"), say("1"))[1]
    assert "1. 공감하기" in say("1")
    refused = say("1")
    assert "풍산동 주민자치회 주민이 공감해요" in refused
    assert "화정동 주민자치회 주민으로" in refused and "'인증'을 다시" in refused
    assert _agreements(db) == 0


def test_a_proposer_cannot_agree_with_their_own(client, db, community):
    published(db, community.id, at=RECENT, proposer_account="author")
    converse(KakaoChat(client, "author"), [("제안", MENU), ("1", "놀이터"), ("1", "공감하기"),
                                         ("1", "내 제안에는 공감할 수 없어요")])
    assert _agreements(db) == 0


def test_the_agreement_that_reaches_the_threshold_says_so(client, db, community):
    with db.session() as session:
        session.get(Community, community.id).proposal_rules = [
            {"agreements": 1, "window_days": 10, "actor": "council", "answer_days": 7}]
    published(db, community.id, at=RECENT)
    with db.session() as session:
        factories.verified(session, session.merge(community), "first")
    converse(KakaoChat(client, "first"), [
        ("제안", MENU), ("1", "놀이터"), ("1", "1명이 공감하면 주민자치회 심의로"),
        ("1", "공감할까요"),
        ("1", ["공감했어요", "주민자치회 심의로", "넘어갔어요", "상태: 답변 대기", "까지 답변해야 해요"])])
