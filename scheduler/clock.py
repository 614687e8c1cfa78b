"""`maeul clock`: APScheduler ticks every few seconds and runs the due jobs, then the outbox.

One active clock per database. On PostgreSQL the active clock holds a session advisory lock on a
connection of its own; a second clock finds the lock taken and waits as a hot standby, trying
again every tick, so it takes over within one tick of the first one dying (its connection closes
and the lock with it). SQLite is one machine's file: the clock there is always active.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot import metrics
from bot.config import Settings
from bot.db import Database, is_postgres
from bot.models.ops import ClockHeartbeat
from scheduler.jobs import run_due

log = logging.getLogger("maeul.clock")
LOCK_KEY = 0x6D61_6575_6C  # "maeul"


class Leadership:
    """Whether this process is the active clock; asks again on every tick until it is."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.connection: Connection | None = None
        self.active = not is_postgres(db.engine)
        self.announced: bool | None = None

    def check(self) -> bool:
        if is_postgres(self.db.engine):
            self._check_postgres()
        if self.announced is not self.active:
            print(f"clock {'active' if self.active else 'standby'}", flush=True)
            log.info("clock is %s", "active" if self.active else "on standby")
            self.announced = self.active
        metrics.CLOCK_LEADER.set(1 if self.active else 0)
        return self.active

    def _check_postgres(self) -> None:
        try:
            if self.connection is None:
                self.connection = self.db.engine.connect()
            if self.active:
                self.connection.execute(text("SELECT 1"))
                return
            got = self.connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                          {"k": LOCK_KEY}).scalar()
            self.connection.commit()
            self.active = bool(got)
        except Exception:  # the database went away: drop the lock and ask again next tick
            log.exception("clock lost its database connection")
            self.release()

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                log.debug("closing the clock's lock connection failed", exc_info=True)
        self.connection = None
        self.active = not is_postgres(self.db.engine)


HOLDER = f"{socket.gethostname()[:100]}:{os.getpid()}"


def heartbeat(db: Database, now: datetime) -> None:
    """The active clock's sign of life, read by /readyz and the metrics from any process."""
    with db.session() as session:
        beat = session.get(ClockHeartbeat, 1)
        if beat is None:
            session.add(ClockHeartbeat(id=1, last_tick_at=now, holder=HOLDER))
        else:
            beat.last_tick_at, beat.holder = now, HOLDER


def _tick(db: Database, settings: Settings, leadership: Leadership) -> None:
    if leadership.check():
        now = datetime.now(UTC)
        run_due(db, settings, now)
        try:
            heartbeat(db, now)
        except Exception:  # a missed heartbeat shows as a stale tick; the next tick tries again
            log.exception("the clock could not record its tick")
        metrics.CLOCK_TICKS.inc()


def _add(sched, db: Database, settings: Settings, seconds: int) -> Leadership:  # noqa: ANN001
    leadership = Leadership(db)
    sched.add_job(_tick, "interval", seconds=seconds, args=[db, settings, leadership],
                  max_instances=1, coalesce=True, next_run_time=datetime.now(UTC))
    return leadership


def background_clock(db: Database, settings: Settings,
                     seconds: int | None = None) -> BackgroundScheduler:
    """A clock inside another process (the demo)."""
    sched = BackgroundScheduler(timezone="UTC")
    _add(sched, db, settings, seconds or settings["CLOCK_TICK_SECONDS"])
    sched.start()
    return sched


def run_clock(db: Database, settings: Settings, seconds: int | None = None) -> None:
    """The clock process of the Procfile: blocks until SIGTERM."""
    seconds = seconds or settings["CLOCK_TICK_SECONDS"]
    sched = BlockingScheduler(timezone="UTC")
    leadership = _add(sched, db, settings, seconds)
    signal.signal(signal.SIGTERM, lambda *_: sched.shutdown(wait=False))
    log.info("clock started, ticking every %s s", seconds)
    try:
        sched.start()
    finally:
        leadership.release()
