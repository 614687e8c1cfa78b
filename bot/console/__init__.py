"""The manager web console: server-rendered pages under /console, and the public results page.

Sign-in with a hashed password and a lockout; the session cookie is HttpOnly, SameSite=Lax and
Secure in production; every form carries a CSRF token; every page checks the manager's community.
Pages call the same domain services as the REST API, so the rules and refusals are the same.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from bot.app import db_session
from bot.audit import record
from bot.models import Community, Manager, utcnow

console = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")
public = Blueprint("public", __name__, template_folder="templates")

MAX_FAILURES = 5
LOCK_MINUTES = 15


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@console.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "me": g.get("manager")}


@console.before_request
def _guard():
    """Signed in for every page but the sign-in page; a valid CSRF token on every POST."""
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            abort(400, "CSRF")
    if request.endpoint in ("console.login", "console.login_post"):
        return None
    manager_id = session.get("manager_id")
    manager = db_session().get(Manager, manager_id) if manager_id else None
    if manager is None:
        return redirect(url_for("console.login", next=request.path))
    g.manager = manager
    return None


def actor() -> str:
    return f"manager:{g.manager.id}"


def community_or_403(slug: str) -> Community:
    community = db_session().scalars(select(Community).where(Community.slug == slug)).first()
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


@console.get("/login")
def login():
    return render_template("login.html", error=None, next=request.args.get("next", ""))


@console.post("/login")
def login_post():
    email = request.form.get("email", "").strip().lower()
    password = request.form.get("password", "")
    db = db_session()
    manager = db.scalars(select(Manager).where(func.lower(Manager.email) == email)).first()
    now = utcnow()
    error = "이메일 또는 비밀번호가 맞지 않아요."
    if manager is not None and manager.locked_until and manager.locked_until > now:
        error = f"여러 번 틀려서 잠겼어요. {LOCK_MINUTES}분 뒤에 다시 해 주세요."
    elif manager is not None and manager.password_hash and check_password_hash(
            manager.password_hash, password):
        manager.failed_logins = 0
        record(db, f"manager:{manager.id}", "console.signed_in",
               community_id=manager.community_id, subject=f"manager:{manager.id}")
        db.commit()
        session.clear()
        session["manager_id"] = manager.id
        session.permanent = True
        target = request.form.get("next", "")
        return redirect(target if target.startswith("/console/") else url_for("console.home"))
    elif manager is not None:
        manager.failed_logins += 1
        if manager.failed_logins >= MAX_FAILURES:
            manager.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            manager.failed_logins = 0
            error = f"여러 번 틀려서 {LOCK_MINUTES}분 동안 잠갔어요."
        db.commit()
    return render_template("login.html", error=error, next=request.form.get("next", "")), 401


@console.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("console.login"))


@console.get("/")
def home():
    if g.manager.community_id is None:
        return redirect(url_for("console.city"))
    return redirect(url_for("console.community", slug=g.manager.community.slug))


from bot.console import pages  # noqa: E402,F401  (the pages register on the blueprints)
