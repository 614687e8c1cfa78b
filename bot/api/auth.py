"""Bearer tokens: who is calling, and may they reach this community."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.app import db_session, settings
from bot.errors import Forbidden, Malformed, NotFound, Unauthenticated
from bot.models import ApiToken, Community
from bot.queries import community_by_slug


@dataclass(frozen=True)
class Principal:
    """The caller: a manager (community set) or a city admin (community None)."""

    manager_id: int | None
    name: str
    community_id: int | None

    @property
    def is_city_admin(self) -> bool:
        return self.community_id is None

    @property
    def actor(self) -> str:
        return f"manager:{self.manager_id}" if self.manager_id else "admin-token"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, manager_id: int) -> str:
    """A new API token for a manager; the plain token is returned once and never stored."""
    token = "maeul_" + secrets.token_urlsafe(32)
    session.add(ApiToken(manager_id=manager_id, token_hash=hash_token(token), hint=token[-4:]))
    return token


def principal_for_token(session: Session, token: str, admin_token: str) -> Principal | None:
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return Principal(manager_id=None, name="city admin", community_id=None)
    row = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token),
                               ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.manager.active:
        return None
    return Principal(row.manager.id, row.manager.name, row.manager.community_id)


def current_principal() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("unauthorized", "error.token_missing")
    principal = principal_for_token(db_session(), token.strip(), settings()["ADMIN_API_TOKEN"])
    if principal is None:
        raise Unauthenticated("unauthorized", "error.token_wrong")
    return principal


def require_city_admin() -> Principal:
    principal = current_principal()
    if not principal.is_city_admin:
        raise Forbidden("forbidden", "error.city_admin_only")
    return principal


def require_community(slug: str) -> tuple[Principal, Community]:
    """The community at `slug`, if the caller may reach it (404 unknown, 403 someone else's)."""
    principal = current_principal()
    community = community_by_slug(db_session(), slug)
    if community is None:
        raise NotFound("community_not_found", slug=slug)
    check_scope(principal, community.id)
    return principal, community


def owned(model: type, row_id: int, missing: str) -> tuple[Principal, Any]:
    """The caller and the row `row_id` of `model` (a ballot, a proposal, a room, a live session)
    if the caller may reach it: 404 `missing` when there is none, 403 another community's."""
    principal = current_principal()
    row = db_session().get(model, row_id)
    if row is None:
        raise NotFound(missing, number=row_id)
    check_scope(principal, row.community_id)
    return principal, row


def check_scope(principal: Principal, community_id: int) -> None:
    if not principal.is_city_admin and principal.community_id != community_id:
        raise Forbidden("forbidden", "error.other_community")


def json_body(optional: bool = False) -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong; an `optional` body may also
    be left out (empty)."""
    if optional and not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Malformed("invalid_json", "error.json_object")
    return data


MAX_PAGE = 100_000


def page_number() -> int:
    """`?page=` as a number from 1 to MAX_PAGE, or a 400 that says so (a page past the end is
    simply empty; a number too large for the database is refused here)."""
    text = request.args.get("page", "1").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6 or not (
            1 <= int(text) <= MAX_PAGE):
        raise Malformed("invalid_page", limit=f"{MAX_PAGE:,}")
    return int(text)
