"""Managers' access: password changes, API tokens and disabling or removing a manager, through
the console, REST and `maeul manager`; every change ends what it must at once and is audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.models import ApiToken, AuditEvent, Manager
from tests import factories
from tests.console_helpers import PASSWORD, csrf, manager, sign_in

NEW_PASSWORD = "새-비밀번호-2027-봄"


@pytest.fixture
def staff(db, community):
    return {"desk": manager(db, "desk@pungsan.kr", "풍산 담당", community.id),
            "city": manager(db, "city@goyang.kr", "시 담당", None)}


def _actions(db) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _post(client, path: str, data: dict | None = None, page: str = "/console/account"):
    return client.post(path, data={"csrf_token": csrf(client, page), **(data or {})})


def test_a_new_password_ends_the_other_browsers_sessions(app, db, staff):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "desk@pungsan.kr")
    sign_in(phone, "desk@pungsan.kr")
    refused = _post(laptop, "/console/account/password", {
        "current_password": "wrong", "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD})
    assert "지금 비밀번호가 맞지 않아요" in laptop.get(refused.headers["Location"]).get_data(
        as_text=True)
    changed = _post(laptop, "/console/account/password", {
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD})
    assert changed.status_code == 302
    assert laptop.get("/console/c/pungsan").status_code == 200  # this browser goes on
    assert phone.get("/console/c/pungsan").status_code == 302  # the other one is signed out
    assert sign_in(app.test_client(), "desk@pungsan.kr").status_code == 401
    assert sign_in(app.test_client(), "desk@pungsan.kr", NEW_PASSWORD).status_code == 302
    assert "console.password_changed" in _actions(db)


def test_a_manager_makes_and_revokes_a_token_in_the_console(client, db, staff):
    sign_in(client, "desk@pungsan.kr")
    page = _post(client, "/console/account/tokens").get_data(as_text=True)
    token = re.search(r"<code>(maeul_[\w-]+)</code>", page).group(1)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/communities/pungsan", headers=headers).status_code == 200
    assert token not in client.get("/console/account").get_data(as_text=True)  # shown once
    with db.session() as session:
        token_id = session.scalars(select(ApiToken.id)).one()
    _post(client, f"/console/account/tokens/{token_id}/revoke")
    assert client.get("/api/v1/communities/pungsan", headers=headers).status_code == 401
    assert "폐기됨" in client.get("/console/account").get_data(as_text=True)
    assert _actions(db)[-2:] == ["api_token.issued", "api_token.revoked"]


def test_nobody_revokes_someone_elses_token(client, db, community):
    with db.session() as session:
        mine = factories.manager_headers(session, "a@pungsan.kr", community.id)
        theirs = factories.manager_headers(session, "b@pungsan.kr", community.id)
        their_id = session.scalars(select(ApiToken.id).order_by(ApiToken.id.desc())).first()
    assert client.delete(f"/api/v1/tokens/{their_id}", headers=mine).status_code == 404
    assert client.get("/api/v1/tokens", headers=theirs).get_json()["count"] == 1


def test_the_city_admin_disables_enables_and_removes_in_the_console(app, db, staff):
    desk, city = app.test_client(), app.test_client()
    sign_in(desk, "desk@pungsan.kr")
    sign_in(city, "city@goyang.kr")
    page = city.get("/console/city/managers").get_data(as_text=True)
    assert "풍산 담당 중지" in page and "시 담당 중지" not in page  # not oneself
    _post(city, f"/console/city/managers/{staff['desk']}/disable", page="/console/city/managers")
    assert desk.get("/console/c/pungsan").status_code == 302
    assert "사용이 중지된 계정" in sign_in(desk, "desk@pungsan.kr").get_data(as_text=True)
    _post(city, f"/console/city/managers/{staff['desk']}/enable", page="/console/city/managers")
    assert sign_in(desk, "desk@pungsan.kr").status_code == 302
    _post(city, f"/console/city/managers/{staff['desk']}/remove", page="/console/city/managers")
    assert desk.get("/console/c/pungsan").status_code == 200  # no confirmation: nothing done
    _post(city, f"/console/city/managers/{staff['desk']}/remove", {"confirm": "yes"},
          page="/console/city/managers")
    assert desk.get("/console/c/pungsan").status_code == 302
    with db.session() as session:
        removed = session.get(Manager, staff["desk"])
        assert (removed.email, removed.password_hash) == (
            f"removed-{staff['desk']}@maeul.invalid", None)
    assert [a for a in _actions(db) if a.startswith("manager.")] == [
        "manager.disabled", "manager.enabled", "manager.removed"]


def test_a_community_manager_cannot_reach_the_managers_page(client, staff):
    sign_in(client, "desk@pungsan.kr")
    assert client.get("/console/city/managers").status_code == 403


def test_rest_disable_revokes_tokens_and_refuses_the_callers_own_account(client, db, community):
    with db.session() as session:
        city = factories.manager_headers(session, "city@goyang.kr", None)
        desk = factories.manager_headers(session, "desk@pungsan.kr", community.id)
        city_id, desk_id = session.scalars(select(Manager.id).order_by(Manager.id)).all()
    assert client.post(f"/api/v1/managers/{city_id}/disable", headers=desk).status_code == 403
    own = client.post(f"/api/v1/managers/{city_id}/disable", headers=city)
    assert own.status_code == 409 and own.get_json()["error"]["code"] == "own_account"
    done = client.post(f"/api/v1/managers/{desk_id}/disable", headers=city)
    assert done.status_code == 200 and done.get_json()["disabled"] is True
    assert client.get("/api/v1/communities/pungsan", headers=desk).status_code == 401
    assert client.post(f"/api/v1/managers/{desk_id}/enable", headers=city).status_code == 200
    assert client.get("/api/v1/communities/pungsan", headers=desk).status_code == 401  # revoked
    removed = client.delete(f"/api/v1/managers/{desk_id}", headers=city)
    assert removed.get_json()["removed"] is True
    again = client.delete(f"/api/v1/managers/{desk_id}", headers=city)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "manager_removed"


def test_maeul_manager_disable_tokens_and_revoke(app, db, staff, capsys, monkeypatch,
                                                database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    with db.session() as session:
        headers = factories.manager_headers(session, "api@pungsan.kr", None)
    assert main(["manager", "tokens", "--email", "api@pungsan.kr"]) == 0
    token_id = int(capsys.readouterr().out.split("\t")[0])
    assert main(["manager", "revoke-token", "--id", str(token_id)]) == 0
    assert "폐기했어요" in capsys.readouterr().out
    assert app.test_client().get("/api/v1/tokens", headers=headers).status_code == 401
    assert main(["manager", "disable", "--email", "desk@pungsan.kr"]) == 0
    assert "중지했어요" in capsys.readouterr().out
    assert main(["manager", "list"]) == 0
    listed = capsys.readouterr().out
    assert "desk@pungsan.kr" in listed and "중지됨" in listed
    assert main(["manager", "remove", "--email", "nobody@pungsan.kr"]) == 2
    assert _actions(db)[-2:] == ["api_token.revoked", "manager.disabled"]


def test_the_clock_forgets_expired_sessions_and_sign_in_counters(app, db, settings, staff):
    from datetime import timedelta

    from bot.models import ConsoleSession, RateLimit, utcnow
    from scheduler.jobs import run_due

    sign_in(app.test_client(), "desk@pungsan.kr")
    sign_in(app.test_client(), "city@goyang.kr", "wrong")

    def left() -> tuple[int, int]:
        with db.session() as session:
            return (len(session.scalars(select(ConsoleSession)).all()),
                    len(session.scalars(select(RateLimit)).all()))

    assert left() == (1, 2)
    assert run_due(db, settings, utcnow())["console.expired"] == {"sessions": 0, "limits": 0}
    outcome = run_due(db, settings, utcnow() + timedelta(hours=9))["console.expired"]
    assert outcome == {"sessions": 1, "limits": 2} and left() == (0, 0)
