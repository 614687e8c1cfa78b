"""Signing in and out of the console, and its front door."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, session, url_for
from sqlalchemy import func, select

from bot.app import database, db_session, settings
from bot.audit import record
from bot.console.common import Pages, said
from bot.console.guard import actor
from bot.console.signin import SignInThrottle, end_session, password_matches, start_session
from bot.models import Manager, utcnow

pages = Pages()


@pages.get("/login")
def login():
    return render_template("login.html", error=None, next=request.args.get("next", ""))


def _throttle() -> SignInThrottle:
    throttle = current_app.extensions.get("maeul.signin")
    if throttle is None:
        throttle = current_app.extensions["maeul.signin"] = SignInThrottle(settings(), database())
    return throttle


def _sign_in_page(error: str, status: int):
    return render_template("login.html", error=error, next=request.form.get("next", "")), status


@pages.post("/login")
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
        return _sign_in_page(said("sign_in.too_many", minutes=minutes), 429)
    db = db_session()
    manager = db.scalars(select(Manager).where(func.lower(Manager.email) == email)).first()
    if not password_matches(manager, password):
        if manager is not None:
            record(db, "console", "console.sign_in_failed", community_id=manager.community_id,
                   subject=f"manager:{manager.id}")
        db.commit()  # the request's transaction ends before the limiter writes (SQLite's lock)
        throttle.failed(address, email)
        return _sign_in_page(said("sign_in.wrong"), 401)
    if not manager.active:
        return _sign_in_page(said("sign_in.disabled"), 401)
    record(db, f"manager:{manager.id}", "console.signed_in",
           community_id=manager.community_id, subject=f"manager:{manager.id}")
    token = start_session(db, manager, utcnow())
    db.commit()
    session.clear()
    session["sid"] = token
    session.permanent = True
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/console/") else url_for("console.home"))


@pages.post("/logout")
def logout():
    db = db_session()
    end_session(db, session.get("sid", ""))
    record(db, actor(), "console.signed_out", community_id=g.manager.community_id,
           subject=f"manager:{g.manager.id}")
    db.commit()
    session.clear()
    return redirect(url_for("console.login"))


@pages.get("/")
def home():
    if g.manager.community_id is None:
        return redirect(url_for("console.city"))
    return redirect(url_for("console.community", slug=g.manager.community.slug))
