"""Proposals and agreements: screening, tiered thresholds, answers, progress, feedback.

The path of a proposal (statuses are stable codes; residents read `proposal.status.<code>`):

    pending_review ─approve→ collecting ─threshold→ awaiting_answer ─answer→ answered_*
          │                      │                      ▲                      │ (city admin:
          ├─complaint→ complaint └─window ends→ expired └──── send back ───────┘  send back)
          └─reject→ hidden              answered_accepted ─progress→ in_progress ─result→ done
                                        answered_more_input ─its window ends→ awaiting_answer

Agreements are rows, one per resident and proposal; counts are counted, never stored. Each
agreement locks its proposal row, so a threshold is crossed exactly once however many arrive
together, and the notices of that crossing are queued once per recipient (outbox keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.audit import record
from bot.catalogue import t
from bot.commands.proposals import (
    AnswerProposal,
    ProgressProposal,
    ScreenProposal,
    SendBackProposal,
)
from bot.eligibility import ineligibility
from bot.errors import Conflict, Invalid
from bot.models import Community, Resident
from bot.models.channels import Discussion
from bot.models.proposal import Agreement, Proposal, ProposalEvent
from bot.privacy import author_name
from bot.proposal_rules import Stage, rules_for, stages_from

# Fields and statuses are stable codes; what residents read is in the catalogue
# (`proposal.field.<code>`, `proposal.status.<code>`; see labels()).
FIELD_CODES = ("traffic", "environment", "welfare", "safety", "culture", "other")

PENDING = "pending_review"
COLLECTING = "collecting"
AWAITING = "awaiting_answer"
ACCEPTED = "answered_accepted"
REJECTED = "answered_rejected"
MORE_INPUT = "answered_more_input"
IN_PROGRESS = "in_progress"
DONE = "done"
EXPIRED = "expired"
COMPLAINT = "complaint"
HIDDEN = "hidden"
STATUSES = (PENDING, COLLECTING, AWAITING, ACCEPTED, REJECTED, MORE_INPUT, IN_PROGRESS, DONE,
            EXPIRED, COMPLAINT, HIDDEN)
# Seen by everyone once published; the others only by the proposer and managers.
PUBLIC = (COLLECTING, AWAITING, ACCEPTED, REJECTED, MORE_INPUT, IN_PROGRESS, DONE, EXPIRED)
ANSWERED = (ACCEPTED, REJECTED, MORE_INPUT)
OUTCOMES = {"accepted": ACCEPTED, "rejected": REJECTED, "more_input": MORE_INPUT}
PROGRESS_STAGES = ("plan", "progress", "result")
MORE_INPUT_DAYS = 14
SEND_BACK_DAYS = 5  # 대전: a weak answer is rewritten within 5 days (L2560)

AGREE = "agree"
DISAGREE = "disagree"

# Outcomes of an agreement.
RECORDED = "recorded"
ALREADY = "already"
CLOSED = "closed"
OWN = "own"
NO_DISAGREE = "no_disagree"
INELIGIBLE = "ineligible"

TITLE_MAX = 100
CONTENT_MAX = 4000


# --- reading -------------------------------------------------------------------------------

def stages(proposal: Proposal) -> list[Stage]:
    return stages_from(proposal.rules) if proposal.rules else rules_for(proposal.community)


def counts(session: Session, proposal_id: int) -> tuple[int, int]:
    """(공감, 비공감), counted from the rows."""
    rows = dict(session.execute(select(Agreement.kind, func.count())
                                .where(Agreement.proposal_id == proposal_id)
                                .group_by(Agreement.kind)).all())
    return rows.get(AGREE, 0), rows.get(DISAGREE, 0)


def next_stage(proposal: Proposal) -> Stage | None:
    rules = stages(proposal)
    return rules[proposal.stage] if proposal.stage < len(rules) else None


def agreements_open(proposal: Proposal, now: datetime) -> bool:
    if proposal.status in (COLLECTING, MORE_INPUT):
        return proposal.window_ends_at is not None and now < proposal.window_ends_at
    return proposal.status == AWAITING


def overdue(proposal: Proposal, now: datetime) -> bool:
    return (proposal.status == AWAITING and proposal.answer_due is not None
            and proposal.answer_due < now)


def public_list(session: Session, community_id: int) -> list[Proposal]:
    """Published proposals, those still gathering agreements first, newest first."""
    rows = session.scalars(select(Proposal).where(Proposal.community_id == community_id,
                                                  Proposal.status.in_(PUBLIC))
                           .order_by(Proposal.published_at.desc(), Proposal.id.desc())).all()
    gathering = (COLLECTING, AWAITING, MORE_INPUT)
    return sorted(rows, key=lambda p: p.status not in gathering)


def own_list(session: Session, resident_id: int) -> list[Proposal]:
    return list(session.scalars(select(Proposal).where(Proposal.proposer_id == resident_id)
                                .order_by(Proposal.created_at.desc(), Proposal.id.desc())))


def agreement_of(session: Session, proposal_id: int, resident_id: int) -> Agreement | None:
    return session.scalars(select(Agreement).where(Agreement.proposal_id == proposal_id,
                                                   Agreement.resident_id == resident_id)).first()


# --- history and feedback -------------------------------------------------------------------

def _event(session: Session, proposal: Proposal, actor: str, action: str, now: datetime,
           **details: Any) -> ProposalEvent:
    event = ProposalEvent(proposal_id=proposal.id, at=now, actor=actor, action=action,
                          status=proposal.status, details=details)
    session.add(event)
    session.flush()
    record(session, actor, f"proposal.{action}", community_id=proposal.community_id,
           subject=f"proposal:{proposal.id}", status=proposal.status)
    return event


def _notify(session: Session, proposal: Proposal, event: ProposalEvent, key: str,
            everyone: bool, **values: Any) -> int:
    from bot import notices

    return notices.proposal_event(session, proposal, event, key, everyone, **values)


def _local_day_end(community: Community, day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), ZoneInfo(community.timezone))


def _today(community: Community, now: datetime) -> date:
    return now.astimezone(ZoneInfo(community.timezone)).date()


def _lock(session: Session, proposal: Proposal) -> None:
    session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())
    session.refresh(proposal)


# --- the resident's side ----------------------------------------------------------------------

def check_draft(title: str | None, content: str | None, field: str | None) -> list[str]:
    problems = []
    if title is not None and (not 2 <= len(title.strip()) <= TITLE_MAX or "\n" in title.strip()):
        problems.append("title")
    if content is not None and not 5 <= len(content.strip()) <= CONTENT_MAX:
        problems.append("content")
    if field is not None and field not in FIELD_CODES:
        problems.append("field")
    return problems


def submit(session: Session, resident: Resident, title: str, content: str, field: str,
           channel: str, now: datetime) -> Proposal:
    """A new proposal waits for screening; nothing is public before a manager approves it."""
    if check_draft(title, content, field):
        raise Invalid("invalid_proposal", [], "error.invalid_proposal")
    proposal = Proposal(community_id=resident.community_id, proposer_id=resident.id,
                        title=title.strip(), content=content.strip(), field=field,
                        status=PENDING, created_at=now)
    session.add(proposal)
    session.flush()
    _event(session, proposal, f"resident:{resident.id}", "submitted", now, channel=channel)
    return proposal


@dataclass(frozen=True)
class AgreeOutcome:
    status: str
    agreements: int = 0
    disagreements: int = 0
    reached: int | None = None  # the stage crossed by this agreement, if any
    earlier: Agreement | None = None
    reason: str | None = None


def refusal(session: Session, proposal: Proposal, resident: Resident | None, kind: str,
            now: datetime) -> AgreeOutcome | None:
    """Why this resident may not agree now (None when they may)."""
    if kind == DISAGREE and not proposal.community.uses_disagree:
        return AgreeOutcome(NO_DISAGREE)
    reason = ineligibility(resident, proposal.community, _today(proposal.community, now))
    if reason is not None:
        return AgreeOutcome(INELIGIBLE, reason=reason)
    if proposal.proposer_id == resident.id:
        return AgreeOutcome(OWN)
    earlier = agreement_of(session, proposal.id, resident.id)
    if earlier is not None:
        return AgreeOutcome(ALREADY, earlier=earlier)
    if not agreements_open(proposal, now):
        return AgreeOutcome(CLOSED)
    return None


def agree(session: Session, proposal: Proposal, resident: Resident, kind: str, channel: str,
          now: datetime) -> AgreeOutcome:
    """Record one 공감/비공감 and move the proposal up when it reaches the next threshold."""
    _lock(session, proposal)
    refused = refusal(session, proposal, resident, kind, now)
    if refused is not None:
        return refused
    try:
        with session.begin_nested():
            session.add(Agreement(proposal_id=proposal.id, resident_id=resident.id, kind=kind,
                                  channel=channel, at=now))
            session.flush()
    except IntegrityError:
        return AgreeOutcome(ALREADY, earlier=agreement_of(session, proposal.id, resident.id))
    agreed, disagreed = counts(session, proposal.id)
    reached = _advance(session, proposal, agreed, disagreed, now)
    return AgreeOutcome(RECORDED, agreed, disagreed, reached)


def _advance(session: Session, proposal: Proposal, agreed: int, disagreed: int,
             now: datetime) -> int | None:
    stage = next_stage(proposal)
    if (stage is None or proposal.status not in (COLLECTING, AWAITING)
            or proposal.window_ends_at is None or now >= proposal.window_ends_at):
        return None
    if agreed < stage.agreements or (stage.require_majority and agreed < disagreed):
        return None
    proposal.stage += 1
    proposal.status = AWAITING
    proposal.answer_actor = stage.actor
    proposal.answer_due = now + timedelta(days=stage.answer_days)
    following = next_stage(proposal)
    proposal.window_ends_at = (now + timedelta(days=following.window_days)
                               if following is not None else None)
    event = _event(session, proposal, "system", "stage_reached", now, stage=proposal.stage,
                   agreements=agreed, disagreements=disagreed, answer_actor=stage.actor,
                   answer_due=proposal.answer_due.isoformat())
    due = _today(proposal.community, proposal.answer_due)
    _notify(session, proposal, event, "proposal.notice.stage", True, count=agreed,
            actor=stage.actor, due=due)
    return proposal.stage


# --- the managers' side ---------------------------------------------------------------------

def _require(proposal: Proposal, allowed: tuple[str, ...], doing: str) -> None:
    if proposal.status not in allowed:
        raise Conflict("wrong_status", f"error.wrong_status.{doing}",
                       extra={"status": proposal.status},
                       status=t(f"proposal.status.{proposal.status}"))


def _due(community: Community, now: datetime, day: date | None, default_days: int) -> date:
    return day if day is not None else _today(community, now) + timedelta(days=default_days)


def screen(session: Session, proposal: Proposal, command: ScreenProposal, actor: str,
           now: datetime) -> None:
    """Approve (published, agreements open), route as a complaint (민원 이관), or reject (비공개,
    with a reason the proposer receives). Nothing is deleted."""
    _require(proposal, (PENDING,), "screen")
    if command.decision == "approve":
        rules = rules_for(proposal.community)
        proposal.rules = [s.as_dict() for s in rules]
        proposal.status = COLLECTING
        proposal.published_at = now
        proposal.window_ends_at = now + timedelta(days=rules[0].window_days)
        event = _event(session, proposal, actor, "approved", now,
                       window_ends_at=proposal.window_ends_at.isoformat())
        from bot import notices

        notices.proposal_published(session, proposal, now)
        _notify(session, proposal, event, "proposal.notice.approved", False,
                goal=rules[0].agreements, days=rules[0].window_days)
    elif command.decision == "complaint":
        proposal.status = COMPLAINT
        proposal.closed_at = now
        proposal.screen_reason = command.reason or ""
        where = proposal.community.complaint_text or t("proposal.complaint.default")
        event = _event(session, proposal, actor, "routed_complaint", now,
                       reason=proposal.screen_reason)
        _notify(session, proposal, event, "proposal.notice.complaint", False, where=where)
    else:
        proposal.screen_reason = command.reason
        proposal.status = HIDDEN
        proposal.closed_at = now
        event = _event(session, proposal, actor, "rejected", now, reason=proposal.screen_reason)
        _notify(session, proposal, event, "proposal.notice.hidden", False,
                reason=proposal.screen_reason)


def answer(session: Session, proposal: Proposal, command: AnswerProposal, actor: str,
           now: datetime) -> None:
    """수용 (a plan and a date), 불수용 (reasons), or 추가 의견 수렴 (agreements reopen until a date)."""
    _require(proposal, (AWAITING, MORE_INPUT), "answer")
    community = proposal.community
    outcome, body = command.outcome, command.text or ""
    until = None
    if outcome == "accepted":
        until = command.due_date
    elif outcome == "more_input":
        until = _due(community, now, command.due_date, MORE_INPUT_DAYS)
    on_time = proposal.answer_due is None or now <= proposal.answer_due
    proposal.status = OUTCOMES[outcome]
    proposal.answer_outcome = outcome
    proposal.answer_text = body
    proposal.answered_at = now
    proposal.answer_until = until
    proposal.window_ends_at = _local_day_end(community, until) if outcome == "more_input" else None
    event = _event(session, proposal, actor, "answered", now, outcome=outcome, text=body,
                   due_date=until.isoformat() if until else None, on_time=on_time)
    _notify(session, proposal, event, f"proposal.notice.answer.{outcome}", True, text=body,
            until=until)


def send_back(session: Session, proposal: Proposal, command: SendBackProposal, actor: str,
              now: datetime) -> None:
    """The city admin returns a weak answer to be rewritten by a date (대전, L2560)."""
    _require(proposal, ANSWERED, "send_back")
    day = _due(proposal.community, now, command.due_date, SEND_BACK_DAYS)
    proposal.status = AWAITING
    proposal.answer_due = _local_day_end(proposal.community, day)
    proposal.window_ends_at = None
    _event(session, proposal, actor, "sent_back", now, reason=command.reason,
           due_date=day.isoformat(), previous_outcome=proposal.answer_outcome)
    proposal.answer_outcome = None


def progress(session: Session, proposal: Proposal, command: ProgressProposal, actor: str,
             now: datetime) -> None:
    """추진계획 · 추진경과 · 추진결과 of an accepted proposal; everyone who agreed hears it."""
    _require(proposal, (ACCEPTED, IN_PROGRESS), "progress")
    stage, body = command.stage, command.text
    proposal.status = DONE if stage == "result" else IN_PROGRESS
    if stage == "result":
        proposal.closed_at = now
    event = _event(session, proposal, actor, "progress", now, stage=stage, text=body)
    _notify(session, proposal, event, "proposal.notice.progress", True,
            stage=stage, text=body)


# --- the clock -----------------------------------------------------------------------------

def expire_due(session: Session, now: datetime) -> dict[str, int]:
    """Windows that ended: 공감 모으는 중 → 기간 만료; 추가 의견 수렴 → 답변 대기 again."""
    expired = reopened = 0
    due = session.scalars(select(Proposal).where(Proposal.status.in_((COLLECTING, MORE_INPUT)),
                                                 Proposal.window_ends_at <= now)
                          .with_for_update(skip_locked=True)).all()
    for proposal in due:
        if proposal.status == COLLECTING:
            proposal.status = EXPIRED
            proposal.closed_at = now
            event = _event(session, proposal, "system", "expired", now)
            _notify(session, proposal, event, "proposal.notice.expired", False)
            expired += 1
        else:
            stage = stages(proposal)[max(proposal.stage, 1) - 1]
            proposal.status = AWAITING
            proposal.window_ends_at = None
            proposal.answer_due = now + timedelta(days=stage.answer_days)
            _event(session, proposal, "system", "input_closed", now,
                   answer_due=proposal.answer_due.isoformat())
            reopened += 1
    return {"expired": expired, "awaiting_answer": reopened}


def deadline_due(session: Session, now: datetime) -> dict[str, int]:
    """Answer deadlines: a reminder 3 days before and on the day, and an escalation to the city
    admin once overdue. Each is an event in the proposal's history (once: the events are the
    record of what was already done) and shows in `GET …/alerts`."""
    done = {"reminded": 0, "escalated": 0}
    waiting = session.scalars(select(Proposal).where(Proposal.status == AWAITING,
                                                     Proposal.answer_due.is_not(None))).all()
    for proposal in waiting:
        due = proposal.answer_due
        seen = {(e.action, e.details.get("kind"), e.details.get("due")) for e in proposal.events}
        if now > due:
            steps = [("escalated", None)]
        elif now >= due - timedelta(days=3):
            same_day = _today(proposal.community, now) == _today(proposal.community, due)
            steps = [("answer_reminder", "d-3")] + ([("answer_reminder", "d-day")]
                                                   if same_day else [])
        else:
            steps = []
        for action, kind in steps:
            if (action, kind, due.isoformat()) in seen:
                continue
            _event(session, proposal, "system", action, now, due=due.isoformat(), kind=kind,
                   actor_due=proposal.answer_actor)
            done["escalated" if action == "escalated" else "reminded"] += 1
    return done


def alerts(session: Session, community_id: int | None, now: datetime) -> list[dict[str, Any]]:
    """Proposals waiting for an answer that is due within 3 days or overdue (a community's, or
    every community's for the city admin), most urgent first."""
    query = select(Proposal).where(Proposal.status == AWAITING,
                                   Proposal.answer_due <= now + timedelta(days=3))
    if community_id is not None:
        query = query.where(Proposal.community_id == community_id)
    rows = session.scalars(query.order_by(Proposal.answer_due)).all()
    return [{"proposal_id": p.id, "community": p.community.slug, "title": p.title,
             "answer_actor": p.answer_actor, "answer_due": p.answer_due.isoformat(),
             "overdue": overdue(p, now),
             "escalated": any(e.action == "escalated" and e.details.get("due") ==
                              p.answer_due.isoformat() for e in p.events)} for p in rows]


# --- what managers read ----------------------------------------------------------------------

def as_json(session: Session, proposal: Proposal, now: datetime) -> dict[str, Any]:
    agreed, disagreed = counts(session, proposal.id)
    following = next_stage(proposal) if proposal.status in (COLLECTING, AWAITING) else None
    return {
        "id": proposal.id, "community": proposal.community.slug, "title": proposal.title,
        "content": proposal.content, "field": proposal.field,
        "field_label": t(f"proposal.field.{proposal.field}"), "status": proposal.status,
        "status_label": t(f"proposal.status.{proposal.status}"), "agreements": agreed,
        "disagreements": disagreed, "stage": proposal.stage,
        "stages": proposal.rules or [s.as_dict() for s in rules_for(proposal.community)],
        "next_threshold": following.agreements if following else None,
        "window_ends_at": proposal.window_ends_at.isoformat() if proposal.window_ends_at else None,
        "answer_actor": proposal.answer_actor,
        "answer_due": proposal.answer_due.isoformat() if proposal.answer_due else None,
        "overdue": overdue(proposal, now),
        "answer": None if proposal.answered_at is None else {
            "outcome": proposal.answer_outcome, "text": proposal.answer_text,
            "at": proposal.answered_at.isoformat(),
            "until": proposal.answer_until.isoformat() if proposal.answer_until else None},
        "discussion": session.scalar(select(func.count()).where(
            Discussion.proposal_id == proposal.id)),
        "proposer": author_name(proposal.proposer), "screen_reason": proposal.screen_reason or None,
        "created_at": proposal.created_at.isoformat(),
        "published_at": proposal.published_at.isoformat() if proposal.published_at else None,
        "history": [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                     "status": e.status, "details": e.details} for e in proposal.events],
    }


def stats(session: Session, community: Community, now: datetime) -> dict[str, Any]:
    rows = session.scalars(select(Proposal).where(Proposal.community_id == community.id)).all()
    by_status = {code: 0 for code in STATUSES}
    for proposal in rows:
        by_status[proposal.status] += 1
    levels = max([len(stages(p)) for p in rows] + [len(rules_for(community))])
    first_answers: dict[int, bool] = {}
    for event in session.scalars(select(ProposalEvent).join(Proposal).where(
            Proposal.community_id == community.id, ProposalEvent.action == "answered")
            .order_by(ProposalEvent.id)):
        first_answers.setdefault(event.proposal_id, bool(event.details.get("on_time")))
    return {
        "received": len(rows),
        "published": sum(1 for p in rows if p.published_at is not None),
        "routed_as_complaints": by_status[COMPLAINT],
        "rejected": by_status[HIDDEN],
        "pending_review": by_status[PENDING],
        "expired": by_status[EXPIRED],
        "reached_stage": {str(n): sum(1 for p in rows if p.stage >= n)
                          for n in range(1, levels + 1)},
        "answered": len(first_answers),
        "answered_on_time": sum(first_answers.values()),
        "overdue": sum(1 for p in rows if overdue(p, now)),
        "by_status": by_status,
    }
