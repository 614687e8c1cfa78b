"""Time travel with `maeul tick --now` against loopback fakes of Kakao, Telegram and BAND:
notices at opening, reminders only to non-voters, nothing in quiet hours, nothing after an early
close, results at publication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import ballots
from bot.commands.ballots import CastVote, UpdateBallot, read_ballot
from bot.models import ChannelAccount, Outbox, Resident, Room
from bot.models.ballot import Ballot
from tests import factories
from tests.ballot_helpers import app_keys, create_ballot

SEOUL = ZoneInfo("Asia/Seoul")
OPENS = datetime(2026, 12, 1, 9, 0, tzinfo=SEOUL)
CLOSES = datetime(2026, 12, 4, 18, 0, tzinfo=SEOUL)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def village(db, community):
    """Two rooms and five residents: a voter, two who will not vote (Kakao, Telegram), one who
    turned notices off, one too young to vote."""
    with db.session() as session:
        c = session.merge(community)
        session.add_all([Room(community_id=c.id, channel="band", external_key="band-pungsan"),
                         Room(community_id=c.id, channel="telegram", external_key="-100123")])
        ids = {}
        for name, channel in (("voter", "kakao"), ("idle", "kakao"), ("555", "telegram"),
                              ("quiet", "kakao")):
            ids[name] = factories.verified(session, c, name, channel=channel).resident_id
        factories.verified(session, c, "teen", birth_date=datetime(2012, 5, 5).date())
        quiet = session.scalars(select(ChannelAccount).where(
            ChannelAccount.resident_id == ids["quiet"])).one()
        quiet.notifications_enabled = False
    return ids


def _ballot(client, admin_headers, **extra) -> int:
    times = {"opens_at": OPENS.isoformat(), "closes_at": CLOSES.isoformat()}
    return create_ballot(client, admin_headers, **{**times, **extra})["id"]


def _vote(db, ballot_id: int, resident_id: int, moment: datetime) -> None:
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        picks = {str(i.number): [1] for i in ballot.items}
        assert ballots.submit(session, app_keys(), ballot, session.get(Resident, resident_id),
                              "kakao", CastVote(picks=picks), moment.astimezone(UTC)).status == ballots.RECORDED


def test_opening_reminders_and_results_reach_the_right_people(client, admin_headers, db,
                                                              village, fake, tick):
    ballot_id = _ballot(client, admin_headers)
    tick(at(1, 8, 59))
    assert fake.received("kakao") == {} and fake.received("band") == {}
    out = tick(at(1, 9, 0))
    assert "'opened': 1" in out
    assert fake.received("band") == {"band-pungsan": 1}
    assert fake.received("telegram") == {"-100123": 1, "555": 1}
    assert fake.received("kakao") == {"voter": 1, "idle": 1}, "not 'quiet', not 'teen'"
    agenda = fake.band[0][1]
    assert "[주민총회 투표] 2026 풍산동 주민총회" in agenda and "1. 마을 축제 예산" in agenda
    assert "12월 4일(금) 18:00" in agenda
    tick(at(1, 9, 5))
    assert sum(fake.received("kakao").values()) == 2, "a second tick sends nothing again"

    _vote(db, ballot_id, village["voter"], at(2, 10))
    tick(at(3, 9, 0))  # 1 day before the closing day, 09:00
    assert fake.received("kakao") == {"voter": 1, "idle": 2}
    assert fake.received("telegram")["555"] == 2
    assert "마감이 다가와요" in fake.kakao[-1][1]
    tick(at(4, 16, 0))  # 2 hours before the close
    assert fake.received("kakao") == {"voter": 1, "idle": 3}

    tick(at(4, 18, 0))  # closes by itself
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        assert ballots.status(ballot, at(4, 18, 1)) == ballots.CLOSED
        ballots.publish(session, app_keys(), ballot, "manager:1", at(5, 10).astimezone(UTC),
                        confirm_small=True)  # one voter: the manager confirmed
    tick(at(5, 10, 1))
    assert fake.received("kakao") == {"voter": 2, "idle": 3}, "results go to those who voted"
    assert fake.received("band") == {"band-pungsan": 2}
    results = fake.band[-1][1]
    assert "[투표 결과] 2026 풍산동 주민총회" in results and "찬성 1 · 반대 0 → 가결" in results


def test_nothing_is_pushed_in_quiet_hours_and_what_would_be_late_is_dropped(
        client, admin_headers, db, village, fake, tick):
    _ballot(client, admin_headers, reminders=[at(2, 22, 30).isoformat(),
                                             at(4, 17, 30).isoformat()])
    tick(at(1, 9, 0))
    before = sum(fake.received("kakao").values())
    tick(at(2, 22, 30))
    assert sum(fake.received("kakao").values()) == before, "22:30 is quiet"
    tick(at(3, 7, 59))
    assert sum(fake.received("kakao").values()) == before
    tick(at(3, 8, 0))
    assert fake.received("kakao")["idle"] == 2 and fake.received("kakao")["voter"] == 2


def test_nothing_is_sent_after_an_early_close(client, admin_headers, db, village, fake, tick):
    ballot_id = _ballot(client, admin_headers, reminders=[at(2, 22, 0).isoformat()])
    tick(at(1, 9, 0))
    tick(at(2, 22, 0))  # queued, held by the quiet hours until 08:00
    with db.session() as session:
        waiting = session.scalars(select(Outbox).where(Outbox.status == "pending")).all()
        assert waiting and all(":remind:" in row.idempotency_key for row in waiting)
        ballots.close(session, app_keys(), session.get(Ballot, ballot_id), "manager:1",
                      at(3, 7, 0).astimezone(UTC))
    sent_before = dict(fake.received("kakao"))
    tick(at(3, 8, 0))
    tick(at(4, 16, 0))
    assert dict(fake.received("kakao")) == sent_before
    with db.session() as session:
        assert {row.status for row in session.scalars(select(Outbox).where(
            Outbox.idempotency_key.contains(":remind:")))} == {"void"}


def test_moving_the_close_later_recomputes_the_reminders(client, admin_headers, db, village,
                                                         fake, tick):
    ballot_id = _ballot(client, admin_headers)
    tick(at(1, 9, 0))
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        when = at(2, 12).astimezone(UTC)
        ballots.update(session, app_keys(), ballot, read_ballot(
            UpdateBallot, {"closes_at": at(6, 18).isoformat()}, ballot.community, when),
            "manager:1", when)
        reminders = [datetime.fromisoformat(r) for r in ballot.reminders]
    assert at(6, 16) in reminders and at(4, 16) not in reminders
    tick(at(3, 9, 0))  # the new "3 days before" (it replaced "1 day before" of the old close)
    assert fake.received("kakao")["idle"] == 2
    tick(at(4, 16, 0))
    assert fake.received("kakao")["idle"] == 2, "the old 2-hours-before reminder is gone"
    tick(at(5, 9, 0))
    assert fake.received("kakao")["idle"] == 3
    tick(at(6, 16, 0))
    assert fake.received("kakao")["idle"] == 4


def test_managers_post_notices_to_rooms_and_the_city_to_every_room(client, admin_headers, db,
                                                                   village, fake, tick):
    no_text = client.post("/api/v1/communities/pungsan/notices", json={"text": " "},
                          headers=admin_headers)
    assert no_text.status_code == 422
    later = datetime.now(UTC) + timedelta(days=2)
    queued = client.post("/api/v1/communities/pungsan/notices",
                         json={"text": "12월 5일 주민총회가 열려요.", "send_at": later.isoformat()},
                         headers=admin_headers)
    assert queued.status_code == 201 and queued.get_json()["rooms"] == 2
    city = client.post("/api/v1/notices", json={"text": "전체 공지: 한파 주의"},
                       headers=admin_headers)
    assert city.status_code == 201 and city.get_json()["communities"] == 1
    tick(datetime.now(UTC))
    assert [text for _, text in fake.band] == ["전체 공지: 한파 주의"]
    tick(later + timedelta(minutes=1))
    assert [text for _, text in fake.band][-1] == "12월 5일 주민총회가 열려요."
    assert fake.received("telegram") == {"-100123": 2}


def test_residents_turn_notices_off_and_on_in_the_chat(client, db, community):
    from tests.dialogue import KakaoChat, converse

    with db.session() as session:
        factories.verified(session, session.merge(community), "toggle")
    chat = KakaoChat(client, "toggle")
    converse(chat, [("알림 끄기", ["알림을 껐어요", "'알림 켜기'"])])
    with db.session() as session:
        account = session.scalars(select(ChannelAccount).where(
            ChannelAccount.external_id == "toggle")).one()
        assert account.notifications_enabled is False
    converse(chat, [("알림켜기", "알림을 켰어요")])
    with db.session() as session:
        assert session.get(ChannelAccount, account.id).notifications_enabled is True
