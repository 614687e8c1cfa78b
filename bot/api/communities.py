"""Communities and manager accounts (REST). The city admin reaches all; a manager only its own."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import jsonify
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from bot.api import api
from bot.api.auth import (
    current_principal,
    issue_token,
    json_body,
    require_city_admin,
    require_community,
)
from bot.app import db_session
from bot.audit import record
from bot.errors import Invalid, Problem
from bot.models import Community, Manager
from bot.privacy import MAX_CONSENT_TEXT

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def community_json(c: Community) -> dict[str, Any]:
    return {"id": c.id, "slug": c.slug, "name": c.name, "phone": c.phone,
            "min_voting_age": c.min_voting_age, "timezone": c.timezone,
            "complaint_text": c.complaint_text, "uses_disagree": c.uses_disagree,
            "proposal_rules": c.proposal_preset or c.proposal_rules or None,
            "consent_text": c.consent_text or None,
            "created_at": c.created_at.isoformat()}


def _check_fields(data: dict[str, Any], creating: bool) -> list[Problem]:
    problems: list[Problem] = []

    def bad(field: str, key: str, **params: Any) -> None:
        problems.append(Problem(field, key, params))

    if creating or "slug" in data:
        slug = data.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            bad("slug", "error.community.slug")
    if creating or "name" in data:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            bad("name", "error.field.required", limit=100)
    if "phone" in data and (not isinstance(data["phone"], str) or len(data["phone"]) > 40):
        bad("phone", "error.community.phone")
    if "min_voting_age" in data:
        age = data["min_voting_age"]
        if isinstance(age, bool) or not isinstance(age, int) or not 14 <= age <= 30:
            bad("min_voting_age", "error.community.min_voting_age")
    if "timezone" in data:
        try:
            ZoneInfo(str(data["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            bad("timezone", "error.community.timezone")
    if "complaint_text" in data and (not isinstance(data["complaint_text"], str)
                                     or len(data["complaint_text"]) > 500):
        bad("complaint_text", "error.community.complaint_text")
    if "consent_text" in data and (
            not isinstance(data["consent_text"], (str, type(None)))
            or len(data["consent_text"] or "") > MAX_CONSENT_TEXT):
        bad("consent_text", "error.community.consent_text", limit=f"{MAX_CONSENT_TEXT:,}")
    if "uses_disagree" in data and not isinstance(data["uses_disagree"], bool):
        bad("uses_disagree", "error.field.bool")
    if "proposal_rules" in data:
        from bot.proposal_rules import validate_rules

        problems += [Problem("proposal_rules", key, params)
                     for key, params in validate_rules(data["proposal_rules"])]
    return problems


def _apply(community: Community, data: dict[str, Any]) -> None:
    for key in ("slug", "name", "phone", "min_voting_age", "timezone", "complaint_text",
                "uses_disagree"):
        if key in data:
            setattr(community, key, data[key].strip() if isinstance(data[key], str) else data[key])
    if "consent_text" in data:
        community.consent_text = (data["consent_text"] or "").strip()
    if "proposal_rules" in data:
        rules = data["proposal_rules"]
        community.proposal_preset = rules if isinstance(rules, str) else None
        community.proposal_rules = rules if isinstance(rules, list) else []


@api.post("/communities")
def create_community():
    principal = require_city_admin()
    data = json_body()
    problems = _check_fields(data, creating=True)
    session = db_session()
    if not problems and session.scalars(
            select(Community).where(Community.slug == data["slug"])).first():
        problems.append(Problem("slug", "error.community.slug_taken"))
    if problems:
        raise Invalid("invalid_community", problems)
    community = Community(slug=data["slug"], name=data["name"].strip())
    _apply(community, data)
    session.add(community)
    session.flush()
    record(session, principal.actor, "community.created", community_id=community.id,
           subject=f"community:{community.id}")
    session.commit()
    return jsonify(community_json(community)), 201


@api.get("/communities")
def list_communities():
    principal = current_principal()
    query = select(Community).order_by(Community.name)
    if not principal.is_city_admin:
        query = query.where(Community.id == principal.community_id)
    items = [community_json(c) for c in db_session().scalars(query)]
    return jsonify({"count": len(items), "items": items})


@api.get("/communities/<slug>")
def get_community(slug: str):
    _, community = require_community(slug)
    return jsonify(community_json(community))


@api.patch("/communities/<slug>")
def update_community(slug: str):
    principal, community = require_community(slug)
    data = json_body()
    if "slug" in data and data["slug"] != community.slug:
        raise Invalid("invalid_community", [Problem("slug", "error.community.slug_fixed")])
    problems = _check_fields(data, creating=False)
    if problems:
        raise Invalid("invalid_community", problems)
    _apply(community, data)
    session = db_session()
    record(session, principal.actor, "community.updated", community_id=community.id,
           subject=f"community:{community.id}", fields=sorted(data))
    session.commit()
    return jsonify(community_json(community))


def manager_json(m: Manager) -> dict[str, Any]:
    return {"id": m.id, "email": m.email, "name": m.name, "city_admin": m.is_city_admin,
            "community": m.community.slug if m.community else None,
            "console": m.password_hash is not None, "disabled": m.disabled_at is not None,
            "removed": m.removed_at is not None}


@api.post("/managers")
def create_manager():
    principal = require_city_admin()
    data = json_body()
    session = db_session()
    problems = []
    email, name = data.get("email"), data.get("name")
    if not isinstance(email, str) or not EMAIL.match(email):
        problems.append(Problem("email", "error.manager.email"))
    elif session.scalars(select(Manager).where(Manager.email == email)).first():
        problems.append(Problem("email", "error.manager.email_taken"))
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem("name", "error.manager.name"))
    password = data.get("password")
    if password is not None and (not isinstance(password, str) or len(password) < 10):
        problems.append(Problem("password", "error.manager.password"))
    community = None
    if data.get("community") is not None:
        community = session.scalars(
            select(Community).where(Community.slug == data["community"])).first()
        if community is None:
            problems.append(Problem("community", "error.manager.community"))
    if problems:
        raise Invalid("invalid_manager", problems)
    manager = Manager(email=email, name=name.strip(),
                      community_id=community.id if community else None,
                      password_hash=generate_password_hash(password) if password else None)
    session.add(manager)
    session.flush()
    token = issue_token(session, manager.id)
    record(session, principal.actor, "manager.created",
           community_id=community.id if community else None, subject=f"manager:{manager.id}")
    session.commit()
    return jsonify({**manager_json(manager), "token": token}), 201


@api.get("/managers")
def list_managers():
    require_city_admin()
    items = [manager_json(m) for m in db_session().scalars(select(Manager).order_by(Manager.id))]
    return jsonify({"count": len(items), "items": items})
