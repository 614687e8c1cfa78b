"""Outbox throughput to the loopback fake, against the fake's own limit.

The limit is what a bare loop of the same HTTP requests reaches (no database, no outbox): the
fastest any sender could go on this machine. Maeul's figure is the whole delivery path (claim with
a lease, send, record) over the same number of messages, so the ratio says what the outbox costs.

    python -m bench.outbox_throughput                          # SQLite, 10,000 Kakao pushes
    python -m bench.outbox_throughput --url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

import requests

from bench.ballot_close import scratch_database
from bot import outbox
from bot.config import load_settings
from bot.db import Database
from bot.delivery import Deliverer
from tests.fakes import KAKAO_BOT, KAKAO_KEY, TELEGRAM_TOKEN, FakeMessengers

NOON = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def bare(fake: FakeMessengers, channel: str, count: int) -> float:
    """Messages a second of a plain loop of the same requests."""
    http = requests.Session()
    started = time.perf_counter()
    if channel == "kakao":
        for start in range(0, count, 100):
            users = [{"type": "botUserKey", "id": f"bare{n}"}
                     for n in range(start, min(count, start + 100))]
            http.post(f"{fake.base}/v2/bots/{KAKAO_BOT}/talk",
                      headers={"Authorization": f"KakaoAK {KAKAO_KEY}"},
                      json={"event": {"name": "maeul_notice", "data": {"text": "공지"}},
                            "user": users}).raise_for_status()
    else:
        for n in range(count):
            http.post(f"{fake.base}/bot{TELEGRAM_TOKEN}/sendMessage",
                      json={"chat_id": f"bare{n}", "text": "공지"}).raise_for_status()
    return count / (time.perf_counter() - started)


def through_outbox(url: str, fake: FakeMessengers, channel: str, count: int) -> float:
    settings = load_settings({"MAEUL_ENV": "test", "DATABASE_URL": url, **fake.settings(),
                              "KAKAO_RATE_PER_SECOND": 10**9, "TELEGRAM_RATE_PER_SECOND": 10**9,
                              "QUIET_HOURS": "off"}, use_env=False)
    db = Database(url)
    db.create_all()
    try:
        with db.session() as session:
            outbox.enqueue_many(session, [
                {"idempotency_key": f"bench:{channel}:{n}", "channel": channel,
                 "target": f"user{n}", "text": "공지"} for n in range(count)], NOON)
        started = time.perf_counter()
        counts = Deliverer(db, settings).run(NOON)
        elapsed = time.perf_counter() - started
        if counts.get("sent") != count:
            raise AssertionError(f"delivered {counts}, expected {count}")
        return count / elapsed
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args(argv)
    fake = FakeMessengers().start()
    try:
        engine = "PostgreSQL" if args.url else "SQLite"
        for channel, count in (("kakao", args.count), ("telegram", max(1, args.count // 5))):
            limit = bare(fake, channel, count)
            with scratch_database(args.url) as url:
                rate = through_outbox(url, fake, channel, count)
            print(f"{engine} {channel:8s} {count:>6,} messages: outbox {rate:8.0f}/s, "
                  f"bare loop {limit:8.0f}/s, ratio {rate / limit:.2f}")
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
