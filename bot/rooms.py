"""Linking a messenger group to a community: a manager asks the REST API for a one-time code and
types `/link CODE` in the group. Codes are stored keyed (HMAC), expire, and work once."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit import record
from bot.errors import Conflict
from bot.identity import code_key
from bot.models import Community, Room
from bot.models.channels import RoomLinkCode

CODE_HOURS = 24
LINKED = "linked"
ALREADY = "already"
BAD_CODE = "bad_code"


def issue_code(session: Session, community: Community, pepper: str, actor: str,
               now: datetime) -> tuple[str, datetime]:
    code = f"{secrets.randbelow(10**8):08d}"
    expires = now + timedelta(hours=CODE_HOURS)
    session.add(RoomLinkCode(community_id=community.id, code_hash=code_key(pepper, f"room|{code}"),
                             expires_at=expires, created_by=actor))
    record(session, actor, "room.code_issued", community_id=community.id,
           subject=f"community:{community.id}")
    return code, expires


def add(session: Session, community_id: int, channel: str, external_key: str, title: str,
        actor: str) -> Room:
    """A room for a community; a room belongs to one community only."""
    if session.scalars(select(Room).where(Room.channel == channel,
                                          Room.external_key == external_key)).first():
        raise Conflict("room_taken")
    room = Room(community_id=community_id, channel=channel, external_key=external_key,
                title=title[:200])
    session.add(room)
    session.flush()
    record(session, actor, "room.added", community_id=community_id, subject=f"room:{room.id}",
           channel=channel)
    return room


def link(session: Session, channel: str, external_key: str, title: str, code: str, pepper: str,
         now: datetime) -> tuple[str, Community | None]:
    existing = session.scalars(select(Room).where(Room.channel == channel,
                                                  Room.external_key == external_key)).first()
    if existing is not None:
        return ALREADY, existing.community
    row = session.scalars(select(RoomLinkCode).where(
        RoomLinkCode.code_hash == code_key(pepper, f"room|{code.strip()}"))
        .with_for_update()).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return BAD_CODE, None
    row.used_at = now
    add(session, row.community_id, channel, external_key, title, f"{channel}:{external_key}")
    return LINKED, session.get(Community, row.community_id)
