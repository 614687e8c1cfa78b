"""개인정보 in the chat, as residents meet it (resident says, bot answers): consent before
enrolment, refusing it, under 14, `내 정보` and `인증 해제`. Run on KakaoTalk and Telegram."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot import proposals
from bot.commands.proposals import SubmitProposal
from bot.models import AuditEvent, ChannelAccount, Conversation, Resident
from bot.models.ballot import Participation
from bot.models.identity import EnrolmentAttempt
from tests.ballot_helpers import create_ballot
from tests.dialogue import CONSENT, KakaoChat, account_key, channel_label, converse
from tests.identity_helpers import ROSTER, import_roster, roster_csv

START = ["본인 인증을 할게요", "1. 이름·생년월일로 확인", "2. 주민센터에서 받은 인증번호"]
CHILD = ("정하늘", "2015-04-01", "010-3333-1111")


@pytest.fixture
def roster(client, admin_headers, community):
    assert import_roster(client, admin_headers,
                         roster_csv([*ROSTER, CHILD])).status_code == 200


def _account(db, user) -> ChannelAccount:
    with db.session() as session:
        return session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == account_key(user))).one()


def _enrol(chat, name="김민수", birth="520315", phone="1234"):
    converse(chat, [("인증", CONSENT), ("1", START), ("1", "성함"), (name, "생년월일"),
                    (birth, "끝 4자리"), (phone, "인증되었어요")])


def test_consent_comes_first_and_says_what_why_how_long_and_what_refusing_means(
        client, roster, db):
    chat = KakaoChat(client, "agrees")
    converse(chat, [("인증", ["받는 정보: 이름, 생년월일, 휴대전화 끝 4자리",  # what
                             "명부와 맞춰 투표·공감 자격만 확인하고",          # why
                             "입력한 정보는 저장하지 않아요",
                             "인증 해제 때까지 두고, 전출하면 90일 뒤 지워요",  # how long
                             "동의하지 않아도 공지와 제안은 볼 수 있어요",     # may refuse
                             "투표와 공감은 할 수 없어요",                    # what it means
                             "1. 동의합니다", "2. 동의하지 않습니다", "0. 처음으로"])],
             absent=["성함을 입력해 주세요"])
    assert _account(db, "agrees").consent_version is None, "nothing before 1"
    converse(chat, [("동의", ["잘 알아듣지 못했어요", "1. 동의합니다"]),  # both options say 동의
                    ("1", START), ("1", "성함"), ("김민수", "생년월일"), ("520315", "4자리"),
                    ("1234", "인증되었어요")])
    account = _account(db, "agrees")
    assert account.resident_id is not None and account.consented_at is not None
    with db.session() as session:
        consent = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "privacy.consent")).one()
        assert consent.details == {"version": account.consent_version}


def test_refusing_stores_nothing_and_says_how_to_come_back(client, roster, db):
    chat = KakaoChat(client, "refuses")
    converse(chat, [("인증", CONSENT),
                    ("2", ["아무것도 저장하지 않았어요", "'인증'이라고 보내시면 다시",
                           "1. 투표하기"])])
    # A name typed after refusing is not an enrolment step: it is not kept anywhere.
    converse(chat, [("김민수", "잘 알아듣지 못했어요")])
    account = _account(db, "refuses")
    assert account.consent_version is None and account.resident_id is None
    with db.session() as session:
        assert session.get(Conversation, account.id).data == {}
        assert session.scalar(select(func.count()).select_from(EnrolmentAttempt)) == 0
        assert session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("privacy.%"))).all() == []
    # Coming back asks again, and voting without consent leads to the same question.
    converse(chat, [("투표", ["본인 인증을 한 주민만", "1. 동의합니다"]),
                    ("동의합니다", START)])


def test_a_new_consent_text_is_asked_again(client, roster, db, admin_headers):
    chat = KakaoChat(client, "twice")
    converse(chat, [("인증", CONSENT), ("1", START), ("0", "1. 투표하기"),
                    ("인증", START)])  # the same text: not asked again
    changed = client.patch("/api/v1/communities/pungsan", headers=admin_headers, json={
        "consent_text": "풍산동 주민자치회가 이름, 생년월일, 휴대전화 끝 4자리를 받아요.\n"
                        "명부 확인에만 써요.\n동의하시나요?"})
    assert changed.status_code == 200, changed.get_json()
    converse(chat, [("0", "1. 투표하기"),
                    ("인증", ["풍산동 주민자치회가 이름, 생년월일", "1. 동의합니다"]),
                    ("1", START)])


def test_under_fourteen_cannot_enrol_online_and_nothing_typed_is_kept(client, roster, db):
    chat = KakaoChat(client, "child")
    converse(chat, [("인증", CONSENT), ("1", START), ("1", "성함"), ("정하늘", "생년월일"),
                    ("2015-04-01", ["만 14세 미만은 보호자 동의가 필요해서",
                                    "입력하신 내용은 저장하지 않았어요", "031-8075-5000",
                                    "1. 투표하기"])],
             absent=["휴대전화 번호 끝 4자리를 입력해"])
    account = _account(db, "child")
    assert account.resident_id is None
    with db.session() as session:
        assert session.get(Conversation, account.id).data == {}
        assert session.scalar(select(func.count()).select_from(EnrolmentAttempt)) == 0


def test_under_fourteen_with_a_centre_code_is_sent_to_the_centre(client, roster, db,
                                                                   admin_headers):
    with db.session() as session:
        child = session.scalars(select(Resident.id).where(
            Resident.masked_name == "정*늘")).one()
    code = client.post(f"/api/v1/communities/pungsan/residents/{child}/codes",
                       headers=admin_headers).get_json()["code"]
    chat = KakaoChat(client, "child-code")
    converse(chat, [("인증", CONSENT), ("1", START), ("2", "8자리"),
                    (code, ["만 14세 미만은", "주민센터(031-8075-5000)"])],
             absent=["인증되었어요"])
    assert _account(db, "child-code").resident_id is None


def test_my_data_shows_what_is_held_and_never_a_choice(client, roster, db, admin_headers):
    create_ballot(client, admin_headers, items=[{"title": "마을 축제 예산", "kind": "yes_no"}])
    chat = KakaoChat(client, "curious")
    converse(chat, [("내 정보", ["아직 인증하지 않으셨어요", "알림: 받아요"])])
    _enrol(chat)
    converse(chat, [("투표", "1. 찬성"), ("1", "1. 예 (제출)"), ("1", "투표가 접수되었어요"),
                    ("알림 끄기", "알림")])
    today = datetime.now(UTC).astimezone().strftime("%Y-")
    converse(chat, [("내 정보", ["마을 도우미가 가진 정보예요",
                                 "어느 쪽에 투표했는지는 저장하지 않아요",
                                 "- 이름: 김*수 (풍산동 주민자치회)",
                                 f"- 인증한 메신저: {channel_label()}",
                                 "- 알림: 받지 않아요", f"- 동의한 날: {today}",
                                 "- 투표 참여 1번, 공감 0번, 제안 0건", "1. 인증 해제"])],
             absent=["찬성", "김민수", "1952", "520315", "1234"])


def test_unbinding_asks_first_forgets_the_account_and_keeps_the_vote(client, roster, db,
                                                                      admin_headers):
    ballot = create_ballot(client, admin_headers,
                           items=[{"title": "마을 축제 예산", "kind": "yes_no"}])
    chat = KakaoChat(client, "leaving")
    _enrol(chat)
    converse(chat, [("투표", "1. 찬성"), ("1", "1. 예 (제출)"), ("1", "투표가 접수되었어요")])
    with db.session() as session:
        author = session.get(ChannelAccount, _account(db, "leaving").id).resident
        proposal = proposals.submit(session, author, SubmitProposal(title="놀이터에 그늘막을 설치해 주세요", content="여름에 아이들이 너무 더워요.", field="welfare"), "kakao",
                                    datetime.now(UTC)).id
    shown = client.get(f"/api/v1/proposals/{proposal}", headers=admin_headers).get_json()
    assert shown["proposer"] == "김*수"
    converse(chat, [("인증 해제", ["인증을 해제할까요?", "이미 한 투표와 공감은",
                                  "'탈퇴한 주민'의 제안으로 남아요", "1. 예", "2. 아니오"]),
                    ("2", ["인증을 그대로 두었어요", "1. 투표하기"])])
    assert _account(db, "leaving").resident_id is not None
    converse(chat, [("인증 해제", "인증을 해제할까요?"),
                    ("1", ["인증을 해제했어요", "'인증'이라고 보내 주세요",
                           "주민센터(031-8075-5000)"])])
    account = _account(db, "leaving")
    assert account.resident_id is None and account.consent_version is None
    assert account.notifications_enabled is True
    with db.session() as session:
        assert session.get(Conversation, account.id) is None  # deleted with its data
        kim = session.scalars(select(Resident).where(Resident.masked_name == "김*수")).one()
        assert kim.withdrawn_at is not None
        assert session.scalar(select(func.count()).select_from(Participation).where(
            Participation.ballot_id == ballot["id"])) == 1
    assert client.get(f"/api/v1/proposals/{proposal}",
                      headers=admin_headers).get_json()["proposer"] == "탈퇴한 주민"
    # 투표 now asks to enrol again (consent first); enrolling again finds the vote already cast.
    converse(chat, [("투표", ["본인 인증을 한 주민만", "1. 동의합니다"]), ("1", START),
                    ("1", "성함"), ("김민수", "생년월일"), ("520315", "4자리"),
                    ("1234", ["인증되었어요", "이미 투표하셨어요"])])
    # The ballot closes and counts: the earlier vote is in the result, once.
    closed = client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=admin_headers)
    assert closed.status_code == 200, closed.get_json()
    client.post(f"/api/v1/ballots/{ballot['id']}/publish", headers=admin_headers,
                json={"confirm_small": True})
    results = client.get(f"/api/v1/ballots/{ballot['id']}/results",
                         headers=admin_headers).get_json()
    assert [o["total"] for o in results["items"][0]["options"]] == [1, 0], results
    # While unbound, the proposal named its author `탈퇴한 주민`; enrolled again, the name is back.
    assert client.get(f"/api/v1/proposals/{proposal}",
                      headers=admin_headers).get_json()["proposer"] == "김*수"


def test_unbinding_an_unverified_account_has_nothing_to_do(client, community):
    converse(KakaoChat(client, "nobody"), [("인증 해제", ["해제할 것이 없어요", "1. 투표하기"])])
