"""The assembly's desk: finding a resident, marking them as voting on paper, the paper counts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import metrics
from bot.audit import record
from bot.ballots.state import CANCELLED, PUBLISHED, closing_day, lock, refuse_in, status
from bot.ballots.voting import participation_of
from bot.birthdate import read_birth_date
from bot.commands.ballots import ItemCounts, MarkOnsite, SetOnsiteCounts
from bot.eligibility import ineligibility
from bot.errors import Conflict, Invalid, NotFound, Problem, invalid
from bot.identity import lookup_key
from bot.models import Resident
from bot.models.ballot import ONSITE, ONSITE_APP, Ballot, BallotItem, OnsiteCount, Participation


def desk_lookup(session: Session, ballot: Ballot, pepper: str, command: MarkOnsite,
                now: datetime) -> Resident:
    """The assembly desk finds a resident of the ballot's community by name and birth date."""
    today = now.astimezone(ZoneInfo(ballot.community.timezone)).date()
    born = read_birth_date(command.birth_date, today)
    if born is None:
        raise invalid("invalid_lookup", "birth_date", "error.invalid_lookup")
    found = session.scalars(select(Resident).where(
        Resident.community_id == ballot.community_id,
        Resident.lookup_key == lookup_key(pepper, command.name, born))).all()
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
        way = earlier.channel if earlier.channel in (ONSITE, ONSITE_APP) else "online"
        raise Conflict("already_voted", f"error.already_voted.{way}",
                       extra={"masked_name": resident.masked_name, "channel": earlier.channel,
                              "at": earlier.at.isoformat()}) from None
    record(session, actor, "ballot.onsite_marked", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", resident_id=resident.id)
    metrics.on_commit(session, metrics.VOTES, channel=ONSITE)
    return participation


def _item_counts(given: ItemCounts, item: BallotItem,
                 marks: int) -> tuple[list[int], Problem | None]:
    """One item's paper counts in option order (given as a list, or by option label), or what
    is wrong with them."""
    values = given.counts
    if isinstance(values, dict):
        unknown = set(values) - set(item.options)
        if unknown:
            return [], Problem("counts", "error.counts.unknown_option",
                               {"options": ", ".join(sorted(unknown))})
        values = [values.get(label, 0) for label in item.options]
    if len(values) != len(item.options):
        return [], Problem("counts", "error.counts.shape", {"count": len(item.options)})
    if sum(values) > marks * item.max_choices:
        return [], Problem("counts", "error.counts.too_many", {"marks": marks,
                                                               "total": sum(values)})
    return values, None


def _read_counts(ballot: Ballot, given: list[ItemCounts], marks: int) -> dict[int, list[int]]:
    problems: list[Problem] = []
    by_number = {item.number: item for item in ballot.items}
    counts: dict[int, list[int]] = {}
    for index, raw in enumerate(given):
        item = by_number.get(raw.number)
        if item is None or raw.number in counts:
            problems.append(Problem(f"items[{index}].number", "error.counts.number"))
            continue
        values, wrong = _item_counts(raw, item, marks)
        if wrong is not None:
            problems.append(Problem(f"items[{index}].{wrong.field}", wrong.key, wrong.params))
        else:
            counts[raw.number] = values
    missing = sorted(set(by_number) - set(counts))
    if missing and not problems:
        problems.append(Problem("items", "error.counts.missing",
                                {"numbers": ", ".join(map(str, missing))}))
    if problems:
        raise Invalid("invalid_counts", problems)
    return counts


def set_onsite_counts(session: Session, ballot: Ballot, command: SetOnsiteCounts, actor: str,
                      now: datetime) -> None:
    """Replace the on-site counts: `{"items": [{"number": 1, "counts": [12, 3]}]}` (counts in
    option order, or an object by option label). Every item must be given."""
    _check_desk_open(ballot, now)
    given = command.items
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
