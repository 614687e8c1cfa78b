"""The roster (주민 명부) a community centre already keeps, imported from a CSV file.

Reading the file is pure (`parse_roster`, in bot/roster_file.py); `plan_roster` says who each
row is and what an import would do, so the console and the REST API show it before anything
changes; `apply_plan` is all-or-nothing inside the caller's transaction and keeps only keyed hashes, the masked name and
the birth date: never the full name or the phone.

A row is the same person as a resident when all three details match, or when two of name, birth
date and phone match exactly one resident (a changed phone, a corrected spelling, someone moving
back in): that resident is updated, so their votes and agreements stay theirs. The default import
adds and updates; only `replace` moves out those absent from the file, and it says how many first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue import t
from bot.errors import Problem
from bot.identity import (
    birth_phone_key,
    identity_key,
    lookup_key,
    mask_name,
    name_phone_key,
)
from bot.models import ChannelAccount, Community, Resident
from bot.roster_file import ParsedRoster, RosterEntry, RowProblem, parse_roster

ADD = "add"
REPLACE = "replace"
MODES = (ADD, REPLACE)


# --- one person across roster versions -----------------------------------------------------------

@dataclass
class Match:
    """A file row and the resident it is (None: a new resident), with what changed."""

    entry: RosterEntry
    resident: Resident | None
    changed: tuple[str, ...] = ()
    keys: dict = field(default_factory=dict)

    @property
    def changes(self) -> bool:
        r = self.resident
        return r is not None and (bool(self.changed) or r.moved_out_at is not None
                                  or r.masked_name != mask_name(self.entry.name))


@dataclass
class RosterPlan:
    """What an import would do, computed before anything changes (the preview shows it)."""

    mode: str
    matches: list[Match] = field(default_factory=list)
    moved_out: list[Resident] = field(default_factory=list)
    verified_moved_out: int = 0
    roster_size: int = 0  # residents on the roster (not moved out) before the import
    problems: list[Problem] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(1 for m in self.matches if m.resident is None)

    @property
    def updated(self) -> int:
        return sum(1 for m in self.matches if m.changes)

    @property
    def unchanged(self) -> int:
        return sum(1 for m in self.matches if m.resident is not None and not m.changes)

    @property
    def large(self) -> bool:
        """A replace that moves out more than a fifth of the roster: asked twice."""
        return len(self.moved_out) * 5 > self.roster_size

    def unconfirmed(self, moved_out: str | None, large: bool) -> str | None:
        """What a replace still needs confirmed before it may move anyone out: the number of
        people (`confirm_moved_out`), then, past a fifth of the roster, `confirm_large`."""
        if self.mode != REPLACE or not self.moved_out:
            return None
        if moved_out != str(len(self.moved_out)):
            return "confirm_moved_out"
        return "confirm_large" if self.large and not large else None

    def moved_out_counts(self) -> dict[str, int]:
        """The figures of a replace's confirmation: moved out, of them verified, roster size."""
        return {"count": len(self.moved_out), "verified": self.verified_moved_out,
                "roster": self.roster_size}

    def fuzzy(self) -> list[Match]:
        return [m for m in self.matches if m.resident is not None and m.changed]


def _keys(pepper: str, entry: RosterEntry) -> dict[str, str]:
    return {"identity_key": identity_key(pepper, entry.name, entry.birth_date,
                                         entry.phone_last4),
            "lookup_key": lookup_key(pepper, entry.name, entry.birth_date),
            "np_key": name_phone_key(pepper, entry.name, entry.phone_last4),
            "bp_key": birth_phone_key(pepper, entry.birth_date, entry.phone_last4)}


# Which detail changed when the row and the resident agree on the other two.
_CHANGED = {"lookup_key": "phone", "np_key": "birth_date", "bp_key": "name"}


def _index(residents: list[Resident]) -> dict[tuple[str, str], list[Resident]]:
    """Residents by each of their keys: (key name, value) → residents."""
    by_key: dict[tuple[str, str], list[Resident]] = {}
    for resident in residents:
        for name in ("identity_key", *_CHANGED):
            value = getattr(resident, name)
            if value:
                by_key.setdefault((name, value), []).append(resident)
    return by_key


def _match_fuzzy(plan: RosterPlan, match: Match, by_key: dict, claimed: set[int],
                 fuzzy: dict[int, list[Match]]) -> None:
    """A row whose identity key matched nobody: the one unclaimed resident sharing two of its
    three keys, if exactly one does."""
    found: dict[int, tuple[Resident, str]] = {}
    for name, changed in _CHANGED.items():
        for resident in by_key.get((name, match.keys[name]), []):
            if resident.id not in claimed:
                found.setdefault(resident.id, (resident, changed))
    if len(found) > 1:
        who = ", ".join(t("roster.someone", name=r.masked_name, year=r.birth_date.year)
                        for r, _ in found.values())
        plan.problems.append(RowProblem(match.entry.line, "row", "error.roster.overlaps", who=who))
    elif found:
        [(resident, changed)] = found.values()
        match.resident, match.changed = resident, (changed,)
        fuzzy.setdefault(resident.id, []).append(match)


def _moving_out(session: Session, plan: RosterPlan, residents: list[Resident]) -> None:
    kept = {m.resident.id for m in plan.matches if m.resident is not None}
    plan.moved_out = [r for r in residents if r.moved_out_at is None and r.id not in kept]
    if plan.moved_out:
        bound = set(session.scalars(select(ChannelAccount.resident_id).where(
            ChannelAccount.resident_id.in_([r.id for r in plan.moved_out]))))
        plan.verified_moved_out = len(bound)


def plan_roster(session: Session, community: Community, entries: Sequence[RosterEntry],
                pepper: str, mode: str = ADD) -> RosterPlan:
    """Who each row is. The same person when the identity key matches, or else when at least two
    of name, birth date and phone agree with exactly one resident (moved out or not) that no
    other row is; more than one such resident is a problem the manager resolves in the file."""
    residents = list(session.scalars(select(Resident).where(
        Resident.community_id == community.id).order_by(Resident.id).with_for_update()))
    plan = RosterPlan(mode=mode, roster_size=sum(1 for r in residents if r.moved_out_at is None))
    by_key = _index(residents)
    plan.matches = [Match(entry, None, keys=_keys(pepper, entry)) for entry in entries]
    claimed: set[int] = set()
    for match in plan.matches:
        exact = by_key.get(("identity_key", match.keys["identity_key"]), [])
        if exact:
            match.resident = exact[0]
            claimed.add(exact[0].id)
    fuzzy: dict[int, list[Match]] = {}
    for match in plan.matches:
        if match.resident is None:
            _match_fuzzy(plan, match, by_key, claimed, fuzzy)
    for rows in fuzzy.values():
        if len(rows) > 1:
            lines = ", ".join(str(m.entry.line) for m in rows)
            plan.problems += [RowProblem(m.entry.line, "row", "error.roster.same_person",
                                         lines=lines, name=m.resident.masked_name) for m in rows]
    if mode == REPLACE:
        _moving_out(session, plan, residents)
    return plan


def preview(session: Session, community: Community, data: bytes, pepper: str, today: date,
            mode: str = ADD) -> tuple[ParsedRoster, RosterPlan | None]:
    """Read the file and, when it reads cleanly, plan the import; every problem of either (line
    numbered) is in the parsed roster. Nothing changes."""
    parsed = parse_roster(data, today)
    plan = None
    if parsed.ok:
        plan = plan_roster(session, community, parsed.entries, pepper, mode)
        parsed.problems += plan.problems
    return parsed, plan


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    updated: int
    unchanged: int
    moved_out: int
    mode: str = ADD

    def as_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "moved_out": self.moved_out, "mode": self.mode}


def apply_plan(session: Session, community: Community, plan: RosterPlan,
               now: datetime) -> ImportOutcome:
    """Carry out a plan without problems, in the caller's transaction (all or nothing)."""
    if plan.problems:
        raise ValueError("a roster plan with problems cannot be applied")
    outcome = ImportOutcome(plan.added, plan.updated, plan.unchanged, len(plan.moved_out),
                            plan.mode)
    for match in plan.matches:
        entry, row = match.entry, match.resident
        if row is None:
            session.add(Resident(community_id=community.id, masked_name=mask_name(entry.name),
                                 birth_date=entry.birth_date, **match.keys))
            continue
        row.moved_out_at = None
        row.masked_name = mask_name(entry.name)
        row.birth_date = entry.birth_date
        for name, value in match.keys.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    for row in plan.moved_out:
        row.moved_out_at = now
    session.flush()
    return outcome


def apply_roster(session: Session, community: Community, entries: Sequence[RosterEntry],
                 pepper: str, now: datetime, mode: str = ADD) -> ImportOutcome:
    """Plan and apply at once (tests, the demo): add and update, or replace the roster."""
    plan = plan_roster(session, community, entries, pepper, mode)
    return apply_plan(session, community, plan, now)
