"""What the channels need to remember: messages already handled and room link codes (the
discussion residents write under a proposal's post in a band is kept as comments,
bot/models/agenda.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
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
