"""The ballots a worker keeps in memory (bot/ballots/cache.py): a vote's steps no longer read the
ballot, its items and its material on every message, and no worker ever answers from a copy that
a change elsewhere made stale."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, text, update

from bot.db import Database
from bot.models.ballot import Ballot, BallotItem
from tests import factories
from tests.ballot_helpers import create_ballot
from tests.conftest import requires_postgres
from tests.dialogue import KakaoChat, converse

ITEMS = [{"title": "마을 축제 예산", "kind": "yes_no"}, {"title": "공원 이름", "kind": "choose_one",
                                                   "options": ["풍산공원", "햇살공원"]}]


@pytest.fixture
def ballot(client, admin_headers, community):
    return create_ballot(client, admin_headers, items=ITEMS)


@pytest.fixture
def elsewhere(database_url):
    """Another process on the same database (a second gunicorn worker, the clock, the CLI)."""
    other = Database(database_url)
    yield other
    other.dispose()


class Statements:
    """The SQL statements the app sends, counted per message (COMMIT and BEGIN are not)."""

    def __init__(self, db: Database) -> None:
        self.sent: list[str] = []
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, *args) -> None:  # noqa: ANN001
        word = statement.split()[0].upper()
        if word != "BEGIN":  # SQLite's BEGIN IMMEDIATE, sent as a statement
            self.sent.append(word)

    def during(self, chat: KakaoChat, said: str) -> list[str]:
        self.sent.clear()
        chat.say(said)
        return list(self.sent)


def _version(db: Database) -> int:
    """The committed version, read beside any writer (a plain read: SQLite's sessions begin
    IMMEDIATE, which would wait for the writer)."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT version FROM cache_state")
        return cursor.fetchone()[0]
    finally:
        connection.rollback()
        connection.close()


def test_a_vote_reads_its_ballot_from_memory_not_on_every_step(client, db, voter, ballot,
                                                               community):
    with db.session() as session:
        factories.verified(session, session.merge(community), "neighbour")
    converse(KakaoChat(client, "neighbour"), [("투표", "안건 1/2")])  # the worker loads the ballot
    chat = KakaoChat(client, voter)
    converse(chat, [("메뉴", "1. 투표하기")])  # a returning resident: the conversation exists
    statements = Statements(db)
    first = statements.during(chat, "투표")
    assert first == ["SELECT", "SELECT", "UPDATE"], (
        "account with its conversation, whether this resident voted, the conversation")
    assert statements.during(chat, "1") == ["SELECT", "UPDATE"], (
        "an item answered: the account and the conversation, nothing about the ballot")
    assert statements.during(chat, "2") == ["SELECT", "UPDATE"]
    submitted = statements.during(chat, "1")
    cast = 1 if db.engine.dialect.name == "postgresql" else 2  # one statement, or two on SQLite
    assert submitted == ["SELECT", "SELECT"] + ["WITH" if cast == 1 else "INSERT"] + \
        ["INSERT"] * (cast - 1) + ["UPDATE"], "the ballot's state under its lock, then the vote"
    assert "투표가 접수되었어요" in chat.transcript[-1][1]


def test_a_change_made_elsewhere_reaches_the_worker_at_its_next_message(
        client, db, voter, ballot, elsewhere):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", ["안건 1/2. 마을 축제 예산", "1. 찬성"])])
    with elsewhere.session() as session:
        session.execute(update(BallotItem).where(BallotItem.ballot_id == ballot["id"],
                                                 BallotItem.number == 2)
                        .values(title="새 공원 이름"))
    converse(chat, [("1", ["안건 2/2. 새 공원 이름", "1. 풍산공원"])])
    with elsewhere.session() as session:
        session.execute(update(Ballot).where(Ballot.id == ballot["id"]).values(
            closes_at=datetime.now(UTC) - timedelta(minutes=1)))
    converse(chat, [("1", "투표가 마감되었어요")])
    converse(chat, [("투표", "지금 진행 중인 투표가 없어요")])


def test_a_ballot_opened_elsewhere_is_offered_at_once(client, db, voter, admin_headers,
                                                     community, elsewhere):
    chat = KakaoChat(client, voter)
    converse(chat, [("투표", "지금 진행 중인 투표가 없어요")])
    later = create_ballot(client, admin_headers, items=ITEMS, opens=timedelta(hours=1))
    converse(chat, [("투표", "지금 진행 중인 투표가 없어요")])
    with elsewhere.session() as session:
        session.execute(update(Ballot).where(Ballot.id == later["id"]).values(
            opens_at=datetime.now(UTC) - timedelta(minutes=1)))
    converse(chat, [("투표", ["안건 1/2. 마을 축제 예산", "1. 찬성"])])


def test_the_version_moves_when_a_watched_row_changes_and_only_at_its_commit(db, ballot,
                                                                              elsewhere):
    before = _version(db)
    with elsewhere.session() as session:
        session.execute(update(Ballot).where(Ballot.id == ballot["id"]).values(title="바뀐 제목"))
        session.flush()
        assert _version(db) == before, "an uncommitted change is not announced"
    assert _version(db) > before
    moved = _version(db)
    with elsewhere.session() as session:
        session.execute(update(Ballot).where(Ballot.id == ballot["id"]).values(title="또 바뀐 제목"))
        session.rollback()
    assert _version(db) == moved, "a change rolled back is not announced"


@requires_postgres
def test_two_writers_crossing_two_ballots_do_not_deadlock_on_the_version(
        client, admin_headers, community, db, elsewhere):
    """A changes ballot 1, then B ballot 2, then A ballot 2 too (waiting for B). Were the version
    row taken at each change, A would hold it and wait for B, and B wait for it: a deadlock. It
    is taken at commit (a deferred trigger), after every other lock."""
    one = create_ballot(client, admin_headers, items=ITEMS)["id"]
    two = create_ballot(client, admin_headers, items=ITEMS)["id"]
    a_changed_one, b_changed_two = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def writer_b() -> None:
        try:
            a_changed_one.wait(5)
            with elsewhere.session() as session:
                session.execute(update(Ballot).where(Ballot.id == two).values(title="B"))
                b_changed_two.set()
                session.execute(text("SELECT pg_sleep(0.3)"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            b_changed_two.set()

    before = _version(db)
    thread = threading.Thread(target=writer_b)
    thread.start()
    with db.session() as session:
        session.execute(update(Ballot).where(Ballot.id == one).values(title="A"))
        a_changed_one.set()
        b_changed_two.wait(5)
        session.execute(update(Ballot).where(Ballot.id == two).values(title="A2"))  # waits for B
    thread.join(10)
    assert not failures, failures
    assert _version(db) == before + 3, "one move per row changed, each at its commit"
