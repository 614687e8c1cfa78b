"""The clock as real processes: kill -9 in the middle of a 10,000-recipient fan-out and start it
again; two clocks on one PostgreSQL database, one active, the other taking over when it dies."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot import ballots, outbox
from bot.commands.ballots import CreateBallot, read_ballot
from bot.models import Community, Outbox
from tests.ballot_helpers import app_keys
from tests.conftest import requires_postgres
from tests.fakes import FakeMessengers
from tests.proposal_helpers import residents

RECIPIENTS = 10_000


class Clock:
    """`maeul clock` in a process of its own; its stdout lines are read as they come."""

    def __init__(self, env: dict) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "clock"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_for(self, text: str, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if self.lines.get(timeout=0.2) == text:
                    return time.monotonic() - started
            except queue.Empty:
                continue
        raise AssertionError(f"the clock never said {text!r}")

    def said(self, text: str) -> bool:
        found = False
        while not self.lines.empty():
            found = found or self.lines.get() == text
        return found

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _env(config: dict, fake: FakeMessengers, **extra) -> dict:
    env = {**os.environ, **{k: str(v) for k, v in config.items()},
           **{k: str(v) for k, v in fake.settings().items()},
           "QUIET_HOURS": "off", "CLOCK_TICK_SECONDS": "1", "OUTBOX_LEASE_SECONDS": "2",
           "PYTHONPATH": os.getcwd()}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _count(db, *statuses: str) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Outbox)
                              .where(Outbox.status.in_(statuses)))


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_clock_killed_mid_fan_out_resumes_and_nobody_is_missed(db, community, config, fake):
    now = datetime.now(UTC)
    with db.session() as session:
        where = session.get(Community, community.id)
        ballots.create(session, app_keys(), where, read_ballot(CreateBallot, {
            "title": "주민총회", "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(days=2)).isoformat(),
            "items": [{"title": "축제 예산", "kind": "yes_no"}]}, where, now), "manager:1", now)
    residents(db, community.id, RECIPIENTS, accounts=True, prefix="crash")
    env = _env(config, fake, KAKAO_RATE_PER_SECOND=2500)
    first = Clock(env)
    try:
        _wait(lambda: _count(db, "sent") >= 3000, 120, "3,000 sent")
        first.kill()
    finally:
        first.stop()
    at_kill = sum(fake.received("kakao").values())
    assert at_kill < RECIPIENTS, "the kill came in the middle of the fan-out"
    second = Clock(env)
    try:
        _wait(lambda: _count(db, "pending", "sending") == 0 and _count(db, "sent") > 0, 180,
              "the fan-out to finish")
    finally:
        second.stop()
    received = fake.received("kakao")
    assert len(received) == RECIPIENTS, "nobody is missed"
    doubled = sum(count - 1 for count in received.values())
    # At most the one batch that was in flight at the kill can have reached Kakao without the
    # outbox hearing back; everything else went out exactly once.
    assert doubled <= 100, doubled
    assert _count(db, "sent") == RECIPIENTS
    print(f"\ncrash test: killed after {at_kill} of {RECIPIENTS}; doubled {doubled}")


@requires_postgres
def test_two_clocks_on_one_database_one_acts_and_the_other_takes_over(db, config, fake):
    env = _env(config, fake)
    first, second = Clock(env), None
    try:
        first.wait_for("clock active", 30)
        second = Clock(env)
        second.wait_for("clock standby", 30)
        with db.session() as session:
            outbox.enqueue_many(session, [{"idempotency_key": f"a:{i}", "channel": "kakao",
                                           "target": f"a{i}", "text": "첫째"} for i in range(50)])
        _wait(lambda: _count(db, "sent") == 50, 30, "the first clock to deliver")
        assert not second.said("clock active"), "the standby stays standby"
        first.kill()
        took = second.wait_for("clock active", 60)
        with db.session() as session:
            outbox.enqueue_many(session, [{"idempotency_key": f"b:{i}", "channel": "kakao",
                                           "target": f"b{i}", "text": "둘째"} for i in range(50)])
        _wait(lambda: _count(db, "sent") == 100, 30, "the second clock to deliver")
    finally:
        first.stop()
        if second is not None:
            second.stop()
    received = fake.received("kakao")
    assert len(received) == 100 and set(received.values()) == {1}
    assert took < 60
    print(f"\nstandby took over {took:.1f} s after the kill")
