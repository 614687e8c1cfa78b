"""현장투표 in the chat, as residents at the meeting meet it (resident says, bot answers): the six
digits on the projector, typed in KakaoTalk or carried by Telegram's QR link, enter the meeting's
ballot as an on-site vote; old digits are refused kindly; nobody votes twice, whichever way came
first; quick questions reach only those present."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import live
from bot.models import utcnow
from bot.models.ballot import ONSITE_APP, LiveSession, Participation
from tests import dialogue
from tests.ballot_helpers import create_ballot, sealed_choices
from tests.dialogue import CONSENT, KakaoChat, channel_label, converse
from tests.identity_helpers import import_roster, roster_csv

FESTIVAL = [{"title": "마을 축제 예산", "summary": "12월 축제에 300만 원을 써요.", "kind": "yes_no"}]
VOTE = ["안건 1/1. 마을 축제 예산", "1. 찬성", "2. 반대"]
SUMMARY = ["선택하신 내용이에요.", "→ 찬성", "1. 예 (제출)"]


def scan(code: str, spaced: bool = False) -> str:
    """What reaches the bot when a resident scans the screen's QR code (Telegram: the deep link
    sends `/start <password>`) or types the six digits (KakaoTalk)."""
    if dialogue.CHANNEL == "telegram":
        return f"/start {code}"
    return f"{code[:3]} {code[3:]}" if spaced else code


def enrolled(client, user: str = "grandpa", name: str = "김민수", birth: str = "520315",
             phone: str = "1234") -> KakaoChat:
    chat = KakaoChat(client, user)
    converse(chat, [("인증", CONSENT), ("1", "본인 인증"), ("1", "성함"), (name, "생년월일"),
                    (birth, "끝 4자리"), (phone, "인증되었어요")])
    return chat


@pytest.fixture
def roster(client, admin_headers, community):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200


@pytest.fixture
def meeting(client, admin_headers, roster):
    """An open ballot with paper voting too, and its live session on the screen."""
    ballot = create_ballot(client, admin_headers, onsite=True, items=FESTIVAL)
    started = client.post(f"/api/v1/ballots/{ballot['id']}/live", headers=admin_headers)
    assert started.status_code == 201, started.get_json()
    return started.get_json()


def password_now(client, admin_headers, meeting) -> str:
    return client.get(f"/api/v1/live/{meeting['id']}", headers=admin_headers).get_json()["password"]


def ways(db) -> list[str]:
    with db.session() as session:
        return sorted(session.scalars(select(Participation.channel)).all())


def test_scan_then_vote_is_counted_on_site(client, admin_headers, db, meeting):
    chat = enrolled(client)
    converse(chat, [
        (scan(meeting["password"], spaced=True), ["현장 투표 번호를 확인했어요", *VOTE]),
        ("1", SUMMARY),
    ])
    assert ways(db) == [], "nothing is recorded before 1 at the summary"
    converse(chat, [("1", "투표가 접수되었어요")])
    assert ways(db) == [ONSITE_APP]
    assert sum(sealed_choices(db).values()) == 1  # sealed like every vote
    now = client.get(f"/api/v1/live/{meeting['id']}", headers=admin_headers).get_json()
    assert now["ballot"]["turnout"]["onsite_app"] == 1
    assert now["ballot"]["turnout"]["online"] == 0 and now["ballot"]["results"] is None
    converse(chat, [(scan(password_now(client, admin_headers, meeting)),
                     ["이미 투표하셨어요", "현장 투표(앱)"])], absent=VOTE)


def test_an_old_password_is_refused_kindly(client, admin_headers, db, meeting):
    chat = enrolled(client)
    with db.session() as session:  # the meeting began ten minutes ago
        row = session.get(LiveSession, meeting["id"])
        row.started_at = utcnow() - timedelta(minutes=10)
        old = live.password(row, utcnow() - timedelta(minutes=3))
    converse(chat, [(scan(old), ["지난 번호예요", "현장에서 화면의 새 번호를 보내 주세요"])],
             absent=VOTE)
    converse(chat, [(scan(password_now(client, admin_headers, meeting)), VOTE)])
    assert ways(db) == []


def test_a_password_after_voting_online_is_refused(client, admin_headers, db, meeting):
    chat = enrolled(client)
    converse(chat, [("투표", VOTE), ("2", "→ 반대"), ("1", "투표가 접수되었어요")])
    converse(chat, [(scan(meeting["password"]), ["이미 투표하셨어요", channel_label(), "한 번만"])],
             absent=VOTE)
    assert ways(db) == [dialogue.CHANNEL]


def test_the_desk_cannot_mark_a_resident_who_voted_in_the_app_on_site(client, admin_headers, db,
                                                                        meeting):
    chat = enrolled(client)
    converse(chat, [(scan(meeting["password"]), VOTE), ("1", SUMMARY),
                    ("1", "투표가 접수되었어요")])
    desk = client.post(f"/api/v1/ballots/{meeting['ballot_id']}/onsite-marks",
                       json={"name": "김민수", "birth_date": "1952-03-15"}, headers=admin_headers)
    assert desk.status_code == 409
    assert desk.get_json()["error"]["message"] == "이미 현장에서 앱으로 투표했어요."
    assert desk.get_json()["error"]["details"]["channel"] == ONSITE_APP
    assert ways(db) == [ONSITE_APP]


def test_a_resident_marked_at_the_desk_cannot_vote_in_the_app(client, admin_headers, db, meeting):
    chat = enrolled(client)
    desk = client.post(f"/api/v1/ballots/{meeting['ballot_id']}/onsite-marks",
                       json={"name": "김민수", "birth_date": "520315"}, headers=admin_headers)
    assert desk.status_code == 201
    converse(chat, [(scan(meeting["password"]), ["이미 투표하셨어요", "현장 투표"])], absent=VOTE)
    assert ways(db) == ["onsite"]


def test_an_unverified_resident_enrols_and_the_meeting_is_remembered(client, db, meeting):
    chat = KakaoChat(client, "newcomer")
    converse(chat, [
        (scan(meeting["password"]), ["현장 투표 번호를 확인했어요", "먼저 본인 확인", *CONSENT]),
        ("1", "본인 인증"), ("1", "성함"), ("이영희", "생년월일"),
        ("481102", "끝 4자리"),  # six digits here are a birth date, never a password
        ("5678", ["인증되었어요", *VOTE]),
        ("1", SUMMARY), ("1", "투표가 접수되었어요"),
    ])
    assert ways(db) == [ONSITE_APP]


def test_wrong_digits_are_asked_again_and_guessing_is_stopped(client, db, meeting):
    chat = enrolled(client)
    wrong = "000000" if meeting["password"] != "000000" else "000001"
    converse(chat, [(wrong, ["맞는 번호가 아니에요", "6자리를 다시"])], absent=VOTE)
    for _ in range(4):
        chat.say(wrong)
    converse(chat, [(scan(meeting["password"]), ["여러 번 잘못 보내셨어요", "분 뒤에"])],
             absent=VOTE)
    assert ways(db) == []


def test_a_quick_question_reaches_only_those_present(client, admin_headers, db, meeting):
    present = enrolled(client)
    converse(present, [(scan(meeting["password"]), VOTE), ("1", SUMMARY),
                       ("1", "투표가 접수되었어요")])
    asked = client.post(f"/api/v1/live/{meeting['id']}/questions", headers=admin_headers, json={
        "title": "다음 총회 장소", "kind": "choose_one", "options": ["주민센터", "초등학교 강당"],
        "minutes": 3})
    assert asked.status_code == 201, asked.get_json()
    question = asked.get_json()
    assert question["present_only"] is True and question["status"] == "open"

    at_home = enrolled(client, "neighbour", "이영희", "481102", "5678")
    converse(at_home, [("투표", VOTE)], absent=["다음 총회 장소"])  # only the meeting's ballot
    converse(present, [(scan(password_now(client, admin_headers, meeting)),
                        ["안건 1/1. 다음 총회 장소", "1. 주민센터", "2. 초등학교 강당"]),
                       ("초등학교 강당", "→ 초등학교 강당"), ("1", "투표가 접수되었어요")])
    closed = client.post(f"/api/v1/ballots/{question['id']}/close", headers=admin_headers)
    assert closed.status_code == 200 and closed.get_json()["counted_at"]
    now = client.get(f"/api/v1/live/{meeting['id']}", headers=admin_headers).get_json()
    [answered] = now["questions"]
    assert answered["turnout"]["onsite_app"] == 1 and answered["turnout"]["participants"] == 1
    totals = {o["label"]: o["total"] for o in answered["results"][0]["options"]}
    assert totals == {"주민센터": 0, "초등학교 강당": 1}
    assert now["ballot"]["results"] is None, "the open ballot's choices stay sealed"
    assert client.post(f"/api/v1/ballots/{meeting['ballot_id']}/close",
                       headers=admin_headers).status_code == 200
    now = client.get(f"/api/v1/live/{meeting['id']}", headers=admin_headers).get_json()
    assert now["ballot"]["results"] is None, "counted, but the paper counts are still missing"
    assert client.put(f"/api/v1/ballots/{meeting['ballot_id']}/onsite-counts", headers=admin_headers,
                      json={"items": [{"number": 1, "counts": [0, 0]}]}).status_code == 200
    now = client.get(f"/api/v1/live/{meeting['id']}", headers=admin_headers).get_json()
    assert [o["total"] for o in now["ballot"]["results"][0]["options"]] == [1, 0]


def test_once_the_session_ends_a_vote_is_no_longer_on_site(client, admin_headers, db, meeting):
    chat = enrolled(client)
    converse(chat, [(scan(meeting["password"]), VOTE), ("1", SUMMARY)])
    ended = client.post(f"/api/v1/live/{meeting['id']}/close", headers=admin_headers)
    assert ended.status_code == 200
    converse(chat, [("1", "투표가 접수되었어요")])  # the ballot is still open: counted online
    assert ways(db) == [dialogue.CHANNEL]
    converse(chat, [(scan(meeting["password"]), "현장 투표가 끝났어요")], absent=VOTE)
