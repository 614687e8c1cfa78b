"""Closing, counting and publishing: trustees' secrets, the sealed box, the tallies.

A vote is sealed into one envelope at once (bot/sealing.py, docs/architecture.md "Ballot
secrecy"). Without trustees the close counts: it opens the envelopes in random order, keeps only
the tallies in `ballot_tallies` and deletes the envelopes. With trustees the close only ends
voting; `count` opens the box when every trustee gives their secret. The ballot row is locked for
share by each submission and for update by the close, so no vote can slip in beside a count.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from bot import outbox, sealing
from bot.audit import record
from bot.ballots import tally_seal
from bot.ballots.results import turnout
from bot.ballots.state import (
    CANCELLED,
    OPEN,
    PUBLISHED,
    SCHEDULED,
    SMALL_GROUP,
    closing_time,
    lock,
    make_box,
    missing_trustees,
    refuse_in,
    status,
)
from bot.ballots.voting import option_counts, valid_picks
from bot.budget import EQUAL_SHARES, equal_shares
from bot.commands.ballots import CountBallot, SetTrusteeSecret
from bot.errors import Conflict, Invalid, NotFound, Problem, invalid
from bot.models.ballot import ONSITE, Ballot, Envelope, Participation, Tally, Trustee
from bot.sealing import Keyring

_ENVELOPES = select(Envelope.sealed).where(Envelope.ballot_id == bindparam("ballot"))


def _secret_text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFC", value).strip()


def set_trustee_secret(session: Session, keys: Keyring, ballot: Ballot, number: int,
                       command: SetTrusteeSecret, actor: str, now: datetime) -> Trustee:
    """A trustee chooses their secret before voting opens; the box is made when all have."""
    lock(session, ballot, read=False)
    state = status(ballot, now)
    if state != SCHEDULED:
        raise Conflict(f"ballot_{state}", "error.ballot.secret_after_open")
    trustee = next((t for t in ballot.trustees if t.number == number), None)
    if trustee is None:
        raise NotFound("trustee_not_found", number=number)
    text = command.secret
    trustee.salt = sealing.new_salt()
    trustee.public_key = bytes(keys.trustee_key(ballot.id, number, text, trustee.salt)
                               .public_key)
    trustee.set_at = now
    if missing_trustees(ballot):
        ballot.box_public_key = ballot.box_secret = None
    else:
        make_box(keys, ballot)
    record(session, actor, "ballot.trustee_secret_set", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", trustee=number, name=trustee.name)
    return trustee


def _trustee_keys(keys: Keyring, ballot: Ballot, secrets: object) -> list:
    """Each trustee's key from their secret, in order; every wrong one is named."""
    trustees = ballot.trustees
    if not isinstance(secrets, list) or len(secrets) != len(trustees):
        raise invalid("invalid_secrets", "secrets", "error.invalid_secrets", count=len(trustees))
    problems, trustee_keys = [], []
    for index, (trustee, given) in enumerate(zip(trustees, secrets, strict=True)):
        text = _secret_text(given)
        key = None if text is None else keys.trustee_key(ballot.id, trustee.number, text,
                                                          trustee.salt)
        if key is None or bytes(key.public_key) != trustee.public_key:
            problems.append(Problem(f"secrets[{index}]", "error.ballot.wrong_secret",
                                    {"number": trustee.number, "name": trustee.name}))
        trustee_keys.append(key)
    if problems:
        raise Invalid("wrong_secret", problems, "error.wrong_secret", who=" ".join(
            problem.message() for problem in problems))
    return trustee_keys


def count(session: Session, keys: Keyring, ballot: Ballot, command: CountBallot, actor: str,
          now: datetime) -> None:
    """Open a closed ballot's box with every trustee's secret, keep the tallies, destroy the
    envelopes. A wrong secret changes nothing."""
    lock(session, ballot, read=False)
    state = status(ballot, now)
    if state in (SCHEDULED, OPEN):
        raise Conflict(f"ballot_{state}", "error.ballot.count_before_close")
    if state == CANCELLED:
        raise refuse_in(CANCELLED)
    if ballot.counted_at is not None:
        raise Conflict("already_counted")
    if ballot.closed_at is None:  # voting ended by time before the clock got to it
        close(session, keys, ballot, actor, now)
        if ballot.counted_at is not None:
            return
    if ballot.box_secret is None:  # never opened, so nothing was sealed
        _count(session, keys, ballot, [], actor, now)
        return
    _count(session, keys, ballot, _trustee_keys(keys, ballot, command.secrets), actor, now)


def open_envelopes(keys: Keyring, ballot: Ballot, envelopes: list[bytes], trustee_keys: list,
                   profiles: dict[int, Counter] | None = None
                   ) -> tuple[Counter[tuple[int, int]], int]:
    """Open the envelopes in an order unrelated to their arrival: (item id, option) → how many
    chose it, and how many envelopes were not a genuine vote of this ballot. `profiles`, when
    given, gathers for each budget item how many voters picked each whole set of projects (the
    Method of Equal Shares needs them; they are used at once and never stored)."""
    if ballot.box_secret is None:  # no box was ever made: nothing can be genuine
        return Counter(), len(envelopes)
    opener = sealing.open_box(keys, ballot.id, ballot.seal_salt, ballot.box_secret, trustee_keys)
    envelopes = list(envelopes)
    random.SystemRandom().shuffle(envelopes)
    plaintexts: Counter[bytes] = Counter()
    invalid_count = 0
    for sealed in envelopes:
        try:
            plaintexts[opener.decrypt(sealed)] += 1
        except sealing.CryptoError:
            invalid_count += 1
    counted: Counter[tuple[int, int]] = Counter()
    sizes = option_counts(ballot)
    for plaintext, times in plaintexts.items():
        try:
            picks, _ = sealing.decode(sizes, plaintext)
        except ValueError:
            picks = {}
        if not valid_picks(ballot, picks):
            invalid_count += times
            continue
        for item in ballot.items:
            for option in picks[str(item.number)]:
                counted[(item.id, option)] += times
            picked = frozenset(picks[str(item.number)]) - {item.abstain_number}
            if profiles is not None and item.budget_plan is not None and picked:
                profiles.setdefault(item.id, Counter())[picked] += times
    return counted, invalid_count


def _count(session: Session, keys: Keyring, ballot: Ballot, trustee_keys: list, actor: str,
           now: datetime) -> None:
    """Open every envelope, add up, keep only the tallies (with any counts carried from before
    sealing), and destroy the envelopes and the box's key."""
    session.flush()
    envelopes = list(session.scalars(_ENVELOPES, {"ballot": ballot.id}))
    profiles: dict[int, Counter] = {}
    counted, bad = open_envelopes(keys, ballot, envelopes, trustee_keys, profiles)
    for item in ballot.items:
        plan = item.budget_plan
        if plan is not None and plan["rule"] == EQUAL_SHARES and plan["budget"] is not None:
            item.funded = equal_shares(plan["costs"], plan["budget"],
                                       dict(profiles.get(item.id, {})))
    carried = Counter({(t.item_id, t.option): t.count for t in session.scalars(
        select(Tally).where(Tally.ballot_id == ballot.id))})
    session.execute(delete(Tally).where(Tally.ballot_id == ballot.id))
    totals = carried + counted
    if totals:
        session.execute(insert(Tally), [
            {"ballot_id": ballot.id, "item_id": item_id, "option": option, "count": n}
            for (item_id, option), n in sorted(totals.items())])
    session.execute(delete(Envelope).where(Envelope.ballot_id == ballot.id))
    ballot.box_secret = None
    ballot.counted_at = now
    ballot.count_seal = tally_seal.make(keys, ballot.id, len(envelopes), bad, totals,
                                        carried=bool(carried))
    online = session.scalar(select(func.count()).where(Participation.ballot_id == ballot.id,
                                                       Participation.channel != ONSITE))
    record(session, actor, "ballot.counted", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", envelopes=len(envelopes), invalid=bad,
           online_participants=online, trustees=len(trustee_keys))


def close(session: Session, keys: Keyring, ballot: Ballot, actor: str, now: datetime) -> None:
    """End voting (early, for an open ballot). Without trustees this counts at once; with
    trustees the box stays sealed until they count it."""
    lock(session, ballot, read=False)
    state = status(ballot, now)
    if state == SCHEDULED:
        raise Conflict("ballot_scheduled", "error.ballot.close_scheduled")
    if state in (CANCELLED, PUBLISHED):
        raise refuse_in(state)
    if ballot.closed_at is None:
        ballot.closed_at = min(now, ballot.closes_at)
        outbox.void(session, f"ballot:{ballot.id}:", "the ballot closed")
        record(session, actor, "ballot.closed", community_id=ballot.community_id,
               subject=f"ballot:{ballot.id}", early=now < ballot.closes_at)
        if ballot.trustee_count == 0:
            _count(session, keys, ballot, [], actor, now)


def close_due(session: Session, keys: Keyring, now: datetime) -> int:
    """The clock's job: close every ballot whose time is up. Returns how many it closed."""
    due = session.scalars(select(Ballot).where(Ballot.closed_at.is_(None),
                                               Ballot.cancelled_at.is_(None),
                                               Ballot.closes_at <= now)).all()
    for ballot in due:
        close(session, keys, ballot, "system", now)
    return len(due)


def _check_publish(session: Session, keys: Keyring, ballot: Ballot, actor: str, now: datetime,
                   confirm_small: bool) -> None:
    state = status(ballot, now)
    if state in (SCHEDULED, OPEN):
        raise Conflict(f"ballot_{state}", "error.ballot.publish_before_close",
                       closes=closing_time(ballot).isoformat())
    if state in (CANCELLED, PUBLISHED):
        raise refuse_in(state)
    if ballot.onsite and ballot.onsite_counted_at is None:
        raise Conflict("onsite_counts_missing")
    if ballot.closed_at is None:
        close(session, keys, ballot, actor, now)
    if ballot.counted_at is None:
        raise Conflict("not_counted", extra={"trustees": [t.name for t in ballot.trustees]})
    participants = turnout(session, ballot)["participants"]
    if ballot.secret and 0 < participants < SMALL_GROUP and not confirm_small:
        raise Conflict("too_few_participants", participants=participants,
                       extra={"participants": participants, "minimum": SMALL_GROUP})


def publish(session: Session, keys: Keyring, ballot: Ballot, actor: str, now: datetime,
            confirm_small: bool = False) -> None:
    _check_publish(session, keys, ballot, actor, now, confirm_small)
    ballot.published_at = now
    record(session, actor, "ballot.published", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}")
    from bot import notices

    notices.ballot_results(session, ballot, now)
