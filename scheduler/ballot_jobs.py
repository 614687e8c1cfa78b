"""Clock jobs of ballots: close those whose time is up and freeze their online tally.

Notices and reminders for ballots are sent by the notice jobs (they read `ballots.due_times`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import ballots
from bot.config import Settings
from scheduler.jobs import job


@job("ballots.close_due")
def close_due(session: Session, settings: Settings, now: datetime) -> int:
    return ballots.close_due(session, now)
