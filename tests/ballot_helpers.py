"""Ballots for tests: bodies the REST API accepts, and residents who can vote."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

ITEMS = [
    {"title": "마을 축제 예산", "summary": "12월 마을 축제에 300만 원을 써요.", "kind": "yes_no"},
    {"title": "공원 이름", "summary": "새 공원의 이름을 골라요.", "kind": "choose_one",
     "options": ["풍산공원", "햇살공원", "느티나무공원"]},
    {"title": "내년 사업 우선순위", "summary": "두 개까지 골라요.", "kind": "choose_up_to",
     "options": ["경로당 보수", "어린이 도서관", "골목 가로등", "텃밭"], "max_choices": 2},
]


def iso(moment: datetime) -> str:
    return moment.isoformat()


def ballot_body(*, opens: timedelta = timedelta(hours=-1), closes: timedelta = timedelta(days=3),
                items: list | None = None, **extra) -> dict:
    now = datetime.now(UTC)
    body = {"title": "2026 풍산동 주민총회", "overview": "주민자치회가 정한 안건이에요.",
            "opens_at": iso(now + opens), "closes_at": iso(now + closes),
            "items": ITEMS if items is None else items}
    body.update(extra)
    return body


def create_ballot(client, headers, slug: str = "pungsan", **kwargs) -> dict:
    response = client.post(f"/api/v1/communities/{slug}/ballots", json=ballot_body(**kwargs),
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def app_keys():
    """The keyring the test apps seal with (their SEALING_KEY)."""
    from bot import sealing
    from bot.config import load_settings

    return sealing.keyring(load_settings({"MAEUL_ENV": "test"}))


def sealed_choices(db) -> Counter:
    """What the envelopes not yet counted hold, opened as the count opens them (with the app's
    key; ballots without trustees): (item id, option) → how many chose it."""
    from sqlalchemy import select

    from bot import ballots
    from bot.models.ballot import Ballot, Envelope

    chosen: Counter = Counter()
    with db.session() as session:
        for ballot in session.scalars(select(Ballot)):
            envelopes = session.scalars(select(Envelope.sealed)
                                        .where(Envelope.ballot_id == ballot.id)).all()
            if envelopes:
                counted, invalid = ballots.open_envelopes(app_keys(), ballot, envelopes, [])
                assert invalid == 0
                chosen += counted
    return chosen


def submit_vote(db, ballot_id: int, resident_id: int, picks: dict) -> str:
    """A resident's whole ballot through the domain service, as the chat submits it."""
    from bot import ballots
    from bot.commands.ballots import CastVote
    from bot.models import Resident
    from bot.models.ballot import Ballot

    with db.session() as session:
        return ballots.submit(session, app_keys(), session.get(Ballot, ballot_id),
                              session.get(Resident, resident_id), "kakao", CastVote(picks=picks),
                              datetime.now(UTC)).status

