"""The reliability suite: retried and duplicated deliveries act once, 50 identical confirmations
at once through gunicorn record one vote, the database going away mid-run, fuzzing every webhook
and REST endpoint (never a 500, never a stack trace), and forged requests on every channel."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bot.commands.proposals import SubmitProposal
from bot.db import normalise_url
from bot.models.ballot import Participation
from tests import factories
from tests.ballot_helpers import create_ballot
from tests.conftest import KAKAO_BOT, KAKAO_TOKEN, TELEGRAM_SECRET, requires_postgres
from tests.dialogue import kakao_payload, post_telegram, telegram_update

pytestmark = pytest.mark.slow
YES_NO = [{"title": "축제 예산", "kind": "yes_no"}]
FUZZ = settings(max_examples=2500, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _votes(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Participation))


def _kakao(client, user: str, utterance: str):
    return client.post(f"/webhooks/kakao/{KAKAO_TOKEN}", json=kakao_payload(user, utterance))


def _text(response) -> str:
    return "\n".join(o["simpleText"]["text"] for o in response.get_json()["template"]["outputs"])


def test_a_retried_kakao_confirmation_and_a_redelivered_telegram_update_act_once(
        client, admin_headers, db, community):
    create_ballot(client, admin_headers, items=YES_NO)
    with db.session() as session:
        c = session.merge(community)
        factories.verified(session, c, "retry-kakao", channel="kakao")
        factories.verified(session, c, "5151", channel="telegram")
    for said in ("투표", "1"):
        _kakao(client, "retry-kakao", said)
    assert "투표가 접수되었어요" in _text(_kakao(client, "retry-kakao", "1"))
    retried = _text(_kakao(client, "retry-kakao", "1"))  # Kakao gave up waiting and sent it again
    assert "이미 투표하셨어요" in retried
    for said in ("투표", "1"):
        post_telegram(client, telegram_update(5151, said))
    confirm = telegram_update(5151, "1")
    assert "접수되었어요" in post_telegram(client, confirm).get_json()["text"]
    assert post_telegram(client, confirm).get_json() == {}
    assert _votes(db) == 2


@requires_postgres
def test_fifty_identical_confirmations_at_once_through_gunicorn_record_one_vote(
        client, admin_headers, db, community, database_url):
    from bench.webhook import Gunicorn

    create_ballot(client, admin_headers, items=YES_NO)
    with db.session() as session:
        factories.verified(session, session.merge(community), "double-tap", channel="kakao")
    server = Gunicorn("bot:create_app()", {
        "MAEUL_ENV": "test", "DATABASE_URL": database_url, "KAKAO_WEBHOOK_TOKEN": KAKAO_TOKEN,
        "KAKAO_BOT_ID": KAKAO_BOT, "IDENTITY_PEPPER": "test-pepper", "DB_CREATE_ALL": "false"})
    url = f"http://127.0.0.1:{server.port}/webhooks/kakao/{KAKAO_TOKEN}"
    try:
        for said in ("투표", "찬성"):
            assert requests.post(url, json=kakao_payload("double-tap", said),
                                 timeout=10).status_code == 200
        barrier = threading.Barrier(50)

        def tap(_: int) -> tuple[int, str]:
            barrier.wait()
            response = requests.post(url, json=kakao_payload("double-tap", "1"), timeout=30)
            body = response.json()
            return response.status_code, body["template"]["outputs"][0]["simpleText"]["text"]

        with ThreadPoolExecutor(max_workers=50) as executor:
            answers = list(executor.map(tap, range(50)))
    finally:
        server.stop()
    assert {status for status, _ in answers} == {200}
    assert sum("투표가 접수되었어요" in answer for _, answer in answers) == 1
    assert _votes(db) == 1


def _at_the_confirmation(client, admin_headers, db, community) -> None:
    """A verified resident has chosen and sees the summary: the next `1` records the vote."""
    create_ballot(client, admin_headers, items=YES_NO)
    with db.session() as session:
        factories.verified(session, session.merge(community), "steady", channel="kakao")
    assert "안건 1/1" in _text(_kakao(client, "steady", "투표"))
    assert "선택하신 내용이에요" in _text(_kakao(client, "steady", "1"))


@contextmanager
def _server_admin(database_url: str):
    """A connection to the server's `postgres` database, and the name of the test database."""
    url = make_url(normalise_url(database_url))
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn, url.database
    finally:
        admin.dispose()


_TERMINATE = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
              "WHERE datname = :n AND pid <> pg_backend_pid()")


@requires_postgres
def test_the_database_going_away_mid_run(client, admin_headers, db, community, database_url):
    _at_the_confirmation(client, admin_headers, db, community)
    with _server_admin(database_url) as (conn, name):
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        try:
            conn.execute(text(_TERMINATE), {"n": name})
            down = _kakao(client, "steady", "1")
            assert down.status_code == 200 and "잠시 후 다시" in _text(down)
            api = client.get("/api/v1/communities/pungsan", headers=admin_headers)
            assert (api.status_code == 503
                    and api.get_json()["error"]["code"] == "database_unavailable")
            assert client.get("/healthz").status_code == 503
        finally:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    assert _votes(db) == 0, "nothing half-written"
    back = _text(_kakao(client, "steady", "1"))
    assert "투표가 접수되었어요" in back, "the confirmation still waits and works once it is back"
    assert _votes(db) == 1


@requires_postgres
def test_a_connection_the_server_dropped_costs_the_resident_nothing(
        client, admin_headers, db, community, database_url):
    """The pool does not ping before each use: a message that meets a connection the server
    dropped (a restart, a failover) is handled again on a fresh one, and acts once."""
    _at_the_confirmation(client, admin_headers, db, community)
    with _server_admin(database_url) as (conn, name):
        dropped = conn.execute(text(_TERMINATE), {"n": name}).scalar()
    assert dropped >= 1, "the app's pooled connection was there to drop"
    answer = _text(_kakao(client, "steady", "1"))
    assert "투표가 접수되었어요" in answer and "잠시 후 다시" not in answer
    assert _votes(db) == 1


# Text as attackers and unlucky phones send it: direction overrides, zero-width characters,
# emoji sequences, and now and then a field far larger than any form allows.
TRICKY = st.text(alphabet=st.sampled_from(
    list("가나다 1①") + ["\u202e", "\u202d", "\u200b", "\u200d", "\u2066", "\ufeff",
                        "\u061c", "👨", "\ufe0f", "\x00"]), max_size=40)
HUGE_TEXT = st.integers(2_000, 15_000).map(lambda n: "가" * n)  # under the 64 KB body limit
DEEP = st.integers(20, 3_000).flatmap(lambda depth: st.sampled_from([
    "[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth]))
NUMBERS = (st.integers() | st.sampled_from([10 ** 21, -(10 ** 30), 2 ** 63, 2 ** 64 + 1])
           | st.floats(allow_nan=False))
JSONISH = st.recursive(
    st.none() | st.booleans() | NUMBERS | st.text(max_size=30) | TRICKY
    | st.sampled_from(["", "1", "2026-13-45", "x" * 300]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12)
UTTERANCES = st.one_of(st.text(max_size=60), TRICKY, HUGE_TEXT, st.sampled_from(
    ["투표", "1", "2", "0", "찬성", "제안", "제안하기", "인증", "1 3", "①", "일번", "하나", "예",
     "아니오", "내 참여", "알림 끄기", "알림 켜기", "도움말", "520315", "김민수", "\x00", "😀",
     "9" * 400]))


def _raw(body) -> str:
    """A body as sent: JSON text, or (for a DEEP case) the nested text itself."""
    return body if isinstance(body, str) and body[:1] in "[{" and body[-1:] in "]}" else \
        json.dumps(body)


def _sane(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and 'File "' not in body
    if response.status_code >= 400:
        assert set(response.get_json()["error"]) == {"code", "message", "details"}


@FUZZ
@given(user=st.sampled_from(["f1", "f2", "f3"]), utterance=UTTERANCES)
def test_fuzz_kakao_conversations_never_fail(client, fuzz_world, user, utterance):
    response = _kakao(client, user, utterance)
    _sane(response)
    assert response.status_code == 200


@FUZZ
@given(body=JSONISH | DEEP)
def test_fuzz_kakao_and_telegram_payloads_never_fail(client, fuzz_world, body):
    raw = _raw(body)
    _sane(client.post(f"/webhooks/kakao/{KAKAO_TOKEN}", data=raw,
                      content_type="application/json"))
    _sane(client.post("/webhooks/telegram", data=raw, content_type="application/json",
                      headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}))


REST = [
    ("post", "/api/v1/communities"), ("patch", "/api/v1/communities/pungsan"),
    ("post", "/api/v1/managers"), ("post", "/api/v1/communities/pungsan/ballots"),
    ("patch", "/api/v1/ballots/1"), ("post", "/api/v1/ballots/1/cancel"),
    ("post", "/api/v1/ballots/1/onsite-marks"), ("put", "/api/v1/ballots/1/onsite-counts"),
    ("post", "/api/v1/proposals/1/screen"), ("post", "/api/v1/proposals/1/answer"),
    ("post", "/api/v1/proposals/1/progress"), ("post", "/api/v1/proposals/1/send-back"),
    ("post", "/api/v1/communities/pungsan/notices"), ("post", "/api/v1/notices"),
    ("post", "/api/v1/communities/pungsan/rooms"), ("post", "/api/v1/communities/pungsan/roster"),
]


@FUZZ
@given(route=st.sampled_from(REST), body=JSONISH | DEEP)
def test_fuzz_rest_bodies_never_fail(client, admin_headers, fuzz_world, route, body):
    method, path = route
    _sane(getattr(client, method)(path, data=_raw(body), headers={
        **admin_headers, "Content-Type": "application/json"}))


@FUZZ
@given(path=st.sampled_from([p for _, p in REST] + ["/api/v1/ballots/1/results",
                                                    "/api/v1/communities/pungsan/proposals",
                                                    "/api/v1/communities/pungsan/residents",
                                                    "/api/v1/communities/pungsan/audit",
                                                    "/api/v1/tokens", "/api/v1/managers"]),
       query=st.dictionaries(st.sampled_from(["status", "overdue", "page", "verified", "name",
                                              "birth_date"]),
                                     st.text(max_size=12) | TRICKY | st.sampled_from(
                                         [str(10 ** 21), "-1", "0", "1e9", "٣", "9" * 40]),
                                     max_size=3))
def test_fuzz_rest_queries_never_fail(client, admin_headers, fuzz_world, path, query):
    _sane(client.get(path, query_string=query, headers=admin_headers))


@pytest.fixture
def fuzz_world(client, admin_headers, db, community):
    """One of everything the fuzzers can poke at: an open ballot, a proposal waiting for
    screening, verified residents f1..f3 (set up once per test; the examples share it)."""
    from bot import proposals

    create_ballot(client, admin_headers)
    with db.session() as session:
        c = session.merge(community)
        accounts = [factories.verified(session, c, f"f{n}", channel="kakao") for n in (1, 2, 3)]
        proposals.submit(session, accounts[0].resident, SubmitProposal(title="제안", content="내용입니다 다섯", field="other"),
                         "kakao", accounts[0].created_at)
    return True


def test_forged_requests_on_every_channel_are_refused(client, community):
    assert _kakao_with(client, "wrong-token", KAKAO_BOT).status_code == 404
    assert _kakao_with(client, KAKAO_TOKEN, "someone-elses-bot").status_code == 403
    assert client.post("/webhooks/telegram", json=telegram_update(1, "1")).status_code == 401
    assert client.post("/webhooks/telegram", json=telegram_update(1, "1"), headers={
        "X-Telegram-Bot-Api-Secret-Token": "guess"}).status_code == 401
    assert client.get("/api/v1/communities").status_code == 401
    assert client.get("/api/v1/communities", headers={
        "Authorization": "Bearer forged"}).status_code == 401


def _kakao_with(client, token: str, bot: str):
    return client.post(f"/webhooks/kakao/{token}", json=kakao_payload("x", "1", bot_id=bot))
