"""본인 인증 in the chat, as residents meet it (resident says, bot answers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, ChannelAccount, Conversation, Resident
from bot.models.identity import EnrolmentAttempt, EnrolmentCode
from tests import dialogue
from tests.dialogue import CONSENT, KakaoChat, account_key, converse
from tests.identity_helpers import import_roster, roster_csv

START = ["본인 인증", "1. 이름·생년월일로 확인", "2. 주민센터에서 받은 인증번호", "0. 처음으로"]
NO_MATCH = "입력하신 정보가 명부와 맞지 않아요"


@pytest.fixture
def roster(client, admin_headers, community):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200


def _account(db, user):
    with db.session() as session:
        return session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == account_key(user))).one()


def test_enrolment_by_name_birth_date_and_phone(client, roster, db):
    chat = KakaoChat(client, "grandma")
    converse(chat, [
        ("인증", CONSENT), ("1", START),
        ("1", "성함을 입력해 주세요"),
        ("김민수", "생년월일을 입력해 주세요"),
        ("520315", "휴대전화 번호 끝 4자리"),
        ("1234", ["인증되었어요", "풍산동 주민자치회", "1. 투표하기"]),
        ("인증", ["이미 인증되어 있어요", "풍산동 주민자치회"]),
    ])
    account = _account(db, "grandma")
    with db.session() as session:
        resident = session.get(Resident, account.resident_id)
        assert resident.masked_name == "김*수"
        conv = session.get(Conversation, account.id)
        assert "name" not in conv.data and "lookup" not in conv.data
        assert session.scalars(select(AuditEvent.action).where(
            AuditEvent.action == "enrol.bound")).all() == ["enrol.bound"]


@pytest.mark.parametrize("birth", ["19520315", "1952-03-15", "1952.3.15", "52년 3월 15일"])
def test_birth_dates_in_the_forms_people_type(client, roster, birth):
    chat = KakaoChat(client, f"u-{birth}")
    converse(chat, [("본인 인증", CONSENT), ("1", START), ("1번", "성함"), ("김민수요", "생년월일"),
                    (birth, "끝 4자리"), ("1234", "인증되었어요")])


@pytest.mark.parametrize("name, birth, phone", [
    ("김민수", "520316", "1234"),   # wrong birth date
    ("김민서", "520315", "1234"),   # wrong name
    ("김민수", "520315", "4321"),   # wrong phone
])
def test_each_wrong_detail_gets_the_same_answer(client, roster, db, name, birth, phone):
    chat = KakaoChat(client, "wrong")
    converse(chat, [("인증", CONSENT), ("1", START), ("1", "성함"), (name, "생년월일"), (birth, "4자리"),
                    (phone, [NO_MATCH, "성함부터 다시", "남은 기회 4번", "031-8075-5000",
                             "성함을 입력해 주세요"])],
             absent=["생년월일이 틀", "전화번호가 틀", "이름이 틀"])
    assert _account(db, "wrong").resident_id is None


def test_unreadable_steps_are_asked_again(client, roster):
    chat = KakaoChat(client, "typo")
    converse(chat, [
        ("인증", CONSENT), ("1", START), ("1", "성함"), ("12345", "글자로만"),
        ("김민수", "생년월일"), ("어제", ["알아보지 못했어요", "520315"]),
        ("520315", "4자리"), ("12", "끝 4자리를 숫자로"), ("1234", "인증되었어요"),
    ])


def test_five_failures_lock_for_thirty_minutes_then_it_works(client, roster, db):
    chat = KakaoChat(client, "locked")
    converse(chat, [("인증", CONSENT), ("1", START)])
    for _ in range(5):
        chat.say("인증")
        chat.say("1")
        chat.say("김민수")
        chat.say("520315")
        answer = chat.say("0000")
    assert "이후에 다시 해 주세요" in answer and "031-8075-5000" in answer, chat.show()
    converse(chat, [("인증", ["이후에 다시 해 주세요", "031-8075-5000"])],
             absent=["1. 이름·생년월일로 확인"])
    with db.session() as session:
        assert "enrol.locked" in session.scalars(select(AuditEvent.action)).all()
        account = session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == account_key("locked"))).one()
        for row in session.scalars(select(EnrolmentAttempt).where(
                EnrolmentAttempt.account_id == account.id)):
            row.at = row.at - timedelta(minutes=31)
    # The account's lock is over, but the five failures were aimed at 김민수: enrolment by
    # details rests for that person for a day, whatever the account (this one, failing again,
    # is locked again); the right digits do not bind.
    converse(chat, [("인증", START), ("1", "성함"), ("김민수", "생년월일"), ("520315", "4자리"),
                    ("1234", "031-8075-5000")], absent=["인증되었어요"])
    converse(KakaoChat(client, "neighbour"), [
        ("인증", CONSENT), ("1", START), ("1", "성함"), ("이영희", "생년월일"), ("481102", "4자리"),
        ("5678", "인증되었어요")])


def test_failures_in_different_days_do_not_lock(client, roster, db):
    chat = KakaoChat(client, "slow")
    for _ in range(4):
        for said in ["인증", "1", "김민수", "520315", "0000"]:
            chat.say(said)
    with db.session() as session:
        for row in session.scalars(select(EnrolmentAttempt)):
            row.at = row.at - timedelta(hours=25)
    for said in ["인증", "1", "김민수", "520315"]:
        chat.say(said)
    assert NO_MATCH in chat.say("0000")


def _code(client, admin_headers, db, masked="이*희"):
    with db.session() as session:
        resident_id = session.scalars(select(Resident.id).where(
            Resident.masked_name == masked)).one()
    response = client.post(f"/api/v1/communities/pungsan/residents/{resident_id}/codes",
                           headers=admin_headers)
    assert response.status_code == 201
    return response.get_json()["code"]


def test_a_code_from_the_centre_binds_once(client, roster, admin_headers, db):
    code = _code(client, admin_headers, db)
    assert len(code) == 8 and code.isdigit()
    with db.session() as session:
        assert code not in session.scalars(select(EnrolmentCode.code_hash)).all()
    converse(KakaoChat(client, "with-code"), [
        ("인증", CONSENT), ("1", START), ("2", "인증번호 8자리"), (code, ["인증되었어요", "풍산동"])])
    converse(KakaoChat(client, "reuser"), [
        ("인증", CONSENT), ("1", START), ("2번", "8자리"), (code, ["이미 사용한 인증번호", "031-8075-5000"])])


def test_expired_and_wrong_codes(client, roster, admin_headers, db):
    code = _code(client, admin_headers, db)
    with db.session() as session:
        row = session.scalars(select(EnrolmentCode)).one()
        row.expires_at = row.expires_at - timedelta(days=15)
    converse(KakaoChat(client, "late"), [("인증", CONSENT), ("1", START), ("2", "8자리"),
                                         (code, "기간이 지난 인증번호")])
    converse(KakaoChat(client, "guess"), [("인증", CONSENT), ("1", START), ("2", "8자리"), ("1234", "숫자 8자리"),
                                          ("12345678", NO_MATCH)])


def test_a_second_account_for_the_same_resident_is_refused(client, roster, db):
    converse(KakaoChat(client, "phone-one"), [
        ("인증", CONSENT), ("1", START), ("1", "성함"), ("박지훈", "생년월일"), ("850730", "4자리"),
        ("4321", "인증되었어요")])
    converse(KakaoChat(client, "phone-two"), [
        ("인증", CONSENT), ("1", START), ("1", "성함"), ("박지훈", "생년월일"), ("850730", "4자리"),
        ("4321", [NO_MATCH, "031-8075-5000"])], absent=["이미 다른 계정으로"])
    assert _account(db, "phone-two").resident_id is None


def test_manager_unbinds_and_the_resident_can_enrol_again(client, roster, admin_headers, db):
    converse(KakaoChat(client, "old-phone"), [
        ("인증", CONSENT), ("1", START), ("1", "성함"), ("박지훈", "생년월일"), ("850730", "4자리"),
        ("4321", "인증되었어요")])
    resident_id = _account(db, "old-phone").resident_id
    url = f"/api/v1/communities/pungsan/residents/{resident_id}/bindings/{dialogue.CHANNEL}"
    assert client.delete(url, headers=admin_headers).status_code == 200
    assert client.delete(url, headers=admin_headers).status_code == 404
    assert _account(db, "old-phone").resident_id is None
    converse(KakaoChat(client, "new-phone"), [
        ("인증", CONSENT), ("1", START), ("1", "성함"), ("박지훈", "생년월일"), ("850730", "4자리"),
        ("4321", "인증되었어요")])
    audit = client.get("/api/v1/communities/pungsan/audit", headers=admin_headers).get_json()
    actions = [e["action"] for e in audit["items"]]
    enrolled = [a for a in actions if a.startswith("enrol.")]
    assert enrolled[:3] == ["enrol.bound", "enrol.unbound", "enrol.bound"]
    assert actions.count("privacy.consent") == 2  # each account agreed before it enrolled
    assert "roster.imported" in actions


def test_zero_leaves_enrolment_at_any_step(client, roster, db):
    converse(KakaoChat(client, "leaver"), [("인증", CONSENT), ("1", START), ("1", "성함"), ("김민수", "생년월일"),
                                           ("0", "1. 투표하기")])
    with db.session() as session:
        account = session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == account_key("leaver"))).one()
        assert session.get(Conversation, account.id).data == {}
