"""What follows an assembly vote and surrounds its agenda: the follow-through of adopted items
(추진계획 · 추진경과 · 추진결과), the material of a ballot or an item (documents, videos), and the
discussion (의견) residents leave on an agenda item or a published proposal.

Comments never carry anything about how their author voted: no ballot choice, no participation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base
from bot.models.core import Resident

if TYPE_CHECKING:
    from bot.models.ballot import Ballot, BallotItem


class AgendaProgress(Base):
    """One entry of an adopted item's trail (a funded project's, for a budget item: `project`
    is its option number; 0 is the whole item). Append-only; `overdue` entries are the clock's
    record that a due date passed without a result."""

    __tablename__ = "agenda_progress"
    __table_args__ = (Index("ix_agenda_progress_item", "item_id", "project"),
                      Index("ix_agenda_progress_due", "due_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("ballot_items.id"))
    project: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str] = mapped_column(String(20))  # plan / progress / result / overdue
    text: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(100), default="")


class Material(Base):
    """A link shown with a ballot (`item_number` null) or one of its items: a document, or a
    video of the assembly (YouTube, BAND live)."""

    __tablename__ = "agenda_materials"
    __table_args__ = (Index("ix_agenda_materials_ballot", "ballot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    item_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))  # document / video
    title: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(500))
    added_at: Mapped[datetime] = mapped_column()
    added_by: Mapped[str] = mapped_column(String(100), default="")

    ballot: Mapped[Ballot] = relationship("Ballot", viewonly=True)

    @property
    def community_id(self) -> int:
        return self.ballot.community_id


class Comment(Base):
    """A resident's short comment (의견) on an agenda item or a published proposal, or a BAND
    comment under a proposal's post. A resident deletes their own (the text goes); a manager
    hides one with a reason (kept, audited)."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_proposal", "proposal_id"),
                      Index("ix_comments_item", "item_id"),
                      Index("ix_comments_resident", "resident_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), nullable=True)
    ballot_id: Mapped[int | None] = mapped_column(ForeignKey("ballots.id"), nullable=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("ballot_items.id"), nullable=True)
    # Null for a BAND comment (its author is only a display name, masked).
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), nullable=True)
    channel: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(40))  # masked, as shown
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column()
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_by: Mapped[str] = mapped_column(String(100), default="")
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    resident: Mapped[Resident | None] = relationship()
    item: Mapped[BallotItem | None] = relationship("BallotItem")
    reply_to: Mapped[Comment | None] = relationship(remote_side=[id])
