"""The table of periodic jobs. Each job is `job(session, settings, now)`, idempotent and short.

`run_due` is what one tick of the clock does (every job, then outbox delivery);
`maeul tick --now T` calls it once for time T.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import Database

log = logging.getLogger("maeul.clock")

Job = Callable[[Session, Settings, datetime], object]


def job(name: str) -> Callable[[Job], Job]:
    """Name a job (for logs and `maeul tick`); scheduler/tasks.py lists which run, in order."""

    def decorate(func: Job) -> Job:
        func.job_name = name  # type: ignore[attr-defined]
        return func

    return decorate


def run_due(db: Database, settings: Settings, now: datetime) -> dict[str, object]:
    """Run every job once as of `now`. A failing job is logged and does not stop the others."""
    from bot.delivery import deliver_due
    from scheduler.tasks import JOBS

    outcomes: dict[str, object] = {}
    for func in JOBS:
        name = func.job_name
        try:
            with db.session() as session:
                outcomes[name] = func(session, settings, now)
        except Exception as exc:  # one sick job must not starve the rest
            log.exception("job %s failed", name)
            outcomes[name] = f"failed: {exc.__class__.__name__}"
    # Last, so that what this tick queued goes out in the same tick.
    try:
        outcomes["outbox.deliver"] = deliver_due(db, settings, now)
    except Exception as exc:
        log.exception("outbox delivery failed")
        outcomes["outbox.deliver"] = f"failed: {exc.__class__.__name__}"
    return outcomes
