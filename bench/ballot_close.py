"""How long counting a sealed ballot takes with many votes, against today's plain close.

Each voter's whole ballot is one sealed envelope (bot/sealing.py). The count opens them in random
order, adds up, keeps the tallies and deletes the envelopes. Two yardsticks are measured in the
same run on the same votes: the plain close as it was before sealing (a `GROUP BY` over a table
of plain choice rows, frozen into counts), and a bare `SELECT count(*)` over the envelopes.

    python -m bench.ballot_close                         # SQLite file, 100,000 voters
    python -m bench.ballot_close --url postgresql://postgres@127.0.0.1:5432/test --voters 100000
    python -m bench.ballot_close --url ... --trustees 3  # the box opened with 3 trustees' secrets

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

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    text,
)

from bot import ballots, sealing
from bot.commands.ballots import CountBallot, CreateBallot, SetTrusteeSecret, read_ballot
from bot.db import Database
from bot.models import Community, Resident
from bot.models.ballot import Ballot, Envelope, Participation
from tests.scratch import postgres_database

ITEMS = [
    {"title": "축제 예산", "kind": "yes_no"},
    {"title": "공원 이름", "kind": "choose_one", "options": ["가", "나", "다"]},
    {"title": "사업 순위", "kind": "choose_up_to", "options": ["가", "나", "다", "라"],
     "max_choices": 2},
]
# A participatory budget (issue 19): 20 projects, 3,000만 원, up to 5 picks within the cap.
PROJECT_COSTS = [(n % 9 + 1) * 1_000_000 for n in range(20)]
BUDGET_CAP = 30_000_000


def budget_items(rule: str) -> list[dict]:
    return [{"title": "주민참여예산", "kind": "budget", "budget": BUDGET_CAP, "max_choices": 5,
             "rule": rule, "options": [{"label": f"사업 {n + 1}", "cost": cost}
                                       for n, cost in enumerate(PROJECT_COSTS)]}]


def _budget_picks(rng: random.Random) -> dict[str, list[int]]:
    chosen: list[int] = []
    for n in rng.sample(range(1, 21), rng.randint(1, 5)):
        if sum(PROJECT_COSTS[c - 1] for c in chosen) + PROJECT_COSTS[n - 1] <= BUDGET_CAP:
            chosen.append(n)
    return {"1": sorted(chosen)}


BATCH = 5000
KEYS = sealing.Keyring("bench-sealing-key")

# Today's plain close, for the yardstick: the table of plain choice rows as it was before sealing
# (migration 0003) and the counts it was frozen into.
_plain = MetaData()
PLAIN_CHOICES = Table("bench_plain_choices", _plain,
                      Column("id", String(36), primary_key=True),
                      Column("ballot_id", Integer), Column("item_id", Integer),
                      Column("option", Integer), sqlite_with_rowid=False)
PLAIN_TALLIES = Table("bench_plain_tallies", _plain, Column("ballot_id", Integer),
                      Column("item_id", Integer), Column("option", Integer),
                      Column("count", Integer))


@contextmanager
def scratch_database(url: str | None):
    if not url:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    with postgres_database(url, "maeul_bench") as scratch:
        yield scratch


def _secret(n: int) -> str:
    return f"bench trustee secret {n}"


def seed(db: Database, voters: int, trustees: int = 0, seed_value: int = 7,
         budget: str | None = None) -> tuple[int, Counter]:
    """A ballot with `voters` sealed online votes (and the same votes as plain rows in the
    yardstick table); returns its id and the expected counts. `budget` (a rule) makes it one
    participatory-budget item of 20 projects instead of the three items."""
    rng = random.Random(seed_value)
    items = budget_items(budget) if budget else ITEMS
    now = datetime.now(UTC)
    opens = now + timedelta(minutes=1) if trustees else now - timedelta(hours=1)
    with db.session() as session:
        community = Community(slug="bench", name="벤치동")
        session.add(community)
        session.flush()
        ballot = ballots.create(session, KEYS, community, read_ballot(CreateBallot, {
            "title": "벤치 투표", "opens_at": opens.isoformat(),
            "closes_at": (now + timedelta(days=1)).isoformat(), "items": items,
            "trustees": [{"name": f"관리인{n}"} for n in range(1, trustees + 1)]}, community, now),
            "bench", now)
        for n in range(1, trustees + 1):
            ballots.set_trustee_secret(session, KEYS, ballot, n,
                                       SetTrusteeSecret(secret=_secret(n)), "bench", now)
        ballot_id, community_id = ballot.id, community.id
        item_ids = [item.id for item in ballot.items]
        box = ballot.box_public_key
    sizes = [len(item.get("options") or ballots.yes_no_options()) for item in items]
    expected: Counter = Counter()
    with db.engine.begin() as conn:
        _plain.create_all(conn)
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
            envelopes, plain = [], []
            for _ in ids:
                picks = _budget_picks(rng) if budget else {
                    "1": [rng.randint(1, 2)], "2": [rng.randint(1, 3)],
                    "3": sorted(rng.sample(range(1, 5), rng.randint(1, 2)))}
                envelopes.append({"id": str(uuid.uuid4()), "ballot_id": ballot_id,
                                  "sealed": sealing.seal(box, sealing.encode(sizes, picks))})
                for number, options in picks.items():
                    for option in options:
                        item_id = item_ids[int(number) - 1]
                        expected[(item_id, option)] += 1
                        plain.append({"id": str(uuid.uuid4()), "ballot_id": ballot_id,
                                      "item_id": item_id, "option": option})
            conn.execute(insert(Envelope), envelopes)
            conn.execute(insert(PLAIN_CHOICES), plain)
    return ballot_id, expected


def measure(url: str, voters: int, trustees: int = 0, budget: str | None = None
            ) -> dict[str, float]:
    db = Database(url)
    db.create_all()
    try:
        ballot_id, expected = seed(db, voters, trustees, budget=budget)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        with db.session() as session:
            started = time.perf_counter()
            rows = session.scalar(select(func.count()).select_from(Envelope)
                                  .where(Envelope.ballot_id == ballot_id))
            scan = time.perf_counter() - started
        with db.engine.begin() as conn:  # the plain close of before: GROUP BY, freeze
            started = time.perf_counter()
            counted = (select(PLAIN_CHOICES.c.ballot_id, PLAIN_CHOICES.c.item_id,
                              PLAIN_CHOICES.c.option, func.count())
                       .where(PLAIN_CHOICES.c.ballot_id == ballot_id)
                       .group_by(PLAIN_CHOICES.c.ballot_id, PLAIN_CHOICES.c.item_id,
                                 PLAIN_CHOICES.c.option))
            conn.execute(insert(PLAIN_TALLIES).from_select(
                ["ballot_id", "item_id", "option", "count"], counted))
            plain = time.perf_counter() - started
            plain_rows = conn.execute(select(func.count()).select_from(PLAIN_CHOICES)).scalar()
        later = datetime.now(UTC) + timedelta(days=2)  # voting has ended by then
        with db.session() as session:
            started = time.perf_counter()
            ballot = session.get(Ballot, ballot_id)
            ballots.close(session, KEYS, ballot, "bench", later)
            if trustees:
                ballots.count(session, KEYS, ballot, CountBallot(
                    secrets=[_secret(n) for n in range(1, trustees + 1)]), "bench", later)
            session.commit()
            close = time.perf_counter() - started
        with db.session() as session:
            left = session.scalar(select(func.count()).select_from(Envelope))
            started = time.perf_counter()
            result = ballots.results(session, session.get(Ballot, ballot_id))
            read = time.perf_counter() - started
        got = Counter()
        with db.session() as session:
            items = {i.number: i.id for i in session.get(Ballot, ballot_id).items}
        for item in result["items"]:
            for n, option in enumerate(item["options"], start=1):
                if option["total"]:
                    got[(items[item["number"]], n)] = option["total"]
        if got != expected or left:
            raise AssertionError("the count differs from the votes cast, or envelopes are left")
        funded = [o["label"] for item in result["items"] for o in item["options"]
                  if o.get("funded")]
        return {"voters": voters, "envelopes": rows, "choice_rows": plain_rows, "funded": funded,
                "trustees": trustees, "scan_s": scan, "close_s": close, "plain_close_s": plain,
                "results_s": read, "close_over_scan": close / scan if scan else float("inf"),
                "sealed_over_plain": close / plain if plain else float("inf")}
    finally:
        _plain.drop_all(db.engine)  # the yardstick's tables are the bench's own
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--trustees", type=int, default=0)
    parser.add_argument("--budget", choices=["greedy", "equal_shares"], default=None,
                        help="one participatory-budget item of 20 projects, funded by this rule")
    args = parser.parse_args(argv)
    with scratch_database(args.url) as url:
        figures = measure(url, args.voters, args.trustees, args.budget)
    engine = "PostgreSQL" if args.url else "SQLite"
    print(f"{engine}: {figures['voters']:,} voters, {figures['envelopes']:,} envelopes "
          f"({figures['choice_rows']:,} plain choice rows), {figures['trustees']} trustees")
    print(f"  bare count scan         {figures['scan_s'] * 1000:9.1f} ms")
    print(f"  plain close (before)    {figures['plain_close_s'] * 1000:9.1f} ms")
    print(f"  sealed count (close)    {figures['close_s'] * 1000:9.1f} ms  "
          f"= {figures['sealed_over_plain']:.1f} x the plain close, "
          f"{figures['close_over_scan']:.1f} x the scan")
    print(f"  results (read)          {figures['results_s'] * 1000:9.1f} ms")
    if args.budget:
        print(f"  funded ({args.budget}): {', '.join(figures['funded'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
