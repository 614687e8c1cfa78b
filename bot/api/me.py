"""`GET /api/v1/me`: who the token belongs to and what it reaches (an integrator's first call)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from bot.api import schemas
from bot.api.auth import current_principal
from bot.api.openapi import documented

routes = Blueprint("me", __name__)


@routes.get("/me")
@documented("Who this token belongs to", "meta", answer=schemas.Me)
def me():
    principal = current_principal()
    return jsonify({
        "name": principal.name,
        "manager_id": principal.manager_id,
        "city_admin": principal.is_city_admin,
        "community_id": principal.community_id,
    })
