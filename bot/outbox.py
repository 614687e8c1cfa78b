"""The outbox: every message to a person or a room is a row first, sent later by the clock.

Enqueueing is idempotent by key: the same key twice is a no-op, so a retried request or a rerun
job never sends twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.models import ChannelAccount, Outbox, Resident, Room, utcnow


def enqueue(session: Session, *, key: str, channel: str, target: str, text: str,
            target_kind: str = "user", community_id: int | None = None,
            not_before: datetime | None = None, expires_at: datetime | None = None,
            respect_quiet_hours: bool = True) -> bool:
    """Queue one message; True when new, False when the key was already queued."""
    values = dict(idempotency_key=key, channel=channel, target=target, text=text,
                  target_kind=target_kind, community_id=community_id,
                  next_attempt_at=not_before or utcnow(), expires_at=expires_at,
                  respect_quiet_hours=respect_quiet_hours, status="pending", attempts=0,
                  last_error="", created_at=utcnow())
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(Outbox).values(**values).on_conflict_do_nothing(
        index_elements=["idempotency_key"])
    return session.execute(statement).rowcount == 1


def notify_resident(session: Session, resident: Resident, key: str, text: str, *,
                    not_before: datetime | None = None, expires_at: datetime | None = None,
                    respect_quiet_hours: bool = True) -> int:
    """Queue `text` to every reachable account of a resident that has notices on.

    The key gets `:account:<id>` appended, so each account hears it once.
    """
    accounts = session.scalars(select(ChannelAccount).where(
        ChannelAccount.resident_id == resident.id,
        ChannelAccount.notifications_enabled.is_(True),
        ChannelAccount.unreachable_at.is_(None),
    )).all()
    queued = 0
    for account in accounts:
        queued += enqueue(session, key=f"{key}:account:{account.id}", channel=account.channel,
                          target=account.external_id, text=text,
                          community_id=resident.community_id, not_before=not_before,
                          expires_at=expires_at, respect_quiet_hours=respect_quiet_hours)
    return queued


def notify_rooms(session: Session, community_id: int, key: str, text: str, *,
                 not_before: datetime | None = None, expires_at: datetime | None = None) -> int:
    """Queue `text` to every reachable room of a community (rooms have no quiet hours)."""
    rooms = session.scalars(select(Room).where(Room.community_id == community_id,
                                               Room.unreachable_at.is_(None))).all()
    queued = 0
    for room in rooms:
        queued += enqueue(session, key=f"{key}:room:{room.id}", channel=room.channel,
                          target=room.external_key, target_kind="room", text=text,
                          community_id=community_id, not_before=not_before,
                          expires_at=expires_at, respect_quiet_hours=False)
    return queued
