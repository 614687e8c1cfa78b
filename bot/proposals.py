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
    Agree,
    AnswerProposal,
    ProgressProposal,
    ScreenProposal,
    SendBackProposal,
    SubmitProposal,
)
from bot.eligibility import ineligibility
from bot.errors import Conflict
from bot.models import Community, Resident
from bot.models.proposal import Agreement, Proposal, ProposalEvent
from bot.proposal_rules import Stage, rules_for, stages_from

# Fields and statuses are stable codes; what residents read is in the catalogue
# (`proposal.field.<code>`, `proposal.status.<code>`; see labels()).

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

def add_event(session: Session, proposal: Proposal, actor: str, action: str, now: datetime,
              **details: Any) -> ProposalEvent:
    event = ProposalEvent(proposal_id=proposal.id, at=now, actor=actor, action=action,
                          status=proposal.status, details=details)
    session.add(event)
    session.flush()
    record(session, actor, f"proposal.{action}", community_id=proposal.community_id,
           subject=f"proposal:{proposal.id}", status=proposal.status)
    return event


def notify_followers(session: Session, proposal: Proposal, event: ProposalEvent, key: str,
                     everyone: bool, **values: Any) -> int:
    from bot import notices

    return notices.proposal_event(session, proposal, event, key, everyone, **values)


def _local_day_end(community: Community, day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), ZoneInfo(community.timezone))


def local_today(community: Community, now: datetime) -> date:
    return now.astimezone(ZoneInfo(community.timezone)).date()


def _lock(session: Session, proposal: Proposal) -> None:
    session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())
    session.refresh(proposal)


# --- the resident's side ----------------------------------------------------------------------

def submit(session: Session, resident: Resident, command: SubmitProposal, channel: str,
           now: datetime) -> Proposal:
    """A new proposal waits for screening; nothing is public before a manager approves it."""
    proposal = Proposal(community_id=resident.community_id, proposer_id=resident.id,
                        title=command.title, content=command.content, field=command.field,
                        status=PENDING, created_at=now)
    session.add(proposal)
    session.flush()
    add_event(session, proposal, f"resident:{resident.id}", "submitted", now, channel=channel)
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
    reason = ineligibility(resident, proposal.community, local_today(proposal.community, now))
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


def agree(session: Session, proposal: Proposal, resident: Resident, command: Agree,
          channel: str, now: datetime) -> AgreeOutcome:
    """Record one 공감/비공감 and move the proposal up when it reaches the next threshold."""
    kind = command.kind
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
    event = add_event(session, proposal, "system", "stage_reached", now, stage=proposal.stage,
                   agreements=agreed, disagreements=disagreed, answer_actor=stage.actor,
                   answer_due=proposal.answer_due.isoformat())
    due = local_today(proposal.community, proposal.answer_due)
    notify_followers(session, proposal, event, "proposal.notice.stage", True, count=agreed,
            actor=stage.actor, due=due)
    return proposal.stage


# --- the managers' side ---------------------------------------------------------------------

def _require(proposal: Proposal, allowed: tuple[str, ...], doing: str) -> None:
    if proposal.status not in allowed:
        raise Conflict("wrong_status", f"error.wrong_status.{doing}",
                       extra={"status": proposal.status},
                       status=t(f"proposal.status.{proposal.status}"))


def _due(community: Community, now: datetime, day: date | None, default_days: int) -> date:
    return day if day is not None else local_today(community, now) + timedelta(days=default_days)


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
        event = add_event(session, proposal, actor, "approved", now,
                       window_ends_at=proposal.window_ends_at.isoformat())
        from bot import notices

        notices.proposal_published(session, proposal, now)
        notify_followers(session, proposal, event, "proposal.notice.approved", False,
                goal=rules[0].agreements, days=rules[0].window_days)
    elif command.decision == "complaint":
        proposal.status = COMPLAINT
        proposal.closed_at = now
        proposal.screen_reason = command.reason or ""
        where = proposal.community.complaint_text or t("proposal.complaint.default")
        event = add_event(session, proposal, actor, "routed_complaint", now,
                       reason=proposal.screen_reason)
        notify_followers(session, proposal, event, "proposal.notice.complaint", False, where=where)
    else:
        proposal.screen_reason = command.reason
        proposal.status = HIDDEN
        proposal.closed_at = now
        event = add_event(session, proposal, actor, "rejected", now, reason=proposal.screen_reason)
        notify_followers(session, proposal, event, "proposal.notice.hidden", False,
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
    event = add_event(session, proposal, actor, "answered", now, outcome=outcome, text=body,
                   due_date=until.isoformat() if until else None, on_time=on_time)
    notify_followers(session, proposal, event, f"proposal.notice.answer.{outcome}", True, text=body,
            until=until)


def send_back(session: Session, proposal: Proposal, command: SendBackProposal, actor: str,
              now: datetime) -> None:
    """The city admin returns a weak answer to be rewritten by a date (대전, L2560)."""
    _require(proposal, ANSWERED, "send_back")
    day = _due(proposal.community, now, command.due_date, SEND_BACK_DAYS)
    proposal.status = AWAITING
    proposal.answer_due = _local_day_end(proposal.community, day)
    proposal.window_ends_at = None
    add_event(session, proposal, actor, "sent_back", now, reason=command.reason,
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
    event = add_event(session, proposal, actor, "progress", now, stage=stage, text=body)
    notify_followers(session, proposal, event, "proposal.notice.progress", True,
            stage=stage, text=body)
