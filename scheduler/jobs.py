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
JOBS: list[tuple[str, Job]] = []


def job(name: str) -> Callable[[Job], Job]:
    """Register a job; jobs run in registration order, each in its own transaction."""

    def decorate(func: Job) -> Job:
        if any(existing == name for existing, _ in JOBS):
            raise RuntimeError(f"job {name!r} registered twice")
        JOBS.append((name, func))
        return func

    return decorate


def run_due(db: Database, settings: Settings, now: datetime) -> dict[str, object]:
    """Run every job once as of `now`. A failing job is logged and does not stop the others."""
    import scheduler.tasks  # noqa: F401  (registers the jobs)
    from bot.delivery import deliver_due

    outcomes: dict[str, object] = {}
    for name, func in JOBS:
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
