"""Personal data outside the chat: the privacy policy page and its links, the centre's erasure of
a resident on request, the community's consent text, retention by the clock (a year later,
through `maeul tick --now`), and no personal data in logs or exports."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot import create_app, proposals
from bot.commands.proposals import SubmitProposal
from bot.models import AuditEvent, ChannelAccount, Conversation, Outbox, Resident
from bot.models.agenda import Comment
from bot.models.ballot import Participation
from bot.models.channels import ProcessedMessage
from bot.models.identity import EnrolmentAttempt
from bot.models.proposal import Agreement
from tests import factories
from tests.ballot_helpers import create_ballot
from tests.console_helpers import csrf
from tests.dialogue import CONSENT, KakaoChat, account_key, converse
from tests.identity_helpers import import_roster, roster_csv

YES_NO = [{"title": "마을 축제 예산", "kind": "yes_no"}]


# --- the privacy policy ---------------------------------------------------------------------

def test_the_privacy_policy_names_controller_items_purposes_periods_rights_and_officer(config):
    app = create_app({**config, "PRIVACY_CONTROLLER": "고양시 일산동구청",
                      "PRIVACY_OFFICER": "자치행정과장 홍길동", "PRIVACY_CONTACT": "031-8075-0000",
                      "RETAIN_MOVED_OUT_DAYS": 120, "RETAIN_ENROLMENT_ATTEMPTS_DAYS": 20})
    page = app.test_client().get("/privacy").get_data(as_text=True)
    for words in ("고양시 일산동구청", "자치행정과장 홍길동", "031-8075-0000",   # who
                  "처리 목적", "투표·공감 자격을 확인",                          # purposes
                  "휴대전화 끝 4자리", "저장하지 않아요",                        # items
                  "전출 후 120일", "<td>20일</td>",                            # periods
                  "제3자에게 제공하지 않아요", "카카오톡 채널", "네이버 밴드",      # recipients
                  "내 정보", "인증 해제", "만 14세 미만"):                      # rights
        assert words in page, words


def test_the_policy_is_linked_from_help_the_public_page_and_the_console(config, db, community,
                                                                         desk):
    assert 'href="/privacy?c=pungsan"' in desk.get("/public/pungsan").get_data(as_text=True)
    assert 'href="/privacy"' in desk.get("/console/c/pungsan").get_data(as_text=True)
    app = create_app({**config, "PUBLIC_BASE_URL": "https://maeul.goyang.go.kr/"})
    converse(KakaoChat(app.test_client(), "asks"), [
        ("도움말", ["마을 도우미 사용법", "개인정보 처리방침: https://maeul.goyang.go.kr/privacy"]),
        ("내 정보", ["아직 인증하지 않으셨어요",
                     "개인정보 처리방침: https://maeul.goyang.go.kr/privacy"])])


# --- the centre deletes everything on request ------------------------------------------------

def _kim(session) -> Resident:
    return session.scalars(select(Resident).where(Resident.masked_name == "김*수")).one()


def test_the_centre_erases_a_resident_on_request_and_the_counts_stay(desk, db, community,
                                                                     admin_headers):
    assert import_roster(desk, admin_headers, roster_csv()).status_code == 200
    chat = KakaoChat(desk, "erase-me")
    converse(chat, [("인증", CONSENT), ("1", "본인 인증"), ("1", "성함"), ("김민수", "생년월일"),
                    ("520315", "4자리"), ("1234", "인증되었어요")])
    with db.session() as session:
        kim = _kim(session)
        proposal = proposals.submit(session, kim, SubmitProposal(title="가로등을 고쳐 주세요", content="골목이 어두워요.", field="safety"), "kakao", datetime.now(UTC))
        session.add(Agreement(proposal_id=proposal.id, resident_id=kim.id, kind="agree",
                              channel="kakao", at=datetime.now(UTC)))
        proposal.status = proposals.DONE  # settled: nobody waits for an answer
        kim_id, proposal_id = kim.id, proposal.id
        session.add(Comment(community_id=kim.community_id, proposal_id=proposal.id,
                            resident_id=kim.id, channel="kakao", author="김*수",
                            text="제 번호는 010-1234-5678이에요.", at=datetime.now(UTC)))
    page = desk.get(f"/console/c/pungsan/residents/{kim_id}/erase").get_data(as_text=True)
    assert "되돌릴 수 없어요" in page and "카카오톡" in page or "kakao" in page
    url = f"/console/c/pungsan/residents/{kim_id}/erase"
    token = csrf(desk, url)
    unconfirmed = desk.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "삭제 요청을 확인하는 칸에 체크해 주세요" in unconfirmed.get_data(as_text=True)
    done = desk.post(url, data={"csrf_token": token, "confirm": "yes"}, follow_redirects=True)
    assert "개인정보를 삭제했어요" in done.get_data(as_text=True)
    with db.session() as session:
        kim = session.get(Resident, kim_id)
        assert kim.erased_at is not None and kim.masked_name == "탈퇴한 주민"
        assert kim.birth_date.year == 1900 and kim.np_key is None and kim.bp_key is None
        assert kim.identity_key.startswith("erased:") and kim.lookup_key.startswith("erased:")
        account = session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == account_key("erase-me"))).one()
        assert account.resident_id is None and account.consent_version is None
        assert session.get(Conversation, account.id) is None
        assert session.scalar(select(func.count()).select_from(Agreement)) == 1  # still counted
        [comment] = session.scalars(select(Comment)).all()  # what they wrote goes too
        assert comment.text == "" and comment.deleted_at is not None
        assert session.scalar(select(func.count()).select_from(EnrolmentAttempt).where(
            EnrolmentAttempt.resident_id == kim_id)) == 0
        erased = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "privacy.erased")).one()
        assert erased.actor.startswith("manager:") and erased.subject == f"resident:{kim_id}"
    shown = desk.get(f"/api/v1/proposals/{proposal_id}", headers=admin_headers).get_json()
    assert shown["proposer"] == "탈퇴한 주민"
    residents = desk.get("/console/c/pungsan/residents").get_data(as_text=True)
    assert "탈퇴한 주민" not in residents  # erased rows are not listed
    # The same details no longer find anyone.
    converse(chat, [("인증", CONSENT), ("1", "본인 인증"), ("1", "성함"), ("김민수", "생년월일"),
                    ("520315", "4자리"), ("1234", "맞지 않아요")])


def test_erasure_waits_while_an_unpublished_ballot_needs_the_person(desk, db, community,
                                                                    admin_headers):
    with db.session() as session:
        account = factories.verified(session, session.merge(community), "voted")
        resident_id = account.resident_id
    create_ballot(desk, admin_headers, items=YES_NO)
    converse(KakaoChat(desk, "voted"), [("투표", "1. 찬성"), ("1", "1. 예"), ("1", "접수")])
    url = f"/console/c/pungsan/residents/{resident_id}/erase"
    page = desk.get(url).get_data(as_text=True)
    assert "아직 공개하지 않은 투표" in page and 'value="yes"' not in page
    refused = desk.post(url, data={"csrf_token": csrf(desk, "/console/c/pungsan/residents"), "confirm": "yes"},
                        follow_redirects=True)
    assert "투표 결과를 공개하거나 제안이 끝난 뒤에" in refused.get_data(as_text=True)
    with db.session() as session:
        assert session.get(Resident, resident_id).erased_at is None


def test_a_community_words_its_own_consent_text_in_the_console(desk, db, community):
    page = desk.get("/console/c/pungsan/residents").get_data(as_text=True)
    assert "인증 동의 문구" in page and "본인 인증 전에 동의를 받을게요" in page  # the default
    saved = desk.post("/console/c/pungsan/consent-text", follow_redirects=True, data={
        "csrf_token": csrf(desk, "/console/c/pungsan/residents"),
        "consent_text": "풍산동은 이름, 생년월일, 휴대전화 끝 4자리로 명부를 확인해요.\n동의하시나요?"})
    assert "동의 문구를 저장했어요" in saved.get_data(as_text=True)
    converse(KakaoChat(desk, "reads"), [("인증", ["풍산동은 이름, 생년월일", "1. 동의합니다"])])
    with db.session() as session:
        assert session.scalars(select(AuditEvent.action).where(
            AuditEvent.action == "community.consent_text")).all() == ["community.consent_text"]
    too_long = desk.post("/console/c/pungsan/consent-text", follow_redirects=True, data={
        "csrf_token": csrf(desk, "/console/c/pungsan/residents"), "consent_text": "가" * 1001})
    assert "1,000자 안으로" in too_long.get_data(as_text=True)


# --- retention: a year later -----------------------------------------------------------------

def test_a_year_later_each_retention_rule_deletes_what_it_should_and_nothing_still_needed(
        client, db, community, admin_headers, tick):
    now = datetime.now(UTC)
    with db.session() as session:
        c = session.merge(community)
        gone = factories.verified(session, c, "moved-away", moved_out=True)         # erased
        author = factories.verified(session, c, "author-away", masked_name="이*희",
                                    moved_out=True)                                  # needed
        voter = factories.verified(session, c, "voter-away", masked_name="박*훈")    # needed
        stays = factories.verified(session, c, "stays", masked_name="최*아")          # present
        ids = {name: a.resident_id for name, a in
               (("gone", gone), ("author", author), ("voter", voter), ("stays", stays))}
        proposals.submit(session, author.resident, SubmitProposal(title="경로당 난방", content="겨울이 추워요.", field="welfare"),
                         "kakao", now)  # waits for screening: unsettled
        session.add_all([
            Outbox(idempotency_key="old-sent", channel="kakao", target="x", text="지난 공지",
                   status="sent", created_at=now),
            Outbox(idempotency_key="still-pending", channel="kakao", target="y", text="대기",
                   status="pending", created_at=now, next_attempt_at=now + timedelta(days=999))])
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    converse(KakaoChat(client, "voter-away"), [("투표", "1. 찬성"), ("1", "1. 예"),
                                               ("1", "접수")])
    with db.session() as session:  # the voter moves out after voting; the ballot is unpublished
        session.get(Resident, ids["voter"]).moved_out_at = now
    converse(KakaoChat(client, "stranger"), [("인증", CONSENT), ("1", "본인 인증"), ("1", "성함"),
                                             ("홍길동", "생년월일"), ("520315", "4자리"),
                                             ("9999", "맞지 않아요")])
    with db.session() as session:
        before = {
            "attempts": session.scalar(select(func.count()).select_from(EnrolmentAttempt)),
            "processed": session.scalar(select(func.count()).select_from(ProcessedMessage)),
            "conversations": session.scalar(select(func.count()).select_from(Conversation)),
        }
    assert before["attempts"] == 1 and before["conversations"] >= 2

    out = tick(now + timedelta(days=1))  # a day later: too early for any period but the first
    assert "privacy.retention" in out
    with db.session() as session:
        assert session.get(Resident, ids["gone"]).erased_at is None
        assert session.scalar(select(func.count()).select_from(EnrolmentAttempt)) == 1

    later = now + timedelta(days=400)
    with db.session() as session:
        last_event = session.scalar(select(func.max(AuditEvent.id)))
    tick(later)
    with db.session() as session:
        gone_row = session.get(Resident, ids["gone"])
        assert gone_row.erased_at is not None and gone_row.masked_name == "탈퇴한 주민"
        assert session.scalar(select(func.count()).select_from(ChannelAccount).where(
            ChannelAccount.external_id == account_key("moved-away"))) == 0  # unbound, then gone
        assert session.get(Resident, ids["author"]).erased_at is None   # an unsettled proposal
        assert session.get(Resident, ids["voter"]).erased_at is None    # an unpublished ballot
        assert session.scalar(select(func.count()).select_from(Participation).where(
            Participation.ballot_id == ballot["id"])) == 1
        stays_row = session.get(Resident, ids["stays"])
        assert stays_row.erased_at is None and stays_row.masked_name == "최*아"
        assert session.scalars(select(ChannelAccount.resident_id).where(
            ChannelAccount.external_id == account_key("stays"))).one() == ids["stays"]
        assert session.scalar(select(func.count()).select_from(EnrolmentAttempt)) == 0
        assert session.scalar(select(func.count()).select_from(ProcessedMessage).where(
            ProcessedMessage.at < later - timedelta(days=7))) == 0
        assert session.scalar(select(func.count()).select_from(Conversation)) == 0
        assert session.scalar(select(func.count()).select_from(ChannelAccount).where(
            ChannelAccount.external_id == account_key("stranger"))) == 0
        assert session.scalars(select(Outbox.idempotency_key).where(
            Outbox.idempotency_key.in_(["old-sent", "still-pending"]))).all() == [
            "still-pending"]
        old = session.scalars(select(AuditEvent).where(
            AuditEvent.id <= last_event, AuditEvent.action != "privacy.retention")).all()
        assert old and all(e.details == {} and e.subject == "" for e in old)
        assert all(e.action for e in old)  # who did what stays
        runs = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "privacy.retention").order_by(AuditEvent.id)).all()
        assert len(runs) == 2
        counts = runs[-1].details
        assert all(isinstance(v, int) for v in counts.values())  # counts only
        assert counts["moved_out_residents"] == 1 and counts["enrolment_attempts"] == 1

    tick(later + timedelta(minutes=5))  # the same day: not run twice
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "privacy.retention")) == 2


# --- no personal data in logs or exports ----------------------------------------------------

def test_logs_audit_and_exports_carry_no_name_phone_digits_or_birth_date(
        client, db, community, admin_headers, caplog):
    caplog.set_level(logging.DEBUG)
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    converse(KakaoChat(client, "private"), [
        ("인증", CONSENT), ("1", "본인 인증"), ("1", "성함"), ("김민수", "생년월일"),
        ("1952-03-15", "4자리"), ("010-1234-1234", "인증되었어요"), ("투표", "1. 찬성"),
        ("1", "1. 예"), ("1", "접수")])
    client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=admin_headers)
    client.post(f"/api/v1/ballots/{ballot['id']}/publish", headers=admin_headers,
                json={"confirm_small": True})
    exported = client.get(f"/api/v1/ballots/{ballot['id']}/results.csv",
                          headers=admin_headers).get_data(as_text=True)
    audit = client.get("/api/v1/communities/pungsan/audit",
                       headers=admin_headers).get_data(as_text=True)
    with db.session() as session:
        outbox = " ".join(session.scalars(select(Outbox.text)))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for where, text in (("logs", logged), ("audit", audit), ("export", exported),
                        ("outbox", outbox)):
        for secret in ("김민수", "민수", "1952-03-15", "520315", "1234-1234"):
            assert secret not in text, (where, secret)
    assert "찬성" in exported  # the export itself is there, with counts
