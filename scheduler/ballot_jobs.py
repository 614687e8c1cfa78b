"""Clock jobs of ballots: close those whose time is up (counting those without trustees), announce
those that opened, and remind non-voters at each reminder time. Closing runs first, so a ballot
that has closed is never announced or reminded about."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, cast, or_, select, update
from sqlalchemy.orm import Session

from bot import ballots, notices, sealing
from bot.config import Settings
from bot.models import Conversation
from bot.models.ballot import Ballot
from scheduler.jobs import job


@job("ballots.close_due")
def close_due(session: Session, settings: Settings, now: datetime) -> int:
    return ballots.close_due(session, sealing.keyring(settings), now)


@job("ballots.notices")
def announce_and_remind(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    queued = {"opened": 0, "reminders": 0, "messages": 0}
    live = session.scalars(select(Ballot).where(
        Ballot.cancelled_at.is_(None), Ballot.published_at.is_(None), Ballot.closed_at.is_(None),
        Ballot.opens_at <= now, Ballot.closes_at > now)).all()
    for ballot in live:
        if not ballots.ready(ballot):  # trustees' secrets missing: not open, nothing to say
            continue
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


# What a conversation may hold of a vote in progress: the sealed draft (and, from before drafts
# were sealed, plain picks).
DRAFT_KEYS = ("draft", "picks", "pending")


@job("ballots.drafts")
def wipe_idle_drafts(session: Session, settings: Settings, now: datetime) -> int:
    """A vote left half-way is gone once the conversation has been idle for its idle time (the
    next message starts from the home menu anyway): its sealed draft leaves the database. Only
    rows that still hold a draft are read, so wiped ones are not looked at again each tick."""
    cutoff = now - timedelta(minutes=settings["CONVERSATION_IDLE_MINUTES"])
    text = cast(Conversation.data, String)
    rows = session.execute(select(Conversation.account_id, Conversation.data,
                                  Conversation.updated_at).where(
        Conversation.state.like("ballot.%"), Conversation.updated_at < cutoff,
        or_(*(text.like(f'%"{key}"%') for key in DRAFT_KEYS)))).all()
    wiped = 0
    for account_id, data, updated_at in rows:
        kept = {k: v for k, v in data.items() if k not in DRAFT_KEYS}
        wiped += session.execute(update(Conversation).where(
            Conversation.account_id == account_id, Conversation.updated_at == updated_at)
            .values(data=kept)).rowcount
    return wiped
