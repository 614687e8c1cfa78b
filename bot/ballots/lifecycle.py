"""Creating, changing and cancelling a ballot (the managers' side before the count)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import outbox, sealing
from bot.audit import record
from bot.ballots.state import (
    CANCELLED,
    CLOSED,
    OPEN,
    PUBLISHED,
    make_box,
    missing_trustees,
    refuse_in,
    status,
)
from bot.budget import EQUAL_SHARES
from bot.commands.ballots import BallotItemIn, CancelBallot, CreateBallot, UpdateBallot
from bot.errors import Conflict, Invalid, Problem
from bot.models import Community
from bot.models.ballot import Ballot, BallotItem, Trustee
from bot.models.proposal import Proposal
from bot.sealing import Keyring

REMINDER_TIME = time(9, 0)


def default_reminders(opens: datetime, closes: datetime, zone: ZoneInfo) -> list[datetime]:
    """3 days and 1 day before the closing day at 09:00, and 2 hours before the close; those
    that fall inside the voting window."""
    day = closes.astimezone(zone).date()
    candidates = [datetime.combine(day - timedelta(days=n), REMINDER_TIME, zone) for n in (3, 1)]
    candidates.append(closes - timedelta(hours=2))
    return sorted({moment for moment in candidates if opens < moment < closes})


def _window_problems(command: CreateBallot | UpdateBallot, opens: datetime,
                     closes: datetime) -> list[Problem]:
    """What the voting window decides: it must end after it starts, and reminders fall in it."""
    problems = []
    if closes <= opens and (command.given("closes_at") or command.given("opens_at")):
        problems.append(Problem("closes_at", "error.ballot.closes_before_opens"))
    problems += [Problem(f"reminders[{index}]", "error.ballot.reminder_outside")
                 for index, moment in enumerate(command.reminders or [])
                 if not opens < moment < closes]
    return problems


def _paper_problems(items: list[BallotItemIn] | None, onsite: bool) -> list[Problem]:
    """The Method of Equal Shares needs every voter's picks: paper counts cannot give them."""
    if not onsite:
        return []
    return [Problem(f"items[{index}].rule", "error.budget.mes_paper")
            for index, item in enumerate(items or []) if item.rule == EQUAL_SHARES]


def _source_problems(session: Session, community: Community,
                     items: list[BallotItemIn] | None) -> list[Problem]:
    """An item's source proposal must be a public proposal of the ballot's community."""
    from bot.proposals import PUBLIC

    problems = []
    for index, item in enumerate(items or []):
        if item.proposal is None:
            continue
        proposal = session.get(Proposal, item.proposal)
        if proposal is None or proposal.community_id != community.id or \
                proposal.status not in PUBLIC:
            problems.append(Problem(f"items[{index}].proposal", "error.ballot.source_proposal",
                                    {"number": item.proposal}))
    return problems


def _on_agenda(session: Session, ballot: Ballot, now: datetime) -> None:
    """A proposal put to the vote: its history says so and those who agreed hear it."""
    from bot.proposals import add_event, local_today, notify_followers

    for item in ballot.items:
        if item.proposal_id is None:
            continue
        proposal = session.get(Proposal, item.proposal_id)
        event = add_event(session, proposal, "system", "on_agenda", now, ballot=ballot.id,
                          item=item.number)
        notify_followers(session, proposal, event, "proposal.notice.on_agenda", True,
                         ballot=ballot.title, opens=local_today(proposal.community,
                                                                ballot.opens_at))


def _set_items(session: Session, ballot: Ballot, items: list[BallotItemIn]) -> None:
    if ballot.id is not None and ballot.items:
        ballot.items.clear()
        session.flush()  # the old numbers go before the new ones arrive
    ballot.items = [BallotItem(number=n, **item.row()) for n, item in enumerate(items, start=1)]


def _not_ready(names: list[str]) -> Conflict:
    return Conflict("trustees_not_ready", extra={"missing": names}, count=len(names),
                    names=", ".join(names))


def _set_trustees(session: Session, keys: Keyring, ballot: Ballot, names: list[str]) -> None:
    if ballot.trustees:
        ballot.trustees.clear()
        session.flush()
    ballot.trustees = [Trustee(number=n, name=name) for n, name in enumerate(names, start=1)]
    ballot.trustee_count = len(names)
    ballot.box_public_key = ballot.box_secret = None
    if not names:
        make_box(keys, ballot)


def create(session: Session, keys: Keyring, community: Community, command: CreateBallot,
           actor: str, now: datetime) -> Ballot:
    problems = _window_problems(command, command.opens_at, command.closes_at)
    problems += _paper_problems(command.items, command.onsite)
    problems += _source_problems(session, community, command.items)
    if problems:
        raise Invalid("invalid_ballot", problems)
    trustees = command.trustee_names()
    if trustees and command.opens_at <= now:
        raise _not_ready(trustees)
    reminders = sorted(command.reminders) if command.reminders is not None else \
        default_reminders(command.opens_at, command.closes_at, ZoneInfo(community.timezone))
    ballot = Ballot(community_id=community.id, title=command.title,
                    overview=command.overview or "", opens_at=command.opens_at,
                    closes_at=command.closes_at, secret=command.secret,
                    quorum=command.quorum, onsite=command.onsite,
                    reminders=[r.isoformat() for r in reminders], created_by=actor,
                    created_at=now, seal_salt=sealing.new_salt())
    ballot.community = community
    _set_items(session, ballot, command.items)
    session.add(ballot)
    session.flush()
    _set_trustees(session, keys, ballot, trustees)
    record(session, actor, "ballot.created", community_id=community.id,
           subject=f"ballot:{ballot.id}", title=ballot.title)
    _on_agenda(session, ballot, now)
    return ballot


def _changed(command: UpdateBallot) -> set[str]:
    """The fields an update changes: those sent, but a null list of reminders or trustees is
    no change."""
    return {name for name in command.model_fields_set
            if name not in ("reminders", "trustees") or getattr(command, name) is not None}


def _check_update(ballot: Ballot, command: UpdateBallot, now: datetime) -> set[str]:
    """Before opening anything may change; once open only the closing time, and only later."""
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED, CLOSED):
        raise refuse_in(state)
    changed = _changed(command)
    if state == OPEN:
        others = sorted(command.model_fields_set - {"closes_at"})
        if others:
            raise Conflict("ballot_open", "error.ballot_open_fields", extra={"fields": others})
    opens = command.opens_at if "opens_at" in changed else ballot.opens_at
    closes = command.closes_at if "closes_at" in changed else ballot.closes_at
    problems = _window_problems(command, opens, closes)
    problems += _paper_problems(command.items if "items" in changed else None,
                                command.onsite if "onsite" in changed else ballot.onsite)
    if state == OPEN and "closes_at" in changed and command.closes_at <= ballot.closes_at:
        problems.append(Problem("closes_at", "error.ballot.only_later"))
    if problems:
        raise Invalid("invalid_ballot", problems)
    if {"opens_at", "trustees"} & changed:
        missing = (command.trustee_names() if "trustees" in changed
                   else [t.name for t in missing_trustees(ballot)])
        if missing and opens <= now:
            raise _not_ready(missing)
    return changed


def _reschedule(session: Session, ballot: Ballot, command: UpdateBallot, changed: set[str],
                now: datetime) -> None:
    if "reminders" in changed:
        ballot.reminders = [r.isoformat() for r in sorted(command.reminders)]
    elif "opens_at" in changed or "closes_at" in changed:
        ballot.reminders = [r.isoformat() for r in default_reminders(
            ballot.opens_at, ballot.closes_at, ZoneInfo(ballot.community.timezone))]
    if {"opens_at", "closes_at", "reminders"} & changed:
        # Reminders queued for the old times are wrong now; the clock queues the new ones, but
        # not those whose moment had already passed when the times changed.
        outbox.void(session, f"ballot:{ballot.id}:remind:", "the ballot's times changed")
        passed = [r for r in ballot.reminders if datetime.fromisoformat(r) <= now]
        ballot.reminders_done = sorted(set(ballot.reminders_done) | set(passed))


def update(session: Session, keys: Keyring, ballot: Ballot, command: UpdateBallot, actor: str,
           now: datetime) -> Ballot:
    changed = _check_update(ballot, command, now)
    for name in ("title", "overview", "opens_at", "closes_at", "secret", "quorum", "onsite"):
        if name in changed:
            value = getattr(command, name)
            setattr(ballot, name, value or "" if name == "overview" else value)
    if "items" in changed:
        problems = _source_problems(session, ballot.community, command.items)
        if problems:
            raise Invalid("invalid_ballot", problems)
        _set_items(session, ballot, command.items)
    if "trustees" in changed:
        _set_trustees(session, keys, ballot, command.trustee_names())
    _reschedule(session, ballot, command, changed, now)
    record(session, actor, "ballot.updated", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", fields=sorted(command.model_fields_set))
    return ballot


def cancel(session: Session, ballot: Ballot, command: CancelBallot, actor: str,
           now: datetime) -> None:
    reason = command.reason or ""
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED):
        raise refuse_in(state)
    ballot.cancelled_at = now
    ballot.cancel_reason = reason
    outbox.void(session, f"ballot:{ballot.id}:", "the ballot was cancelled")
    record(session, actor, "ballot.cancelled", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", reason=reason)
