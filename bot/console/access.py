"""Console pages for access: my account (password, API tokens) and, for a city admin, the
managers (disable, enable, remove). The same rules as REST and `maeul manager` (bot.managers)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from bot import managers
from bot.api.auth import issue_token
from bot.app import db_session
from bot.audit import record
from bot.console.common import Pages, attempt, said
from bot.console.guard import actor, city_only
from bot.console.signin import end_sessions, password_matches, start_session
from bot.models import ApiToken, Manager, utcnow

pages = Pages()

MIN_PASSWORD = 10


@pages.get("/account")
def account():
    tokens = managers.tokens(db_session(), g.manager.id)
    return render_template("account.html", tokens=tokens, new_token=None)


@pages.post("/account/password")
def change_password():
    """A new password ends every session of this manager (other browsers too) and starts a new
    one here."""
    form = request.form
    new = form.get("new_password", "")
    db = db_session()
    if not password_matches(g.manager, form.get("current_password", "")):
        flash(said("password.wrong"), "error")
    elif len(new) < MIN_PASSWORD:
        flash(said("password.short", minimum=MIN_PASSWORD), "error")
    elif new != form.get("new_password_again", ""):
        flash(said("password.differ"), "error")
    else:
        g.manager.password_hash = generate_password_hash(new)
        ended = end_sessions(db, g.manager.id)
        record(db, actor(), "console.password_changed", community_id=g.manager.community_id,
               subject=f"manager:{g.manager.id}", sessions_ended=ended)
        session["sid"] = start_session(db, g.manager, utcnow())
        db.commit()
        flash(said("password.changed"), "ok")
    return redirect(url_for("console.account"))


@pages.post("/account/tokens")
def new_token():
    db = db_session()
    token = issue_token(db, g.manager.id)
    record(db, actor(), "api_token.issued", community_id=g.manager.community_id,
           subject=f"manager:{g.manager.id}")
    db.commit()
    return render_template("account.html", tokens=managers.tokens(db, g.manager.id),
                           new_token=token)


@pages.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    db = db_session()
    token = db.get(ApiToken, token_id)
    if token is None or token.manager_id != g.manager.id:
        abort(404)
    if managers.revoke_token(db, token, actor(), utcnow()):
        flash(said("token.revoked", hint=token.hint), "ok")
    db.commit()
    return redirect(url_for("console.account"))


@pages.get("/city/managers")
@city_only
def managers_page():
    rows = db_session().scalars(select(Manager).order_by(Manager.community_id.is_(None).desc(),
                                                         Manager.id)).all()
    return render_template("managers.html", rows=rows)


def _manager(manager_id: int) -> Manager:
    manager = db_session().get(Manager, manager_id)
    if manager is None:
        abort(404)
    return manager


def _managers_page():
    return redirect(url_for("console.managers_page"))


@pages.post("/city/managers/<int:manager_id>/disable")
@city_only
def manager_disable(manager_id: int):
    manager = _manager(manager_id)
    ended = {}

    def disable() -> None:
        ended.update(managers.disable(db_session(), manager, actor(), g.manager.id, utcnow()))

    attempt(disable, lambda: said("manager.disabled", name=manager.name, **ended))
    return _managers_page()


@pages.post("/city/managers/<int:manager_id>/enable")
@city_only
def manager_enable(manager_id: int):
    manager = _manager(manager_id)
    attempt(lambda: managers.enable(db_session(), manager, actor(), g.manager.id),
            said("manager.enabled", name=manager.name))
    return _managers_page()


@pages.post("/city/managers/<int:manager_id>/remove")
@city_only
def manager_remove(manager_id: int):
    manager = _manager(manager_id)
    if request.form.get("confirm") != "yes":
        flash(said("manager.confirm_remove"), "error")
        return _managers_page()
    name = manager.name
    attempt(lambda: managers.remove(db_session(), manager, actor(), g.manager.id, utcnow()),
            said("manager.removed", name=name))
    return _managers_page()
