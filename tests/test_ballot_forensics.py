"""Forensics on a secret ballot: someone who holds the database (a DBA, a replica, a dump taken at
any moment) but not the app's secrets tries to learn how residents voted.

Twenty residents vote through the Kakao webhook with known, balanced choices on a two-item
ballot. Every table is snapshotted (all columns, plus `xmin` and `ctid` on PostgreSQL) before and
after each resident's every step; the rows a step wrote are that resident's. For every column of
those rows (its value, its length, and each field of a JSON value) a lookup classifier learns
value → choices on half the voters and guesses the other half. Nothing may do better than chance.
The reviewer's two attacks are run as well: the `xmin` join of participations to every other
table, and the `ctid` order of every table that grew during voting.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import inspect, text

from tests import factories
from tests.ballot_helpers import create_ballot
from tests.dialogue import KakaoChat

ITEMS = [{"title": "마을 축제 예산", "kind": "yes_no"},
         {"title": "공원 이름", "kind": "choose_one",
          "options": ["풍산공원", "햇살공원", "느티나무공원"]}]
# The four ways to vote, five residents each: (answer to item 1, answer to item 2).
CLASSES = [("1", "2"), ("1", "3"), ("2", "2"), ("2", "3")]
VOTERS = 20
# Ten test voters, four balanced classes: chance is 2.5 right. A leak gets all 10.
MOST_RIGHT_BY_CHANCE = 4

Snapshot = dict[str, set[tuple]]


def _plain(value: object) -> object:
    if isinstance(value, bytes | bytearray | memoryview):
        return "0x" + bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def snapshot(engine) -> Snapshot:
    """Every row of every table as a tuple of (column, value) pairs."""
    postgres = engine.dialect.name == "postgresql"
    tables: Snapshot = {}
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            extra = ", xmin::text AS _xmin, ctid::text AS _ctid" if postgres else ""
            result = conn.execute(text(f'SELECT *{extra} FROM "{table}"'))
            names = list(result.keys())
            tables[table] = {tuple(zip(names, map(_plain, row), strict=True)) for row in result}
    return tables


def written(before: Snapshot, after: Snapshot) -> list[tuple[str, tuple]]:
    """The rows a step inserted or changed."""
    return [(table, row) for table, rows in after.items()
            for row in rows - before.get(table, set())]


def _flatten(prefix: str, value: object) -> Iterable[tuple[str, object]]:
    yield prefix, value
    if isinstance(value, str):
        yield prefix + "#len", len(value)
        try:
            parsed = json.loads(value)
        except ValueError:
            return
        if isinstance(parsed, dict):
            for key, inner in parsed.items():
                yield from _flatten(f"{prefix}.{key}", _plain(inner))


def features(rows: Iterable[tuple[str, tuple]], tag: str) -> dict[str, tuple]:
    """Each (table, column, JSON field, length) → the sorted values this voter's rows had."""
    seen: dict[str, list] = defaultdict(list)
    for table, row in rows:
        for column, value in row:
            for name, part in _flatten(f"{tag}:{table}.{column}", value):
                seen[name].append(repr(part))
    return {name: tuple(sorted(values)) for name, values in seen.items()}


def best_predictors(voters: dict[str, dict[str, tuple]], truth: dict[str, tuple],
                    train: list[str], test: list[str]) -> list[tuple[int, str]]:
    """For every feature, how many test voters a value → majority-choice lookup learnt on the
    training voters gets right; highest first."""
    names = {name for found in voters.values() for name in found}
    scores = []
    for name in names:
        learnt: dict[tuple, Counter] = defaultdict(Counter)
        for voter in train:
            if name in voters[voter]:
                learnt[voters[voter][name]][truth[voter]] += 1
        right = 0
        for voter in test:
            counts = learnt.get(voters[voter].get(name))
            if counts:
                guess = min(counts, key=lambda c: (-counts[c], c))
                right += guess == truth[voter]
        scores.append((right, name))
    return sorted(scores, reverse=True)


def _assert_chance(voters, truth, train, test, what: str) -> None:
    scores = best_predictors(voters, truth, train, test)
    leaks = [(right, name) for right, name in scores if right > MOST_RIGHT_BY_CHANCE]
    assert not leaks, f"{what}: these predict the choices of {len(test)} unseen voters: {leaks[:8]}"


def _split(truth: dict[str, tuple]) -> tuple[list[str], list[str]]:
    """Train and test halves with the classes spread over both (3/2 and 2/3 of each five)."""
    train, test = [], []
    by_class: dict[tuple, list[str]] = defaultdict(list)
    for voter, choice in truth.items():
        by_class[choice].append(voter)
    for index, choice in enumerate(CLASSES):
        members = by_class[choice]
        cut = 3 if index % 2 == 0 else 2
        train += members[:cut]
        test += members[cut:]
    return train, test


def test_the_classifier_finds_a_planted_leak():
    """Not vacuous: a column that carries the choice, or only its length, is found."""
    truth = {f"v{i}": CLASSES[i % 4] for i in range(VOTERS)}
    plain = {v: features([("ballot_choices", (("option", option),)) for option in choice], "vote")
             for v, choice in truth.items()}
    sized = {v: features([("conversations", (("data", "x" * (10 + int(choice[0]) * 3
                                                                  + int(choice[1]))),))], "vote")
             for v, choice in truth.items()}
    unique = {v: features([("envelopes", (("sealed", os.urandom(40)),))], "vote")
              for v in truth}
    train, test = _split(truth)
    assert best_predictors(plain, truth, train, test)[0][0] == 10
    assert best_predictors(sized, truth, train, test)[0][0] == 10
    assert best_predictors(unique, truth, train, test)[0][0] == 0


def _vote_and_watch(client, engine, name: str, choices: tuple,  # noqa: ANN001
                    postgres: bool) -> tuple[dict, str | None]:
    """One resident votes `투표 → first → second → 1`; the features of the rows each step wrote,
    and (on PostgreSQL) the xmin of their participation row."""
    chat = KakaoChat(client, name)
    first, second = choices
    rows: list[tuple[str, tuple]] = []
    step_features: dict[str, tuple] = {}
    xmin = None
    for step, said in enumerate(("투표", first, second, "1")):
        before = snapshot(engine)
        answer = chat.say(said)
        new = written(before, snapshot(engine))
        rows += new
        step_features.update(features(new, f"step{step}"))
        if step == 3:
            assert "접수되었어요" in answer, chat.show()
            if postgres:
                [xmin] = [dict(row)["_xmin"] for table, row in new
                          if table == "ballot_participations"]
    return {**step_features, **features(rows, "vote")}, xmin


def _joined_by_xmin(engine) -> dict[str, list[tuple[str, tuple]]]:  # noqa: ANN001
    """The reviewer's join on PostgreSQL: every other table's rows written in a participation's
    transaction, by the participating resident."""
    joined: dict[str, list[tuple[str, tuple]]] = defaultdict(list)
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            if table == "ballot_participations":
                continue
            result = conn.execute(text(
                f'SELECT x.*, p.resident_id AS _voter FROM "{table}" x '
                'JOIN ballot_participations p ON p.xmin = x.xmin'))
            keys = list(result.keys())
            for row in result:
                values = dict(zip(keys, map(_plain, row), strict=True))
                voter_id = values.pop("_voter")
                joined[voter_id].append((table, tuple(values.items())))
    return joined


def _storage_chunks(engine, order: list[str], before_voting: dict,  # noqa: ANN001
                    postgres: bool) -> dict[str, list]:
    """The storage order of every table that grew by a multiple of the voters, cut into one
    chunk per voter in the order they voted."""
    storage: dict[str, list] = defaultdict(list)
    with engine.connect() as conn:
        for table, rows in snapshot(engine).items():
            added = rows - before_voting.get(table, set())
            if not added or len(added) % VOTERS:
                continue
            key = "_ctid" if postgres else None
            listed = sorted(added, key=lambda row: _ctid(dict(row)[key]) if key else
                            _storage_position(conn, table, dict(row)))
            size = len(listed) // VOTERS
            for index, name in enumerate(order):
                storage[name] += [(table, row) for row in listed[index * size:(index + 1) * size]]
    return storage


def test_a_database_holder_cannot_link_a_resident_to_a_choice(client, admin_headers, community,
                                                              db):
    ballot = create_ballot(client, admin_headers, items=ITEMS)
    engine = db.engine
    postgres = engine.dialect.name == "postgresql"
    with db.session() as session:
        c = session.merge(community)
        names = [f"forensic-{n:02d}" for n in range(VOTERS)]
        for name in names:
            factories.verified(session, c, name)
    classes = CLASSES * (VOTERS // len(CLASSES))
    random.Random(2026).shuffle(classes)  # the order of voting says nothing of the choice
    truth = dict(zip(names, classes, strict=True))

    before_voting = snapshot(engine)
    per_step: dict[str, dict[str, tuple]] = {}
    participation_xmin: dict[str, str] = {}
    for name in names:
        per_step[name], xmin = _vote_and_watch(client, engine, name, truth[name], postgres)
        if postgres:
            participation_xmin[name] = xmin

    train, test = _split(truth)
    _assert_chance(per_step, truth, train, test, "rows written by the voters' steps")

    if postgres:
        # The reviewer's join: every other table's rows written in the participation's
        # transaction.
        joined = _joined_by_xmin(engine)
        by_resident = _resident_names(db, names)
        xmin_features = {by_resident[rid]: features(rows, "xmin") for rid, rows in joined.items()}
        for name in names:
            xmin_features.setdefault(name, {})
        _assert_chance(xmin_features, truth, train, test, "the xmin join")
        assert len(set(participation_xmin.values())) == VOTERS

    # The storage order of every table that grew by a multiple of the voters, cut into one
    # chunk per voter in the order they voted.
    storage = _storage_chunks(engine, _voting_order(db, names), before_voting, postgres)
    ordered = {name: features(storage[name], "order") for name in names}
    _assert_chance(ordered, truth, train, test, "the storage order of the tables")

    # After the count: tallies equal the known choices, and nothing sealed is left.
    closed = client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=admin_headers)
    assert closed.status_code == 200, closed.get_json()
    published = client.post(f"/api/v1/ballots/{ballot['id']}/publish", headers=admin_headers)
    assert published.status_code == 200, published.get_json()
    result = client.get(f"/api/v1/ballots/{ballot['id']}/results", headers=admin_headers)
    counted = {(item["number"], n): option["total"] for item in result.get_json()["items"]
               for n, option in enumerate(item["options"], start=1)}
    expected = Counter()
    for first, second in classes:
        expected[(1, int(first))] += 1
        expected[(2, int(second))] += 1
    assert counted == {key: expected.get(key, 0) for key in counted}


def _ctid(value: str) -> tuple[int, int]:
    page, offset = value.strip("()").split(",")
    return int(page), int(offset)


def _storage_position(conn, table: str, row: dict) -> object:
    """SQLite: a rowid table's rowid; a table without rowid keeps its primary key order."""
    try:
        pk = inspect(conn).get_pk_constraint(table)["constrained_columns"]
        where = " AND ".join(f'"{c}" = :{c}' for c in pk)
        return conn.execute(text(f'SELECT rowid FROM "{table}" WHERE {where}'),
                            {c: row[c] for c in pk}).scalar()
    except Exception:  # WITHOUT ROWID: storage follows the key
        return tuple(repr(row[c]) for c in pk)


def _resident_names(db, names: list[str]) -> dict[int, str]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT resident_id, external_id FROM channel_accounts "
                                 "WHERE resident_id IS NOT NULL")).all()
    return {rid: ext for rid, ext in rows if ext in names}


def _voting_order(db, names: list[str]) -> list[str]:
    by_resident = _resident_names(db, names)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT resident_id FROM ballot_participations "
                                 "ORDER BY id")).scalars().all()
    return [by_resident[rid] for rid in rows]
