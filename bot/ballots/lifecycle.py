"""Creating, changing and cancelling a ballot (the managers' side before the count)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import outbox, sealing
from bot.audit import record
from bot.ballots.schema import check_ballot, default_reminders
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
from bot.errors import Conflict, Invalid, Problem
from bot.models import Community
from bot.models.ballot import Ballot, BallotItem, Trustee
from bot.sealing import Keyring


def _set_items(session: Session, ballot: Ballot, items: list[dict[str, Any]]) -> None:
    if ballot.id is not None and ballot.items:
        ballot.items.clear()
        session.flush()  # the old numbers go before the new ones arrive
    ballot.items = [BallotItem(number=n, **item) for n, item in enumerate(items, start=1)]


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


def create(session: Session, keys: Keyring, community: Community, data: dict[str, Any],
           actor: str, now: datetime) -> Ballot:
    clean, problems = check_ballot(data, community, now)
    if problems:
        raise Invalid("invalid_ballot", problems)
    trustees = clean.get("trustees", [])
    if trustees and clean["opens_at"] <= now:
        raise _not_ready(trustees)
    reminders = clean.get("reminders")
    if reminders is None:
        reminders = default_reminders(clean["opens_at"], clean["closes_at"],
                                      ZoneInfo(community.timezone))
    ballot = Ballot(community_id=community.id, title=clean["title"],
                    overview=clean.get("overview", ""), opens_at=clean["opens_at"],
                    closes_at=clean["closes_at"], secret=clean.get("secret", True),
                    quorum=clean.get("quorum"), onsite=clean.get("onsite", False),
                    reminders=[r.isoformat() for r in reminders], created_by=actor,
                    created_at=now, seal_salt=sealing.new_salt())
    ballot.community = community
    _set_items(session, ballot, clean["items"])
    session.add(ballot)
    session.flush()
    _set_trustees(session, keys, ballot, trustees)
    record(session, actor, "ballot.created", community_id=community.id,
           subject=f"ballot:{ballot.id}", title=ballot.title)
    return ballot


def _check_update(ballot: Ballot, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Before opening anything may change; once open only the closing time, and only later."""
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED, CLOSED):
        raise refuse_in(state)
    if state == OPEN:
        others = sorted(set(data) - {"closes_at"})
        if others:
            raise Conflict("ballot_open", "error.ballot_open_fields", extra={"fields": others})
    clean, problems = check_ballot(data, ballot.community, now, current=ballot)
    if state == OPEN and "closes_at" in clean and clean["closes_at"] <= ballot.closes_at:
        problems.append(Problem("closes_at", "error.ballot.only_later"))
    if problems:
        raise Invalid("invalid_ballot", problems)
    if {"opens_at", "trustees"} & set(clean):
        missing = clean.get("trustees", [t.name for t in missing_trustees(ballot)])
        if missing and clean.get("opens_at", ballot.opens_at) <= now:
            raise _not_ready(missing)
    return clean


def _reschedule(session: Session, ballot: Ballot, clean: dict[str, Any], now: datetime) -> None:
    if "reminders" in clean:
        ballot.reminders = [r.isoformat() for r in clean["reminders"]]
    elif "opens_at" in clean or "closes_at" in clean:
        ballot.reminders = [r.isoformat() for r in default_reminders(
            ballot.opens_at, ballot.closes_at, ZoneInfo(ballot.community.timezone))]
    if {"opens_at", "closes_at", "reminders"} & set(clean):
        # Reminders queued for the old times are wrong now; the clock queues the new ones, but
        # not those whose moment had already passed when the times changed.
        outbox.void(session, f"ballot:{ballot.id}:remind:", "the ballot's times changed")
        passed = [r for r in ballot.reminders if datetime.fromisoformat(r) <= now]
        ballot.reminders_done = sorted(set(ballot.reminders_done) | set(passed))


def update(session: Session, keys: Keyring, ballot: Ballot, data: dict[str, Any], actor: str,
           now: datetime) -> Ballot:
    clean = _check_update(ballot, data, now)
    for name in ("title", "overview", "opens_at", "closes_at", "secret", "quorum", "onsite"):
        if name in clean:
            setattr(ballot, name, clean[name])
    if "items" in clean:
        _set_items(session, ballot, clean["items"])
    if "trustees" in clean:
        _set_trustees(session, keys, ballot, clean["trustees"])
    _reschedule(session, ballot, clean, now)
    record(session, actor, "ballot.updated", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", fields=sorted(data))
    return ballot


def cancel(session: Session, ballot: Ballot, reason: str, actor: str, now: datetime) -> None:
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED):
        raise refuse_in(state)
    ballot.cancelled_at = now
    ballot.cancel_reason = reason
    outbox.void(session, f"ballot:{ballot.id}:", "the ballot was cancelled")
    record(session, actor, "ballot.cancelled", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", reason=reason)
