"""One verified resident, one voice: the review's findings, each as it was reproduced, now kept.

1. a re-import with a changed phone or a corrected name is the same person (no second vote or
   agreement); 2. a partial upload moves nobody out unless asked, and a replace says who and asks;
3. a CP949 file imports through the console; 4. ordinary Excel headers and phones; 5. guessing
is counted per person across accounts and per community; 6. an already-bound person gets the same
answer for a right and a wrong guess; 7. a new binding tells the person's other accounts."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from bot.models import AuditEvent, ChannelAccount, Outbox, Resident
from bot.models.ballot import Participation
from bot.models.identity import EnrolmentAttempt
from tests.ballot_helpers import create_ballot
from tests.console_helpers import csrf
from tests.dialogue import CONSENT, Chat, account_key, converse
from tests.identity_helpers import ROSTER, import_roster, roster_csv
from tests.proposal_helpers import published

NEW_PHONE = ("박지훈", "1985-07-30", "010-7777-2468")   # 박지훈's phone changed: 4321 → 2468
NEW_NAME = ("박지운", "1985-07-30", "010-5555-4321")    # 박지훈's name corrected
NO_MATCH = "입력하신 정보가 명부와 맞지 않아요"


def _chat(client, user: str, channel: str) -> Chat:
    chat = Chat(client, user)
    chat.channel = channel
    return chat


def _enrol(chat: Chat, name: str, birth: str, digits: str, expect: str = "인증되었어요") -> None:
    converse(chat, [("인증", CONSENT), ("1", "본인 인증"), ("1", "성함"), (name, "생년월일"), (birth, "4자리"),
                    (digits, expect)])


def _participations(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Participation))


@pytest.fixture
def roster(client, admin_headers, community):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200


@pytest.mark.parametrize("changed", [NEW_PHONE, NEW_NAME], ids=["phone", "name"])
def test_a_changed_phone_or_corrected_name_is_the_same_person_who_voted(
        client, admin_headers, db, roster, changed):
    create_ballot(client, admin_headers, items=[{"title": "축제 예산", "kind": "yes_no"}])
    kakao = _chat(client, "r5", "kakao")
    _enrol(kakao, "박지훈", "850730", "4321")
    converse(kakao, [("투표", "안건 1/1"), ("1", "제출"), ("1", "투표가 접수되었어요")])
    rows = [changed if row[0] == "박지훈" else row for row in ROSTER]
    imported = import_roster(client, admin_headers, roster_csv(rows))
    assert imported.status_code == 200, imported.get_json()
    assert imported.get_json()["updated"] == 1 and imported.get_json()["added"] == 0
    telegram = _chat(client, "r5", "telegram")
    _enrol(telegram, changed[0], "850730", changed[2][-4:])
    converse(telegram, [("투표", "이미 투표하셨어요")], absent=["안건 1/1"])
    assert _participations(db) == 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == len(ROSTER)


def test_a_changed_phone_is_the_same_person_who_agreed(client, admin_headers, db, roster,
                                                       community):
    published(db, community.id, proposer_account="proposer-x")
    kakao = _chat(client, "agreer", "kakao")
    _enrol(kakao, "이영희", "481102", "5678")
    converse(kakao, [("제안 보기", "놀이터 그늘막"), ("1", "공감하기"), ("공감하기", "1. 예"),
                     ("1", "공감했어요")])
    rows = [("이영희", "1948-11-02", "010-3333-1111") if r[0] == "이영희" else r for r in ROSTER]
    assert import_roster(client, admin_headers, roster_csv(rows)).status_code == 200
    telegram = _chat(client, "agreer", "telegram")
    _enrol(telegram, "이영희", "481102", "1111")
    # The same person: the proposal says they agreed, and does not offer 공감하기 again.
    converse(telegram, [("제안 보기", "놀이터 그늘막"), ("1", ["공감하셨어요", "1. 목록으로"]),
                        ("공감하기", "이미 공감하셨어요")])


def test_a_partial_upload_adds_and_moves_nobody_out(client, admin_headers, db, roster):
    with db.session() as session:
        kim = session.scalars(select(Resident).where(Resident.masked_name == "김*수")).one()
    _enrol(_chat(client, "kim", "kakao"), "김민수", "520315", "1234")
    newcomers = [("정우성", "1973-03-20", "010-4444-1111"), ("한지민", "1982-11-05",
                                                             "010-4444-2222"),
                 ("오세훈", "1961-01-09", "010-4444-3333")]
    added = import_roster(client, admin_headers, roster_csv(newcomers))
    assert added.get_json() == {"added": 3, "updated": 0, "unchanged": 0, "moved_out": 0,
                                "mode": "add"}
    with db.session() as session:
        assert session.get(Resident, kim.id).moved_out_at is None
    listed = client.get("/api/v1/communities/pungsan/residents", headers=admin_headers)
    assert listed.get_json()["totals"] == {"residents": 7, "verified": 1}

    url = "/api/v1/communities/pungsan/roster?mode=replace"
    data = roster_csv(newcomers)
    refused = client.post(url, data=data, headers={**admin_headers, "Content-Type": "text/csv"})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "confirm_moved_out"
    assert "전출 처리 4명 (그 중 인증한 주민 1명)" in error["message"]
    assert error["details"]["moved_out"] == 4 and error["details"]["verified_moved_out"] == 1
    wrong = client.post(url + "&confirm_moved_out=3", data=data,
                        headers={**admin_headers, "Content-Type": "text/csv"})
    assert wrong.status_code == 409
    large = client.post(url + "&confirm_moved_out=4", data=data,
                        headers={**admin_headers, "Content-Type": "text/csv"})
    assert large.status_code == 409 and large.get_json()["error"]["code"] == "confirm_large"
    done = client.post(url + "&confirm_moved_out=4&confirm_large=yes", data=data,
                       headers={**admin_headers, "Content-Type": "text/csv"})
    assert done.status_code == 200 and done.get_json()["moved_out"] == 4
    listed = client.get("/api/v1/communities/pungsan/residents", headers=admin_headers)
    assert listed.get_json()["totals"] == {"residents": 3, "verified": 0}


def test_the_console_counts_only_residents_on_the_roster(client, desk, db, roster):
    _enrol(_chat(client, "kim", "kakao"), "김민수", "520315", "1234")
    token = csrf(desk, "/console/c/pungsan/residents")
    preview = desk.post("/console/c/pungsan/roster", data={
        "csrf_token": token, "mode": "replace",
        "file": (io.BytesIO(roster_csv(ROSTER[1:])), "roster.csv")}).get_data(as_text=True)
    assert "전출 처리 1명 (그 중 인증한 주민 1명)" in preview
    page = desk.get("/console/c/pungsan/residents").get_data(as_text=True)
    assert "명부 4명 중 1명이 인증했어요" in page, "nothing was imported by the preview"


def test_a_cp949_file_imports_through_the_console(desk, db, community):
    token = csrf(desk, "/console/c/pungsan/residents")
    data = roster_csv(header="성명,생년월일,휴대폰번호", encoding="cp949")
    preview = desk.post("/console/c/pungsan/roster", data={
        "csrf_token": token, "file": (io.BytesIO(data), "명부.csv")}).get_data(as_text=True)
    assert "4명을 읽었어요" in preview
    import re

    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview))
    done = desk.post("/console/c/pungsan/roster", data=hidden, follow_redirects=True)
    assert "새로 4명" in done.get_data(as_text=True)
    with db.session() as session:
        assert sorted(session.scalars(select(Resident.masked_name))) == [
            "김*수", "박*훈", "이*희", "최*아"]


def test_excel_headers_and_a_dropped_leading_zero(client, admin_headers, community):
    rows = [(n, b, p.replace("-", "")[1:]) for n, b, p in ROSTER]   # 1012341234: Excel ate the 0
    ok = import_roster(client, admin_headers, roster_csv(rows, header="성명,생일,휴대폰번호"))
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["added"] == 4
    missing = import_roster(client, admin_headers, roster_csv(header="성함,생년월일,주소"))
    assert missing.status_code == 422
    [problem] = missing.get_json()["error"]["details"]["rows"]
    assert problem["line"] == 1 and "휴대폰 번호" in problem["message"]
    assert "성함, 생년월일, 주소" in problem["message"] and "phone" not in problem["message"]


def test_guessing_one_person_from_many_accounts_pauses_that_person(client, db, roster):
    for n in range(5):
        _enrol(_chat(client, f"guesser-{n}", "kakao"), "김민수", "520315", f"{n:04d}", NO_MATCH)
    real = _chat(client, "real-kim", "kakao")
    _enrol(real, "김민수", "520315", "1234", "주민센터(031-8075-5000)")
    with db.session() as session:
        assert session.scalars(select(ChannelAccount.resident_id).where(
            ChannelAccount.external_id == account_key("real-kim", "kakao"))).one() is None
        assert session.scalar(select(func.count()).select_from(EnrolmentAttempt).where(
            EnrolmentAttempt.resident_id.is_not(None))) == 6
    _enrol(_chat(client, "other", "kakao"), "이영희", "481102", "5678")


def test_a_sweep_over_the_community_pauses_enrolment_by_details(client, db, roster, settings):
    sweep = settings["ENROLMENT_COMMUNITY_MAX_FAILURES"]
    for n in range(sweep):
        _enrol(_chat(client, f"sweeper-{n}", "kakao"), f"가{chr(0xAC00 + n)}", "600101", "0000",
               NO_MATCH)
    _enrol(_chat(client, "unlucky", "kakao"), "이영희", "481102", "5678", "주민센터(031-8075-5000)")


def test_a_bound_person_gets_the_same_answer_for_a_right_and_a_wrong_guess(client, db, roster):
    _enrol(_chat(client, "owner", "kakao"), "박지훈", "850730", "4321")
    right = _chat(client, "thief-1", "kakao")
    _enrol(right, "박지훈", "850730", "4321", NO_MATCH)
    wrong = _chat(client, "thief-2", "kakao")
    _enrol(wrong, "박지훈", "850730", "9999", NO_MATCH)
    assert right.transcript[-1][1] == wrong.transcript[-1][1]
    with db.session() as session:
        owner = session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == account_key("owner", "kakao"))).one()
        failures = session.scalar(select(func.count()).select_from(EnrolmentAttempt).where(
            EnrolmentAttempt.resident_id == owner.resident_id,
            EnrolmentAttempt.ok.is_(False)))
        alerts = session.scalars(select(Outbox.text).where(
            Outbox.target == owner.external_id)).all()
        audit = session.scalars(select(AuditEvent.action)).all()
    assert failures == 2
    assert alerts and "회원님 정보로 다른 계정에서 인증을 시도했어요" in alerts[0]
    assert "enrol.attempt_on_bound" in audit


def test_a_code_bound_on_another_channel_tells_the_person(client, admin_headers, db, roster,
                                                          desk):
    _enrol(_chat(client, "own-kakao", "kakao"), "이영희", "481102", "5678")
    with db.session() as session:
        resident_id = session.scalars(select(Resident.id).where(
            Resident.masked_name == "이*희")).one()
    code = client.post(f"/api/v1/communities/pungsan/residents/{resident_id}/codes",
                       headers=admin_headers).get_json()["code"]
    converse(_chat(client, "someone", "telegram"), [("인증", CONSENT), ("1", "본인 인증"), ("2", "8자리"),
                                                     (code, "인증되었어요")])
    with db.session() as session:
        pushes = session.scalars(select(Outbox.text).where(
            Outbox.target == account_key("own-kakao", "kakao"))).all()
        audit = session.scalars(select(AuditEvent.action)).all()
    assert any("텔레그램 계정이 새로 인증되었어요" in text for text in pushes)
    assert "enrol.second_account" in audit
    page = desk.get("/console/c/pungsan/residents").get_data(as_text=True)
    assert "두 개 이상의 메신저로 인증한 주민" in page and "이*희" in page
    audit_page = desk.get("/console/c/pungsan").get_data(as_text=True)
    assert "새 계정 인증" in audit_page
