"""`maeul verify` and the backup-and-restore drill (issue 22).

verify: a clean database passes; a tally changed by hand, an envelope gone, a push stuck in
`sending` and a half-written binding each fail it, named. The drill, on PostgreSQL: a community
with a counted ballot, an open ballot mid-vote, proposals and queued pushes → pg_dump → restore
into a fresh database → `maeul db upgrade` (nothing to do) → `maeul verify` passes → the open
ballot goes on, one vote per resident still, and counts right.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url

from bot import create_app, outbox
from bot.cli import main
from bot.db import normalise_url
from bot.models import Community, Outbox
from bot.models.ballot import Ballot, Envelope, Tally
from bot.readiness import head_revision
from tests import factories
from tests.ballot_helpers import create_ballot, submit_vote
from tests.conftest import PG_URL, requires_postgres
from tests.proposal_helpers import published
from tests.scratch import postgres_database

YES_NO = [{"title": "축제 예산", "kind": "yes_no"},
          {"title": "공원 이름", "kind": "choose_one", "options": ["풍산", "햇살", "느티"]}]


def _residents(db, community_id: int, count: int) -> list[int]:
    with db.session() as session:
        community = session.get(Community, community_id)
        return [factories.resident(session, community).id for _ in range(count)]


_vote = submit_vote


def _verify(url: str, capsys) -> tuple[int, str]:
    os.environ["DATABASE_URL"] = url
    try:
        code = main(["verify"])
    finally:
        del os.environ["DATABASE_URL"]
    return code, capsys.readouterr().out


def _counted_ballot(client, admin_headers, db, community) -> int:
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    for n, rid in enumerate(_residents(db, community.id, 6)):
        assert _vote(db, ballot["id"], rid, {"1": [1 + n % 2], "2": [1 + n % 3]}) == "recorded"
    closed = client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=admin_headers)
    assert closed.status_code == 200
    return ballot["id"]


def test_verify_passes_on_a_sound_database_and_says_what_it_checked(
        client, admin_headers, db, community, database_url, capsys):
    _counted_ballot(client, admin_headers, db, community)
    open_ballot = create_ballot(client, admin_headers, items=YES_NO)
    for rid in _residents(db, community.id, 2):
        _vote(db, open_ballot["id"], rid, {"1": [2], "2": [3]})
    code, out = _verify(database_url, capsys)
    assert code == 0, out
    assert "ok    tallies: 1 counted ballots" in out
    assert "ok    envelopes: 1 ballots not yet counted" in out
    assert "ok    outbox" in out and "ok    bindings" in out
    assert "everything matches" in out


def test_verify_catches_a_tally_changed_by_hand(client, admin_headers, db, community,
                                                database_url, capsys):
    ballot_id = _counted_ballot(client, admin_headers, db, community)
    with db.session() as session:
        tally = session.scalars(select(Tally).where(Tally.ballot_id == ballot_id)
                                .order_by(Tally.id)).first()
        session.execute(update(Tally).where(Tally.id == tally.id).values(count=tally.count + 1))
    code, out = _verify(database_url, capsys)
    assert code == 1
    assert "FAIL  tallies" in out
    assert f"ballot {ballot_id}: the tallies differ from what the count sealed" in out
    assert "add up to 7, the count found 6 genuine envelopes" in out


def test_verify_catches_a_vote_moved_between_options(client, admin_headers, db, community,
                                                     database_url, capsys):
    """The sums still match: only the seal can tell."""
    ballot_id = _counted_ballot(client, admin_headers, db, community)
    with db.session() as session:
        rows = session.scalars(select(Tally).where(Tally.ballot_id == ballot_id)
                               .order_by(Tally.item_id, Tally.option)).all()
        session.execute(update(Tally).where(Tally.id == rows[0].id).values(count=rows[0].count - 1))
        session.execute(update(Tally).where(Tally.id == rows[1].id).values(count=rows[1].count + 1))
    code, out = _verify(database_url, capsys)
    assert code == 1 and "differ from what the count sealed" in out
    assert "add up to" not in out


def test_verify_catches_a_lost_envelope_a_stuck_push_and_a_half_binding(
        client, admin_headers, db, community, database_url, capsys):
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    for rid in _residents(db, community.id, 3):
        _vote(db, ballot["id"], rid, {"1": [1], "2": [1]})
    now = datetime.now(UTC)
    with db.session() as session:
        gone = session.scalars(select(Envelope.id)).first()
        session.execute(Envelope.__table__.delete().where(Envelope.id == gone))
        outbox.enqueue(session, key="ops:stuck", channel="kakao", target="u1", text="알림")
        session.flush()
        session.execute(update(Outbox).values(status="sending",
                                              next_attempt_at=now - timedelta(minutes=10)))
        account = factories.verified(session, session.merge(community), "half-bound")
        account.bound_at = None
    code, out = _verify(database_url, capsys)
    assert code == 1
    assert f"ballot {ballot['id']}: 3 residents voted online, 2 sealed envelopes wait" in out
    assert "kakao: 1 messages still `sending` after their lease ran out" in out
    assert f"accounts bound to a resident without a time, or the reverse: {account.id}" in out
    assert "mismatch in envelopes, outbox, bindings" in out


# The drill -----------------------------------------------------------------------------------

def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "MAEUL_ENV": "test", "PYTHONPATH": os.getcwd()}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def _pending(db) -> set[str]:
    with db.session() as session:
        return set(session.scalars(select(Outbox.idempotency_key).where(
            Outbox.status == "pending")))


def _pg_args(url: str) -> list[str]:
    parsed = make_url(normalise_url(url))
    return ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
            "-U", parsed.username or "postgres", "-d", parsed.database]


@requires_postgres
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore")
def test_backup_and_restore_drill(tmp_path, config, admin_headers):
    with postgres_database(PG_URL, "maeul_drill_a") as source, \
            postgres_database(PG_URL, "maeul_drill_b") as restored:
        upgraded = _cli(source, "db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr
        app = create_app({**config, "DATABASE_URL": source, "DB_CREATE_ALL": False})
        client, db = app.test_client(), app.extensions["maeul.db"]
        with db.session() as session:
            community = Community(slug="pungsan", name="풍산동 주민자치회")
            session.add(community)
        counted = _counted_ballot(client, admin_headers, db, community)
        before = client.get(f"/api/v1/ballots/{counted}/results", headers=admin_headers)
        open_ballot = create_ballot(client, admin_headers, items=YES_NO)["id"]
        voters = _residents(db, community.id, 5)
        for rid in voters[:3]:  # mid-vote: three have voted, two have not
            assert _vote(db, open_ballot, rid, {"1": [1], "2": [2]}) == "recorded"
        proposal = published(db, community.id)
        with db.session() as session:
            outbox.enqueue_many(session, [{"idempotency_key": f"drill:{i}", "channel": "kakao",
                                           "target": f"u{i}", "text": "투표가 곧 끝나요."}
                                          for i in range(4)])
        queued = _pending(db)
        assert {f"drill:{i}" for i in range(4)} <= queued
        app.extensions["maeul.db"].dispose()

        dump = tmp_path / "maeul.dump"
        done = subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump),
                               *_pg_args(source)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                               *_pg_args(restored), str(dump)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

        again = _cli(restored, "db", "upgrade")
        assert again.returncode == 0, again.stderr
        checked = _cli(restored, "verify")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "everything matches" in checked.stdout

        app = create_app({**config, "DATABASE_URL": restored, "DB_CREATE_ALL": False})
        client, db = app.test_client(), app.extensions["maeul.db"]
        ready = client.get("/readyz?without=clock")
        assert ready.status_code == 200, ready.get_json()
        after = client.get(f"/api/v1/ballots/{counted}/results", headers=admin_headers)
        assert after.get_json() == before.get_json()
        assert client.get(f"/api/v1/proposals/{proposal}", headers=admin_headers
                          ).status_code == 200
        assert _pending(db) == queued  # every queued push is still there, once
        assert _vote(db, open_ballot, voters[0], {"1": [2], "2": [1]}) == "already_voted"
        for rid in voters[3:]:
            assert _vote(db, open_ballot, rid, {"1": [2], "2": [3]}) == "recorded"
        assert client.post(f"/api/v1/ballots/{open_ballot}/close",
                           headers=admin_headers).status_code == 200
        with db.session() as session:
            ballot = session.get(Ballot, open_ballot)
            numbers = {item.id: item.number for item in ballot.items}
            tallies = Counter({(numbers[t.item_id], t.option): t.count for t in session.scalars(
                select(Tally).where(Tally.ballot_id == open_ballot))})
        assert +tallies == Counter({(1, 1): 3, (2, 2): 3, (1, 2): 2, (2, 3): 2})
        final = _cli(restored, "verify")
        assert final.returncode == 0, final.stdout
        with db.engine.connect() as conn:  # the restore kept the schema's revision: head
            assert (conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                    == head_revision())
        app.extensions["maeul.db"].dispose()
