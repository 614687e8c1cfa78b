"""`maeul clock`: APScheduler ticks every few seconds and runs the due jobs."""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.config import Settings
from bot.db import Database
from scheduler.jobs import run_due

log = logging.getLogger("maeul.clock")
TICK_SECONDS = 10


def _tick(db: Database, settings: Settings) -> None:
    run_due(db, settings, datetime.now(UTC))


def background_clock(db: Database, settings: Settings,
                     seconds: int = TICK_SECONDS) -> BackgroundScheduler:
    """A clock inside another process (the demo)."""
    sched = BackgroundScheduler(timezone="UTC")
    sched.add_job(_tick, "interval", seconds=seconds, args=[db, settings], max_instances=1,
                  coalesce=True, next_run_time=datetime.now(UTC))
    sched.start()
    return sched


def run_clock(db: Database, settings: Settings, seconds: int = TICK_SECONDS) -> None:
    """The clock process of the Procfile: blocks until SIGTERM."""
    sched = BlockingScheduler(timezone="UTC")
    sched.add_job(_tick, "interval", seconds=seconds, args=[db, settings], max_instances=1,
                  coalesce=True, next_run_time=datetime.now(UTC))
    signal.signal(signal.SIGTERM, lambda *_: sched.shutdown(wait=False))
    log.info("clock started, ticking every %s s", seconds)
    sched.start()
