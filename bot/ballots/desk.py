"""The assembly's desk: finding a resident, marking them as voting on paper, the paper counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.audit import record
from bot.ballots.schema import Checker
from bot.ballots.state import CANCELLED, PUBLISHED, closing_day, lock, refuse_in, status
from bot.ballots.voting import participation_of
from bot.birthdate import read_birth_date
from bot.eligibility import ineligibility
from bot.errors import Conflict, Invalid, NotFound, invalid
from bot.identity import lookup_key
from bot.models import Resident
from bot.models.ballot import ONSITE, Ballot, BallotItem, OnsiteCount, Participation


def desk_lookup(session: Session, ballot: Ballot, pepper: str, name: object, birth: object,
                now: datetime) -> Resident:
    """The assembly desk finds a resident of the ballot's community by name and birth date."""
    today = now.astimezone(ZoneInfo(ballot.community.timezone)).date()
    born = read_birth_date(birth, today) if isinstance(birth, str) else None
    if not isinstance(name, str) or not name.strip() or born is None:
        raise invalid("invalid_lookup", "name/birth_date", "error.invalid_lookup")
    found = session.scalars(select(Resident).where(
        Resident.community_id == ballot.community_id,
        Resident.lookup_key == lookup_key(pepper, name, born))).all()
    if not found:
        raise NotFound("resident_not_found")
    if len(found) > 1:
        raise Conflict("ambiguous_resident", extra={"count": len(found)})
    return found[0]


def _check_desk_open(ballot: Ballot, now: datetime) -> None:
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED):
        raise refuse_in(state)
    if not ballot.onsite:
        raise Conflict("no_onsite")


def mark_onsite(session: Session, ballot: Ballot, resident: Resident, actor: str,
                now: datetime) -> Participation:
    """The assembly desk: this resident votes on paper, so no online vote after this."""
    _check_desk_open(ballot, now)
    if ballot.onsite_counted_at is not None:
        raise Conflict("onsite_counted")
    reason = ineligibility(resident, ballot.community, closing_day(ballot))
    if reason is not None:
        raise Conflict(f"ineligible_{reason}", extra={"masked_name": resident.masked_name})
    participation = Participation(ballot_id=ballot.id, resident_id=resident.id, channel=ONSITE,
                                  at=now, marked_by=actor)
    lock(session, ballot, read=True)
    try:
        with session.begin_nested():
            session.add(participation)
            session.flush()
    except IntegrityError:
        earlier = participation_of(session, ballot.id, resident.id)
        raise Conflict("already_voted", f"error.already_voted.{earlier.channel == ONSITE}",
                       extra={"masked_name": resident.masked_name, "channel": earlier.channel,
                              "at": earlier.at.isoformat()}) from None
    record(session, actor, "ballot.onsite_marked", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", resident_id=resident.id)
    return participation


def _item_counts(check: Checker, index: int, raw: Any, item: BallotItem,
                 marks: int) -> list[int] | None:
    """One item's paper counts, in option order (given as a list, or by option label)."""
    where = f"items[{index}].counts"
    values = raw.get("counts")
    if isinstance(values, dict):
        unknown = set(values) - set(item.options)
        if unknown:
            check.bad(where, "error.counts.unknown_option", options=", ".join(sorted(unknown)))
            return None
        values = [values.get(label, 0) for label in item.options]
    if (not isinstance(values, list) or len(values) != len(item.options)
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                       for v in values)):
        check.bad(where, "error.counts.shape", count=len(item.options))
        return None
    if sum(values) > marks * item.max_choices:
        check.bad(where, "error.counts.too_many", marks=marks, total=sum(values))
        return None
    return values


def _read_counts(ballot: Ballot, given: list, marks: int) -> dict[int, list[int]]:
    check = Checker()
    by_number = {item.number: item for item in ballot.items}
    counts: dict[int, list[int]] = {}
    for index, raw in enumerate(given):
        number = raw.get("number") if isinstance(raw, dict) else None
        item = by_number.get(number) if isinstance(number, int) else None
        if item is None or number in counts:
            check.bad(f"items[{index}].number", "error.counts.number")
            continue
        values = _item_counts(check, index, raw, item, marks)
        if values is not None:
            counts[number] = values
    missing = sorted(set(by_number) - set(counts))
    if missing and not check.problems:
        check.bad("items", "error.counts.missing", numbers=", ".join(map(str, missing)))
    if check.problems:
        raise Invalid("invalid_counts", check.problems)
    return counts


def set_onsite_counts(session: Session, ballot: Ballot, data: Any, actor: str,
                      now: datetime) -> None:
    """Replace the on-site counts: `{"items": [{"number": 1, "counts": [12, 3]}]}` (counts in
    option order, or an object by option label). Every item must be given."""
    _check_desk_open(ballot, now)
    given = data.get("items") if isinstance(data, dict) else None
    if not isinstance(given, list):
        raise invalid("invalid_counts", "items", "error.field.list")
    marks = session.scalar(select(func.count()).where(Participation.ballot_id == ballot.id,
                                                      Participation.channel == ONSITE))
    counts = _read_counts(ballot, given, marks)
    by_number = {item.number: item for item in ballot.items}
    session.execute(delete(OnsiteCount).where(OnsiteCount.ballot_id == ballot.id))
    session.add_all(OnsiteCount(ballot_id=ballot.id, item_id=by_number[n].id, option=o, count=c)
                    for n, values in counts.items() for o, c in enumerate(values, start=1))
    ballot.onsite_counted_at = now
    record(session, actor, "ballot.onsite_counted", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", marks=marks)
