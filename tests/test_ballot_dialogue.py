"""투표 in the chat, as residents meet it (resident says, bot answers)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.models import Community, Conversation
from bot.models.ballot import Participation
from tests import factories
from tests.ballot_helpers import ITEMS, create_ballot, sealed_choices
from tests.dialogue import CONSENT, KakaoChat, channel_label, converse
from tests.identity_helpers import import_roster, roster_csv

OVERVIEW = ["[2026 풍산동 주민총회]", "주민자치회가 정한 안건이에요.", "안건 1/3. 마을 축제 예산",
            "1. 찬성", "2. 반대", "0. 처음으로"]
ITEM2 = ["안건 2/3. 공원 이름", "1. 풍산공원", "2. 햇살공원", "3. 느티나무공원"]
ITEM3 = ["안건 3/3. 내년 사업 우선순위", "최대 2개까지", "(예: 1 3)", "4. 텃밭"]
SUMMARY = ["선택하신 내용이에요.", "1. 예 (제출)", "2. 아니오 (다시 고르기)"]


def _votes(db) -> tuple[int, int]:
    """Participations, and options chosen in the sealed envelopes."""
    with db.session() as session:
        voted = session.scalar(select(func.count()).select_from(Participation))
    return voted, sum(sealed_choices(db).values())


def _tally(db) -> dict[tuple[int, int], int]:
    return dict(sealed_choices(db))


@pytest.fixture
def ballot(client, admin_headers, community):
    return create_ballot(client, admin_headers)


def test_a_whole_ballot_with_every_kind_of_item(client, db, voter, ballot):
    chat = KakaoChat(client, voter)
    converse(chat, [
        ("투표", OVERVIEW),
        ("1", ITEM2),
        ("세 번째", ITEM3),
        ("1번 3번", ["고르신 것이 맞나요?", "- 경로당 보수", "- 골목 가로등", "1. 예"]),
        ("예", SUMMARY + ["→ 찬성", "→ 느티나무공원", "→ 경로당 보수, 골목 가로등"]),
    ])
    assert _votes(db) == (0, 0), "nothing is recorded before 1 at the summary"
    converse(chat, [("1", ["투표가 접수되었어요", "마감 뒤에 공개돼요", "1. 투표하기"])])
    assert _votes(db) == (1, 4)
    converse(chat, [("투표", ["이미 투표하셨어요", channel_label(), "한 번만"])],
             absent=["안건 1/3"])


@pytest.mark.parametrize("yes_no, park", [("①", "하나"), ("일번", "1번이요"), ("찬성이요", "풍산공원"),
                                          ("1️⃣", "첫 번째")])
def test_numbers_in_the_forms_people_type(client, db, voter, ballot, yes_no, park):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표하기", OVERVIEW), (yes_no, ITEM2), (park, ITEM3), ("2", "어린이 도서관"),
                    ("1", "→ 풍산공원"), ("1번", "접수되었어요")])
    tally = _tally(db)
    assert sorted(tally.values()) == [1, 1, 1]


def test_multi_select_in_several_forms_and_limits(client, db, voter, ballot):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", OVERVIEW), ("1", ITEM2), ("2", ITEM3)])
    for unclear in ("1,1", "5", "골목 가로등이랑 뭐였지"):
        converse(chat, [(unclear, ["2개까지 번호를 띄어서", "안건 3/3"])])
    converse(chat, [("1 2 3", ["2개까지만 고를 수 있어요", "안건 3/3"])])
    converse(chat, [("2,4", ["- 어린이 도서관", "- 텃밭"]),
                    ("2", ["안건 3/3. 내년 사업 우선순위", "최대 2개까지"]),
                    ("④", ["- 텃밭"]),
                    ("1", ["→ 텃밭"])])
    assert _votes(db) == (0, 0)


def test_an_unreadable_reply_asks_the_same_item_again_and_records_nothing(client, db, voter,
                                                                          ballot):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", OVERVIEW), ("1", ITEM2)])
    for unclear in ("1 2", "7", "좋아요?", "ㅋㅋㅋ", "풍산이요 햇살이요"):
        converse(chat, [(unclear, ["잘 알아듣지 못했어요", "안건 2/3. 공원 이름",
                                   "1. 풍산공원"])], absent=["안건 3/3"])
    converse(chat, [("아무거나", "주민센터(031-8075-5000)로 전화")])
    assert _votes(db) == (0, 0)


def test_zero_leaves_at_any_step_records_nothing_and_keeps_the_vote_waiting(client, db, voter,
                                                                            ballot):
    chat = KakaoChat(client, voter)
    paused = ["투표는 아직 제출되지 않았어요", "마감", "1. 이어서 하기", "0. 처음으로"]
    converse(chat, [("투표", OVERVIEW), ("1", ITEM2), ("0", paused), ("0", "1. 투표하기"),
                    ("투표", ["이어서 할게요", "안건 2/3"]), ("1", ITEM3), ("1", "맞나요"),
                    ("1", SUMMARY), ("처음으로", paused), ("1", SUMMARY + ["→ 찬성"])])
    assert _votes(db) == (0, 0)
    with db.session() as session:
        [data] = [c.data for c in session.scalars(select(Conversation))]
        assert set(data) == {"ballot", "draft"} and "picks" not in str(data)


def test_no_at_the_summary_starts_again_from_the_first_item(client, db, voter, ballot):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", OVERVIEW), ("반대", ITEM2), ("1", ITEM3), ("3", "골목 가로등"),
                    ("1", "→ 반대"), ("2", ["처음 안건부터 다시", "안건 1/3"]),
                    ("찬성", ITEM2), ("1", ITEM3), ("3", "맞나요"), ("1", "→ 찬성"),
                    ("네", "접수되었어요")])
    options = sorted(option for (_, option), n in sealed_choices(db).items() for _ in range(n))
    assert options == [1, 1, 3]  # 찬성, 풍산공원, 골목 가로등: the first round left nothing


def test_one_item_ballots_of_each_kind(client, admin_headers, db, voter):
    for item in ITEMS:
        create_ballot(client, admin_headers, items=[item])
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", ["진행 중인 투표가 3개 있어요", "1. 2026 풍산동 주민총회",
                              "3. 2026 풍산동 주민총회"]),
                    ("2", ["안건 1/1. 공원 이름"]), ("2", "→ 햇살공원"), ("1", "접수되었어요"),
                    ("투표", "2. 2026 풍산동 주민총회 (참여함)"),
                    ("2", "이미 투표하셨어요"),
                    ("투표", "진행 중인 투표가 3개"), ("3", "안건 1/1. 내년 사업 우선순위"),
                    ("4", "- 텃밭"), ("1", "→ 텃밭"), ("1", "접수되었어요")])
    assert _votes(db) == (2, 2)


def test_not_verified_is_sent_to_enrolment_and_then_straight_to_the_ballot(
        client, admin_headers, db, ballot):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    chat = KakaoChat(client, "newcomer")
    converse(chat, [("투표", ["본인 인증을 한 주민만", *CONSENT]),
                    ("1", "1. 이름·생년월일로 확인"), ("1", "성함"), ("이영희", "생년월일"), ("481102", "끝 4자리"),
                    ("5678", ["인증되었어요"] + OVERVIEW)])
    assert _votes(db) == (0, 0)


def test_a_resident_of_another_community_is_refused(client, admin_headers, db, community,
                                                    ballot):
    with db.session() as session:
        session.add(Community(slug="hwajeong", name="화정동 주민자치회"))
        factories.verified(session, session.merge(community), "sim-user", channel="simulator")
    response = client.post("/simulator/messages",
                           json={"user": "sim-user", "community": "hwajeong", "text": "투표"})
    text = response.get_json()["text"]
    assert "화정동 주민자치회 주민이 해요" in text and "풍산동 주민자치회 주민으로" in text
    assert "안건 1/3" not in text


def test_too_young_and_moved_out_are_refused(client, db, community, ballot):
    eighteen_after_close = date.today().replace(year=date.today().year - 18) + timedelta(days=5)
    with db.session() as session:
        c = session.merge(community)
        factories.verified(session, c, "teen", birth_date=eighteen_after_close)
        factories.verified(session, c, "moved", moved_out=True)
    converse(KakaoChat(client, "teen"), [("투표", ["만 18세 이상 주민만"])], absent=["안건 1/3"])
    converse(KakaoChat(client, "moved"), [("투표", ["전출로 되어 있어서", "031-8075-5000"])],
             absent=["안건 1/3"])
    assert _votes(db) == (0, 0)


def test_a_resident_marked_at_the_assembly_desk_cannot_vote_online(client, admin_headers, db,
                                                                  community):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    ballot = create_ballot(client, admin_headers, onsite=True)
    chat = KakaoChat(client, "desk-voter")
    converse(chat, [("인증", CONSENT), ("1", "1. 이름"), ("1", "성함"), ("김민수", "생년월일"),
                    ("1952-03-15", "4자리"), ("1234", "인증되었어요")])
    mark = client.post(f"/api/v1/ballots/{ballot['id']}/onsite-marks",
                       json={"name": "김민수", "birth_date": "1952-03-15"}, headers=admin_headers)
    assert mark.status_code == 201
    converse(chat, [("투표", ["이미 투표하셨어요", "현장 투표"])], absent=["안건 1/3"])


def test_when_no_ballot_is_open_the_next_one_is_announced(client, admin_headers, db, voter):
    create_ballot(client, admin_headers, opens=timedelta(days=2), closes=timedelta(days=5))
    converse(KakaoChat(client, voter), [("투표", ["지금 진행 중인 투표가 없어요",
                                                "다음 투표: 2026 풍산동 주민총회", "시작해요",
                                                "1. 투표하기"])])


def test_a_ballot_closed_while_the_resident_was_choosing_records_nothing(
        client, admin_headers, db, voter, ballot):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", OVERVIEW), ("1", ITEM2), ("1", ITEM3), ("1", "맞나요"),
                    ("1", SUMMARY)])
    assert client.post(f"/api/v1/ballots/{ballot['id']}/close",
                       headers=admin_headers).status_code == 200
    converse(chat, [("1", ["투표가 마감되었어요", "기록된 것은 없어요"])])
    assert _votes(db) == (0, 0)


def test_my_participation_lists_ballots_not_choices(client, db, voter, ballot):
    chat = KakaoChat(client, voter)
    converse(chat, [("내 참여 내역", "아직 참여하신 투표·공감·제안이 없어요")])
    converse(chat, [("투표", OVERVIEW), ("2", ITEM2), ("2", ITEM3), ("2", "맞나요"),
                    ("1", SUMMARY), ("1", "접수")])
    converse(chat, [("3", ["참여하신 내역이에요", "투표: 2026 풍산동 주민총회", channel_label()])],
             absent=["반대", "햇살공원", "어린이 도서관"])


def test_my_participation_asks_an_unverified_resident_to_enrol_first(client, community):
    converse(KakaoChat(client, "stranger"), [("내 참여", ["본인 인증 뒤에", "1. 동의합니다"]),
                                             ("1", "1. 이름·생년월일")])
