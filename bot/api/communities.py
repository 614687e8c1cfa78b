"""Communities and manager accounts (REST). The city admin reaches all; a manager only its own."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from bot.api import schemas
from bot.api.auth import (
    current_principal,
    issue_token,
    json_body,
    require_city_admin,
    require_community,
)
from bot.api.openapi import documented
from bot.app import db_session
from bot.audit import record
from bot.commands import read
from bot.commands.communities import (
    CommunityFields,
    CreateCommunity,
    CreateManager,
    UpdateCommunity,
)
from bot.errors import invalid
from bot.models import Community, Manager
from bot.queries import community_by_slug

routes = Blueprint("communities", __name__)


def community_json(c: Community) -> dict[str, Any]:
    return {"id": c.id, "slug": c.slug, "name": c.name, "phone": c.phone,
            "min_voting_age": c.min_voting_age, "timezone": c.timezone,
            "complaint_text": c.complaint_text, "uses_disagree": c.uses_disagree,
            "proposal_rules": c.proposal_preset or c.proposal_rules or None,
            "consent_text": c.consent_text or None,
            "created_at": c.created_at.isoformat()}


def _apply(community: Community, command: CommunityFields) -> None:
    for key, value in command.changes().items():
        if key == "proposal_rules":
            community.proposal_preset = value if isinstance(value, str) else None
            community.proposal_rules = value if isinstance(value, list) else []
        elif key != "slug":
            setattr(community, key, value)


@routes.post("/communities")
@documented("Create a community", "communities", body=CreateCommunity, answer=schemas.Community,
            admin_only=True)
def create_community():
    principal = require_city_admin()
    session = db_session()
    command = read(CreateCommunity, json_body(), "invalid_community",
                   slug_taken=lambda slug: community_by_slug(session, slug) is not None)
    community = Community(slug=command.slug, name=command.name)
    _apply(community, command)
    session.add(community)
    session.flush()
    record(session, principal.actor, "community.created", community_id=community.id,
           subject=f"community:{community.id}")
    session.commit()
    return jsonify(community_json(community)), 201


@routes.get("/communities")
@documented("List the communities the caller reaches", "communities",
            answer=schemas.listing(schemas.Community))
def list_communities():
    principal = current_principal()
    query = select(Community).order_by(Community.name)
    if not principal.is_city_admin:
        query = query.where(Community.id == principal.community_id)
    items = [community_json(c) for c in db_session().scalars(query)]
    return jsonify({"count": len(items), "items": items})


@routes.get("/communities/<slug>")
@documented("Read a community", "communities", answer=schemas.Community)
def get_community(slug: str):
    _, community = require_community(slug)
    return jsonify(community_json(community))


@routes.patch("/communities/<slug>")
@documented("Change a community", "communities", body=UpdateCommunity, answer=schemas.Community)
def update_community(slug: str):
    principal, community = require_community(slug)
    data = json_body()
    if "slug" in data and data["slug"] != community.slug:
        raise invalid("invalid_community", "slug", "error.community.slug_fixed")
    command = read(UpdateCommunity, data, "invalid_community")
    _apply(community, command)
    session = db_session()
    record(session, principal.actor, "community.updated", community_id=community.id,
           subject=f"community:{community.id}", fields=sorted(command.model_fields_set))
    session.commit()
    return jsonify(community_json(community))


def manager_json(m: Manager) -> dict[str, Any]:
    return {"id": m.id, "email": m.email, "name": m.name, "city_admin": m.is_city_admin,
            "community": m.community.slug if m.community else None,
            "console": m.password_hash is not None, "disabled": m.disabled_at is not None,
            "removed": m.removed_at is not None}


@routes.post("/managers")
@documented("Create a manager account (its API token is shown once)", "managers",
            body=CreateManager, answer=schemas.NewManager, admin_only=True)
def create_manager():
    principal = require_city_admin()
    session = db_session()
    command = read(
        CreateManager, json_body(), "invalid_manager",
        email_taken=lambda email: session.scalars(
            select(Manager).where(Manager.email == email)).first() is not None,
        community_exists=lambda slug: community_by_slug(session, slug) is not None)
    community = community_by_slug(session, command.community) if command.community else None
    manager = Manager(email=command.email, name=command.name,
                      community_id=community.id if community else None,
                      password_hash=(generate_password_hash(command.password)
                                     if command.password else None))
    session.add(manager)
    session.flush()
    token = issue_token(session, manager.id)
    record(session, principal.actor, "manager.created",
           community_id=community.id if community else None, subject=f"manager:{manager.id}")
    session.commit()
    return jsonify({**manager_json(manager), "token": token}), 201


@routes.get("/managers")
@documented("List manager accounts", "managers", answer=schemas.listing(schemas.Manager),
            admin_only=True)
def list_managers():
    require_city_admin()
    items = [manager_json(m) for m in db_session().scalars(select(Manager).order_by(Manager.id))]
    return jsonify({"count": len(items), "items": items})
