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
from bot.console import actor, city_only, console
from bot.console.signin import end_sessions, password_matches, start_session
from bot.errors import DomainError
from bot.models import ApiToken, Manager, utcnow
from bot.presenters import flash_error

MIN_PASSWORD = 10


@console.get("/account")
def account():
    tokens = managers.tokens(db_session(), g.manager.id)
    return render_template("account.html", tokens=tokens, new_token=None)


@console.post("/account/password")
def change_password():
    """A new password ends every session of this manager (other browsers too) and starts a new
    one here."""
    form = request.form
    new = form.get("new_password", "")
    db = db_session()
    if not password_matches(g.manager, form.get("current_password", "")):
        flash("지금 비밀번호가 맞지 않아요.", "error")
    elif len(new) < MIN_PASSWORD:
        flash(f"새 비밀번호는 {MIN_PASSWORD}자 이상이어야 해요.", "error")
    elif new != form.get("new_password_again", ""):
        flash("새 비밀번호 두 칸이 서로 달라요.", "error")
    else:
        g.manager.password_hash = generate_password_hash(new)
        ended = end_sessions(db, g.manager.id)
        record(db, actor(), "console.password_changed", community_id=g.manager.community_id,
               subject=f"manager:{g.manager.id}", sessions_ended=ended)
        session["sid"] = start_session(db, g.manager, utcnow())
        db.commit()
        flash("비밀번호를 바꿨어요. 다른 곳의 로그인은 모두 끝났어요.", "ok")
    return redirect(url_for("console.account"))


@console.post("/account/tokens")
def new_token():
    db = db_session()
    token = issue_token(db, g.manager.id)
    record(db, actor(), "api_token.issued", community_id=g.manager.community_id,
           subject=f"manager:{g.manager.id}")
    db.commit()
    return render_template("account.html", tokens=managers.tokens(db, g.manager.id),
                           new_token=token)


@console.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    db = db_session()
    token = db.get(ApiToken, token_id)
    if token is None or token.manager_id != g.manager.id:
        abort(404)
    if managers.revoke_token(db, token, actor(), utcnow()):
        flash(f"토큰 …{token.hint} 을(를) 폐기했어요. 이제 그 토큰으로는 아무것도 할 수 없어요.", "ok")
    db.commit()
    return redirect(url_for("console.account"))


@console.get("/city/managers")
@city_only
def managers_page():
    rows = db_session().scalars(select(Manager).order_by(Manager.community_id.is_(None).desc(),
                                                         Manager.id)).all()
    return render_template("managers.html", rows=rows)


@console.post("/city/managers/<int:manager_id>/<action>")
@city_only
def manager_action(manager_id: int, action: str):
    if action not in ("disable", "enable", "remove"):
        abort(404)
    db = db_session()
    manager = db.get(Manager, manager_id)
    if manager is None:
        abort(404)
    if action == "remove" and request.form.get("confirm") != "yes":
        flash("삭제하려면 확인 칸에 체크해 주세요. 삭제는 되돌릴 수 없어요.", "error")
        return redirect(url_for("console.managers_page"))
    name = manager.name
    try:
        if action == "disable":
            ended = managers.disable(db, manager, actor(), g.manager.id, utcnow())
            message = (f"{name} 님을 중지했어요. 로그인 {ended['sessions']}개를 끝내고 "
                       f"토큰 {ended['tokens']}개를 폐기했어요.")
        elif action == "enable":
            managers.enable(db, manager, actor(), g.manager.id)
            message = f"{name} 님이 다시 쓸 수 있어요. 토큰은 새로 만들어야 해요."
        else:
            managers.remove(db, manager, actor(), g.manager.id, utcnow())
            message = f"{name} 님을 삭제했어요."
    except DomainError as refusal:
        db.rollback()
        flash_error(refusal)
        return redirect(url_for("console.managers_page"))
    db.commit()
    flash(message, "ok")
    return redirect(url_for("console.managers_page"))
