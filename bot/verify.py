"""`maeul verify`: the integrity check an operator runs after a restore or an incident.

It reads; it never changes anything. Each check prints what it looked at and every mismatch;
the command exits 1 when there is one (docs/architecture.md, "Operations"):
- tallies: each counted ballot's tallies still match the MAC its count sealed them with (a tally
  changed by hand, or a restore with another SEALING_KEY, shows here); the residents who voted
  online equal the envelopes the count opened; and, for each item with one answer per vote, the
  tallies add up to the genuine envelopes;
- envelopes: for each ballot not yet counted, one sealed envelope per online participation;
- outbox: no message left `sending` after its lease ran out (a clock died mid-send and none
  took over);
- bindings: every account bound to a resident says when, and no account stays bound to a
  resident who withdrew or was erased.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot import sealing
from bot.ballots import tally_seal
from bot.config import Settings
from bot.db import Database
from bot.models import ChannelAccount, Outbox, Resident
from bot.models.ballot import ONSITE, Ballot, Envelope, Participation, Tally


@dataclass
class Check:
    name: str
    looked_at: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _online(session: Session, ballot_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Participation).where(
        Participation.ballot_id == ballot_id, Participation.channel != ONSITE)) or 0


def _tally_problems(session: Session, keys: sealing.Keyring, ballot: Ballot) -> list[str]:
    seal = ballot.count_seal
    totals = Counter({(t.item_id, t.option): t.count for t in session.scalars(
        select(Tally).where(Tally.ballot_id == ballot.id))})
    name = f"ballot {ballot.id}"
    problems = []
    if not tally_seal.matches(keys, ballot.id, seal, totals):
        problems.append(f"{name}: the tallies differ from what the count sealed (changed "
                        "after counting, or SEALING_KEY is not the one it was counted with)")
    online = _online(session, ballot.id)
    if online != seal["envelopes"]:
        problems.append(f"{name}: {online} residents voted online, the count opened "
                        f"{seal['envelopes']} envelopes")
    genuine = seal["envelopes"] - seal["invalid"]
    for item in ballot.items:
        if seal.get("carried") or item.budget_plan is not None or item.max_choices != 1:
            continue
        added = sum(n for (item_id, _), n in totals.items() if item_id == item.id)
        if added != genuine:
            problems.append(f"{name}, item {item.number}: the tallies add up to {added}, the "
                            f"count found {genuine} genuine envelopes")
    return problems


def tallies(session: Session, settings: Settings) -> Check:
    check = Check("tallies")
    keys = sealing.keyring(settings)
    counted = session.scalars(select(Ballot).where(Ballot.counted_at.is_not(None))
                              .order_by(Ballot.id)).all()
    unsealed = [b.id for b in counted if b.count_seal is None]
    for ballot in counted:
        if ballot.count_seal is not None:
            check.problems += _tally_problems(session, keys, ballot)
    check.looked_at = f"{len(counted) - len(unsealed)} counted ballots"
    if unsealed:
        check.notes.append("counted before the count kept a seal (not checked): ballots "
                           + ", ".join(map(str, unsealed)))
    return check


def envelopes(session: Session) -> Check:
    check = Check("envelopes")
    waiting = session.scalars(select(Ballot).where(
        Ballot.counted_at.is_(None), Ballot.cancelled_at.is_(None)).order_by(Ballot.id)).all()
    for ballot in waiting:
        online = _online(session, ballot.id)
        sealed = session.scalar(select(func.count()).select_from(Envelope).where(
            Envelope.ballot_id == ballot.id)) or 0
        if online != sealed:
            check.problems.append(f"ballot {ballot.id}: {online} residents voted online, "
                                  f"{sealed} sealed envelopes wait")
    check.looked_at = f"{len(waiting)} ballots not yet counted"
    return check


def outbox(session: Session, now: datetime) -> Check:
    check = Check("outbox")
    for channel, stuck, since in session.execute(
            select(Outbox.channel, func.count(), func.min(Outbox.next_attempt_at))
            .where(Outbox.status == "sending", Outbox.next_attempt_at < now)
            .group_by(Outbox.channel).order_by(Outbox.channel)):
        check.problems.append(f"{channel}: {stuck} messages still `sending` after their lease "
                              f"ran out (since {since:%Y-%m-%d %H:%M} UTC); a running clock "
                              "sends them again")
    waiting = session.scalar(select(func.count()).select_from(Outbox).where(
        Outbox.status.in_(("pending", "sending")))) or 0
    check.looked_at = f"{waiting} messages waiting"
    return check


def bindings(session: Session) -> Check:
    check = Check("bindings")
    half = session.scalars(select(ChannelAccount.id).where(or_(
        (ChannelAccount.resident_id.is_(None)) & (ChannelAccount.bound_at.is_not(None)),
        (ChannelAccount.resident_id.is_not(None)) & (ChannelAccount.bound_at.is_(None))))).all()
    if half:
        check.problems.append("accounts bound to a resident without a time, or the reverse: "
                              + ", ".join(map(str, half)))
    gone = session.execute(select(ChannelAccount.id, Resident.id).join(
        Resident, Resident.id == ChannelAccount.resident_id).where(
        or_(Resident.withdrawn_at.is_not(None), Resident.erased_at.is_not(None)))).all()
    for account_id, resident_id in gone:
        check.problems.append(f"account {account_id} is still bound to resident {resident_id}, "
                              "who withdrew or was erased")
    bound = session.scalar(select(func.count()).select_from(ChannelAccount).where(
        ChannelAccount.resident_id.is_not(None))) or 0
    check.looked_at = f"{bound} bound accounts"
    return check


def run(db: Database, settings: Settings, now: datetime) -> list[Check]:
    with db.sessions() as session:
        return [tallies(session, settings), envelopes(session), outbox(session, now),
                bindings(session)]


def report(checks: list[Check], say: Callable[[str], None]) -> int:
    """Print each check; 1 when any found a mismatch."""
    for check in checks:
        mark = "FAIL" if check.problems else "ok"
        say(f"{mark:4}  {check.name}: {check.looked_at}")
        for problem in check.problems:
            say(f"      - {problem}")
        for note in check.notes:
            say(f"      ({note})")
    failed = [c.name for c in checks if c.problems]
    say(f"verify: {'mismatch in ' + ', '.join(failed) if failed else 'everything matches'}")
    return 1 if failed else 0
