"""Clock jobs of ballots: close those whose time is up (freezing the online tally), announce
those that opened, and remind non-voters at each reminder time. Closing runs first, so a ballot
that has closed is never announced or reminded about."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import ballots, notices
from bot.config import Settings
from bot.models.ballot import Ballot
from scheduler.jobs import job


@job("ballots.close_due")
def close_due(session: Session, settings: Settings, now: datetime) -> int:
    return ballots.close_due(session, now)


@job("ballots.notices")
def announce_and_remind(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    queued = {"opened": 0, "reminders": 0, "messages": 0}
    live = session.scalars(select(Ballot).where(
        Ballot.cancelled_at.is_(None), Ballot.published_at.is_(None), Ballot.closed_at.is_(None),
        Ballot.opens_at <= now, Ballot.closes_at > now)).all()
    for ballot in live:
        if ballot.opened_at is None:
            ballot.opened_at = now
            queued["messages"] += notices.ballot_opened(session, ballot, now)
            queued["opened"] += 1
        due = [r for r in ballot.reminders
               if datetime.fromisoformat(r) <= now and r not in ballot.reminders_done]
        for stamp in due:
            queued["messages"] += notices.ballot_reminder(session, ballot, stamp, now)
            queued["reminders"] += 1
        if due:
            ballot.reminders_done = [*ballot.reminders_done, *due]
    return queued
