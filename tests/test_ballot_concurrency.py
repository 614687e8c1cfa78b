"""One person, one vote under load: many submissions at the same instant, each in its own
connection and transaction, as concurrent webhook requests would make them. Run on PostgreSQL in
CI (TEST_DATABASE_URL); on SQLite they pass too, because writers queue there."""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot import ballots
from bot.commands.ballots import CastVote
from bot.db import Database
from bot.models import Resident
from bot.models.ballot import Ballot, Envelope, Participation
from tests import factories
from tests.ballot_helpers import ITEMS, app_keys, create_ballot


@pytest.fixture
def pool(database_url):
    database = Database(database_url, pool_size=25)
    yield database
    database.dispose()


def _submit(pool: Database, ballot_id: int, resident_id: int, channel: str, picks: dict,
            barrier: threading.Barrier | None = None) -> str:
    if barrier is not None:
        barrier.wait()
    with pool.session() as session:
        # The ballot as the chat hands it over: the worker's read-only copy (bot/ballots/cache.py),
        # which a racing close makes stale; the vote must read the ballot's state afresh.
        outcome = ballots.submit(session, app_keys(), ballots.cached(session, ballot_id),
                                 session.get(Resident, resident_id), channel, CastVote(picks=picks),
                                 datetime.now(UTC))
        return outcome.status


def _residents(db, community, count: int) -> list[int]:
    with db.session() as session:
        c = session.merge(community)
        return [factories.resident(session, c).id for _ in range(count)]


def test_fifty_simultaneous_submissions_of_one_resident_record_exactly_one(
        client, admin_headers, community, db, pool):
    ballot = create_ballot(client, admin_headers)
    [resident_id] = _residents(db, community, 1)
    picks = {"1": [1], "2": [2], "3": [1, 3]}
    barrier = threading.Barrier(50)
    with ThreadPoolExecutor(max_workers=50) as executor:
        futures = [executor.submit(_submit, pool, ballot["id"], resident_id,
                                   ("kakao", "telegram", "band")[i % 3], picks, barrier)
                   for i in range(50)]
        statuses = Counter(f.result() for f in futures)
    assert statuses == {ballots.RECORDED: 1, ballots.ALREADY_VOTED: 49}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Participation)) == 1
        assert session.scalar(select(func.count()).select_from(Envelope)) == 1


def test_two_hundred_residents_voting_at_once_give_exact_tallies(
        client, admin_headers, community, db, pool):
    ballot = create_ballot(client, admin_headers)
    residents = _residents(db, community, 200)
    rng = random.Random(2026)
    chosen = {rid: {"1": [rng.randint(1, 2)], "2": [rng.randint(1, 3)],
                    "3": rng.sample(range(1, 5), rng.randint(1, 2))} for rid in residents}
    expected = Counter((number, option) for picks in chosen.values()
                       for number, options in picks.items() for option in options)
    with ThreadPoolExecutor(max_workers=40) as executor:
        statuses = Counter(executor.map(
            lambda rid: _submit(pool, ballot["id"], rid, "kakao", chosen[rid]), residents))
    assert statuses == {ballots.RECORDED: 200}
    client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=admin_headers)
    client.post(f"/api/v1/ballots/{ballot['id']}/publish", headers=admin_headers)
    body = client.get(f"/api/v1/ballots/{ballot['id']}/results", headers=admin_headers).get_json()
    counted = Counter({(str(item["number"]), n): option["online"]
                       for item in body["items"]
                       for n, option in enumerate(item["options"], start=1)})
    assert +counted == expected
    assert body["turnout"]["participants"] == 200
    assert [len(item["options"]) for item in body["items"]] == [len(i.get("options") or "..")
                                                                  for i in ITEMS]


def test_a_close_in_the_middle_of_voting_freezes_exactly_what_was_recorded(
        client, admin_headers, community, db, pool):
    ballot = create_ballot(client, admin_headers, items=[{"title": "예산", "kind": "yes_no"}])
    residents = _residents(db, community, 60)

    def close() -> str:
        with pool.session() as session:
            ballots.close(session, app_keys(), session.get(Ballot, ballot["id"]), "manager:1",
                          datetime.now(UTC))
        return "closed"

    with ThreadPoolExecutor(max_workers=20) as executor:
        futures = [executor.submit(_submit, pool, ballot["id"], rid, "kakao", {"1": [1]})
                   for rid in residents[:30]]
        futures.append(executor.submit(close))
        futures += [executor.submit(_submit, pool, ballot["id"], rid, "kakao", {"1": [1]})
                    for rid in residents[30:]]
        statuses = Counter(f.result() for f in futures)
    assert statuses["closed"] == 1
    assert statuses[ballots.RECORDED] + statuses[ballots.NOT_OPEN] == 60
    with db.session() as session:
        frozen = ballots.results(session, session.get(Ballot, ballot["id"]))
    assert frozen["items"][0]["options"][0]["online"] == statuses[ballots.RECORDED]
    assert frozen["turnout"]["online"] == statuses[ballots.RECORDED]
