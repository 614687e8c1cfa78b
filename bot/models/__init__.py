"""All tables. Each domain keeps its models in its own module; importing this package loads them all."""

from __future__ import annotations

import importlib
import pkgutil

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

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in {"base", "core"}:
        importlib.import_module(f"{__name__}.{_module.name}")

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
