"""Sealed ballots: trustees who must all give their secret before the box opens, the count that
keeps only tallies and destroys the envelopes, small groups never shown apart, drafts that never
reach the database in the clear, and the migration that leaves no plain choice behind."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select, text

from bot import ballots, sealing
from bot.db import make_engine
from bot.migrate import upgrade
from bot.models import AuditEvent, Conversation, Resident
from bot.models.ballot import Ballot, Envelope, Tally
from tests import factories
from tests.ballot_helpers import ITEMS, app_keys, ballot_body, create_ballot, iso, submit_vote
from tests.dialogue import KakaoChat, converse

YES_NO = [{"title": "축제 예산", "kind": "yes_no"}]
SECRETS = ["느티나무 아래 첫눈 오는 날", "풍산동 통장 회의 2026"]
TRUSTEES = [{"name": "김영희"}, {"name": "박철수"}]


def _post(client, headers, path, body=None):
    return client.post(f"/api/v1/ballots/{path}", json=body, headers=headers)


def _residents(db, community, count: int) -> list[int]:
    with db.session() as session:
        c = session.merge(community)
        return [factories.resident(session, c).id for _ in range(count)]


_vote = submit_vote


def _envelopes(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Envelope))


def _every_value(db) -> str:
    """Everything stored in any table, as one text (bytes as hex and as text)."""
    out = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value)
                        out += [value.hex(), value.decode("utf-8", "replace")]
                    else:
                        out.append(str(value))
    return "\n".join(out)


@pytest.fixture
def trustee_ballot(client, admin_headers, community):
    """A ballot with two trustees, opening in an hour."""
    body = ballot_body(opens=timedelta(hours=1), items=YES_NO, trustees=TRUSTEES)
    created = client.post("/api/v1/communities/pungsan/ballots", json=body, headers=admin_headers)
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def test_a_ballot_with_trustees_cannot_open_until_each_has_set_a_secret(
        client, admin_headers, community, trustee_ballot):
    refused = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                          json=ballot_body(items=YES_NO, trustees=TRUSTEES))
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "trustees_not_ready" and "김영희, 박철수" in error["message"]

    ballot_id = trustee_ballot["id"]
    assert trustee_ballot["ready"] is False
    assert [t["ready"] for t in trustee_ballot["trustees"]] == [False, False]
    path = f"/api/v1/ballots/{ballot_id}"
    now_open = {"opens_at": iso(datetime.now(UTC) - timedelta(minutes=1))}
    blocked = client.patch(path, headers=admin_headers, json=now_open)
    assert blocked.status_code == 409 and "김영희, 박철수" in blocked.get_json()["error"]["message"]

    short = client.put(f"{path}/trustees/1", headers=admin_headers, json={"secret": "1234"})
    assert short.status_code == 422
    assert client.put(f"{path}/trustees/3", headers=admin_headers,
                      json={"secret": SECRETS[0]}).status_code == 404
    first = client.put(f"{path}/trustees/1", headers=admin_headers, json={"secret": SECRETS[0]})
    assert first.status_code == 200 and first.get_json()["ready"] is False
    blocked = client.patch(path, headers=admin_headers, json=now_open)
    assert blocked.status_code == 409
    assert blocked.get_json()["error"]["details"]["missing"] == ["박철수"]

    second = client.put(f"{path}/trustees/2", headers=admin_headers, json={"secret": SECRETS[1]})
    assert second.status_code == 200 and second.get_json()["ready"] is True
    opened = client.patch(path, headers=admin_headers, json=now_open)
    assert opened.status_code == 200 and opened.get_json()["status"] == "open"
    late = client.put(f"{path}/trustees/1", headers=admin_headers, json={"secret": SECRETS[1]})
    assert late.status_code == 409


def test_with_trustees_the_close_leaves_the_box_sealed_and_only_all_secrets_count_it(
        client, admin_headers, community, db, trustee_ballot):
    ballot_id = trustee_ballot["id"]
    path = f"/api/v1/ballots/{ballot_id}"
    for number, secret in enumerate(SECRETS, start=1):
        client.put(f"{path}/trustees/{number}", headers=admin_headers, json={"secret": secret})
    client.patch(path, headers=admin_headers,
                 json={"opens_at": iso(datetime.now(UTC) - timedelta(minutes=1))})
    voters = _residents(db, community, 7)
    chosen = [1, 1, 2, 1, 2, 1, 1]
    for rid, option in zip(voters, chosen, strict=True):
        assert _vote(db, ballot_id, rid, {"1": [option]}) == ballots.RECORDED
    assert _post(client, admin_headers, f"{ballot_id}/count",
                 {"secrets": SECRETS}).status_code == 409, "not while voting"
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        with pytest.raises(sealing.CryptoError):  # the app's secrets alone do not open it
            sealing.open_box(app_keys(), ballot.id, ballot.seal_salt, ballot.box_secret, [])

    closed = _post(client, admin_headers, f"{ballot_id}/close")
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed" and closed.get_json()["counted_at"] is None
    assert _envelopes(db) == 7
    assert client.get(f"{path}/turnout", headers=admin_headers).get_json()["participants"] == 7
    assert client.get(f"{path}/results", headers=admin_headers).status_code == 409
    not_counted = _post(client, admin_headers, f"{ballot_id}/publish")
    assert not_counted.status_code == 409
    assert not_counted.get_json()["error"]["code"] == "not_counted"

    wrong = _post(client, admin_headers, f"{ballot_id}/count",
                  {"secrets": [SECRETS[0], "박철수의 틀린 비밀번호"]})
    assert wrong.status_code == 422
    assert "2번 관리인(박철수)" in wrong.get_json()["error"]["message"]
    assert "김영희" not in wrong.get_json()["error"]["message"]
    swapped = _post(client, admin_headers, f"{ballot_id}/count", {"secrets": SECRETS[::-1]})
    assert swapped.status_code == 422
    assert _post(client, admin_headers, f"{ballot_id}/count",
                 {"secrets": SECRETS[:1]}).status_code == 422
    assert _envelopes(db) == 7, "still sealed"
    with db.session() as session:
        assert session.get(Ballot, ballot_id).counted_at is None
        assert session.scalar(select(func.count()).select_from(Tally)) == 0

    counted = _post(client, admin_headers, f"{ballot_id}/count", {"secrets": SECRETS})
    assert counted.status_code == 200 and counted.get_json()["counted_at"]
    assert _envelopes(db) == 0, "the envelopes are destroyed"
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        assert ballot.box_secret is None
        tallies = {t.option: t.count for t in session.scalars(select(Tally))}
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "ballot.counted")).one()
    assert tallies == dict(Counter(chosen))
    assert event.details["envelopes"] == 7 and event.details["invalid"] == 0
    assert _post(client, admin_headers, f"{ballot_id}/count",
                 {"secrets": SECRETS}).status_code == 409
    assert _post(client, admin_headers, f"{ballot_id}/publish").status_code == 200
    result = client.get(f"{path}/results", headers=admin_headers).get_json()
    assert [o["total"] for o in result["items"][0]["options"]] == [5, 2]
    everything = _every_value(db)
    for secret in SECRETS:
        assert secret not in everything and secret.encode().hex() not in everything


def test_a_count_is_of_what_was_voted_whatever_the_order_and_on_both_layers(
        client, admin_headers, community, db):
    """Without trustees the close counts at once: three items, tallies exact, no envelope left."""
    ballot = create_ballot(client, admin_headers, items=ITEMS)
    voters = _residents(db, community, 12)
    expected: Counter = Counter()
    for n, rid in enumerate(voters):
        picks = {"1": [1 + n % 2], "2": [1 + n % 3], "3": sorted({1 + n % 4, 1 + (n * 7) % 4})}
        assert _vote(db, ballot["id"], rid, picks) == ballots.RECORDED
        expected.update((int(k), o) for k, options in picks.items() for o in options)
    assert _post(client, admin_headers, f"{ballot['id']}/close").status_code == 200
    assert _envelopes(db) == 0
    assert _post(client, admin_headers, f"{ballot['id']}/publish").status_code == 200
    body = client.get(f"/api/v1/ballots/{ballot['id']}/results", headers=admin_headers).get_json()
    got = Counter({(item["number"], n): o["total"] for item in body["items"]
                   for n, o in enumerate(item["options"], start=1)})
    assert +got == expected


def _published_split(client, admin_headers, community, db, online: int, onsite_counts: list
                     ) -> tuple[int, dict]:
    """A secret yes/no ballot with `online` voters for 찬성 and on-site voters counted as given;
    closed, counted and published. Returns its id and its results."""
    ballot = create_ballot(client, admin_headers, items=YES_NO, onsite=True)
    voters = _residents(db, community, online + sum(onsite_counts))
    for rid in voters[:online]:
        assert _vote(db, ballot["id"], rid, {"1": [1]}) == ballots.RECORDED
    with db.session() as session:
        b = session.get(Ballot, ballot["id"])
        for rid in voters[online:]:
            ballots.mark_onsite(session, b, session.get(Resident, rid), "desk", datetime.now(UTC))
    _post(client, admin_headers, f"{ballot['id']}/close")
    client.put(f"/api/v1/ballots/{ballot['id']}/onsite-counts", headers=admin_headers,
               json={"items": [{"number": 1, "counts": onsite_counts}]})
    assert _post(client, admin_headers, f"{ballot['id']}/publish").status_code == 200
    body = client.get(f"/api/v1/ballots/{ballot['id']}/results", headers=admin_headers).get_json()
    return ballot["id"], body


def test_small_groups_of_a_secret_ballot_are_never_shown_apart(client, admin_headers, community,
                                                               db):
    ballot_id, body = _published_split(client, admin_headers, community, db, 6, [0, 2])
    assert body["split_hidden"] is True
    assert [(o["online"], o["onsite"], o["total"]) for o in body["items"][0]["options"]] == [
        (None, None, 6), (None, None, 2)], "2 on-site voters who all chose 반대 stay hidden"
    exported = client.get(f"/api/v1/ballots/{ballot_id}/results.csv", headers=admin_headers)
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["1", "축제 예산", "찬반", "반대", "비공개", "비공개", "2", "", "가결", "", ""] in rows


def test_groups_of_five_or_more_are_shown_apart(client, admin_headers, community, db):
    _, body = _published_split(client, admin_headers, community, db, 5, [1, 4])
    assert body["split_hidden"] is False
    assert [(o["online"], o["onsite"]) for o in body["items"][0]["options"]] == [(5, 1), (0, 4)]


def test_publishing_fewer_than_five_participants_needs_a_confirmation(client, admin_headers,
                                                                      community, db):
    ballot = create_ballot(client, admin_headers, items=YES_NO)
    for rid in _residents(db, community, 2):
        _vote(db, ballot["id"], rid, {"1": [1]})
    _post(client, admin_headers, f"{ballot['id']}/close")
    refused = _post(client, admin_headers, f"{ballot['id']}/publish")
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "too_few_participants" and "2명" in error["message"]
    assert error["details"] == {"participants": 2, "minimum": 5}
    assert client.get(f"/api/v1/ballots/{ballot['id']}/results",
                      headers=admin_headers).status_code == 409
    confirmed = _post(client, admin_headers, f"{ballot['id']}/publish", {"confirm_small": True})
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "published"


def test_a_draft_is_sealed_one_size_and_never_repeats(client, admin_headers, community, db,
                                                      settings):
    """Between items the conversation holds a sealed draft: no pick in the clear, the same
    length whatever was picked, and different bytes even for the same picks."""
    ballot = create_ballot(client, admin_headers)
    with db.session() as session:
        c = session.merge(community)
        for name in ("draft-a", "draft-b", "draft-c"):
            factories.verified(session, c, name)
    for name, answers in (("draft-a", ("1", "1")), ("draft-b", ("2", "3")),
                          ("draft-c", ("1", "1"))):
        converse(KakaoChat(client, name), [("투표", "안건 1/3"), (answers[0], "안건 2/3"),
                                            (answers[1], "안건 3/3"), ("2 4", "맞나요")])
    with db.session() as session:
        rows = [c.data for c in session.scalars(select(Conversation))]
    assert all(set(data) == {"ballot", "item", "draft"} for data in rows)
    drafts = [data["draft"] for data in rows]
    assert len({len(d) for d in drafts}) == 1 and len(set(drafts)) == 3
    assert "picks" not in str(rows) and "pending" not in str(rows)

    from scheduler.jobs import run_due

    # A vote not yet submitted waits for its resident while the ballot is open, however long
    # they are away; the ballot's close takes every draft out of the database.
    later = datetime.now(UTC) + timedelta(minutes=settings["CONVERSATION_IDLE_MINUTES"] + 1)
    assert run_due(db, settings, later)["ballots.drafts"] == 0
    assert client.post(f"/api/v1/ballots/{ballot['id']}/close",
                       headers=admin_headers).status_code == 200
    assert run_due(db, settings, later)["ballots.drafts"] == 3
    with db.session() as session:
        assert all("draft" not in str(c.data) for c in session.scalars(select(Conversation)))
    # The next message meets the closed ballot: nothing is guessed, nothing recorded.
    converse(KakaoChat(client, "draft-a"), [("1", "마감되었어요")])
    assert _envelopes(db) == 0


@given(st.lists(st.integers(min_value=2, max_value=9), min_size=1, max_size=20).flatmap(
    lambda sizes: st.tuples(st.just(sizes), st.tuples(*[
        st.sets(st.integers(min_value=1, max_value=n), max_size=n) for n in sizes]))))
def test_every_plaintext_of_a_ballot_has_one_length_and_reads_back(case):
    sizes, chosen = case
    picks = {str(n): sorted(options) for n, options in enumerate(chosen, start=1) if options}
    plain = sealing.encode(sizes, picks)
    assert len(plain) == len(sealing.encode(sizes, {}))
    assert sealing.decode(sizes, plain) == (picks, [])


def test_an_envelope_opens_only_with_its_own_ballot_box():
    keys = sealing.Keyring("a" * 32)
    public, wrapped = sealing.new_box(keys, 1, b"s" * 16, [])
    sealed = sealing.seal(public, b"\x01\x01\x00")
    assert sealing.open_box(keys, 1, b"s" * 16, wrapped, []).decrypt(sealed) == b"\x01\x01\x00"
    for other in ((sealing.Keyring("b" * 32), 1), (keys, 2)):
        with pytest.raises(sealing.CryptoError):
            sealing.open_box(other[0], other[1], b"s" * 16, wrapped, [])


def test_the_migration_leaves_no_plain_choice_and_keeps_what_was_counted(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0007")
    engine = make_engine(url)
    now = "2026-11-30 00:00:00"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO communities (id, slug, name, phone, timezone, "
                          "min_voting_age, proposal_rules, complaint_text, uses_disagree, "
                          "created_at) VALUES (1, 'c', 'c', '', 'Asia/Seoul', 19, '[]', '', 0, "
                          ":now)"), {"now": now})
        for ballot_id, closed in ((1, None), (2, now)):
            conn.execute(text(
                "INSERT INTO ballots (id, community_id, title, overview, opens_at, closes_at, "
                "secret, onsite, reminders, reminders_done, created_by, created_at, "
                "cancel_reason, closed_at) VALUES (:id, 1, 't', '', :now, '2026-12-30 00:00:00',"
                " 1, 0, '[]', '[]', 'm', :now, '', :closed)"),
                {"id": ballot_id, "now": now, "closed": closed})
            conn.execute(text("INSERT INTO ballot_items (id, ballot_id, number, title, summary, "
                              "kind, options, max_choices) VALUES (:id, :id, 1, 'i', '', "
                              "'yes_no', '[\"찬성\", \"반대\"]', 1)"), {"id": ballot_id})
            for n, option in enumerate((1, 1, 2)):
                conn.execute(text("INSERT INTO ballot_choices (id, ballot_id, item_id, option) "
                                  "VALUES (:id, :b, :b, :o)"),
                             {"id": f"{ballot_id}-{n}", "b": ballot_id, "o": option})
        conn.execute(text("INSERT INTO ballot_tallies (ballot_id, item_id, option, count) "
                          "VALUES (2, 2, 1, 2), (2, 2, 2, 1)"))
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert "ballot_choices" not in inspect(conn).get_table_names()
        tallies = conn.execute(text("SELECT ballot_id, option, count FROM ballot_tallies "
                                    "ORDER BY ballot_id, option")).all()
        counted = conn.execute(text("SELECT id, counted_at IS NOT NULL, length(seal_salt) "
                                    "FROM ballots ORDER BY id")).all()
    engine.dispose()
    assert tallies == [(1, 1, 2), (1, 2, 1), (2, 1, 2), (2, 2, 1)]
    assert counted == [(1, 0, 16), (2, 1, 16)]


def test_a_forged_envelope_is_not_counted_and_the_audit_shows_it(client, admin_headers,
                                                                 community, db):
    """Someone who can write to the database but has no key cannot add a vote: an envelope not
    sealed to the box is counted as invalid, beside the participations it does not match."""
    import os
    import uuid

    ballot = create_ballot(client, admin_headers, items=YES_NO)
    for rid in _residents(db, community, 5):
        assert _vote(db, ballot["id"], rid, {"1": [2]}) == ballots.RECORDED
    with db.session() as session:
        real = session.scalars(select(Envelope.sealed)).first()
        session.add(Envelope(id=str(uuid.uuid4()), ballot_id=ballot["id"],
                             sealed=os.urandom(len(real))))
    assert _post(client, admin_headers, f"{ballot['id']}/close").status_code == 200
    with db.session() as session:
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "ballot.counted")).one()
        tallies = {t.option: t.count for t in session.scalars(select(Tally))}
    assert (event.details["envelopes"], event.details["invalid"],
            event.details["online_participants"]) == (6, 1, 5)
    assert tallies == {2: 5}
