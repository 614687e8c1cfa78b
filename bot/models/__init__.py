"""All tables. Each domain keeps its models in its own module, listed here so that the metadata
(create_all, Alembic) knows every table."""

from __future__ import annotations

from bot.models import agenda, ballot, cache, channels, identity, ops, proposal  # noqa: E402
from bot.models.base import Base, UTCDateTime, utcnow
from bot.models.core import (
    ApiToken,
    AuditEvent,
    ChannelAccount,
    Community,
    ConsoleSession,
    Conversation,
    Manager,
    Outbox,
    RateLimit,
    Resident,
    Room,
)

DOMAIN_MODULES = (ballot, channels, identity, proposal, agenda, cache, ops)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "ChannelAccount",
    "Community",
    "ConsoleSession",
    "Conversation",
    "Manager",
    "Outbox",
    "RateLimit",
    "Resident",
    "Room",
    "UTCDateTime",
    "utcnow",
]
