"""Managers' access over REST: API tokens (list, revoke) and disabling or removing a manager."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from bot import managers
from bot.api import schemas
from bot.api.auth import current_principal, require_city_admin
from bot.api.communities import manager_json
from bot.api.openapi import Param, documented
from bot.app import db_session
from bot.errors import Malformed, NotFound
from bot.models import ApiToken, Manager, utcnow

routes = Blueprint("access", __name__)


@routes.get("/tokens")
@documented("List API tokens (last 4 characters only)", "managers",
            answer=schemas.listing(schemas.Token),
            query=(Param("manager_id", {"type": "integer", "minimum": 1},
                         "City admin: one manager's tokens"),))
def list_tokens():
    """The caller's own tokens; the city admin sees everyone's (or one manager's with
    `?manager_id=`). Only the last 4 characters of a token are shown."""
    principal = current_principal()
    manager_id = principal.manager_id
    if principal.is_city_admin:
        wanted = request.args.get("manager_id")
        manager_id = None
        if wanted is not None:
            if not (wanted.isascii() and wanted.isdigit() and len(wanted) < 10
                    and int(wanted) >= 1):
                raise Malformed("invalid_filter", "error.manager_filter")
            manager_id = int(wanted)
    items = [managers.token_json(t) for t in managers.tokens(db_session(), manager_id)]
    return jsonify({"count": len(items), "items": items})


@routes.delete("/tokens/<int:token_id>")
@documented("Revoke an API token", "managers", answer=schemas.RevokedToken)
def revoke_token(token_id: int):
    principal = current_principal()
    session = db_session()
    token = session.get(ApiToken, token_id)
    if token is None or (not principal.is_city_admin and token.manager_id != principal.manager_id):
        raise NotFound("token_not_found")
    revoked = managers.revoke_token(session, token, principal.actor, utcnow())
    session.commit()
    return jsonify({**managers.token_json(token), "revoked_now": revoked})


def _manager(manager_id: int) -> Manager:
    manager = db_session().get(Manager, manager_id)
    if manager is None:
        raise NotFound("manager_not_found")
    return manager


def _change(manager_id: int, change: str):
    principal = require_city_admin()
    session = db_session()
    manager = _manager(manager_id)
    if change == "disable":
        managers.disable(session, manager, principal.actor, principal.manager_id, utcnow())
    elif change == "enable":
        managers.enable(session, manager, principal.actor, principal.manager_id)
    else:
        managers.remove(session, manager, principal.actor, principal.manager_id, utcnow())
    session.commit()
    return jsonify(manager_json(manager))


@routes.post("/managers/<int:manager_id>/disable")
@documented("Disable a manager (sign-in and tokens stop)", "managers", status=200,
            answer=schemas.Manager, admin_only=True)
def disable_manager(manager_id: int):
    return _change(manager_id, "disable")


@routes.post("/managers/<int:manager_id>/enable")
@documented("Enable a disabled manager", "managers", status=200, answer=schemas.Manager,
            admin_only=True)
def enable_manager(manager_id: int):
    return _change(manager_id, "enable")


@routes.delete("/managers/<int:manager_id>")
@documented("Remove a manager for good", "managers", answer=schemas.Manager, admin_only=True)
def remove_manager(manager_id: int):
    return _change(manager_id, "remove")
