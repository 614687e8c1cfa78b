"""The manager web console: server-rendered pages under /console, and the public results page.

Sign-in with a hashed password, throttled per client address (bot/console/signin.py); the session
lives on the server and the cookie (HttpOnly, SameSite=Lax, Secure in production) only names it;
every form carries a CSRF token; every page checks the manager's community. Pages call the same
domain services as the REST API, so the rules and refusals are the same.
"""

from __future__ import annotations

import hmac
import secrets
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import func, select

from bot.app import database, db_session, settings
from bot.audit import record
from bot.console.signin import (
    SignInThrottle,
    end_session,
    password_matches,
    session_manager,
    start_session,
)
from bot.models import Community, Manager, utcnow
from bot.queries import community_by_slug

console = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")
public = Blueprint("public", __name__, template_folder="templates")

WRONG = "이메일 또는 비밀번호가 맞지 않아요."


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


@console.get("/login")
def login():
    return render_template("login.html", error=None, next=request.args.get("next", ""))


def _throttle() -> SignInThrottle:
    throttle = current_app.extensions.get("maeul.signin")
    if throttle is None:
        throttle = current_app.extensions["maeul.signin"] = SignInThrottle(settings(), database())
    return throttle


def _sign_in_page(error: str, status: int):
    return render_template("login.html", error=error, next=request.form.get("next", "")), status


@console.post("/login")
def login_post():
    """The same answer, in the same time, for an unknown e-mail and a wrong password; failures
    slow down the address they come from, not the manager they aim at."""
    email = request.form.get("email", "").strip().lower()[:200]
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    throttle = _throttle()
    wait = throttle.wait_seconds(address, email)
    if wait:
        minutes = max(1, -(-wait // 60))
        return _sign_in_page(f"로그인 시도가 너무 많아요. {minutes}분 뒤에 다시 해 주세요.", 429)
    db = db_session()
    manager = db.scalars(select(Manager).where(func.lower(Manager.email) == email)).first()
    if not password_matches(manager, password):
        if manager is not None:
            record(db, "console", "console.sign_in_failed", community_id=manager.community_id,
                   subject=f"manager:{manager.id}")
        db.commit()  # the request's transaction ends before the limiter writes (SQLite's lock)
        throttle.failed(address, email)
        return _sign_in_page(WRONG, 401)
    if not manager.active:
        return _sign_in_page("사용이 중지된 계정이에요. 시 관리자에게 문의해 주세요.", 401)
    record(db, f"manager:{manager.id}", "console.signed_in",
           community_id=manager.community_id, subject=f"manager:{manager.id}")
    token = start_session(db, manager, utcnow())
    db.commit()
    session.clear()
    session["sid"] = token
    session.permanent = True
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/console/") else url_for("console.home"))


@console.post("/logout")
def logout():
    db = db_session()
    end_session(db, session.get("sid", ""))
    record(db, actor(), "console.signed_out", community_id=g.manager.community_id,
           subject=f"manager:{g.manager.id}")
    db.commit()
    session.clear()
    return redirect(url_for("console.login"))


@console.get("/")
def home():
    if g.manager.community_id is None:
        return redirect(url_for("console.city"))
    return redirect(url_for("console.community", slug=g.manager.community.slug))


from bot.console import (  # noqa: E402,F401  (the pages register on the blueprints)
    access,
    ballot_pages,
    overview,
    proposal_pages,
    public_pages,
    resident_pages,
    room_pages,
)
