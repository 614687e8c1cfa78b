"""The pieces of web hardening on their own: headers by response kind and environment, the
client's address behind a proxy, forged session cookies, and the text cleaner's limits."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from bot import web
from bot.text import clean, spreadsheet_cell
from tests.console_helpers import manager, sign_in


def _tiny(production: bool) -> Flask:
    app = Flask(__name__)
    web.install(app, production=production, proxy_count=0)
    app.add_url_rule("/page", "page", lambda: "<p>글</p>")
    app.add_url_rule("/data", "data", lambda: {"ok": True})
    return app


@pytest.mark.parametrize("production", [True, False])
def test_html_gets_the_full_header_set_and_hsts_only_in_production(production):
    client = _tiny(production).test_client()
    page, data = client.get("/page"), client.get("/data")
    assert page.headers["Content-Security-Policy"] == web.CONTENT_SECURITY_POLICY
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" not in data.headers
    for response in (page, data):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert ("Strict-Transport-Security" in response.headers) is production


def test_a_cookie_signed_with_the_apps_own_key_opens_nothing(app, client, db, community):
    """The review forged {"manager_id": 1} with the public development key and opened the city
    console. Even with the real key, a cookie names a server-side session or nothing."""
    manager(db, "city@goyang.kr", "시 담당", None)
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    for forged in ({"manager_id": 1}, {"sid": "guessed-token"}):
        client.set_cookie("session", signer.dumps(forged))
        answer = client.get("/console/city")
        assert answer.status_code == 302 and "/console/login" in answer.headers["Location"]


def test_behind_a_proxy_each_client_address_has_its_own_throttle(config, db, community):
    from bot import create_app

    app = create_app({**config, "PROXY_COUNT": 1})
    try:
        manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
        attacker = app.test_client()
        attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.66"
        for _ in range(5):
            sign_in(attacker, "desk@pungsan.kr", "guess")
        assert sign_in(attacker, "desk@pungsan.kr").status_code == 429
        desk = app.test_client()
        desk.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
        assert sign_in(desk, "desk@pungsan.kr").status_code == 302
    finally:
        app.extensions["maeul.db"].dispose()


@pytest.mark.parametrize(("sent", "kept"), [
    ("가\u202e나\u200b다", "가나다"),
    ("👨\u200d👩\u200d👧 가족", "👨\u200d👩\u200d👧 가족"),  # emoji joins stay
    ("❤\ufe0f 좋아요", "❤\ufe0f 좋아요"),
    ("가\u200d나", "가나"),  # a joiner between letters is not an emoji join
    ("\ufeff제목\u2066", "제목"),
    ("보통 문장, 그대로!", "보통 문장, 그대로!"),
    ("가\x00나\x07다\t라\r\n", "가나다\t라\r\n"),  # controls go; tab and line breaks stay
])
def test_the_cleaner_removes_invisible_controls_and_keeps_the_rest(sent, kept):
    assert clean(sent) == kept


def test_a_nul_byte_in_a_body_is_dropped_not_a_server_error(client, admin_headers, community):
    """schemathesis found it on PostgreSQL, which refuses NUL in text: a 500 until now."""
    added = client.post("/api/v1/communities/pungsan/rooms", headers=admin_headers,
                        json={"channel": "telegram", "external_key": "-100\u0000123"})
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["external_key"] == "-100123"


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("-3", "'-3"), ("@A1", "'@A1"), ("\t=x", "'\t=x"), ("안건", "안건"),
    (-3, -3), (12, 12),
])
def test_spreadsheet_cells_that_look_like_formulas_are_neutralised(cell, written):
    assert spreadsheet_cell(cell) == written
