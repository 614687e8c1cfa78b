"""Enrolment: failed attempts (for the lockout) and one-time codes issued at the centre."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import Resident


class EnrolmentAttempt(Base):
    """One try at enrolment by a channel account. Failures in a window lock the account, pause
    online enrolment for the roster person they were aimed at (whatever the account or channel),
    and, many across a community, pause enrolment by details there (a sweep)."""

    __tablename__ = "enrolment_attempts"
    __table_args__ = (Index("ix_enrolment_attempts_account_at", "account_id", "at"),
                      Index("ix_enrolment_attempts_resident_at", "resident_id", "at"),
                      Index("ix_enrolment_attempts_community_at", "community_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("channel_accounts.id"))
    # The roster person the name and birth date pointed at (None when they matched nobody).
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), nullable=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    # "details" (name, birth date, last 4 digits) or "code"
    method: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class EnrolmentCode(Base):
    """An 8-digit code bound to one roster entry; only its keyed hash is kept. Single use."""

    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    used_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel_accounts.id"), nullable=True)
    issued_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resident: Mapped[Resident] = relationship()
