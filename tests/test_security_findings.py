"""The outside security review's findings (issue 15), one test each: every one failed on the
main it was found on. Attacks are made as an attacker would make them: through the real routes."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select, update

from bot import ballots, proposals
from bot.commands.ballots import CastVote
from bot.config import ConfigError, load_settings
from bot.models import Community, Conversation, Manager, utcnow
from bot.models.ballot import Ballot
from bot.models.identity import Resident
from tests import factories
from tests.ballot_helpers import app_keys, create_ballot
from tests.conftest import KAKAO_TOKEN, TELEGRAM_SECRET
from tests.console_helpers import csrf, manager, sign_in
from tests.dialogue import CONSENT, KakaoChat, converse, kakao_payload
from tests.identity_helpers import roster_csv

BREAKOUT = '"><script>alert(document.cookie)</script><x a="'
FORMULAS = ['=HYPERLINK("http://evil.example","클릭")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C x'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+2", "\r=1+3"]
RLO = "\u202e"


class Markup(HTMLParser):
    """The elements and attributes a page really has (what a browser would build)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)


@pytest.fixture
def staff(db, community):
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    manager(db, "city@goyang.kr", "시 담당", None)
    return community


def _published(client, admin_headers, db, items: list[dict], title: str = "주민총회") -> int:
    """A ballot with these items, one vote for the first option of each, counted and published."""
    ballot = create_ballot(client, admin_headers, items=items, title=title)
    with db.session() as session:
        c = session.get(Community, ballot["community_id"]) if "community_id" in ballot else \
            session.scalars(select(Community)).first()
        voter = factories.resident(session, c)
        row = session.get(Ballot, ballot["id"])
        picks = {str(item.number): [1] for item in row.items}  # the first option of each
        assert ballots.submit(session, app_keys(), row, session.get(Resident, voter.id), "kakao",
                              CastVote(picks=picks), datetime.now(UTC)).status == ballots.RECORDED
    assert client.post(f"/api/v1/ballots/{ballot['id']}/close",
                       headers=admin_headers).status_code == 200
    published = client.post(f"/api/v1/ballots/{ballot['id']}/publish",
                            json={"confirm_small": True}, headers=admin_headers)
    assert published.status_code == 200, published.get_json()
    return ballot["id"]


# 1. Stored XSS through an item title in the SVG chart's aria-label ----------------------------

def test_an_item_title_cannot_break_out_of_the_chart_on_the_public_page(client, admin_headers,
                                                                         db, community):
    _published(client, admin_headers, db, [
        {"title": BREAKOUT, "kind": "choose_one", "options": ["가", BREAKOUT]}])
    response = client.get("/public/pungsan")
    page = response.get_data(as_text=True)
    assert "alert(document.cookie)" in page  # the title is there, as text
    markup = Markup(page)
    assert "script" not in markup.tags and "x" not in markup.tags
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


# 2. The configuration fails open ---------------------------------------------------------------

def test_a_deployment_that_names_no_environment_is_production():
    with pytest.raises(ConfigError) as caught:
        load_settings({}, use_env=False)
    for name in ("SECRET_KEY", "IDENTITY_PEPPER", "SEALING_KEY", "ADMIN_API_TOKEN",
                 "KAKAO_WEBHOOK_TOKEN", "DATABASE_URL"):
        assert name in str(caught.value)


def test_the_example_configuration_ships_production():
    lines = open(".env.example", encoding="utf-8").read().splitlines()
    assert "MAEUL_ENV=production" in lines
    assert "MAEUL_ENV=development" not in lines


# 3. CSV formula injection ----------------------------------------------------------------------

def _cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) for cell in row]


def test_exported_results_never_start_a_cell_with_a_formula(client, admin_headers, db, staff):
    ballot_id = _published(client, admin_headers, db, [
        {"title": FORMULAS[0], "kind": "choose_one", "options": FORMULAS[1:]},
        {"title": FORMULAS[2], "kind": "yes_no"}], title=FORMULAS[3])
    api = client.get(f"/api/v1/ballots/{ballot_id}/results.csv", headers=admin_headers)
    sign_in(client, "desk@pungsan.kr")
    console = client.get(f"/console/ballots/{ballot_id}/results.csv")
    for response in (api, console):
        assert response.status_code == 200
        cells = _cells(response.get_data(as_text=True))
        assert cells
        dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert dangerous == []
        assert any(c == "'" + FORMULAS[0] for c in cells)  # kept, only neutralised


# 4. Sessions and sign-in -----------------------------------------------------------------------

def test_a_session_cookie_stops_working_at_logout(client, staff):
    sign_in(client, "desk@pungsan.kr")
    stolen = client.get_cookie("session").value
    assert client.get("/console/c/pungsan").status_code == 200
    client.post("/console/logout", data={"csrf_token": csrf(client, "/console/c/pungsan")})
    client.set_cookie("session", stolen)
    replay = client.get("/console/c/pungsan")
    assert replay.status_code == 302 and "/console/login" in replay.headers["Location"]


def test_an_idle_session_ends_after_its_idle_time(client, db, staff):
    from bot.models import ConsoleSession

    sign_in(client, "desk@pungsan.kr")
    assert client.get("/console/c/pungsan").status_code == 200
    with db.session() as session:
        session.execute(update(ConsoleSession).values(
            last_seen_at=utcnow() - timedelta(hours=8, minutes=1)))
    assert client.get("/console/c/pungsan").status_code == 302


def test_nobody_can_lock_a_manager_out_from_elsewhere(app, db, staff):
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    answers = [sign_in(attacker, "desk@pungsan.kr", "guess").status_code for _ in range(8)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    desk = app.test_client()
    desk.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    signed_in = sign_in(desk, "desk@pungsan.kr")
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/console/")


def test_unknown_and_known_emails_look_the_same(app, staff, monkeypatch):
    """Same status, same message, and the same work: one password-hash check with the same
    hash method for an unknown e-mail as for a known one (before, an unknown e-mail skipped the
    hash entirely: 2 ms against 70 ms). Counted, not timed, so the test does not depend on load."""
    from werkzeug.security import check_password_hash

    from bot.console import signin

    methods: list[str] = []

    def counted(pwhash: str, password: str) -> bool:
        methods.append(pwhash.split("$", 1)[0])
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(signin, "check_password_hash", counted)

    def attempt(email: str, address: str) -> tuple[int, str, list[str]]:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        token = csrf(client)
        methods.clear()
        response = client.post("/console/login", data={"email": email, "password": "guess",
                                                       "csrf_token": token})
        page = response.get_data(as_text=True)
        return response.status_code, page.split('role="alert"')[1][:80], list(methods)

    known = attempt("desk@pungsan.kr", "192.0.2.1")
    unknown = attempt("nobody@pungsan.kr", "192.0.2.2")
    assert known == unknown
    assert len(known[2]) == 1  # exactly one hash check, of the method real passwords use


def test_api_tokens_can_be_listed_and_revoked(client, db, staff):
    with db.session() as session:
        headers = factories.manager_headers(session, "api@pungsan.kr", staff.id)
    listed = client.get("/api/v1/tokens", headers=headers)
    assert listed.status_code == 200
    [token] = listed.get_json()["items"]
    assert client.delete(f"/api/v1/tokens/{token['id']}", headers=headers).status_code == 200
    assert client.get("/api/v1/tokens", headers=headers).status_code == 401


def test_a_city_admin_can_disable_a_manager_and_it_ends_their_session(app, client, db,
                                                                      admin_headers, staff):
    desk = app.test_client()
    sign_in(desk, "desk@pungsan.kr")
    assert desk.get("/console/c/pungsan").status_code == 200
    with db.session() as session:
        desk_id = session.scalars(select(Manager.id).where(
            Manager.email == "desk@pungsan.kr")).one()
    answer = client.post(f"/api/v1/managers/{desk_id}/disable", headers=admin_headers)
    assert answer.status_code == 200
    assert desk.get("/console/c/pungsan").status_code == 302
    assert sign_in(desk, "desk@pungsan.kr").status_code == 401


# 5. 500s on bad input --------------------------------------------------------------------------

DEEP = "[" * 30_000 + "]" * 30_000


def test_deeply_nested_json_is_a_400_everywhere(client, admin_headers, community):
    answers = [
        client.post(f"/webhooks/kakao/{KAKAO_TOKEN}", data=DEEP, content_type="application/json"),
        client.post("/webhooks/telegram", data=DEEP, content_type="application/json",
                    headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}),
        client.post("/api/v1/communities", data=DEEP, content_type="application/json",
                    headers=admin_headers),
        client.post("/api/v1/communities/pungsan/ballots", data='{"a":' * 40 + "1" + "}" * 40,
                    content_type="application/json", headers=admin_headers),
    ]
    assert [a.status_code for a in answers] == [400, 400, 400, 400]


@pytest.mark.parametrize("path", ["/api/v1/communities/pungsan/residents",
                                  "/api/v1/communities/pungsan/audit"])
def test_a_huge_page_number_is_a_400(client, admin_headers, community, path):
    answer = client.get(path, query_string={"page": str(10 ** 21)}, headers=admin_headers)
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "invalid_page"


# 6. Display tricks -----------------------------------------------------------------------------

def test_direction_overrides_and_zero_width_characters_are_stripped(client, db, community):
    with db.session() as session:
        factories.verified(session, session.merge(community), "writer")
    chat = KakaoChat(client, "writer")
    converse(chat, [
        ("제안하기", "제목을 한 줄로"),
        (f"가로등{RLO}부탁\u200b해요 👨\u200d👩\u200d👧", "내용을 한 번에"),
        ("골목\u2066 가로등이\u200f 꺼졌어요.", "어느 분야"),
        ("4", "[안전] 가로등부탁해요"),
        ("1", "제안이 접수되었어요"),
    ])
    with db.session() as session:
        proposal = session.scalars(select(proposals.Proposal)).one()
        assert proposal.title == "가로등부탁해요 👨\u200d👩\u200d👧"  # the family emoji keeps its joins
        assert proposal.content == "골목 가로등이 꺼졌어요."


def test_a_manager_cannot_store_direction_overrides_either(client, admin_headers, community):
    ballot = create_ballot(client, admin_headers, title=f"주민{RLO}총회\ufeff")
    assert ballot["title"] == "주민총회"


# 7. Leaks in passing ---------------------------------------------------------------------------

def test_the_kakao_token_is_not_in_the_access_log(app, caplog):
    from werkzeug.serving import WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        def __init__(self):  # a request line as the development server logs it
            self.requestline = f"POST /webhooks/kakao/{KAKAO_TOKEN} HTTP/1.1"
            self.client_address = ("127.0.0.1", 5000)

        def address_string(self):
            return "127.0.0.1"

    with caplog.at_level(logging.INFO, logger="werkzeug"):
        Handler().log_request(200, 2)
    assert caplog.records
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert KAKAO_TOKEN not in logged and "/webhooks/kakao/<redacted>" in logged


def test_two_kakao_tokens_work_during_a_rotation(config, community):
    from bot import create_app

    app = create_app({**config, "KAKAO_WEBHOOK_TOKEN": "",
                      "KAKAO_WEBHOOK_TOKENS": "new-token-1, old-token-0"})
    try:
        client = app.test_client()
        for token in ("new-token-1", "old-token-0"):
            answer = client.post(f"/webhooks/kakao/{token}", json=kakao_payload("u", "메뉴"))
            assert answer.status_code == 200, token
        assert client.post("/webhooks/kakao/retired", json=kakao_payload("u", "메뉴")
                           ).status_code == 404
    finally:
        app.extensions["maeul.db"].dispose()


def test_the_roster_preview_is_not_cached(client, staff):
    sign_in(client, "desk@pungsan.kr")
    token = csrf(client, "/console/c/pungsan/residents")
    preview = client.post("/console/c/pungsan/roster", data={
        "csrf_token": token, "file": (io.BytesIO(roster_csv()), "roster.csv")},
        content_type="multipart/form-data")
    assert preview.status_code == 200 and "가져오기" in preview.get_data(as_text=True)
    assert "no-store" in preview.headers.get("Cache-Control", "")


def test_an_abandoned_enrolment_forgets_the_typed_name(client, db, community, settings):
    from scheduler.jobs import run_due

    chat = KakaoChat(client, "stranger")
    converse(chat, [("인증", CONSENT), ("1", "1. 이름"), ("1", "성함"), ("홍길동", "생년월일")])
    with db.session() as session:
        session.execute(update(Conversation).values(
            updated_at=utcnow() - timedelta(minutes=31)))
    run_due(db, settings, utcnow())
    with db.session() as session:
        [data] = session.scalars(select(Conversation.data)).all()
        assert "홍길동" not in json.dumps(data, ensure_ascii=False)
        assert data == {}


def test_a_roster_name_pasted_with_invisible_characters_keys_like_the_typed_name():
    from datetime import date

    from bot.roster_file import parse_roster

    data = "이름,생년월일,휴대폰\n김\u200b민\u202e수,1952-03-15,010-1234-5678\n".encode()
    [entry] = parse_roster(data, date(2026, 12, 1)).entries
    assert entry.name == "김민수"


def test_the_procfile_web_process_logs_requests_without_the_kakao_token(tmp_path):
    """The Procfile's own web line, run as written: the log shows each request by its route,
    the Kakao skill URL as /webhooks/kakao/<token>, never the token itself. (Until issue 22 this
    was gunicorn's access log, with the token as <redacted>; the app's own request line, with a
    request id and the channel, took its place.)"""
    import requests as http

    from bench.webhook import free_port
    from tests.procfile import procfile_web

    port = free_port()
    log = tmp_path / "web.log"
    proc = procfile_web({"WEB_CONCURRENCY": "1", "MAEUL_ENV": "test",
                         "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
                         "KAKAO_WEBHOOK_TOKEN": KAKAO_TOKEN}, log, port)
    try:
        answer = http.post(f"http://127.0.0.1:{port}/webhooks/kakao/{KAKAO_TOKEN}",
                           json=kakao_payload("u", "메뉴"), timeout=10)
        assert answer.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    written = log.read_text()
    assert "POST /webhooks/kakao/<token> 200" in written
    assert KAKAO_TOKEN not in written
