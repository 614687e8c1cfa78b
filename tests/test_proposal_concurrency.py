"""500 agreements arriving at once (PostgreSQL in CI): 500 distinct residents counted, the
threshold crossed once, one notice per recipient. Each agreement is its own connection and
transaction, as concurrent webhook requests are."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot import proposals
from bot.commands.proposals import Agree
from bot.db import Database
from bot.models import Community, Outbox, Resident
from bot.models.proposal import Agreement, Proposal, ProposalEvent
from tests.proposal_helpers import published, residents

THRESHOLD = 300


@pytest.fixture
def pool(database_url):
    database = Database(database_url, pool_size=25)
    yield database
    database.dispose()


def test_five_hundred_concurrent_agreements_cross_the_threshold_exactly_once(db, community,
                                                                             pool):
    with db.session() as session:
        session.get(Community, community.id).proposal_rules = [
            {"agreements": THRESHOLD, "window_days": 30, "actor": "department",
             "answer_days": 20}]
    pid = published(db, community.id, at=datetime.now(UTC))
    people = residents(db, community.id, 500, accounts=True, prefix="crowd")
    barrier = threading.Barrier(50)

    def agree(rid: int, twice: bool = False) -> tuple[str, int | None]:
        if rid in people[:50] and not twice:
            barrier.wait()
        with pool.session() as session:
            outcome = proposals.agree(session, session.get(Proposal, pid),
                                      session.get(Resident, rid), Agree(kind="agree"), "kakao",
                                      datetime.now(UTC))
            return outcome.status, outcome.reached

    with ThreadPoolExecutor(max_workers=50) as executor:
        first = list(executor.map(agree, people))
        # The same 100 residents again, at once: every one refused, nothing counted twice.
        second = list(executor.map(lambda rid: agree(rid, True), people[:100]))
    assert Counter(status for status, _ in first) == {proposals.RECORDED: 500}
    assert [reached for _, reached in first if reached] == [1]
    assert Counter(status for status, _ in second) == {proposals.ALREADY: 100}
    with db.session() as session:
        assert session.scalar(select(func.count(func.distinct(Agreement.resident_id)))
                              .where(Agreement.proposal_id == pid)) == 500
        assert proposals.counts(session, pid) == (500, 0)
        crossings = session.scalars(select(ProposalEvent).where(
            ProposalEvent.proposal_id == pid, ProposalEvent.action == "stage_reached")).all()
        assert len(crossings) == 1 and crossings[0].details["agreements"] == THRESHOLD
        sent = session.scalars(select(Outbox.target).where(
            Outbox.idempotency_key.like(f"proposal:{pid}:event:{crossings[0].id}:%"))).all()
    # The proposer and the 300 who had agreed when it crossed: one notice each.
    assert len(sent) == THRESHOLD + 1 and len(set(sent)) == len(sent)
