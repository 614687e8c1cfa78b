"""The clock's work on proposals: windows that end, and answer deadlines (reminders, then an
escalation to the city admin)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models.proposal import Proposal
from bot.proposals import (
    AWAITING,
    COLLECTING,
    EXPIRED,
    MORE_INPUT,
    add_event,
    local_today,
    notify_followers,
    stages,
)


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
            event = add_event(session, proposal, "system", "expired", now)
            notify_followers(session, proposal, event, "proposal.notice.expired", False)
            expired += 1
        else:
            stage = stages(proposal)[max(proposal.stage, 1) - 1]
            proposal.status = AWAITING
            proposal.window_ends_at = None
            proposal.answer_due = now + timedelta(days=stage.answer_days)
            add_event(session, proposal, "system", "input_closed", now,
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
            same_day = local_today(proposal.community, now) == local_today(proposal.community, due)
            steps = [("answer_reminder", "d-3")] + ([("answer_reminder", "d-day")]
                                                   if same_day else [])
        else:
            steps = []
        for action, kind in steps:
            if (action, kind, due.isoformat()) in seen:
                continue
            add_event(session, proposal, "system", action, now, due=due.isoformat(), kind=kind,
                   actor_due=proposal.answer_actor)
            done["escalated" if action == "escalated" else "reminded"] += 1
    return done
