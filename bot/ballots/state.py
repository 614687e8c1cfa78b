"""A ballot's state, read off its times, and the row lock every change takes.

The life cycle is read off the times: a ballot is `scheduled` before `opens_at`, `open` until it
closes (at `closes_at`, or earlier when a manager closes it), then `closed`; `published` once the
manager publishes the result; `cancelled` at any point before that. Nothing needs the clock to flip
a ballot open: a ballot created with `opens_at` in the past is open at once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot import sealing
from bot.errors import Conflict
from bot.models.ballot import Ballot, Trustee
from bot.sealing import Keyring

SCHEDULED = "scheduled"
OPEN = "open"
CLOSED = "closed"
PUBLISHED = "published"
CANCELLED = "cancelled"
STATES = (SCHEDULED, OPEN, CLOSED, PUBLISHED, CANCELLED)

# A secret ballot never shows a group smaller than this apart (online / on-site), and asks
# before publishing a result of fewer participants.
SMALL_GROUP = 5


def parse_time(value: Any, zone: ZoneInfo) -> datetime | None:
    """An ISO 8601 time; one without an offset is read in the community's time zone."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def closing_time(ballot: Ballot) -> datetime:
    """When voting ends: the closing time, or the moment a manager closed it early."""
    if ballot.closed_at is not None and ballot.closed_at < ballot.closes_at:
        return ballot.closed_at
    return ballot.closes_at


def ready(ballot: Ballot) -> bool:
    """Whether votes can be sealed: a ballot with trustees waits until all gave their secret."""
    return ballot.trustee_count == 0 or ballot.box_public_key is not None


def status(ballot: Ballot, now: datetime) -> str:
    if ballot.cancelled_at is not None:
        return CANCELLED
    if ballot.published_at is not None:
        return PUBLISHED
    if now >= closing_time(ballot):
        return CLOSED
    if now >= ballot.opens_at and ready(ballot):
        return OPEN
    return SCHEDULED


def refuse_in(state: str) -> Conflict:
    """The refusal of an action a ballot in `state` does not allow (`ballot_<state>`)."""
    return Conflict(f"ballot_{state}")


def missing_trustees(ballot: Ballot) -> list[Trustee]:
    return [t for t in ballot.trustees if t.public_key is None]


def closing_day(ballot: Ballot) -> date:
    """The local date voting ends: ages are counted on this day."""
    return closing_time(ballot).astimezone(ZoneInfo(ballot.community.timezone)).date()


def due_times(ballot: Ballot) -> list[tuple[str, datetime]]:
    """What the scheduler acts on: the opening, each reminder, the closing."""
    times = [("open", ballot.opens_at)]
    times += [("remind", datetime.fromisoformat(r)) for r in ballot.reminders]
    times.append(("close", closing_time(ballot)))
    return times


# Built once (building them each time cost more than running them on SQLite; bench/RESULTS.md).
_LOCKED = {read: select(Ballot).where(Ballot.id == bindparam("id")).with_for_update(read=read)
           .execution_options(populate_existing=True) for read in (True, False)}


def lock(session: Session, ballot: Ballot, read: bool) -> None:
    """Share lock for a vote, exclusive for a close (PostgreSQL; SQLite writers queue anyway),
    reading the row afresh in the same statement."""
    session.execute(_LOCKED[read], {"id": ballot.id})


def make_box(keys: Keyring, ballot: Ballot) -> None:
    """A fresh box for the ballot, its key wrapped under the app's key and every trustee's."""
    if ballot.seal_salt is None:
        ballot.seal_salt = sealing.new_salt()
    ballot.box_public_key, ballot.box_secret = sealing.new_box(
        keys, ballot.id, ballot.seal_salt, [t.public_key for t in ballot.trustees])
