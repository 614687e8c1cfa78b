"""The last step of the four-step cycle (report 그림 4-4): what became of what residents adopted.

Every ballot item that passed — a `yes_no` item with more 찬성 than 반대, a `choose_one` or
`choose_up_to` item that was decided, each funded project of a `budget` item — gets a trail like
a proposal's: 추진계획 with the date it is to be done by, 추진경과 updates (which may move the
date), 추진결과. Only after the ballot's results are published, and never where a quorum was
missed. Each entry is pushed to everyone who took part in that ballot (participation is known;
choices are not, so nobody is ever targeted by how they voted). The clock records a due date
that passed without a result (`overdue`), once per date, and tells the same people; managers see
it in the alerts and on the console's banner.

Ballots and items also carry material: links to documents and videos (a new video is announced
in the community's rooms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from bot import ballots
from bot.audit import record
from bot.commands.agenda import AddMaterial, ProgressItem
from bot.errors import Conflict, Invalid, NotFound, Problem
from bot.models.agenda import AgendaProgress, Material
from bot.models.ballot import YES_NO, Ballot, BallotItem

PLAN, PROGRESS, RESULT, OVERDUE = "plan", "progress", "result", "overdue"
STAGES = (PLAN, PROGRESS, RESULT)
ALERT_DAYS = 3  # a due date this close shows in the alerts, as answers to proposals do


@dataclass(frozen=True)
class Target:
    """One thing that was adopted: an item (`project` 0) or a funded project of a budget item."""

    item: BallotItem
    project: int = 0

    @property
    def label(self) -> str:
        if self.project:
            return f"{self.item.title} · {self.item.options[self.project - 1]}"
        return self.item.title

    @property
    def trail(self) -> list[AgendaProgress]:
        return [e for e in self.item.progress if e.project == self.project]


def local_today(ballot: Ballot, now: datetime) -> date:
    return now.astimezone(ZoneInfo(ballot.community.timezone)).date()


def adopted(session: Session, ballot: Ballot) -> list[Target]:
    """What the published result adopted (nothing before publication or below the quorum)."""
    if ballot.published_at is None or ballot.cancelled_at is not None:
        return []
    result = ballots.results(session, ballot)
    if result["quorum_met"] is False:
        return []
    found = []
    for item, outcome in zip(ballot.items, result["items"], strict=True):
        if item.budget_plan is not None:
            found += [Target(item, n) for n, option in enumerate(outcome["options"], start=1)
                      if option.get("funded")]
        elif item.kind == YES_NO:
            found += [Target(item)] if outcome["passed"] else []
        elif any(option["total"] for option in outcome["options"]):
            found.append(Target(item))
    return found


def due_date(entries: list[AgendaProgress]) -> date | None:
    """The date the work is due by now: the latest plan's or progress update's."""
    dated = [e.due_date for e in entries if e.stage in (PLAN, PROGRESS) and e.due_date]
    return dated[-1] if dated else None


def done(entries: list[AgendaProgress]) -> bool:
    return any(e.stage == RESULT for e in entries)


def late(entries: list[AgendaProgress], today: date) -> bool:
    due = due_date(entries)
    return not done(entries) and due is not None and due < today


# --- the managers' side ---------------------------------------------------------------------

def _item(ballot: Ballot, number: int) -> BallotItem:
    for item in ballot.items:
        if item.number == number:
            return item
    raise NotFound("item_not_found", number=number)


def _target(session: Session, ballot: Ballot, number: int, project: int) -> Target:
    if ballot.published_at is None:
        raise Conflict("agenda_not_published")
    item = _item(ballot, number)
    if item.budget_plan is not None and not project:
        raise Invalid("invalid_input", [Problem("project", "error.agenda.project_needed")],
                      "error.agenda.project_needed")
    if item.budget_plan is None and project:
        raise Invalid("invalid_input", [Problem("project", "error.agenda.project_only_budget")],
                      "error.agenda.project_only_budget")
    target = Target(item, project)
    if target not in adopted(session, ballot):
        raise Conflict("project_not_funded" if project else "agenda_not_adopted",
                       title=target.label if project <= len(item.options) else item.title)
    return target


def add_progress(session: Session, ballot: Ballot, number: int, command: ProgressItem,
                 actor: str, now: datetime) -> AgendaProgress:
    """One entry of an adopted item's trail, pushed to everyone who took part in the ballot."""
    target = _target(session, ballot, number, command.project or 0)
    # One writer at a time per item: two results cannot both land.
    session.execute(select(BallotItem.id).where(BallotItem.id == target.item.id)
                    .with_for_update())
    session.expire(target.item, ["progress"])
    entries = target.trail
    if done(entries):
        raise Conflict("agenda_done", title=target.label)
    if command.stage == PROGRESS and not any(e.stage == PLAN for e in entries):
        raise Conflict("agenda_no_plan", title=target.label)
    entry = _append(session, target, command.stage, command.text, command.due_date, actor, now)
    record(session, actor, f"agenda.{command.stage}", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}:item:{number}", project=target.project,
           due_date=command.due_date.isoformat() if command.due_date else None)
    return entry


def _append(session: Session, target: Target, stage: str, text: str, due: date | None,
            actor: str, now: datetime) -> AgendaProgress:
    from bot import notices

    entry = AgendaProgress(ballot_id=target.item.ballot_id, item_id=target.item.id,
                           project=target.project, stage=stage, text=text, due_date=due, at=now,
                           actor=actor)
    session.add(entry)
    session.flush()
    session.expire(target.item, ["progress"])
    notices.agenda_update(session, target.item.ballot, target.label, entry, now)
    return entry


def _unfinished_dated(session: Session, before: date,
                      community_id: int | None = None) -> list[Target]:
    """The trails without a result that have an entry dated before `before` (a community's, or
    all): the clock and the alerts read only these, never a finished trail."""
    result = aliased(AgendaProgress)
    query = (select(AgendaProgress.item_id, AgendaProgress.project).join(Ballot)
             .where(AgendaProgress.due_date < before,
                    ~exists().where(result.item_id == AgendaProgress.item_id,
                                    result.project == AgendaProgress.project,
                                    result.stage == RESULT)))
    if community_id is not None:
        query = query.where(Ballot.community_id == community_id)
    return [Target(session.get(BallotItem, item_id), project)
            for item_id, project in session.execute(query.distinct()).all()]


def overdue_due(session: Session, now: datetime) -> dict[str, int]:
    """The clock: a due date passed without a result is recorded once (an `overdue` entry, shown
    on the public timeline) and told to those who took part."""
    found = 0
    for target in _unfinished_dated(session, now.date() + timedelta(days=1)):
        entries = target.trail
        due = due_date(entries)
        if not late(entries, local_today(target.item.ballot, now)) or any(
                e.stage == OVERDUE and e.due_date == due for e in entries):
            continue
        _append(session, target, OVERDUE, "", due, "system", now)
        record(session, "system", "agenda.overdue", community_id=target.item.ballot.community_id,
               subject=f"ballot:{target.item.ballot_id}:item:{target.item.number}",
               project=target.project, due_date=due.isoformat())
        found += 1
    return {"overdue": found}


def alerts(session: Session, community_id: int | None, now: datetime) -> list[dict[str, Any]]:
    """Follow-through due within 3 days or overdue and without a result (a community's, or every
    community's for the city admin), most urgent first."""
    found = []
    soon = now.date() + timedelta(days=ALERT_DAYS + 2)
    for target in _unfinished_dated(session, soon, community_id):
        ballot, entries = target.item.ballot, target.trail
        due, today = due_date(entries), local_today(ballot, now)
        if due is None or due > today + timedelta(days=ALERT_DAYS):
            continue
        found.append({"kind": "agenda", "proposal_id": None, "ballot_id": ballot.id,
                      "item": target.item.number, "project": target.project or None,
                      "community": ballot.community.slug, "title": target.label,
                      "answer_due": None, "due_date": due.isoformat(),
                      "overdue": due < today})
    return sorted(found, key=lambda a: a["due_date"])


def item_late(item: BallotItem, today: date) -> bool:
    """Whether any trail of the item (or of its projects) is past its date without a result."""
    return any(late([e for e in item.progress if e.project == project], today)
               for project in {e.project for e in item.progress})


def first_options(outcome: dict[str, Any]) -> list[str]:
    """The options that came first in an item's result (what a choose item decided)."""
    top = max((o["total"] for o in outcome["options"]), default=0)
    return [o["label"] for o in outcome["options"] if top and o["total"] == top]


# --- material -------------------------------------------------------------------------------

def add_material(session: Session, ballot: Ballot, command: AddMaterial, actor: str,
                 now: datetime) -> Material:
    """A link with the ballot or one of its items; a new video is announced in the rooms."""
    if command.item is not None and command.item > len(ballot.items):
        raise Invalid("invalid_input", [Problem("item", "error.agenda.no_item")],
                      "error.agenda.no_item", count=len(ballot.items))
    if ballot.cancelled_at is not None:
        raise Conflict("ballot_cancelled")
    material = Material(ballot_id=ballot.id, item_number=command.item, kind=command.kind_of(),
                        title=command.title, url=command.url, added_at=now, added_by=actor)
    session.add(material)
    session.flush()
    session.expire(ballot, ["materials"])
    record(session, actor, "agenda.material_added", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", kind=material.kind, item=command.item)
    if material.kind == "video":
        from bot import notices

        notices.video_posted(session, ballot, material, now)
    return material


def remove_material(session: Session, material: Material, actor: str) -> None:
    ballot_id = material.ballot_id
    community_id = session.get(Ballot, ballot_id).community_id
    session.delete(material)
    session.flush()
    record(session, actor, "agenda.material_removed", community_id=community_id,
           subject=f"ballot:{ballot_id}")


def materials_of(ballot: Ballot, number: int | None) -> list[Material]:
    """The ballot's own links (`number` None) or an item's."""
    return [m for m in ballot.materials if m.item_number == number]


# --- what is shown --------------------------------------------------------------------------

def entry_json(entry: AgendaProgress, item: BallotItem) -> dict[str, Any]:
    return {"id": entry.id, "stage": entry.stage, "text": entry.text,
            "due_date": entry.due_date.isoformat() if entry.due_date else None,
            "at": entry.at.isoformat(), "project": entry.project or None,
            "project_label": item.options[entry.project - 1] if entry.project else None}


def material_json(material: Material) -> dict[str, Any]:
    return {"id": material.id, "item": material.item_number, "kind": material.kind,
            "title": material.title, "url": material.url,
            "added_at": material.added_at.isoformat()}


def timelines(session: Session, ballot: Ballot, now: datetime) -> list[dict[str, Any]]:
    """Each adopted thing's trail, for the public page and the console: label, entries, the due
    date, whether it is late or done."""
    today = local_today(ballot, now)
    return [{"target": target, "label": target.label, "entries": target.trail,
             "due_date": due_date(target.trail), "late": late(target.trail, today),
             "done": done(target.trail)} for target in adopted(session, ballot)]
