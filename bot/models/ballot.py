"""Assembly ballots (주민총회 투표).

Secrecy is in the schema and in the cryptography (bot/sealing.py): `ballot_participations`
records that a resident voted (when, how); `ballot_envelopes` holds what was chosen, sealed to the
ballot's box at once, with a random key and nothing else. The count opens the envelopes, keeps
only the tallies (`ballot_tallies`) and deletes the envelopes. On SQLite the envelopes table has no
rowid, so not even the storage order follows the order of voting.
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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.agenda import AgendaProgress, Material
from bot.models.base import Base, utcnow
from bot.models.core import Community, Resident

YES_NO = "yes_no"
CHOOSE_ONE = "choose_one"
CHOOSE_UP_TO = "choose_up_to"
BUDGET = "budget"  # 주민참여예산: projects with costs, picked within a cap (bot/budget.py)
KINDS = (YES_NO, CHOOSE_ONE, CHOOSE_UP_TO, BUDGET)

ONSITE = "onsite"
# A vote cast in the chat by a resident who sent the meeting's on-site password (bot/live.py).
ONSITE_APP = "onsite_app"


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
    # The sealed box (bot/sealing.py). How many trustees must give their secret to count it.
    trustee_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Random; with SEALING_KEY it derives the app's layer around the box key.
    seal_salt: Mapped[bytes | None] = mapped_column(LargeBinary(16), nullable=True)
    # The box: its public key (voting seals to it) and its private key, wrapped. Both unset
    # while trustees' secrets are missing; the wrapped key is destroyed by the count.
    box_public_key: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)
    box_secret: Mapped[bytes | None] = mapped_column(LargeBinary(400), nullable=True)
    # When the envelopes were opened into tallies (and destroyed).
    counted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # What the count found, keyed with the sealing key (bot/ballots/tally_seal.py): how many
    # envelopes were opened, how many were not genuine, and a MAC over them and the tallies, so
    # that `maeul verify` notices a tally changed by hand afterwards.
    count_seal: Mapped[dict | None] = mapped_column(nullable=True)
    # A quick question asked at a meeting (bot/live.py): only residents present, who sent the
    # on-site password, may vote.
    present_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    community: Mapped[Community] = relationship()
    items: Mapped[list[BallotItem]] = relationship(
        order_by="BallotItem.number", cascade="all, delete-orphan", back_populates="ballot")
    trustees: Mapped[list[Trustee]] = relationship(
        order_by="Trustee.number", cascade="all, delete-orphan", back_populates="ballot")
    materials: Mapped[list[Material]] = relationship(order_by="Material.id", viewonly=True)


class Trustee(Base):
    """A person who must give their secret before the box can be counted (개표 관리인). Only what
    their secret derives is kept: the salt and a public key; never the secret."""

    __tablename__ = "ballot_trustees"
    __table_args__ = (UniqueConstraint("ballot_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50))
    salt: Mapped[bytes | None] = mapped_column(LargeBinary(16), nullable=True)
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary(32), nullable=True)
    set_at: Mapped[datetime | None] = mapped_column(nullable=True)

    ballot: Mapped[Ballot] = relationship(back_populates="trustees")


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
    # 기권: offered as its own last numbered option, chosen alone, counted apart from options.
    allow_abstain: Mapped[bool] = mapped_column(Boolean, default=False)
    # A budget item's plan: {"budget": won or null, "costs": [won per option], "groups": [a
    # group per option, "" for none], "group_max": {group: picks}, "min_choices", "min_spend"
    # (a share of the budget, or null), "rule": greedy | equal_shares}. Null for other kinds.
    budget_plan: Mapped[dict | None] = mapped_column(nullable=True)
    # What the count funded by the Method of Equal Shares (option numbers); null otherwise.
    funded: Mapped[list | None] = mapped_column(nullable=True)
    # The resident proposal this item came from (step 1 of the four-step cycle), if any. No
    # foreign key: SQLite would rebuild this table to add one (bot/ballots/lifecycle.py checks).
    proposal_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    ballot: Mapped[Ballot] = relationship(back_populates="items")
    # The follow-through of an adopted item (bot/agenda.py), oldest first.
    progress: Mapped[list[AgendaProgress]] = relationship(order_by="AgendaProgress.id",
                                                          viewonly=True)

    def plan(self, key: str, default: object = None) -> object:
        """One value of the budget plan (`default` for other kinds or when unset)."""
        value = (self.budget_plan or {}).get(key)
        return default if value is None else value

    @property
    def costs(self) -> list[int]:
        return list(self.plan("costs", []))

    @property
    def abstain_number(self) -> int | None:
        """The option number that means 기권 in picks, envelopes and tallies (None: not
        allowed)."""
        return len(self.options) + 1 if self.allow_abstain else None


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


class Envelope(Base):
    """One voter's whole ballot, sealed to the ballot's box: a random key, the ballot, the sealed
    bytes (the same length for every voter of the ballot). Nothing else."""

    __tablename__ = "ballot_envelopes"
    __table_args__ = (
        Index("ix_ballot_envelopes_ballot", "ballot_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    sealed: Mapped[bytes] = mapped_column(LargeBinary(1200))


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
    """The online count per option: what the count opened from the envelopes."""

    __tablename__ = "ballot_tallies"
    __table_args__ = (UniqueConstraint("item_id", "option"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("ballot_items.id"))
    option: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=0)


class LiveSession(Base):
    """A ballot's on-site session at the meeting (현장투표): a projector shows a password of six
    digits that changes every minute; a resident who sends it in the 1:1 chat votes as present.
    Only the password's seed is kept (`secret`, base32), never a list of who came."""

    __tablename__ = "live_sessions"
    __table_args__ = (Index("ix_live_sessions_open", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    secret: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column()
    started_by: Mapped[str] = mapped_column(String(100), default="")
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    ballot: Mapped[Ballot] = relationship()
    questions: Mapped[list[LiveQuestion]] = relationship(
        order_by="LiveQuestion.id", back_populates="live")


class LiveQuestion(Base):
    """A quick question asked during a live session: a one-item ballot of its own."""

    __tablename__ = "live_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    live_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"))
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"), unique=True)

    live: Mapped[LiveSession] = relationship(back_populates="questions")
    ballot: Mapped[Ballot] = relationship()
