"""Clock job of the console: sessions past their idle or maximum time, and sign-in counters whose
window is over, leave the database (both also end on their own when next looked at)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.console.signin import forget_expired_limits, forget_expired_sessions
from scheduler.jobs import job


@job("console.expired")
def forget_expired(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    return {"sessions": forget_expired_sessions(session, settings, now),
            "limits": forget_expired_limits(session, now)}
