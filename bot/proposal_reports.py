"""What managers read about proposals: one proposal (`as_json`), a page of them
(`as_json_many`, counted in two queries), the answer alerts and a community's statistics."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.catalogue import t
from bot.models import Community
from bot.models.agenda import Comment
from bot.models.proposal import Agreement, Proposal, ProposalEvent
from bot.privacy import author_name
from bot.proposal_rules import rules_for
from bot.proposals import (
    AGREE,
    AWAITING,
    COLLECTING,
    COMPLAINT,
    EXPIRED,
    HIDDEN,
    PENDING,
    STATUSES,
    next_stage,
    overdue,
    stages,
)


def alerts(session: Session, community_id: int | None, now: datetime) -> list[dict[str, Any]]:
    """Proposals waiting for an answer that is due within 3 days or overdue (a community's, or
    every community's for the city admin), most urgent first."""
    query = select(Proposal).where(Proposal.status == AWAITING,
                                   Proposal.answer_due <= now + timedelta(days=3))
    if community_id is not None:
        query = query.where(Proposal.community_id == community_id)
    rows = session.scalars(query.order_by(Proposal.answer_due)).all()
    return [{"kind": "proposal", "proposal_id": p.id, "community": p.community.slug, "title": p.title,
             "answer_actor": p.answer_actor, "answer_due": p.answer_due.isoformat(),
             "overdue": overdue(p, now),
             "escalated": any(e.action == "escalated" and e.details.get("due") ==
                              p.answer_due.isoformat() for e in p.events)} for p in rows]


def _counted(session: Session, ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """(공감, 비공감, discussion) of each proposal, in two queries for any number of them."""
    found = {pid: [0, 0, 0] for pid in ids}
    if ids:
        for pid, kind, n in session.execute(
                select(Agreement.proposal_id, Agreement.kind, func.count())
                .where(Agreement.proposal_id.in_(ids))
                .group_by(Agreement.proposal_id, Agreement.kind)):
            found[pid][0 if kind == AGREE else 1] = n
        for pid, n in session.execute(
                select(Comment.proposal_id, func.count())
                .where(Comment.proposal_id.in_(ids), Comment.deleted_at.is_(None))
                .group_by(Comment.proposal_id)):
            found[pid][2] = n
    return {pid: tuple(values) for pid, values in found.items()}


def as_json_many(session: Session, rows: list[Proposal], now: datetime) -> list[dict[str, Any]]:
    """Each proposal as `as_json` gives it, its counts read for all of them at once."""
    counted = _counted(session, [p.id for p in rows])
    return [_json(p, counted[p.id], now) for p in rows]


def as_json(session: Session, proposal: Proposal, now: datetime) -> dict[str, Any]:
    return _json(proposal, _counted(session, [proposal.id])[proposal.id], now)


def _json(proposal: Proposal, counted: tuple[int, int, int], now: datetime) -> dict[str, Any]:
    agreed, disagreed, discussion = counted
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
        "discussion": discussion,
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
