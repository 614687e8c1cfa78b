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


def enqueue_many(session: Session, rows: list[dict], now: datetime | None = None) -> int:
    """Queue many messages at once (each a dict of `enqueue`'s fields); returns how many are new.

    Same-key rows already queued are left alone, so a job that runs twice queues nothing twice.
    Rows are due at `now` (the job's time) unless they carry their own `next_attempt_at`.
    """
    if not rows:
        return 0
    now = now or utcnow()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(Outbox).on_conflict_do_nothing(
        index_elements=["idempotency_key"]).returning(Outbox.id)
    queued = 0
    for start in range(0, len(rows), 1000):
        chunk = [{"target_kind": "user", "community_id": None, "expires_at": None,
                  "respect_quiet_hours": True, "next_attempt_at": now, "next_step": None, **row,
                  "status": "pending", "attempts": 0, "last_error": "", "created_at": now,
                  "sent_at": None}
                 for row in rows[start:start + 1000]]
        queued += len(session.execute(statement, chunk).all())
    return queued


def void(session: Session, key_prefix: str, reason: str) -> int:
    """Cancel what is still waiting under a key prefix (a ballot closed early, say)."""
    rows = session.scalars(select(Outbox).where(Outbox.idempotency_key.startswith(key_prefix, autoescape=True),
                                                Outbox.status == "pending")).all()
    for row in rows:
        row.status = "void"
        row.last_error = reason
    return len(rows)


# An account takes notices when its resident left them on and the messenger still reaches it.
TAKES_NOTICES = (ChannelAccount.notifications_enabled.is_(True),
                 ChannelAccount.unreachable_at.is_(None))


def reachable_accounts(session: Session, resident_ids) -> list[ChannelAccount]:  # noqa: ANN001
    """The accounts of these residents that take notices."""
    return list(session.scalars(select(ChannelAccount).where(
        ChannelAccount.resident_id.in_(set(resident_ids)), *TAKES_NOTICES)))


def reachable_rooms(session: Session, community_id: int) -> list[Room]:
    return list(session.scalars(select(Room).where(Room.community_id == community_id,
                                                   Room.unreachable_at.is_(None))))


def notify_resident(session: Session, resident: Resident, key: str, text: str, *,
                    not_before: datetime | None = None, expires_at: datetime | None = None,
                    respect_quiet_hours: bool = True) -> int:
    """Queue `text` to every reachable account of a resident that has notices on.

    The key gets `:account:<id>` appended, so each account hears it once.
    """
    queued = 0
    for account in reachable_accounts(session, [resident.id]):
        queued += enqueue(session, key=f"{key}:account:{account.id}", channel=account.channel,
                          target=account.external_id, text=text,
                          community_id=resident.community_id, not_before=not_before,
                          expires_at=expires_at, respect_quiet_hours=respect_quiet_hours)
    return queued


def notify_rooms(session: Session, community_id: int, key: str, text: str, *,
                 not_before: datetime | None = None, expires_at: datetime | None = None) -> int:
    """Queue `text` to every reachable room of a community (rooms have no quiet hours)."""
    queued = 0
    for room in reachable_rooms(session, community_id):
        queued += enqueue(session, key=f"{key}:room:{room.id}", channel=room.channel,
                          target=room.external_key, target_kind="room", text=text,
                          community_id=community_id, not_before=not_before,
                          expires_at=expires_at, respect_quiet_hours=False)
    return queued
