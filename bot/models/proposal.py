"""Proposals (제안), agreements (공감) and each proposal's history.

Counts are never stored: they are counted from `proposal_agreements`, one row per resident.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import Community, Resident


class Proposal(Base):
    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_community_status", "community_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    title: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(20))
    # A stable code (see bot.proposals.STATUS_LABELS for what residents read).
    status: Mapped[str] = mapped_column(String(30), default="pending_review")
    # The stages in force when it was published: later rule changes do not move the goalposts.
    rules: Mapped[list] = mapped_column(default=list)
    # How many stages it has reached (0 = none yet).
    stage: Mapped[int] = mapped_column(Integer, default=0)
    # Until when agreements count towards the next stage (None: no further stage).
    window_ends_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Who must answer now, and by when.
    answer_actor: Mapped[str | None] = mapped_column(String(20), nullable=True)
    answer_due: Mapped[datetime | None] = mapped_column(nullable=True)
    # The current answer (its history is in the events).
    answer_outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # For 수용: when the plan is to be carried out; for 추가 의견 수렴: when agreements close again.
    answer_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    screen_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    community: Mapped[Community] = relationship()
    proposer: Mapped[Resident] = relationship()
    events: Mapped[list[ProposalEvent]] = relationship(order_by="ProposalEvent.id",
                                                      back_populates="proposal")


class Agreement(Base):
    """One resident's 공감 (or 비공감) with one proposal."""

    __tablename__ = "proposal_agreements"
    __table_args__ = (UniqueConstraint("proposal_id", "resident_id",
                                       name="uq_proposal_agreements_one_voice"),
                      Index("ix_proposal_agreements_count", "proposal_id", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    kind: Mapped[str] = mapped_column(String(10))  # agree / disagree
    channel: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column()


class ProposalEvent(Base):
    """Who did what to a proposal, when, and the status it left behind. Append-only."""

    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(30))
    details: Mapped[dict] = mapped_column(default=dict)

    proposal: Mapped[Proposal] = relationship(back_populates="events")
