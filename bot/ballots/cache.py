"""The ballots that can still be voted in, kept in each worker's memory (issue 21).

A vote's every step used to read its ballot, the ballot's items and its material again: three
statements a message, for rows that change a few times a week. A worker now keeps them, loaded in
one go, with `cache_state.version` as it was then (bot/models/cache.py). Each message reads the
current version inside the statement that loads its account (bot/dispatch.py puts it in
`session.info`), so the first message after any change, in any worker, reloads.

What is kept are detached ORM objects, read-only: the ballot with its items, material and
community loaded. Nothing may change them or add them to a session. A vote still reads the row
it depends on, the ballot's state, afresh under its lock (bot/ballots/voting.py), so a close
racing a vote is decided by the database, not by this copy.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.models.ballot import Ballot
from bot.models.cache import CacheState

VERSION_KEY = "maeul.cache_version"
VERSION = select(CacheState.version).where(CacheState.id == 1).scalar_subquery()
_READ_VERSION = select(CacheState.version).where(CacheState.id == 1)
_LOAD = (select(Ballot)
         .where(Ballot.cancelled_at.is_(None), Ballot.published_at.is_(None))
         .options(selectinload(Ballot.items), selectinload(Ballot.materials),
                  joinedload(Ballot.community))
         .order_by(Ballot.closes_at, Ballot.id))


@dataclass(frozen=True)
class _Kept:
    version: int
    by_id: dict[int, Ballot] = field(default_factory=dict)
    by_community: dict[int, list[Ballot]] = field(default_factory=dict)


_kept: weakref.WeakKeyDictionary[Engine, _Kept] = weakref.WeakKeyDictionary()
_loading = threading.Lock()


def _version(session: Session) -> int | None:
    known = session.info.get(VERSION_KEY)
    if known is None:
        known = session.execute(_READ_VERSION).scalar()
        session.info[VERSION_KEY] = known
    return known


def _load(session: Session, version: int) -> _Kept:
    """Every ballot neither cancelled nor published (whether it is open is read off the times at
    each message), read in the caller's transaction through a session of its own, then
    detached."""
    reader = Session(bind=session.connection(), expire_on_commit=False, autoflush=False)
    try:
        rows = reader.scalars(_LOAD).unique().all()
        reader.expunge_all()
    finally:
        reader.close()
    kept = _Kept(version)
    for ballot in rows:
        kept.by_id[ballot.id] = ballot
        kept.by_community.setdefault(ballot.community_id, []).append(ballot)
    return kept


def _current(session: Session) -> _Kept | None:
    """What this worker keeps for the session's database, reloaded when the version moved;
    None where the database has no version row (then nothing is kept)."""
    version = _version(session)
    if version is None:
        return None
    engine = session.get_bind().engine
    kept = _kept.get(engine)
    if kept is not None and kept.version == version:
        return kept
    with _loading:  # threads of one process (tests, a threaded server) load once
        kept = _kept.get(engine)
        if kept is None or kept.version != version:
            kept = _kept[engine] = _load(session, version)
    return kept


def ballot(session: Session, ballot_id: object) -> Ballot | None:
    """A ballot that can still be voted in, from memory; any other from the database."""
    if not isinstance(ballot_id, int) or isinstance(ballot_id, bool):
        return None
    kept = _current(session)
    if kept is not None and ballot_id in kept.by_id:
        return kept.by_id[ballot_id]
    return session.get(Ballot, ballot_id)


def candidates(session: Session, community_id: int) -> list[Ballot] | None:
    """The community's ballots neither cancelled nor published, soonest closing first (None:
    nothing is kept, ask the database)."""
    kept = _current(session)
    if kept is None:
        return None
    return kept.by_community.get(community_id, [])
