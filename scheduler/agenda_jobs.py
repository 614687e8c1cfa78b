"""Clock jobs of the agenda's follow-through: due dates that passed without a result."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import agenda
from bot.config import Settings
from scheduler.jobs import job


@job("agenda.overdue")
def overdue(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    return agenda.overdue_due(session, now)
