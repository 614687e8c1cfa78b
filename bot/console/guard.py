"""What every console page stands behind: a signed-in manager, a CSRF token on every POST, and
the manager's own community (`community_or_403`, `city_only`)."""

from __future__ import annotations

import hmac
import secrets
from functools import wraps
from typing import Any

from flask import abort, g, redirect, request, session, url_for

from bot.app import db_session, settings
from bot.console.signin import session_manager
from bot.models import Community, utcnow
from bot.queries import community_by_slug


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def template_helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "me": g.get("manager")}


def guard():
    """Signed in for every page but the sign-in page; a valid CSRF token on every POST."""
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            abort(400, "CSRF")
    if request.endpoint in ("console.login", "console.login_post"):
        return None
    manager = session_manager(db_session(), settings(), session.get("sid", ""), utcnow())
    if manager is None:
        session.pop("sid", None)
        return redirect(url_for("console.login", next=request.path))
    g.manager = manager
    return None


def actor() -> str:
    return f"manager:{g.manager.id}"


def community_or_403(slug: str) -> Community:
    community = community_by_slug(db_session(), slug)
    if community is None:
        abort(404)
    check_scope(community.id)
    return community


def check_scope(community_id: int) -> None:
    if g.manager.community_id is not None and g.manager.community_id != community_id:
        abort(403)


def city_only(view):  # noqa: ANN001, ANN201
    @wraps(view)
    def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if g.manager.community_id is not None:
            abort(403)
        return view(*args, **kwargs)
    return wrapped
