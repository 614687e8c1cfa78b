"""One hall at a 주민총회: N residents read the six digits on the projector and vote in KakaoTalk
within a window of a few minutes (issue 18). Maeul runs under gunicorn (2 sync workers, as in the
webhook bench); each resident's arrival is spread over the window and their three messages (the
password, `1` for 찬성 or `2` for 반대, `1` to submit) go through the real Kakao webhook in order,
one in ten tapping the last `1` twice at once. Afterwards every vote must be recorded exactly once:
N participations on site in the app, N sealed envelopes, and a count that gives back what was cast.

    python -m bench.hall [--residents 300] [--window 120] [--pg URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import func, select

from bench.webhook import TOKEN, Gunicorn, payload, seed
from bot import ballots, live
from bot.db import Database
from bot.models.ballot import ONSITE_APP, Ballot, Envelope, Participation, Tally

CONNECTIONS = 32  # residents talking at the same moment, at most


def _open_meeting(url: str) -> tuple[int, str]:
    db = Database(url)
    with db.session() as session:
        ballot = session.scalars(select(Ballot)).one()
        row, _ = live.start(session, ballot, "bench", datetime.now(UTC))
        found = (row.id, row.secret)
    db.dispose()
    return found


class Hall:
    """The residents: each arrives at their moment and says their three lines."""

    def __init__(self, port: int, secret: str, residents: int, window: float) -> None:
        self.port = port
        self.totp = pyotp.TOTP(secret, digits=live.DIGITS, interval=live.STEP)
        rng = random.Random(18)
        self.arrivals = sorted((rng.uniform(0, window), n) for n in range(residents))
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.cast: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.next = 0

    def _say(self, conn: http.client.HTTPConnection, user: str, text: str) -> str:
        started = time.perf_counter()
        conn.request("POST", f"/webhooks/kakao/{TOKEN}", payload(user, text),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies.append(elapsed)
        if response.status != 200:
            raise RuntimeError(f"{user} {text!r}: HTTP {response.status}")
        outputs = json.loads(body)["template"]["outputs"]
        return "\n".join(o["simpleText"]["text"] for o in outputs)

    def _resident(self, conn: http.client.HTTPConnection, n: int) -> None:
        user, choice = f"bench-{n}", 1 if n % 3 else 2
        answer = self._say(conn, user, self.totp.now())
        if "1/1" not in answer:
            raise RuntimeError(f"{user}: the password did not open the ballot: {answer[:80]!r}")
        self._say(conn, user, str(choice))
        if n % 10 == 0:  # a double tap: the same `1` twice at once, from a second connection
            other = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            twin = threading.Thread(target=self._say, args=(other, user, "1"))
            twin.start()
            self._say(conn, user, "1")
            twin.join()
            other.close()
        else:
            self._say(conn, user, "1")
        with self.lock:
            self.cast[choice] += 1

    def _worker(self, t0: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while True:
            with self.lock:
                if self.next >= len(self.arrivals):
                    break
                at, n = self.arrivals[self.next]
                self.next += 1
            delay = t0 + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                self._resident(conn, n)
            except (OSError, http.client.HTTPException, RuntimeError, KeyError,
                    ValueError) as exc:
                with self.lock:
                    self.errors.append(str(exc)[:200])
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.close()

    def run(self) -> float:
        t0 = time.monotonic()
        threads = [threading.Thread(target=self._worker, args=(t0,)) for _ in range(CONNECTIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - t0


def _recorded(url: str) -> dict[str, object]:
    """What the database holds after the meeting, and the count of it."""
    db = Database(url)
    keys = _keys()
    with db.session() as session:
        ballot = session.scalars(select(Ballot)).one()
        ways = dict(session.execute(select(Participation.channel, func.count())
                                    .group_by(Participation.channel)).all())
        envelopes = session.scalar(select(func.count()).select_from(Envelope))
        ballots.close(session, keys, ballot, "bench", datetime.now(UTC) + timedelta(seconds=1))
        tally = {t.option: t.count for t in session.scalars(select(Tally))}
    db.dispose()
    return {"participations": ways, "envelopes": envelopes, "tally": tally}


def _keys():
    from bot import sealing

    return sealing.Keyring("bench-sealing-key")  # the box bench.webhook.seed made


def measure(url: str, residents: int = 300, window: float = 120.0) -> dict[str, object]:
    seed(url, residents)
    live_id, secret = _open_meeting(url)
    env = {"MAEUL_ENV": "test", "DATABASE_URL": url, "KAKAO_WEBHOOK_TOKEN": TOKEN,
           "KAKAO_BOT_ID": "bench-bot", "DB_CREATE_ALL": "false", "DB_POOL_SIZE": "4"}
    server = Gunicorn("bot:create_app()", env)
    try:
        hall = Hall(server.port, secret, residents, window)
        took = hall.run()
    finally:
        server.stop()
    latencies = sorted(hall.latencies)
    recorded = _recorded(url)
    return {"residents": residents, "window_s": window, "took_s": took, "live_id": live_id,
            "requests": len(latencies), "errors": hall.errors,
            "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
            "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000
            if latencies else None,
            "max_ms": latencies[-1] * 1000 if latencies else None,
            "cast": dict(hall.cast), **recorded}


def main(argv: list[str] | None = None) -> int:
    from bench.__main__ import PG_DEFAULT
    from bench.ballot_close import scratch_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=300)
    parser.add_argument("--window", type=float, default=120.0)
    parser.add_argument("--pg", default=PG_DEFAULT)
    args = parser.parse_args(argv)
    with scratch_database(args.pg) as url:
        figures = measure(url, args.residents, args.window)
    print(json.dumps({k: v for k, v in figures.items()}, ensure_ascii=False, indent=1))
    ok = (not figures["errors"] and figures["participations"] == {ONSITE_APP: args.residents}
          and figures["envelopes"] == args.residents)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
