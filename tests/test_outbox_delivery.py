"""Outbox delivery against loopback fakes of Kakao, Telegram and BAND: batching, retries with
backoff and retry-after, timeouts, permanent errors, quiet hours, expiry, concurrent workers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from bot import outbox
from bot.config import load_settings
from bot.delivery import Deliverer, claim_query, quiet_end
from bot.models import ChannelAccount, Outbox
from tests import factories

NOON = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 12:00 in Seoul
FAST = {"KAKAO_RATE_PER_SECOND": 100_000, "TELEGRAM_RATE_PER_SECOND": 100_000,
        "BAND_RATE_PER_SECOND": 100_000, "HTTP_TIMEOUT_SECONDS": 1}


@pytest.fixture
def sending(config, fake):
    def make(**extra):
        return load_settings({**config, **fake.settings(), **FAST, **extra}, use_env=False)
    return make


def _queue(db, rows: list[dict]) -> None:
    with db.session() as session:
        outbox.enqueue_many(session, rows, NOON)  # queued at the time the tests deliver


def _push(n: int, channel: str = "kakao", text: str = "투표가 시작되었어요.", **extra) -> list:
    return [{"idempotency_key": f"test:{channel}:{i}", "channel": channel, "target": f"u{i}",
             "text": text, **extra} for i in range(n)]


def _rows(db) -> list[Outbox]:
    with db.session() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.id)))


def test_kakao_pushes_go_out_in_batches_of_100_exactly_once(db, fake, sending):
    _queue(db, _push(250))
    _queue(db, _push(250))  # the same keys again: nothing new
    counts = Deliverer(db, sending()).run(NOON)
    assert counts["sent"] == 250
    assert fake.requests["kakao"] == 3
    assert set(fake.received("kakao").values()) == {1} and len(fake.received("kakao")) == 250
    assert Deliverer(db, sending()).run(NOON + timedelta(hours=1)) == {}
    assert {row.status for row in _rows(db)} == {"sent"}


def test_500_429_and_timeouts_are_retried_later_and_nothing_is_lost_or_doubled(db, fake,
                                                                                sending):
    _queue(db, _push(3, "telegram"))
    fake.script("telegram", ("http", 500), ("telegram", 429, 600), ("timeout", 2))
    first = Deliverer(db, sending()).run(NOON)
    assert first == {"retried": 3}
    rows = _rows(db)
    assert [r.status for r in rows] == ["pending"] * 3
    assert "500" in rows[0].last_error and "429" in rows[1].last_error
    assert "network" in rows[2].last_error
    assert rows[1].next_attempt_at >= NOON + timedelta(seconds=600), "retry_after is honoured"
    assert rows[0].next_attempt_at < NOON + timedelta(seconds=31), "first backoff ≤ 30 s"
    assert Deliverer(db, sending()).run(NOON + timedelta(seconds=31)).get("sent", 0) <= 2
    Deliverer(db, sending()).run(NOON + timedelta(hours=1))
    assert fake.received("telegram") == {"u0": 1, "u1": 1, "u2": 1}
    assert [r.status for r in _rows(db)] == ["sent"] * 3
    assert [r.attempts for r in _rows(db)] == [2, 2, 2]


def test_kakao_retry_after_and_fail_and_band_result_codes(db, fake, sending):
    _queue(db, _push(1, "kakao", "가"))
    _queue(db, [{"idempotency_key": "band:1", "channel": "band", "target": "band-a",
                 "target_kind": "room", "text": "공지"},
                {"idempotency_key": "band:2", "channel": "band", "target": "band-b",
                 "target_kind": "room", "text": "공지"}])
    fake.script("kakao", ("http", 429, 120))
    fake.script("band", ("band", 1003), ("band", 60100))
    Deliverer(db, sending()).run(NOON)
    kakao, band_a, band_b = _rows(db)
    assert kakao.status == "pending" and kakao.next_attempt_at >= NOON + timedelta(seconds=120)
    assert band_a.status == "pending" and "1003" in band_a.last_error
    assert band_b.status == "failed" and "60100" in band_b.last_error
    _queue(db, [{"idempotency_key": "kakao:fail", "channel": "kakao", "target": "gone",
                 "text": "나"}])
    fake.script("kakao", ("kakao_fail",))
    Deliverer(db, sending()).run(NOON + timedelta(hours=1))
    statuses = {r.idempotency_key: (r.status, r.last_error) for r in _rows(db)}
    assert statuses["test:kakao:0"][0] == "sent" and statuses["band:1"][0] == "sent"
    assert statuses["kakao:fail"] == ("failed", "FAIL: scripted")
    assert fake.received("band") == {"band-a": 1}


def test_a_blocked_telegram_chat_is_marked_unreachable_and_left_alone(db, fake, sending,
                                                                      community):
    with db.session() as session:
        account = factories.verified(session, session.merge(community), "777",
                                     channel="telegram")
        account_id = account.id
    fake.blocked.add("777")
    _queue(db, [{"idempotency_key": f"tg:{n}", "channel": "telegram", "target": "777",
                 "text": f"알림 {n}"} for n in range(3)])
    Deliverer(db, sending()).run(NOON)
    assert fake.requests["telegram"] == 1, "after the 403 the other two are not attempted"
    assert {r.status for r in _rows(db)} == {"failed"}
    assert "403" in _rows(db)[0].last_error
    with db.session() as session:
        assert session.get(ChannelAccount, account_id).unreachable_at is not None


def test_after_the_last_attempt_a_row_fails_with_its_reason(db, fake, sending):
    _queue(db, _push(1, "telegram"))
    fake.script("telegram", ("http", 502), ("http", 502))
    settings = sending(OUTBOX_MAX_ATTEMPTS=2)
    Deliverer(db, settings).run(NOON)
    Deliverer(db, settings).run(NOON + timedelta(hours=2))
    [row] = _rows(db)
    assert (row.status, row.attempts) == ("failed", 2) and "502" in row.last_error


def test_quiet_hours_hold_pushes_until_morning_and_drop_what_would_be_late(db, fake, sending):
    night = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)  # 22:00 in Seoul
    morning = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # 08:00 in Seoul
    _queue(db, [
        {"idempotency_key": "remind", "channel": "kakao", "target": "u1", "text": "내일 마감"},
        {"idempotency_key": "late", "channel": "kakao", "target": "u2", "text": "2시간 뒤 마감",
         "expires_at": night + timedelta(hours=2)},
        {"idempotency_key": "room", "channel": "band", "target": "band-a",
         "target_kind": "room", "text": "공지", "respect_quiet_hours": False},
    ])
    counts = Deliverer(db, sending(QUIET_HOURS="21:00-08:00")).run(night)
    assert counts == {"deferred": 1, "dropped": 1, "sent": 1}
    remind, late, room = _rows(db)
    assert (remind.status, remind.next_attempt_at) == ("pending", morning)
    assert late.status == "dropped" and room.status == "sent"
    assert fake.received("kakao") == {}
    Deliverer(db, sending(QUIET_HOURS="21:00-08:00")).run(morning)
    assert fake.received("kakao") == {"u1": 1}


@pytest.mark.parametrize("local, quiet", [("20:59", False), ("21:00", True), ("03:00", True),
                                          ("07:59", True), ("08:00", False)])
def test_quiet_hours_span_midnight(local, quiet):
    from zoneinfo import ZoneInfo
    seoul = ZoneInfo("Asia/Seoul")
    hour, minute = map(int, local.split(":"))
    moment = datetime(2026, 12, 1, hour, minute, tzinfo=seoul)
    assert (quiet_end(moment, seoul, "21:00-08:00") is not None) is quiet


def test_two_workers_at_once_never_send_a_row_twice(db, fake, sending, database_url):
    from bot.db import Database

    _queue(db, _push(2000))
    pools = [Database(database_url, pool_size=2) for _ in range(2)]
    try:
        workers = [threading.Thread(target=Deliverer(pool, sending()).run, args=(NOON,))
                   for pool in pools]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        for pool in pools:
            pool.dispose()
    received = fake.received("kakao")
    assert len(received) == 2000 and set(received.values()) == {1}
    assert {r.status for r in _rows(db)} == {"sent"}


def test_a_claim_walks_the_claim_index_instead_of_sorting_the_queue(db):
    """A city-wide reminder queues a million rows: each claim of 100 must read 100 index entries,
    not scan and sort the queue (a plan check, not a timing; the speed is in bench/)."""
    dialect = db.engine.dialect.name
    query = claim_query("kakao", 100, datetime.now(UTC), dialect)
    with db.engine.connect() as conn:
        if dialect == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")  # an empty table would be scanned
            sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
            plan = "\n".join(conn.execute(text(f"EXPLAIN {sql}")).scalars())
        else:
            compiled = query.compile(db.engine)
            plan = "\n".join(row[3] for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}",
                tuple(compiled.params[name] for name in compiled.positiontup)))
    assert "ix_outbox_claim" in plan, plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
