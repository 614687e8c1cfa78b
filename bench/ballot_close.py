"""How long closing a ballot takes with many votes, against the database's own limit.

Closing counts every online choice in SQL (`GROUP BY`) and freezes the counts. The floor for that
is one scan of the choices, so the figure reported is the ratio of the close to a bare
`SELECT count(*)` over the same rows, next to the seconds themselves.

    python -m bench.ballot_close                         # SQLite file, 100,000 voters
    python -m bench.ballot_close --url postgresql://postgres@127.0.0.1:5432/test --voters 100000

With a PostgreSQL URL the bench creates a database of its own beside the one named and drops it.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from bot import ballots
from bot.db import Database
from bot.models import Community, Resident
from bot.models.ballot import Ballot, Choice, Participation
from tests.scratch import postgres_database

ITEMS = [
    {"title": "축제 예산", "kind": "yes_no"},
    {"title": "공원 이름", "kind": "choose_one", "options": ["가", "나", "다"]},
    {"title": "사업 순위", "kind": "choose_up_to", "options": ["가", "나", "다", "라"],
     "max_choices": 2},
]
BATCH = 5000


@contextmanager
def scratch_database(url: str | None):
    if not url:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    with postgres_database(url, "maeul_bench") as scratch:
        yield scratch


def seed(db: Database, voters: int, seed_value: int = 7) -> tuple[int, Counter]:
    """A ballot with `voters` online votes; returns its id and the expected counts."""
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    with db.session() as session:
        community = Community(slug="bench", name="벤치동")
        session.add(community)
        session.flush()
        ballot = ballots.create(session, community, {
            "title": "벤치 투표", "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=1)).isoformat(), "items": ITEMS}, "bench", now)
        ballot_id, community_id = ballot.id, community.id
        item_ids = [item.id for item in ballot.items]
    expected: Counter = Counter()
    with db.engine.begin() as conn:
        for start in range(0, voters, BATCH):
            count = min(BATCH, voters - start)
            residents = [{"community_id": community_id, "identity_key": f"i{start + n}",
                          "lookup_key": f"l{start + n}", "masked_name": "김*수",
                          "birth_date": date(1960, 1, 1), "created_at": now, "updated_at": now}
                         for n in range(count)]
            ids = conn.execute(insert(Resident).returning(Resident.id), residents).scalars().all()
            conn.execute(insert(Participation), [
                {"ballot_id": ballot_id, "resident_id": rid, "channel": "kakao", "at": now,
                 "marked_by": ""} for rid in ids])
            choices = []
            for _ in ids:
                picks = [(item_ids[0], rng.randint(1, 2)), (item_ids[1], rng.randint(1, 3))]
                picks += [(item_ids[2], o) for o in rng.sample(range(1, 5), rng.randint(1, 2))]
                for item_id, option in picks:
                    expected[(item_id, option)] += 1
                    choices.append({"id": str(uuid.uuid4()), "ballot_id": ballot_id,
                                    "item_id": item_id, "option": option})
            conn.execute(insert(Choice), choices)
    return ballot_id, expected


def measure(url: str, voters: int) -> dict[str, float]:
    db = Database(url)
    db.create_all()
    try:
        ballot_id, expected = seed(db, voters)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        with db.session() as session:
            started = time.perf_counter()
            rows = session.scalar(select(func.count()).select_from(Choice)
                                  .where(Choice.ballot_id == ballot_id))
            scan = time.perf_counter() - started
        with db.session() as session:
            started = time.perf_counter()
            ballots.close(session, session.get(Ballot, ballot_id), "bench", datetime.now(UTC))
            session.commit()
            close = time.perf_counter() - started
        with db.session() as session:
            started = time.perf_counter()
            result = ballots.results(session, session.get(Ballot, ballot_id))
            read = time.perf_counter() - started
        got = Counter()
        with db.session() as session:
            items = {i.number: i.id for i in session.get(Ballot, ballot_id).items}
        for item in result["items"]:
            for n, option in enumerate(item["options"], start=1):
                if option["online"]:
                    got[(items[item["number"]], n)] = option["online"]
        if got != expected:
            raise AssertionError("frozen tally differs from the votes cast")
        return {"voters": voters, "choice_rows": rows, "scan_s": scan, "close_s": close,
                "results_s": read, "close_over_scan": close / scan if scan else float("inf")}
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--voters", type=int, default=100_000)
    args = parser.parse_args(argv)
    with scratch_database(args.url) as url:
        figures = measure(url, args.voters)
    engine = "PostgreSQL" if args.url else "SQLite"
    print(f"{engine}: {figures['voters']:,} voters, {figures['choice_rows']:,} choice rows")
    print(f"  bare count scan   {figures['scan_s'] * 1000:9.1f} ms")
    print(f"  close (tally)     {figures['close_s'] * 1000:9.1f} ms  "
          f"= {figures['close_over_scan']:.1f} x the scan")
    print(f"  results (read)    {figures['results_s'] * 1000:9.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
