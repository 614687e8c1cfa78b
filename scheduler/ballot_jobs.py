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


# What a conversation may hold of a vote in progress: the sealed draft of the step it is on, a
# vote left for later (`paused`, with its own sealed draft), and from before drafts were sealed,
# plain picks.
DRAFT_KEYS = ("draft", "picks", "pending", "paused")


@job("ballots.drafts")
def wipe_closed_drafts(session: Session, settings: Settings, now: datetime) -> int:
    """A vote not submitted waits for the resident until its ballot closes; then its sealed
    draft leaves the database. Conversations in use are left alone (the next message meets the
    closed ballot anyway); idle ones holding a draft are read, and one query says which of their
    ballots are still open."""
    cutoff = now - timedelta(minutes=settings["CONVERSATION_IDLE_MINUTES"])
    text = cast(Conversation.data, String)
    rows = session.execute(select(Conversation.account_id, Conversation.data,
                                  Conversation.updated_at).where(
        Conversation.updated_at < cutoff,
        or_(*(text.like(f'%"{key}"%') for key in DRAFT_KEYS)))).all()
    if not rows:
        return 0

    def ballot_of(data: dict) -> int | None:
        if "paused" in data and isinstance(data["paused"], dict):
            return data["paused"].get("ballot")
        return data.get("ballot")

    wanted = {ballot_of(data) for _, data, _ in rows} - {None}
    still_open = {b.id for b in session.scalars(select(Ballot).where(Ballot.id.in_(wanted)))
                  if ballots.status(b, now) == ballots.OPEN}
    wiped = 0
    for account_id, data, updated_at in rows:
        if ballot_of(data) in still_open:
            continue
        kept = {k: v for k, v in data.items() if k not in DRAFT_KEYS}
        wiped += session.execute(update(Conversation).where(
            Conversation.account_id == account_id, Conversation.updated_at == updated_at)
            .values(data=kept)).rowcount
    return wiped
