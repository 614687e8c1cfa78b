"""A resident's vote: one participation, then one sealed envelope that nothing ties to it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import LargeBinary, Row, bindparam, insert, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot import budget, metrics, sealing
from bot.ballots import cache
from bot.ballots.state import OPEN, closing_day, lock, make_box, status
from bot.commands.ballots import CastVote
from bot.eligibility import ineligibility
from bot.models import Resident, UTCDateTime
from bot.models.ballot import ONSITE_APP, Ballot, Envelope, Participation
from bot.sealing import Keyring

# Submission outcomes.
RECORDED = "recorded"
ALREADY_VOTED = "already_voted"
NOT_OPEN = "not_open"
INELIGIBLE = "ineligible"
INVALID = "invalid"
NOT_PRESENT = "not_present"  # a quick question of a meeting, and the resident is not there

# The statements of a resident's vote, built once (building them each time cost more than
# running them on SQLite; see bench/RESULTS.md).
_PARTICIPATION = select(Participation).where(Participation.ballot_id == bindparam("ballot"),
                                             Participation.resident_id == bindparam("resident"))
_OPEN = (select(Ballot)
         .where(Ballot.community_id == bindparam("community"), Ballot.cancelled_at.is_(None),
                Ballot.published_at.is_(None), Ballot.opens_at <= bindparam("now"),
                Ballot.closes_at > bindparam("now"))
         .order_by(Ballot.closes_at, Ballot.id))
# SQLite (no INSERT inside WITH): the participation, then the envelope.
_PARTICIPATE = (sqlite_insert(Participation)
                .values(ballot_id=bindparam("ballot"), resident_id=bindparam("resident"),
                        channel=bindparam("channel"), at=bindparam("at"), marked_by="")
                .on_conflict_do_nothing(index_elements=["ballot_id", "resident_id"])
                .returning(Participation.id))


# PostgreSQL: the participation and the envelope in one statement (one round trip); the envelope
# is written only when the participation was (the unique key decides, as below).
_CAST = text(
    "WITH p AS (INSERT INTO ballot_participations (ballot_id, resident_id, channel, at, marked_by)"
    " VALUES (:ballot, :resident, :channel, :at, '')"
    " ON CONFLICT (ballot_id, resident_id) DO NOTHING RETURNING id)"
    " INSERT INTO ballot_envelopes (id, ballot_id, sealed) SELECT :envelope, :ballot, :sealed"
    " FROM p RETURNING (SELECT id FROM p)").bindparams(
    bindparam("at", type_=UTCDateTime()), bindparam("sealed", type_=LargeBinary()))

# The vote's share lock on its ballot, reading afresh what decides whether it may still be cast
# (the ballot itself may be the worker's read-only copy).
_ballots = Ballot.__table__
_VOTE_LOCK = (select(_ballots.c.opens_at, _ballots.c.closes_at, _ballots.c.closed_at,
                     _ballots.c.cancelled_at, _ballots.c.published_at, _ballots.c.trustee_count,
                     _ballots.c.box_public_key, _ballots.c.present_only)
              .where(_ballots.c.id == bindparam("id")).with_for_update(read=True))


@dataclass(frozen=True)
class Submission:
    status: str
    participation: Participation | None = None
    reason: str | None = None


def participation_of(session: Session, ballot_id: int, resident_id: int) -> Participation | None:
    return session.scalars(_PARTICIPATION, {"ballot": ballot_id, "resident": resident_id}).first()


_participations = Participation.__table__
_VOTED = select(_participations.c.channel, _participations.c.at).where(
    _participations.c.ballot_id == bindparam("ballot"),
    _participations.c.resident_id == bindparam("resident"))


def voted(session: Session, ballot_id: int, resident_id: int) -> Row | None:
    """When and how the resident voted (`.at`, `.channel`), or None: a plain row, for the chat's
    hot path (`투표`), where loading the ORM object cost more than the query."""
    return session.execute(_VOTED, {"ballot": ballot_id, "resident": resident_id}).first()


def open_ballots(session: Session, community_id: int, now: datetime) -> list[Ballot]:
    """Open now, soonest closing first: from the worker's memory (bot/ballots/cache.py), read
    only; from the database where nothing is kept."""
    rows = cache.candidates(session, community_id)
    if rows is None:
        rows = session.scalars(_OPEN, {"community": community_id, "now": now}).all()
    return [b for b in rows if status(b, now) == OPEN]


def next_ballot(session: Session, community_id: int, now: datetime) -> Ballot | None:
    return session.scalars(select(Ballot).where(
        Ballot.community_id == community_id, Ballot.cancelled_at.is_(None),
        Ballot.opens_at > now).order_by(Ballot.opens_at).limit(1)).first()


def option_counts(ballot: Ballot) -> list[int]:
    """The slots of each item in a sealed vote: its options, and 기권 where it is allowed."""
    return [len(item.options) + (1 if item.allow_abstain else 0) for item in ballot.items]


def valid_picks(ballot: Ballot, picks: dict[str, list[int]]) -> bool:
    """One answer per item, each within its options and its limit, no repeats."""
    if set(picks) != {str(item.number) for item in ballot.items}:
        return False
    for item in ballot.items:
        chosen = picks[str(item.number)]
        if item.abstain_number is not None and chosen == [item.abstain_number]:
            continue  # 기권, alone
        if item.budget_plan is not None and (
                not isinstance(chosen, list) or not chosen or len(set(chosen)) != len(chosen)
                or not all(isinstance(c, int) and 1 <= c <= len(item.options) for c in chosen)
                or budget.over(item.budget_plan, item.max_choices, chosen) is not None
                or budget.short(item.budget_plan, chosen) is not None):
            return False
        if item.budget_plan is not None:
            continue
        if (not isinstance(chosen, list) or not 1 <= len(chosen) <= item.max_choices
                or len(set(chosen)) != len(chosen)
                or not all(isinstance(c, int) and 1 <= c <= len(item.options) for c in chosen)):
            return False
    return True


def _ensure_box(session: Session, keys: Keyring, ballot: Ballot) -> None:
    """A ballot made before sealing has no box yet: make it once, under the row lock."""
    lock(session, ballot, read=False)
    if ballot.box_public_key is None and ballot.trustee_count == 0:
        make_box(keys, ballot)
        session.flush()


def submit(session: Session, keys: Keyring, ballot: Ballot, resident: Resident, channel: str,
           command: CastVote, now: datetime) -> Submission:
    """Record a whole ballot at once, or nothing: one participation, then one sealed envelope
    that nothing ties to it."""
    picks = command.picks
    if ballot.box_public_key is None and ballot.trustee_count == 0:
        _ensure_box(session, keys, session.get(Ballot, ballot.id))
    fresh = session.execute(_VOTE_LOCK, {"id": ballot.id}).one()
    if status(fresh, now) != OPEN:
        return Submission(NOT_OPEN)
    if fresh.present_only and channel != ONSITE_APP:
        return Submission(NOT_PRESENT)
    reason = ineligibility(resident, ballot.community, closing_day(ballot))
    if reason is not None:
        return Submission(INELIGIBLE, reason=reason)
    if not valid_picks(ballot, picks):
        return Submission(INVALID)
    # One statement that either records the participation or finds the resident already in:
    # the unique key decides, even for two requests at the same instant (the second waits for the
    # first to commit, then inserts nothing).
    sealed = sealing.seal(fresh.box_public_key, sealing.encode(option_counts(ballot), picks))
    values = {"ballot": ballot.id, "resident": resident.id, "channel": channel, "at": now}
    if session.get_bind().dialect.name == "postgresql":
        inserted = session.execute(_CAST, {**values, "envelope": str(uuid.uuid4()),
                                           "sealed": sealed}).scalar()
    else:
        inserted = session.execute(_PARTICIPATE, values).scalar()
        if inserted is not None:
            session.execute(insert(Envelope), [{"id": str(uuid.uuid4()), "ballot_id": ballot.id,
                                                "sealed": sealed}])
    if inserted is None:
        return Submission(ALREADY_VOTED, participation_of(session, ballot.id, resident.id))
    metrics.on_commit(session, metrics.VOTES, channel=channel)
    return Submission(RECORDED, Participation(id=inserted, ballot_id=ballot.id,
                                              resident_id=resident.id, channel=channel, at=now,
                                              marked_by=""))


def voted_ballots(session: Session, resident_id: int) -> list[tuple[Ballot, Participation]]:
    """The ballots a resident took part in, newest first (the fact only, never the choices)."""
    rows = session.execute(select(Ballot, Participation)
                           .join(Participation, Participation.ballot_id == Ballot.id)
                           .where(Participation.resident_id == resident_id)
                           .order_by(Participation.at.desc())).all()
    return [(b, p) for b, p in rows]
