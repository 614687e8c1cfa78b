"""Forgiving conversations (issue 17): an elderly resident never loses a vote and never meets a
wall. Each test is one finding of the walk-through, played through KakaoTalk and Telegram
(resident says, bot answers); nothing is ever guessed and nothing recorded without `1. 예`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import load_settings
from bot.models import Conversation
from bot.models.ballot import Participation
from scheduler.jobs import run_due
from tests import factories
from tests.ballot_helpers import create_ballot, sealed_choices
from tests.dialogue import CONSENT, KakaoChat, account_key, converse
from tests.identity_helpers import import_roster, roster_csv

YES_NO = [{"title": "마을 축제 예산", "summary": "12월 축제에 300만 원을 써요.", "kind": "yes_no"}]
PARKS = [{"title": "공원 이름", "kind": "choose_one",
          "options": ["풍산 공원", "햇살 공원", "느티나무 공원"]},
         {"title": "모임 시간", "kind": "choose_one", "options": ["오후 7시", "오후 8시"]},
         {"title": "내년 사업", "kind": "choose_up_to", "max_choices": 2,
          "options": ["경로당 보수", "어린이 도서관", "골목 가로등", "텃밭"]}]
PAUSED = ["투표는 아직 제출되지 않았어요", "1. 이어서 하기", "0. 처음으로"]


def _votes(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Participation))


@pytest.fixture
def voter(db, community):
    with db.session() as session:
        factories.verified(session, session.merge(community), "halmeoni")
    return "halmeoni"


def _idle(db, minutes: int = 31) -> None:
    """The resident has been away `minutes` (their conversation last moved that long ago)."""
    with db.session() as session:
        for conversation in session.scalars(select(Conversation)):
            conversation.updated_at -= timedelta(minutes=minutes)


# 1. A half-finished vote never disappears ----------------------------------------------------

def test_leaving_at_the_summary_says_the_vote_is_not_submitted_and_keeps_it(client, db, voter,
                                                                            admin_headers):
    create_ballot(client, admin_headers, items=PARKS)
    chat = KakaoChat(client, voter)
    summary = ["이대로 제출할까요?", "1. 예 (제출)", "2. 아니오 (다시 고르기)"]
    converse(chat, [("투표", "안건 1/3"), ("3", "안건 2/3"), ("1", "안건 3/3"), ("1 3", "맞나요"),
                    ("1", summary)])
    assert "\n\n0. 처음으로" in chat.transcript[-1][1]  # 0 stands apart from 예 and 아니오
    if chat.channel == "kakao":
        assert [q["messageText"] for q in chat.quick_replies] == ["1. 예 (제출)",
                                                                  "2. 아니오 (다시 고르기)"]
    converse(chat, [("취소", PAUSED), ("1", ["이어서 할게요", "1. 예 (제출)", "→ 느티나무 공원"])])
    assert _votes(db) == 0
    converse(chat, [("0", PAUSED), ("0", "1. 투표하기"), ("제안", "주민 제안이에요"),
                    ("투표", ["이어서 할게요", "→ 오후 7시"]), ("1", "투표가 접수되었어요")])
    assert _votes(db) == 1  # 느티나무 공원, 오후 7시, 경로당 보수 and 골목 가로등, as read back
    assert sealed_choices(db) == {(1, 3): 1, (2, 1): 1, (3, 1): 1, (3, 3): 1}


def test_another_keyword_mid_vote_says_so_and_the_vote_waits(client, db, voter, admin_headers):
    create_ballot(client, admin_headers, items=PARKS)
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", "안건 1/3"), ("느티나무", "안건 2/3"),
                    ("도움말", ["투표는 아직 제출되지 않았어요", "사용법"]),
                    ("투표", ["이어서 할게요", "안건 2/3. 모임 시간"])])


def test_after_an_idle_pause_a_reply_that_fits_goes_on(client, db, voter, admin_headers):
    create_ballot(client, admin_headers, items=PARKS)
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", "안건 1/3"), ("1", "안건 2/3")])
    _idle(db)
    converse(chat, [("2", ["안건 3/3"])], absent=["한동안"])  # `2` meant for item 2: kept
    _idle(db, 120)
    converse(chat, [("ㅋㅋ", ["한동안 말씀이 없어서", *PAUSED]),
                    ("1", ["이어서 할게요", "안건 3/3"]), ("2 4", "맞나요"), ("예", "→ 오후 8시"),
                    ("1", "접수되었어요")])


def test_the_clock_keeps_a_waiting_vote_until_the_ballot_closes(client, db, voter, settings,
                                                                admin_headers):
    ballot = create_ballot(client, admin_headers, items=PARKS)
    converse(KakaoChat(client, voter), [("투표", "안건 1/3"), ("1", "안건 2/3"), ("0", PAUSED)])
    later = datetime.now(UTC) + timedelta(days=1)
    assert run_due(db, settings, later)["ballots.drafts"] == 0
    client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=admin_headers)
    assert run_due(db, settings, later)["ballots.drafts"] == 1
    with db.session() as session:
        assert "draft" not in str(session.scalars(select(Conversation.data)).all())
    converse(KakaoChat(client, voter), [("투표", "진행 중인 투표가 없어요")])


# 2. Natural first words, 네 to a push, agreement words at 찬성/반대 ----------------------------

@pytest.mark.parametrize("said, expected", [
    ("안녕하세요", ["반가워요", "1. 투표하기"]),
    ("이게 뭐예요?", ["사용법", "1. 투표하기"]),
    ("주민총회 투표 어떻게 해요?", ["사용법", "'투표'라고 쓰면"]),
    ("감사합니다", ["감사합니다", "1. 투표하기"]),
])
def test_first_words_get_a_short_help_not_a_refusal(client, community, said, expected):
    converse(KakaoChat(client, "newcomer"), [(said, expected)], absent=["잘 알아듣지 못했어요"])


def test_agreement_words_at_a_yes_no_item_get_a_targeted_hint(client, db, voter, admin_headers):
    create_ballot(client, admin_headers, items=YES_NO)
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", "안건 1/1")])
    for said in ("네", "ㅇㅇ", "좋아요"):
        converse(chat, [(said, ["찬성이면 1, 반대면 2를 보내 주세요", "안건 1/1"])])
    assert _votes(db) == 0


def test_네_after_a_ballot_push_starts_that_ballot_and_three_replies_vote(
        client, db, config, fake, voter, admin_headers, messenger):
    create_ballot(client, admin_headers, items=YES_NO)
    # Quiet hours off: the push is about the reply to it, whatever the hour the suite runs at.
    pushed = load_settings({**config, **fake.settings(), "QUIET_HOURS": "off"})
    run_due(db, pushed, datetime.now(UTC))
    if messenger == "telegram":
        chat_id = account_key(voter)
        [(_, markup)] = [m for m in fake.telegram_markup if m[0] == chat_id]
        assert markup["keyboard"] == [[{"text": "투표하기"}]]  # the push's next step, one tap
        first = "투표하기"
    else:
        assert fake.received("kakao") == {voter: 1}
        first = "네"
    chat = KakaoChat(client, voter)
    converse(chat, [(first, ["안건 1/1. 마을 축제 예산", "1. 찬성"]), ("1", "1. 예 (제출)"),
                    ("1", "투표가 접수되었어요")])
    assert len(chat.transcript) == 3 and _votes(db) == 1


def test_네_without_a_push_is_not_a_vote(client, db, voter, admin_headers):
    create_ballot(client, admin_headers, items=YES_NO)
    converse(KakaoChat(client, voter), [("네", "잘 알아듣지 못했어요")], absent=["안건 1/1"])


# 3. The option's own words, numbers inside options, limits, going back -----------------------

def test_options_by_their_own_words_and_numbers_in_them(client, db, voter, admin_headers):
    create_ballot(client, admin_headers, items=PARKS)
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", "안건 1/3"), ("공원", "잘 알아듣지 못했어요"),
                    ("느티나무", "안건 2/3"), ("오후 8시", "안건 3/3"),
                    ("1 2 3", ["2개까지만 고를 수 있어요", "안건 3/3"]),
                    ("이전", ["안건 2/3"]), ("7시", "안건 3/3"), ("뒤로", "안건 2/3"),
                    ("8시요", "안건 3/3"), ("가로등", "맞나요"), ("1", ["→ 느티나무 공원",
                                                                 "→ 오후 8시", "→ 골목 가로등"])])
    assert _votes(db) == 0


def test_going_back_from_the_first_item_and_from_the_summary(client, voter, admin_headers):
    create_ballot(client, admin_headers, items=PARKS)
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", "안건 1/3"), ("이전", ["첫 번째 안건", "안건 1/3"]),
                    ("1", "안건 2/3"), ("1", "안건 3/3"), ("4", "맞나요"), ("1", "이대로 제출"),
                    ("이전", "안건 3/3")])


# 4. Enrolment traps ---------------------------------------------------------------------------

@pytest.fixture
def roster(client, admin_headers, community):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200


@pytest.mark.parametrize("name, birth, phone", [
    ("저는 김민수입니다", "520315", "010-2222-1234"),
    ("제 이름은 김민수예요", "1952-03-15", "01022221234"),
    ("김민수라고 합니다", "520315-1", "1234이요"),
])
def test_enrolment_takes_what_people_naturally_type(client, roster, name, birth, phone):
    chat = KakaoChat(client, "natural")
    warning = ["뒷자리는 어디에도 보내지 마세요"] if birth.endswith("-1") else []
    converse(chat, [("인증", CONSENT), ("1", "1. 이름"), ("1", "성함"), (name, "생년월일"),
                    (birth, ["끝 4자리", *warning]), (phone, "인증되었어요")])


def test_a_mismatch_goes_back_to_the_name_with_the_tries_left(client, roster):
    chat = KakaoChat(client, "mismatch")
    converse(chat, [("인증", CONSENT), ("1", "1. 이름"), ("1", "성함"), ("김민수", "생년월일"), ("520316", "4자리"),
                    ("1234", ["맞지 않아요", "남은 기회 4번", "031-8075-5000", "성함을 입력"]),
                    ("김민수", "생년월일"), ("520315", "4자리"), ("1234", "인증되었어요")])


def test_an_eight_digit_centre_code_works_from_the_menu(client, db, admin_headers, roster):
    with db.session() as session:
        from bot.models import Resident

        resident_id = session.scalars(select(Resident.id)).first()
    issued = client.post(f"/api/v1/communities/pungsan/residents/{resident_id}/codes",
                         headers=admin_headers)
    code = issued.get_json()["code"]
    chat = KakaoChat(client, "with-code")
    converse(chat, [("메뉴", "1. 투표하기"),
                    # The consent comes first, and the code is not kept meanwhile.
                    (f"{code[:4]}-{code[4:]}", ["한 번 더 보내 주세요", *CONSENT]),
                    ("1", "인증번호 8자리를 입력해 주세요"),
                    (f"{code[:4]}-{code[4:]}", "인증되었어요")])


# 7. Quick replies say which option they are -----------------------------------------------------

def test_a_stale_double_tap_is_asked_again_not_applied(client, db, voter, admin_headers):
    create_ballot(client, admin_headers, items=[YES_NO[0], {**YES_NO[0], "title": "놀이터"}])
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", "안건 1/2"), ("1. 찬성", "안건 2/2"), ("2. 반대", "이대로 제출"),
                    ("2. 반대", ["잘 알아듣지 못했어요", "이대로 제출"])])  # a tap left over
    assert _votes(db) == 0


def test_kakao_buttons_send_digit_and_label(client, voter, admin_headers, messenger):
    create_ballot(client, admin_headers, items=YES_NO)
    chat = KakaoChat(client, voter)
    chat.say("투표")
    if messenger == "kakao":
        assert [q["messageText"] for q in chat.quick_replies] == ["1. 찬성", "2. 반대",
                                                                  "0. 처음으로"]
    else:
        assert chat.last["reply_markup"]["keyboard"][0] == [{"text": "1. 찬성"}]


# 3 (cont.). Abstaining where the ballot allows it -----------------------------------------------

def test_abstaining_is_its_own_option_and_counted_apart(client, db, voter, admin_headers):
    items = [{**YES_NO[0], "allow_abstain": True},
             {**PARKS[2], "allow_abstain": True}, {**PARKS[1]}]
    ballot = create_ballot(client, admin_headers, items=items)
    assert [i["allow_abstain"] for i in ballot["items"]] == [True, True, False]
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", ["1. 찬성", "2. 반대", "3. 기권"]), ("기권", ["안건 2/3", "5. 기권"]),
                    ("1 5", ["기권은 다른 선택지와 함께 고를 수 없어요", "안건 2/3"]),
                    ("5", ["- 기권", "맞나요"]), ("1", "안건 3/3"), ("3", "잘 알아듣지 못했어요"),
                    ("2", ["1. 마을 축제 예산\n   → 기권", "2. 내년 사업\n   → 기권"]),
                    ("1", "접수되었어요")])
    client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=admin_headers)
    client.post(f"/api/v1/ballots/{ballot['id']}/publish", json={"confirm_small": True},
                headers=admin_headers)
    result = client.get(f"/api/v1/ballots/{ballot['id']}/results",
                        headers=admin_headers).get_json()
    assert [i["abstentions"] for i in result["items"]] == [1, 1, None]
    assert [o["total"] for o in result["items"][0]["options"]] == [0, 0]
    assert result["items"][0]["passed"] is False
    csv_text = client.get(f"/api/v1/ballots/{ballot['id']}/results.csv",
                          headers=admin_headers).get_data(as_text=True)
    assert csv_text.count(",기권,1,,1,") == 2


def test_allow_abstain_must_be_true_or_false(client, admin_headers, community):
    from tests.ballot_helpers import ballot_body

    refused = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                          json=ballot_body(items=[{**YES_NO[0], "allow_abstain": "yes"}]))
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"]["problems"][0]["field"] == \
        "items[0].allow_abstain"


def test_the_demo_ballot_takes_six_replies_from_the_push(client, db, config, fake, voter,
                                                         admin_headers, messenger):
    """The figure for the closing note: the demo's three items (찬반, one of three, up to two),
    from a push to a recorded vote: 네 (or the button), 1, 3, 1 3, 1 (맞아요), 1 (제출)."""
    from bot.demo import DEMO_BALLOT

    create_ballot(client, admin_headers, items=DEMO_BALLOT["items"])
    run_due(db, load_settings({**config, **fake.settings(), "QUIET_HOURS": "off"}),
            datetime.now(UTC))
    chat = KakaoChat(client, voter)
    converse(chat, [("투표하기" if messenger == "telegram" else "네", "안건 1/3"),
                    ("1", "안건 2/3"), ("3", "안건 3/3"), ("1 3", "맞나요"),
                    ("1", "이대로 제출"), ("1", "투표가 접수되었어요")])
    assert len(chat.transcript) == 6 and _votes(db) == 1


# 5 and 6. 내 참여 내역 shows everything; 공감 is not offered twice ------------------------------

def test_my_participation_lists_votes_agreements_and_proposals_newest_first(
        client, db, community, voter, admin_headers):
    from tests.proposal_helpers import published

    published(db, community.id, at=datetime.now(UTC) - timedelta(hours=2))
    create_ballot(client, admin_headers, items=YES_NO)
    chat = KakaoChat(client, voter)
    converse(chat, [("제안 보기", "놀이터 그늘막"), ("1", "1. 공감하기"), ("1", "공감할까요?")])
    converse(chat, [("1", ["공감했어요", "공감하셨어요", "1. 목록으로"])], absent=["공감하기"])
    converse(chat, [("투표", "안건 1/1"), ("1", "이대로"), ("1", "접수되었어요")])
    converse(chat, [("제안하기", "제목"), ("경로당 앞 횡단보도", "내용"),
                    ("신호등이 필요해요.", "분야"), ("교통", "제안할까요?"), ("1", "접수되었어요")])
    answer = chat.say("내 참여 내역")
    order = [answer.index(word) for word in ("내 제안: 경로당 앞 횡단보도", "투표: 2026 풍산동",
                                             "공감: 놀이터 그늘막")]
    assert order == sorted(order), chat.show()  # newest first
    assert "찬성" not in answer  # the fact of voting, never the choice


def test_a_long_history_pages_five_at_a_time(client, db, community, voter):
    from tests.proposal_helpers import agree, published

    with db.session() as session:
        from bot.models import ChannelAccount as Account

        resident_id = session.scalars(select(Account.resident_id).where(
            Account.external_id == account_key(voter))).one()
    for n in range(7):
        pid = published(db, community.id, title=f"제안 {n}", proposer_account=f"author-{n}")
        agree(db, pid, resident_id, datetime.now(UTC) - timedelta(hours=10 - n))
    chat = KakaoChat(client, voter)
    converse(chat, [("내 참여", ["(1/2쪽)", "공감: 제안 6", "공감: 제안 2", "8. 다음"])],
             absent=["공감: 제안 1"])
    converse(chat, [("다음", ["(2/2쪽)", "공감: 제안 1", "공감: 제안 0", "7. 이전"])],
             absent=["공감: 제안 2"])


# 9. Wording ------------------------------------------------------------------------------------

def test_thanks_are_said_the_way_older_readers_expect(client, voter, admin_headers):
    create_ballot(client, admin_headers, items=YES_NO)
    converse(KakaoChat(client, voter), [("투표", "안건 1/1"), ("1", "이대로"),
                                        ("1", "참여해 주셔서 감사합니다")], absent=["고마워요"])
