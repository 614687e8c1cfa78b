"""Naver BAND as a community room, against a loopback fake of its Open API: linking a band,
proposal posts, comment polling with paging and a seen-set kept in the database, discussion
counted on the proposal, and replies that point votes and personal data to the 1:1 chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import create_app
from bot.config import load_settings
from bot.models import Outbox, Room
from bot.models.ballot import Participation
from scheduler.jobs import run_due
from tests.factories import database_is_free
from tests.proposal_helpers import published, state


@pytest.fixture
def tick(config, fake, db):
    settings = load_settings({**config, **fake.settings(), "QUIET_HOURS": "off",
                              "BAND_RATE_PER_SECOND": 10_000,
                              "KAKAO_CHANNEL_URL": "http://pf.kakao.com/_maeul/chat"},
                             use_env=False)
    return lambda: run_due(db, settings, datetime.now(UTC) + timedelta(seconds=1))


@pytest.fixture
def band_room(db, community):
    with db.session() as session:
        session.add(Room(community_id=community.id, channel="band", external_key="band-pungsan"))


def test_a_band_is_linked_by_choosing_from_the_tokens_bands(client, admin_headers, config, fake):
    app = create_app({**config, **fake.settings()})
    with app.test_client() as c:
        listed = c.get("/api/v1/band/bands", headers=admin_headers).get_json()
        assert [b["name"] for b in listed["items"]] == ["풍산동 소통방", "화정동 소통방"]
        assert c.post("/api/v1/communities", json={"slug": "pungsan", "name": "풍산동"},
                      headers=admin_headers).status_code == 201
        wrong = c.post("/api/v1/communities/pungsan/rooms", headers=admin_headers,
                       json={"channel": "band", "external_key": "band-elsewhere"})
        assert wrong.status_code == 422 and len(wrong.get_json()["error"]["details"]["bands"]) == 2
        added = c.post("/api/v1/communities/pungsan/rooms", headers=admin_headers,
                       json={"channel": "band", "external_key": "band-pungsan",
                             "title": "풍산동 소통방"})
        assert added.status_code == 201
        taken = c.post("/api/v1/communities/pungsan/rooms", headers=admin_headers,
                       json={"channel": "band", "external_key": "band-pungsan"})
        assert taken.status_code == 409
    app.extensions["maeul.db"].dispose()
    without = client.get("/api/v1/band/bands", headers=admin_headers)
    assert without.status_code == 409 and "BAND_ACCESS_TOKEN" in without.get_json()["error"][
        "message"]


def test_comments_are_read_once_kept_as_discussion_and_votes_are_pointed_away(
        db, community, band_room, fake, tick):
    pid = published(db, community.id, at=datetime.now(UTC) - timedelta(minutes=5))
    tick()
    [(band_key, post)] = fake.band
    assert band_key == "band-pungsan" and post.startswith("[주민 제안] 놀이터 그늘막")
    with db.session() as session:
        post_row = session.scalars(select(Outbox).where(
            Outbox.idempotency_key.like(f"proposal:{pid}:published:%"))).one()
        post_key = post_row.provider_ref
    assert post_key in fake.band_posts
    fake.comment(post_key, "김민수", "좋은 제안이에요. 그늘이 꼭 필요해요.")
    fake.comment(post_key, "이영희", "1")
    fake.comment(post_key, "박지훈", "찬성이요 제 생일은 850730이에요")  # the third is on page 2
    counts = tick()["band.poll"]
    assert counts["comments"] == 3 and counts["discussion"] == 3 and counts["answered"] == 2
    tick()  # the replies go out; the next poll sees them as the bot's own
    replies = [body for _, key, body in fake.band_replies if key == post_key]
    assert len(replies) == 2 and all("1:1 대화에서만" in r for r in replies)
    assert all("http://pf.kakao.com/_maeul/chat" in r for r in replies)
    again = tick()["band.poll"]
    assert again["comments"] == 0 and again["answered"] == 0, "nothing is processed twice"
    assert state(db, pid)["discussion"] == 3
    with db.session() as session:
        assert session.scalars(select(Participation)).all() == []


def test_the_seen_set_survives_a_restart_and_quota_errors_wait_for_the_next_tick(
        db, community, band_room, fake, config):
    pid = published(db, community.id, at=datetime.now(UTC) - timedelta(minutes=5))
    settings = load_settings({**config, **fake.settings(), "QUIET_HOURS": "off",
                              "BAND_RATE_PER_SECOND": 10_000}, use_env=False)
    run_due(db, settings, datetime.now(UTC) + timedelta(seconds=1))
    post_key = next(iter(fake.band_posts))
    fake.comment(post_key, "김민수", "좋아요")
    fake.script("band", ("band", 1003))
    stopped = run_due(db, settings, datetime.now(UTC) + timedelta(seconds=2))["band.poll"]
    assert "1003" in stopped["stopped"]
    # A new clock process: fresh settings and sessions, the same database.
    fresh = load_settings({**config, **fake.settings(), "QUIET_HOURS": "off"}, use_env=False)
    first = run_due(db, fresh, datetime.now(UTC) + timedelta(seconds=3))["band.poll"]
    fake.comment(post_key, "이영희", "저도요")
    second = run_due(db, fresh, datetime.now(UTC) + timedelta(seconds=4))["band.poll"]
    assert (first["comments"], second["comments"]) == (1, 1)
    assert state(db, pid)["discussion"] == 2


def test_no_transaction_is_held_while_band_answers(db, community, band_room, fake, tick):
    """Polling waits on BAND (up to HTTP_TIMEOUT_SECONDS a call): meanwhile webhooks must be able
    to write, so the comments are fetched outside any transaction and recorded after."""
    published(db, community.id, at=datetime.now(UTC) - timedelta(minutes=5))
    tick()
    post_key = next(iter(fake.band_posts))
    fake.comment(post_key, "김민수", "좋은 제안이에요.")
    free_during_calls: list[bool] = []
    fake.on_band_read = lambda _path: free_during_calls.append(database_is_free(db))
    counts = tick()["band.poll"]
    assert counts["comments"] == 1 and counts["discussion"] == 1
    assert free_during_calls and all(free_during_calls), free_during_calls
