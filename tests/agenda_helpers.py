"""The four-step cycle for tests: a village whose assembly adopted an item, voted in November
2026 and followed through by time travel (`maeul tick --now`) against the loopback messengers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import agenda, ballots
from bot.commands import read_in
from bot.commands.agenda import ProgressItem
from bot.commands.ballots import CastVote, CreateBallot, read_ballot
from bot.models import ChannelAccount, Community, Resident, Room
from bot.models.agenda import AgendaProgress
from bot.models.ballot import Ballot
from tests import factories
from tests.ballot_helpers import app_keys, ballot_body
from tests.proposal_helpers import published

SEOUL = ZoneInfo("Asia/Seoul")
ITEMS = [
    {"title": "놀이터 그늘막 설치", "summary": "풍산 어린이공원에 그늘막 4개를 달아요.",
     "kind": "yes_no"},
    {"title": "마을 축제 야간 연장", "summary": "축제를 밤 10시까지 해요.", "kind": "yes_no"},
]


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


def make_village(db, community) -> dict[str, int]:
    """A band and a Telegram group; four residents: 민수 (KakaoTalk) and 777 (Telegram) will vote,
    `idle` will not, `quiet` votes but turned notices off."""
    with db.session() as session:
        c = session.merge(community)
        session.add_all([Room(community_id=c.id, channel="band", external_key="band-pungsan"),
                         Room(community_id=c.id, channel="telegram", external_key="-100123")])
        ids = {}
        for name, channel in (("minsu", "kakao"), ("777", "telegram"), ("idle", "kakao"),
                              ("quiet", "kakao")):
            ids[name] = factories.verified(session, c, name, channel=channel).resident_id
        session.scalars(select(ChannelAccount).where(
            ChannelAccount.resident_id == ids["quiet"])).one().notifications_enabled = False
    return ids


def vote(db, ballot_id: int, resident_id: int, picks: dict, channel: str,
         moment: datetime) -> None:
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        outcome = ballots.submit(session, app_keys(), ballot, session.get(Resident, resident_id),
                                 channel, CastVote(picks=picks), moment.astimezone(UTC))
        assert outcome.status == ballots.RECORDED


def adopted_ballot(db, ids, tick) -> int:
    """November's assembly (1–4 Nov): item 1 (from a resident's proposal) passes 3–0, item 2
    fails 0–3; counted at the close by the clock, published on the 5th (the results pushed)."""
    with db.session() as session:
        community_id = session.scalars(select(Community.id)).first()
    # Step 1: a resident's proposal, published in October, is put to the vote as item 1.
    source = published(db, community_id, at=at(10, 10, 10).astimezone(UTC),
                       title="놀이터에 그늘막을 달아 주세요")
    items = [{**ITEMS[0], "proposal": source}, ITEMS[1]]
    with db.session() as session:  # made on 30 October, as the manager would
        community = session.get(Community, community_id)
        made = at(10, 30, 10).astimezone(UTC)
        command = read_ballot(CreateBallot, ballot_body(
            items=items, opens_at=at(11, 1, 9).isoformat(), closes_at=at(11, 4, 18).isoformat()),
            community, made)
        ballot_id = ballots.create(session, app_keys(), community, command, "manager:1",
                                   made).id
    for name, channel in (("minsu", "kakao"), ("777", "telegram"), ("quiet", "kakao")):
        vote(db, ballot_id, ids[name], {"1": [1], "2": [2]}, channel, at(11, 2, 10))
    tick(at(11, 4, 18, 1))
    with db.session() as session:
        ballots.publish(session, app_keys(), session.get(Ballot, ballot_id), "manager:1",
                        at(11, 5, 10).astimezone(UTC), confirm_small=True)
    tick(at(11, 5, 10, 1))
    return ballot_id


def post_progress(db, ballot_id: int, number: int, moment: datetime,
                  **body: object) -> AgendaProgress:
    """What the console and REST do, at a moment of the story: read the command, run the
    service, commit."""
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        now = moment.astimezone(UTC)
        command = read_in(ProgressItem, body, "invalid_input", ballot.community, now)
        entry = agenda.add_progress(session, ballot, number, command, "manager:1", now)
        session.flush()
        session.expunge(entry)
    return entry


def followed_through(db, community, tick) -> int:
    """The whole story: passed → plan (due 20 Nov) → overdue on the 21st → progress (new date)
    → result on the 28th. Returns the ballot's id."""
    ids = make_village(db, community)
    ballot_id = adopted_ballot(db, ids, tick)
    post_progress(db, ballot_id, 1, at(11, 6, 10), stage="plan", due_date="2026-11-20",
                  text="12월 놓을 업체를 고르고 11월 20일까지 설치해요.")
    tick(at(11, 6, 10, 1))
    tick(at(11, 21, 9))
    post_progress(db, ballot_id, 1, at(11, 25, 10), stage="progress", due_date="2026-11-28",
                  text="그늘막 기둥 공사를 마쳤어요. 천막은 28일에 달아요.")
    tick(at(11, 25, 10, 1))
    post_progress(db, ballot_id, 1, at(11, 28, 15), stage="result",
                  text="그늘막 4개를 모두 달았어요. 여름 전에 점검해요.")
    tick(at(11, 28, 15, 1))
    return ballot_id
