"""Operations (issue 22): /metrics behind its token, values that move when residents talk and
pushes fail, JSON log lines without personal data, the scheduler quiet at INFO, /readyz."""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from bot import create_app, logs, metrics, outbox
from bot.config import load_settings
from bot.delivery import Deliverer
from bot.migrate import upgrade
from bot.models import Outbox
from bot.models.ops import ClockHeartbeat
from scheduler.clock import Leadership, _tick, heartbeat
from tests.conftest import ADMIN_TOKEN, KAKAO_TOKEN
from tests.dialogue import KakaoChat, converse
from tests.identity_helpers import import_roster, roster_csv

METRICS_TOKEN = "metrics-test-token-0123456789"
BEARER = {"Authorization": f"Bearer {METRICS_TOKEN}"}


@pytest.fixture
def config(config):
    return {**config, "METRICS_TOKEN": METRICS_TOKEN}


def scrape(client) -> dict[tuple, float]:
    """/metrics as {(sample name, sorted labels): value}."""
    answer = client.get("/metrics", headers=BEARER)
    assert answer.status_code == 200
    assert answer.mimetype == "text/plain"
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(answer.get_data(as_text=True))
            for sample in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# /metrics -------------------------------------------------------------------------------------

def test_metrics_need_the_token(client):
    refused = client.get("/metrics")
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "metrics_token_required"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token-at-all"})
    assert wrong.status_code == 401
    assert "maeul_replies" not in wrong.get_data(as_text=True)
    assert client.get("/metrics", headers=BEARER).status_code == 200


def test_metrics_from_an_allowed_address_need_no_token(config):
    app = create_app({**config, "METRICS_TOKEN": "", "METRICS_ALLOW_FROM": "10.0.0.0/8, ::1"})
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.2.3.4"}).status_code == 200
    far = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert far.status_code == 403
    assert far.get_json()["error"]["code"] == "metrics_address_refused"
    app.extensions["maeul.db"].dispose()


def test_without_a_token_or_addresses_metrics_answer_nobody(config):
    app = create_app({**config, "METRICS_TOKEN": ""})
    answer = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert answer.status_code == 403
    assert "METRICS_TOKEN" in answer.get_json()["error"]["message"]
    app.extensions["maeul.db"].dispose()


def test_a_bad_metrics_setting_is_stated_at_start_up(config):
    from bot.config import ConfigError

    with pytest.raises(ConfigError) as raised:
        load_settings({**config, "METRICS_ALLOW_FROM": "10.0.0.0/33", "METRICS_TOKEN": "short",
                       "LOG_FORMAT": "xml"}, use_env=False)
    for key in ("METRICS_ALLOW_FROM", "METRICS_TOKEN", "LOG_FORMAT"):
        assert key in str(raised.value)


def test_values_move_when_residents_talk(client, community):
    before = scrape(client)
    chat = KakaoChat(client, "metrics-user")
    converse(chat, [("메뉴", "1. 투표하기"),        # understood, at home
                    ("아무말대잔치", "잘 알아듣지 못했어요"),  # re-asked
                    ("투표", "본인 인증")])           # refused: not verified yet
    after = scrape(client)
    for outcome in ("understood", "reasked", "refused"):
        assert (value(after, "maeul_replies_total", channel="kakao", outcome=outcome)
                - value(before, "maeul_replies_total", channel="kakao", outcome=outcome)) == 1
    assert (value(after, "maeul_webhook_duration_seconds_count", channel="kakao", step="home")
            - value(before, "maeul_webhook_duration_seconds_count", channel="kakao",
                    step="home")) == 3
    assert any(name == "maeul_webhook_duration_seconds_bucket" for name, _ in after)


def test_votes_and_enrolment_failures_are_counted_when_they_commit(client, db, community,
                                                                  admin_headers):
    from tests.ballot_helpers import create_ballot

    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    before = scrape(client)
    chat = KakaoChat(client, "enrol-metrics")
    converse(chat, [("인증", "동의"), ("1", "본인 인증"), ("1", "성함"), ("김민수", "생년월일"),
                    ("520316", "끝 4자리"), ("1234", "맞지 않아요")])
    converse(chat, [("김민수", "생년월일"), ("520315", "끝 4자리"), ("1234", "인증되었어요")])
    create_ballot(client, admin_headers, items=[{"title": "축제 예산", "kind": "yes_no"}])
    converse(chat, [("투표", "축제 예산"), ("1", "1. 예"), ("1", "투표가 접수되었어요")])
    after = scrape(client)
    assert (value(after, "maeul_enrolment_failures_total", method="details")
            - value(before, "maeul_enrolment_failures_total", method="details")) == 1
    assert (value(after, "maeul_votes_recorded_total", channel="kakao")
            - value(before, "maeul_votes_recorded_total", channel="kakao")) == 1
    assert value(after, "maeul_ballots_open") == 1


def test_a_count_is_dropped_when_its_transaction_rolls_back(db):
    counter = metrics.ENROLMENT_LOCKOUTS.labels(scope="account")
    start = counter._value.get()
    with pytest.raises(RuntimeError), db.session() as session:
        metrics.on_commit(session, metrics.ENROLMENT_LOCKOUTS, scope="account")
        raise RuntimeError("rolled back")
    assert counter._value.get() == start
    with db.session() as session:
        metrics.on_commit(session, metrics.ENROLMENT_LOCKOUTS, scope="account")
    assert counter._value.get() == start + 1


def test_values_move_when_a_push_fails_and_the_outbox_backs_up(client, db, fake, config):
    settings = load_settings({**config, **fake.settings(), "KAKAO_RATE_PER_SECOND": 100_000,
                              "QUIET_HOURS": "off"}, use_env=False)
    now = datetime.now(UTC)
    with db.session() as session:
        outbox.enqueue_many(session, [
            {"idempotency_key": f"ops:{i}", "channel": "kakao", "target": f"u{i}",
             "text": "투표가 시작되었어요."} for i in range(2)], now - timedelta(minutes=5))
    backed_up = scrape(client)
    assert value(backed_up, "maeul_outbox_messages", channel="kakao", status="pending") == 2
    assert value(backed_up, "maeul_outbox_oldest_due_age_seconds", channel="kakao") >= 290
    fake.script("kakao", ("kakao_fail",))
    Deliverer(db, settings).run(now)
    failed = scrape(client)
    assert (value(failed, "maeul_deliveries_total", channel="kakao", outcome="failed")
            - value(backed_up, "maeul_deliveries_total", channel="kakao", outcome="failed")) == 2
    assert value(failed, "maeul_outbox_messages", channel="kakao", status="pending") == 0
    with db.session() as session:
        outbox.enqueue_many(session, [{"idempotency_key": "ops:later", "channel": "kakao",
                                       "target": "u9", "text": "다시 알려요."}], now)
    fake.script("kakao", ("http", 500))
    Deliverer(db, settings).run(now)
    Deliverer(db, settings).run(now + timedelta(hours=1))
    sent = scrape(client)
    for outcome in ("retried", "sent"):
        assert (value(sent, "maeul_deliveries_total", channel="kakao", outcome=outcome)
                - value(failed, "maeul_deliveries_total", channel="kakao", outcome=outcome)) == 1


def test_the_clock_s_tick_and_leadership_show(client, db, settings):
    assert value(scrape(client), "maeul_clock_last_tick_timestamp_seconds") == 0
    leadership = Leadership(db)
    _tick(db, settings, leadership)
    samples = scrape(client)
    assert abs(value(samples, "maeul_clock_last_tick_timestamp_seconds") - time.time()) < 60
    assert value(samples, "maeul_clock_leader") == 1
    assert value(samples, "maeul_clock_ticks_total") >= 1
    leadership.release()


# Logs -----------------------------------------------------------------------------------------

@pytest.fixture
def json_log():
    """Every log line of the test, as production writes them (JSON, DEBUG and up)."""
    buffer = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure(as_json=True, level="DEBUG", stream=buffer)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(level)


def _lines(buffer: io.StringIO) -> list[dict]:
    text = buffer.getvalue()
    assert text.strip(), "nothing was logged"
    return [json.loads(line) for line in text.splitlines()]  # every line is one JSON object


def test_log_lines_are_json_and_carry_no_personal_data(client, db, community, admin_headers,
                                                        json_log):
    """A resident's name, birth date and phone digits go through enrolment (a miss first), and
    a manager signs in with a wrong password and then the right one; the log has one JSON line
    per request with its id, route, status, duration and channel, and none of what the
    resident typed, nor a token or a password."""
    from tests.console_helpers import PASSWORD, manager, sign_in

    manager(db, "kim@pungsan.kr", "김담당", community.id)
    assert sign_in(client, "kim@pungsan.kr", "틀린비밀번호-7731").status_code == 401
    assert sign_in(client, "kim@pungsan.kr").status_code == 302
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    chat = KakaoChat(client, "private-person")
    converse(chat, [("인증", "동의"), ("1", "본인 인증"), ("1", "성함"), ("김민수", "생년월일"),
                    ("19520316", "끝 4자리"), ("1234", "맞지 않아요"),
                    ("김민수", "생년월일"), ("1952-03-15", "끝 4자리"), ("1234", "인증되었어요"),
                    ("제안", "제안")])
    lines = _lines(json_log)
    requests = [line for line in lines if line["logger"] == "maeul.request"]
    webhooks = [line for line in requests if line["channel"] == "kakao"]
    assert len(webhooks) == 10
    for line in webhooks:
        assert line["route"] == "/webhooks/kakao/<token>" and line["status"] == 200
        assert len(line["request_id"]) == 32 and line["duration_ms"] >= 0
    assert len({line["request_id"] for line in requests}) == len(requests)
    said = " ".join(json.dumps({k: v for k, v in line.items()
                                if k not in ("request_id", "time", "duration_ms")},
                               ensure_ascii=False) for line in lines)
    for secret in ("김민수", "민수", "19520316", "1952-03-15", "520315", "1234",
                   "010-1234", KAKAO_TOKEN, ADMIN_TOKEN, "private-person", "metrics-test",
                   "틀린비밀번호", "7731", PASSWORD, "kim@pungsan.kr", "김담당"):
        assert secret not in said, secret


def test_a_request_id_given_by_the_proxy_is_kept(client, json_log):
    answer = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a9c21"})
    assert answer.headers["X-Request-Id"] == "lb-7f3a9c21"
    assert any(line.get("request_id") == "lb-7f3a9c21" for line in _lines(json_log))
    odd = client.get("/healthz", headers={"X-Request-Id": "김민수 010"})
    assert odd.headers["X-Request-Id"] != "김민수 010"


def test_the_scheduler_says_nothing_routine_at_info(db, settings):
    from scheduler.clock import background_clock

    buffer = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure(as_json=True, level="INFO", stream=buffer)
    try:
        clock = background_clock(db, settings, seconds=1)
        leadership = clock.get_jobs()[0].args[2]
        time.sleep(2.5)
        clock.shutdown()
        leadership.release()  # on PostgreSQL it held the clock's lock on a connection
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert not [line for line in lines if line["logger"].startswith("apscheduler")], lines
    assert len(lines) <= 1  # at most "clock is active", once
    with db.session() as session:
        assert session.get(ClockHeartbeat, 1) is not None, "the clock did tick"


# /readyz --------------------------------------------------------------------------------------

def test_readyz_is_red_with_a_pending_migration_and_green_after(tmp_path, config):
    url = f"sqlite:///{tmp_path / 'release.db'}"
    upgrade(url, "0016")
    app = create_app({**config, "DATABASE_URL": url, "DB_CREATE_ALL": False})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # alive all the same
    red = client.get("/readyz")
    assert red.status_code == 503
    body = red.get_json()
    assert body["status"] == "not_ready" and body["checks"]["database"]["ok"]
    assert not body["checks"]["schema"]["ok"]
    assert "0016" in body["checks"]["schema"]["detail"]
    assert "maeul db upgrade" in body["checks"]["schema"]["detail"]
    upgrade(url)
    clock_missing = client.get("/readyz").get_json()
    assert clock_missing["checks"]["schema"]["ok"] and not clock_missing["checks"]["clock"]["ok"]
    db = app.extensions["maeul.db"]
    heartbeat(db, datetime.now(UTC))
    green = client.get("/readyz")
    assert green.status_code == 200, green.get_json()
    assert green.get_json()["status"] == "ready"
    app.extensions["maeul.db"].dispose()


def test_readyz_is_red_when_the_clock_has_gone_silent(client, db, settings):
    heartbeat(db, datetime.now(UTC) - timedelta(seconds=settings["CLOCK_SILENT_SECONDS"] + 5))
    silent = client.get("/readyz")
    assert silent.status_code == 503
    assert "last ticked" in silent.get_json()["checks"]["clock"]["detail"]
    assert client.get("/readyz?without=clock").status_code == 200
    with db.session() as session:
        session.execute(update(ClockHeartbeat).values(last_tick_at=datetime.now(UTC)))
    assert client.get("/readyz").status_code == 200


def test_the_clock_heartbeat_is_one_row(db, settings):
    for _ in range(3):
        heartbeat(db, datetime.now(UTC))
    with db.session() as session:
        assert len(session.scalars(select(ClockHeartbeat)).all()) == 1
        assert session.scalars(select(Outbox)).all() == []


def test_the_procfile_web_line_sums_metrics_over_its_workers_and_logs_json(tmp_path):
    """gunicorn as the Procfile runs it, two workers: /metrics adds up what both counted
    (prometheus-client's multiprocess mode), and every line it writes is one JSON object."""
    import requests as http

    from bench.webhook import free_port
    from tests.dialogue import kakao_payload
    from tests.procfile import procfile_web

    port = free_port()
    log = tmp_path / "web.log"
    proc = procfile_web({"WEB_CONCURRENCY": "2", "MAEUL_ENV": "test", "LOG_FORMAT": "json",
                         "METRICS_TOKEN": METRICS_TOKEN,
                         "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
                         "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
                         "KAKAO_WEBHOOK_TOKEN": KAKAO_TOKEN}, log, port)
    try:
        base = f"http://127.0.0.1:{port}"
        for n in range(20):
            answer = http.post(f"{base}/webhooks/kakao/{KAKAO_TOKEN}",
                               json=kakao_payload(f"worker-{n}", "메뉴"), timeout=10)
            assert answer.status_code == 200
        assert http.get(f"{base}/metrics", timeout=10).status_code == 401
        scraped = http.get(f"{base}/metrics", headers=BEARER, timeout=10)
        assert scraped.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(scraped.text)
               for s in family.samples}
    assert value(samples, "maeul_replies_total", channel="kakao", outcome="understood") == 20
    assert value(samples, "maeul_webhook_duration_seconds_count", channel="kakao",
                 step="home") == 20
    lines = [json.loads(text) for text in log.read_text().splitlines()]  # all JSON
    assert any(entry["logger"].startswith("gunicorn") for entry in lines)
    assert sum(entry.get("channel") == "kakao" for entry in lines) == 20
    assert KAKAO_TOKEN not in log.read_text()
