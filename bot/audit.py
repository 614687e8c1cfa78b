"""The audit trail: append-only rows of who did what, written in the same transaction as the act."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.models import AuditEvent


def record(session: Session, actor: str, action: str, *, community_id: int | None = None,
           subject: str = "", **details: Any) -> AuditEvent:
    event = AuditEvent(community_id=community_id, actor=actor, action=action, subject=subject,
                       details=details)
    session.add(event)
    return event
