"""Assembly ballots (주민총회 투표).

Secrecy is in the schema: `ballot_participations` records that a resident voted (when, how);
`ballot_choices` records what was chosen, with a random UUID key, no resident, no account, no
time and no link to a participation. On SQLite the choices table has no rowid, so not even the
storage order follows the order of voting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow
from bot.models.core import Community, Resident

YES_NO = "yes_no"
CHOOSE_ONE = "choose_one"
CHOOSE_UP_TO = "choose_up_to"
KINDS = (YES_NO, CHOOSE_ONE, CHOOSE_UP_TO)

ONSITE = "onsite"


class Ballot(Base):
    __tablename__ = "ballots"
    __table_args__ = (Index("ix_ballots_community_window", "community_id", "opens_at",
                            "closes_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    title: Mapped[str] = mapped_column(String(200))
    overview: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column()
    secret: Mapped[bool] = mapped_column(Boolean, default=True)
    # Minimum turnout as a share of eligible residents (0.1 = 10%), or none.
    quorum: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Whether the assembly also votes on paper (then results wait for the on-site counts).
    onsite: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the scheduler should remind those who have not voted (UTC ISO strings).
    reminders: Mapped[list] = mapped_column(default=list)
    # The reminders the clock has already sent (the same strings as in `reminders`).
    reminders_done: Mapped[list] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the clock when it announces the opening (the ballot is open by time regardless).
    opened_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    onsite_counted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)

    community: Mapped[Community] = relationship()
    items: Mapped[list[BallotItem]] = relationship(
        order_by="BallotItem.number", cascade="all, delete-orphan", back_populates="ballot")


class BallotItem(Base):
    __tablename__ = "ballot_items"
    __table_args__ = (UniqueConstraint("ballot_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    options: Mapped[list] = mapped_column(default=list)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)

    ballot: Mapped[Ballot] = relationship(back_populates="items")


class Participation(Base):
    """That a resident voted, when and how (a channel, or `onsite` at the desk). Never what."""

    __tablename__ = "ballot_participations"
    __table_args__ = (UniqueConstraint("ballot_id", "resident_id",
                                       name="uq_ballot_participations_one_vote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    channel: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column()
    # Who marked an on-site vote at the desk (a manager actor); empty for online votes.
    marked_by: Mapped[str] = mapped_column(String(100), default="")

    resident: Mapped[Resident] = relationship()


class Choice(Base):
    """One chosen option of one item: a random key, the ballot, the item, the option. Nothing else."""

    __tablename__ = "ballot_choices"
    __table_args__ = (
        Index("ix_ballot_choices_tally", "ballot_id", "item_id", "option"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("ballot_items.id"))
    option: Mapped[int] = mapped_column(Integer)


class OnsiteCount(Base):
    """The paper count of the assembly for one item and option, entered by the manager."""

    __tablename__ = "ballot_onsite_counts"
    __table_args__ = (
        UniqueConstraint("item_id", "option"),
        CheckConstraint("count >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("ballot_items.id"))
    option: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=0)


class Tally(Base):
    """The online count per option, frozen in SQL when the ballot closes."""

    __tablename__ = "ballot_tallies"
    __table_args__ = (UniqueConstraint("item_id", "option"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("ballot_items.id"))
    option: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=0)
