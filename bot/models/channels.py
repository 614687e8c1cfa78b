"""What the channels need to remember: messages already handled, room link codes, and the
discussion (토론) residents write under a proposal's post in a band."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, utcnow


class ProcessedMessage(Base):
    """A provider's message id seen once (a Telegram update_id, a BAND comment_key)."""

    __tablename__ = "processed_messages"
    __table_args__ = (UniqueConstraint("channel", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomLinkCode(Base):
    """A one-time code a manager gets from the REST API and types in a group (`/link CODE`)."""

    __tablename__ = "room_link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class Discussion(Base):
    """A comment under a proposal's post in a community room: kept and counted, never a vote."""

    __tablename__ = "proposal_discussions"
    __table_args__ = (Index("ix_proposal_discussions_proposal", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    channel: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column()
