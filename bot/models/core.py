"""Core tables: communities, managers, residents, channel accounts, conversations, audit, outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base, utcnow


class Community(Base):
    """A resident council (주민자치회) of one dong, with its own room(s), roster and rules."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40), default="")
    min_voting_age: Mapped[int] = mapped_column(Integer, default=18)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    complaint_text: Mapped[str] = mapped_column(Text, default="")
    proposal_rules: Mapped[list] = mapped_column(default=list)
    proposal_preset: Mapped[str | None] = mapped_column(String(32), nullable=True)
    uses_disagree: Mapped[bool] = mapped_column(Boolean, default=False)
    # The consent text residents agree to before enrolment (empty: the catalogue's default,
    # see bot/privacy.py); changing it asks everyone who enrols next to agree again.
    consent_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Manager(Base):
    """A community-centre manager (community set) or a city admin (community empty)."""

    __tablename__ = "managers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A disabled manager cannot sign in or use a token; a removed one is disabled for good, with
    # password and e-mail cleared (the row stays so the audit trail's "manager:N" still names them).
    disabled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    removed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    community: Mapped[Community | None] = relationship()

    @property
    def is_city_admin(self) -> bool:
        return self.community_id is None

    @property
    def active(self) -> bool:
        return self.disabled_at is None and self.removed_at is None


class ConsoleSession(Base):
    """A signed-in console browser. The cookie holds a random token; only its SHA-256 is kept,
    so ending a session here (logout, password change, disabling) ends it at once."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateLimit(Base):
    """A fixed-window counter of the sign-in limiter (limits' storage interface, see
    bot/console/signin.py): the key names the window's subject, never a plain e-mail."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float)


class ApiToken(Base):
    """A manager's REST token; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's last 4 characters, so its owner can tell tokens apart in a list.
    hint: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)

    manager: Mapped[Manager] = relationship()


class Resident(Base):
    """A roster entry. No full name and no phone number: only keyed hashes and a masked name."""

    __tablename__ = "residents"
    __table_args__ = (
        UniqueConstraint("community_id", "identity_key"),
        Index("ix_residents_lookup", "community_id", "lookup_key"),
        Index("ix_residents_name_phone", "community_id", "np_key"),
        Index("ix_residents_birth_phone", "community_id", "bp_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    # HMAC(pepper, normalised name | birth date | last 4 digits of the phone): the match key.
    identity_key: Mapped[str] = mapped_column(String(64))
    # HMAC(pepper, normalised name | birth date): how the desk finds someone without the phone.
    lookup_key: Mapped[str] = mapped_column(String(64))
    # HMAC(name | last 4 digits) and HMAC(birth date | last 4 digits): with the lookup key, any
    # two of the three details find the same person in a later roster (bot/roster.py). Unset for
    # rows imported before these keys existed, until a roster import matches them exactly.
    np_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    bp_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    masked_name: Mapped[str] = mapped_column(String(40))
    birth_date: Mapped[date] = mapped_column(Date)
    moved_out_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # 인증 해제 of the resident's last account: their proposals show `탈퇴한 주민` (until they
    # enrol again). Erased: the identity data is gone (bot/privacy.py, erase_resident); the row
    # stays so that anonymous votes and agreements stay counted.
    withdrawn_at: Mapped[datetime | None] = mapped_column(nullable=True)
    erased_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    community: Mapped[Community] = relationship()

    @property
    def moved_out(self) -> bool:
        return self.moved_out_at is not None


class ChannelAccount(Base):
    """One messenger identity (a Kakao botUserKey, a Telegram user id, a simulator user)."""

    __tablename__ = "channel_accounts"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        # One resident, at most one bound account per channel.
        UniqueConstraint("resident_id", "channel", name="uq_channel_accounts_resident_channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    bound_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The community an unbound account last chose (simulator, or a room link).
    community_hint_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id"), nullable=True
    )
    lang: Mapped[str] = mapped_column(String(5), default="ko")
    notifications_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Which consent text (bot/privacy.py, consent_version) this account agreed to, and when.
    consent_version: Mapped[str | None] = mapped_column(String(16), nullable=True)
    consented_at: Mapped[datetime | None] = mapped_column(nullable=True)
    unreachable_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resident: Mapped[Resident | None] = relationship()


class Conversation(Base):
    """Where an account is in the conversation; kept in the database so it survives restarts."""

    __tablename__ = "conversations"

    account_id: Mapped[int] = mapped_column(ForeignKey("channel_accounts.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(60), default="home")
    data: Mapped[dict] = mapped_column(default=dict)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Append-only trail of who did what (managers, residents' accounts, the system)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_community_created", "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), nullable=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(100), default="")
    details: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The rows a sender may claim: waiting, or leased by a sender whose lease may have run out. One
# literal, in the claim query and in the partial index it uses, so both databases match them.
CLAIMABLE = "status IN ('pending', 'sending')"


class Outbox(Base):
    """Every message to a person or a room: sent once, by key, whatever crashes in between."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A claim reads the next 100 due rows of a channel in order: without this index every
        # claim scanned and sorted the whole queue (46 ms a claim at 100,000 queued messages).
        Index("ix_outbox_claim", "channel", "next_attempt_at", "id",
              postgresql_where=sql_text(CLAIMABLE), sqlite_where=sql_text(CLAIMABLE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), nullable=True)
    channel: Mapped[str] = mapped_column(String(20))
    # "user" (a channel account's external id) or "room" (a room's external key).
    target_kind: Mapped[str] = mapped_column(String(10), default="user")
    target: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    # The words of the resident's next step (`투표하기`), offered as a button where the channel
    # can attach one to a push (a Telegram reply keyboard); typing them works everywhere.
    next_step: Mapped[str | None] = mapped_column(String(40), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A message that could only arrive after this point is dropped, not sent late.
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    respect_quiet_hours: Mapped[bool] = mapped_column(Boolean, default=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # What the provider called it (a BAND post_key), to find replies to it later.
    provider_ref: Mapped[str | None] = mapped_column(String(100), nullable=True)


class Room(Base):
    """A community room on a channel (a BAND band, a Telegram group) where notices land."""

    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("channel", "external_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    channel: Mapped[str] = mapped_column(String(20))
    external_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    unreachable_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
