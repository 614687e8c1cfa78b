"""Managers' access: disabling, enabling and removing a manager, and their API tokens.

One set of rules for the REST API, the console and `maeul manager`; every change is in the audit
trail. Disabling ends the manager's console sessions and revokes their tokens at once; removing
also clears what identified them (e-mail, name, password), keeping the row so that "manager:N"
in the audit trail still points somewhere.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.audit import record
from bot.catalogue import t
from bot.console.signin import end_sessions
from bot.errors import Conflict
from bot.models import ApiToken, Manager


def _check_target(manager: Manager, actor_manager_id: int | None) -> None:
    if manager.removed_at is not None:
        raise Conflict("manager_removed")
    if actor_manager_id is not None and manager.id == actor_manager_id:
        raise Conflict("own_account")


def revoke_tokens(session: Session, manager_id: int, now: datetime) -> int:
    return session.execute(update(ApiToken).where(
        ApiToken.manager_id == manager_id, ApiToken.revoked_at.is_(None)
    ).values(revoked_at=now)).rowcount


def disable(session: Session, manager: Manager, actor: str, actor_manager_id: int | None,
            now: datetime) -> dict[str, int]:
    _check_target(manager, actor_manager_id)
    manager.disabled_at = manager.disabled_at or now
    ended = {"sessions": end_sessions(session, manager.id),
             "tokens": revoke_tokens(session, manager.id, now)}
    record(session, actor, "manager.disabled", community_id=manager.community_id,
           subject=f"manager:{manager.id}", **ended)
    return ended


def enable(session: Session, manager: Manager, actor: str, actor_manager_id: int | None) -> None:
    _check_target(manager, actor_manager_id)
    manager.disabled_at = None
    record(session, actor, "manager.enabled", community_id=manager.community_id,
           subject=f"manager:{manager.id}")


def remove(session: Session, manager: Manager, actor: str, actor_manager_id: int | None,
           now: datetime) -> dict[str, int]:
    _check_target(manager, actor_manager_id)
    ended = {"sessions": end_sessions(session, manager.id),
             "tokens": revoke_tokens(session, manager.id, now)}
    manager.disabled_at = manager.disabled_at or now
    manager.removed_at = now
    manager.email = f"removed-{manager.id}@maeul.invalid"
    manager.name = t("manager.removed_name")
    manager.password_hash = None
    record(session, actor, "manager.removed", community_id=manager.community_id,
           subject=f"manager:{manager.id}", **ended)
    return ended


def tokens(session: Session, manager_id: int | None = None) -> list[ApiToken]:
    query = select(ApiToken).order_by(ApiToken.id)
    if manager_id is not None:
        query = query.where(ApiToken.manager_id == manager_id)
    return list(session.scalars(query))


def revoke_token(session: Session, token: ApiToken, actor: str, now: datetime) -> bool:
    """Revoke one token (False when it already was)."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now
    record(session, actor, "api_token.revoked", community_id=token.manager.community_id,
           subject=f"manager:{token.manager_id}", token=token.id)
    return True


def token_json(token: ApiToken) -> dict:
    return {"id": token.id, "manager_id": token.manager_id, "hint": f"…{token.hint}",
            "created_at": token.created_at.isoformat(),
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None}
