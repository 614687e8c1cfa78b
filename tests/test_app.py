"""The web app: health, JSON errors for every 4xx, no stack trace anywhere."""

import pytest
from sqlalchemy import text

from bot.db import Database


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_path_is_json_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]


def test_wrong_method_is_json_405(client):
    response = client.get("/webhooks/kakao/whatever")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_api_without_token_is_json_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    wrong = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401


def test_api_with_the_admin_token_knows_the_city_admin(client, admin_headers):
    response = client.get("/api/v1/me", headers=admin_headers)
    assert response.status_code == 200
    assert response.get_json()["city_admin"] is True


def test_unexpected_error_is_json_500_without_trace(app):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals /home/app/bot.py line 3")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "secret internals" not in body
    assert response.get_json()["error"]["code"] == "internal_error"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(db: Database):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas do not apply to PostgreSQL")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
