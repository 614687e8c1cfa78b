"""Secret ballots: nothing in the schema, the data or what a manager can read ties a person to a
choice. The schema is read off a database built by the migrations, as production builds it."""

from __future__ import annotations

import uuid
from collections import deque
from datetime import UTC, datetime

import pytest
from sqlalchemy import DateTime, Integer, String, inspect, select, text

from bot import ballots
from bot.commands.ballots import CastVote
from bot.db import make_engine
from bot.migrate import upgrade
from bot.models import AuditEvent, Conversation, Resident
from bot.models.ballot import Ballot, Envelope
from tests import factories
from tests.ballot_helpers import app_keys, create_ballot
from tests.dialogue import KakaoChat, converse

PEOPLE = {"residents", "channel_accounts", "ballot_participations", "conversations",
          "enrolment_attempts", "enrolment_codes", "managers", "api_tokens"}
# Shared hubs: one row per ballot or item, the same for every voter, so no path through them
# can single a person out.
HUBS = {"ballots", "ballot_items", "communities"}
ENVELOPE_COLUMNS = {"id", "ballot_id", "sealed"}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('schema') / 'migrated.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield inspect(engine)
    engine.dispose()


def _links(inspector) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in inspector.get_table_names()}
    for table in graph:
        for fk in inspector.get_foreign_keys(table):
            graph[table].add(fk["referred_table"])
            graph[fk["referred_table"]].add(table)
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in graph[queue.popleft()] - HUBS - seen:
            seen.add(nxt)
            queue.append(nxt)
    return seen


def test_no_table_links_a_person_to_a_choice(migrated):
    graph = _links(migrated)
    assert "ballot_envelopes" in graph
    assert _reachable(graph, "ballot_envelopes") & PEOPLE == set()
    assert {fk["referred_table"] for fk in migrated.get_foreign_keys("ballot_envelopes")} <= HUBS


def test_envelope_rows_carry_no_person_no_time_and_no_sequence(migrated):
    columns = {c["name"]: c for c in migrated.get_columns("ballot_envelopes")}
    assert set(columns) == ENVELOPE_COLUMNS
    assert not any(isinstance(c["type"], DateTime) for c in columns.values())
    assert migrated.get_pk_constraint("ballot_envelopes")["constrained_columns"] == ["id"]
    assert isinstance(columns["id"]["type"], String)
    assert not isinstance(columns["id"]["type"], Integer)


def test_the_graph_check_would_catch_a_link(migrated):
    """The check above is not vacuous: a participation column on choices would be a path."""
    graph = _links(migrated)
    graph["ballot_envelopes"].add("ballot_participations")
    graph["ballot_participations"].add("ballot_envelopes")
    assert "residents" in _reachable(graph, "ballot_envelopes")


def test_envelopes_have_random_keys_one_size_and_no_storage_order(client, admin_headers,
                                                                  community, db):
    ballot = create_ballot(client, admin_headers, items=[{"title": "예산", "kind": "yes_no"}])
    with db.session() as session:
        c = session.merge(community)
        voters = [factories.resident(session, c).id for _ in range(5)]
    for n, rid in enumerate(voters):
        with db.session() as session:
            ballots.submit(session, app_keys(), session.get(Ballot, ballot["id"]),
                           session.get(Resident, rid), "kakao", CastVote(picks={"1": [1 + n % 2]}),
                           datetime.now(UTC))
    with db.session() as session:
        rows = session.execute(select(Envelope.id, Envelope.sealed)).all()
        assert len(rows) == 5 and all(uuid.UUID(k).version == 4 for k, _ in rows)
        assert len({len(sealed) for _, sealed in rows}) == 1, "one size for every choice"
        assert len({bytes(sealed) for _, sealed in rows}) == 5, "no two envelopes alike"
        if session.get_bind().dialect.name == "sqlite":
            with pytest.raises(Exception, match="rowid"):
                session.execute(text("SELECT rowid FROM ballot_choices"))


def test_nothing_a_manager_reads_shows_a_choice(client, admin_headers, community, db):
    ballot = create_ballot(client, admin_headers)
    with db.session() as session:
        factories.verified(session, session.merge(community), "secret-voter")
    converse(KakaoChat(client, "secret-voter"), [
        ("투표", "안건 1/3"), ("반대", "안건 2/3"), ("햇살공원", "안건 3/3"), ("4", "텃밭"),
        ("1", "→ 반대"), ("1", "접수되었어요")])
    readable = [client.get(path, headers=admin_headers).get_data(as_text=True) for path in (
        f"/api/v1/ballots/{ballot['id']}", f"/api/v1/ballots/{ballot['id']}/turnout",
        "/api/v1/communities/pungsan/audit", "/api/v1/communities/pungsan/residents",
        "/api/v1/communities/pungsan/ballots")]
    hidden = client.get(f"/api/v1/ballots/{ballot['id']}/results", headers=admin_headers)
    assert hidden.status_code == 409
    assert '"participants":1' in readable[1].replace(" ", "")
    for body in readable:
        assert '"total"' not in body and '"picks"' not in body and '"rank"' not in body
    with db.session() as session:
        assert all(not c.data for c in session.scalars(select(Conversation)))
        details = [e.details for e in session.scalars(select(AuditEvent))]
        assert not any("picks" in d or "option" in d for d in details)
