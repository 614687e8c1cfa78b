"""Proposals (REST): list and filter, read with history, screen, answer, progress, send back,
and the community's statistics."""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from bot import proposals
from bot.api import api
from bot.api.auth import check_scope, current_principal, json_body, require_community
from bot.app import db_session
from bot.errors import Forbidden, Malformed, NotFound
from bot.models import utcnow
from bot.models.proposal import Proposal


def _proposal(proposal_id: int):
    principal = current_principal()
    proposal = db_session().get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound("proposal_not_found", number=proposal_id)
    check_scope(principal, proposal.community_id)
    return principal, proposal


def _answer(proposal: Proposal):
    session = db_session()
    session.commit()
    return jsonify(proposals.as_json(session, proposal, utcnow()))


@api.get("/communities/<slug>/proposals")
def list_proposals(slug: str):
    _, community = require_community(slug)
    status = request.args.get("status")
    if status is not None and status not in proposals.STATUSES:
        raise Malformed("invalid_filter", "error.status_filter",
                        choices=", ".join(proposals.STATUSES))
    overdue = request.args.get("overdue")
    if overdue not in (None, "true", "false"):
        raise Malformed("invalid_filter", "error.overdue_filter")
    session = db_session()
    query = select(Proposal).where(Proposal.community_id == community.id)
    if status is not None:
        query = query.where(Proposal.status == status)
    now = utcnow()
    rows = session.scalars(query.order_by(Proposal.created_at.desc(), Proposal.id.desc())).all()
    if overdue is not None:
        rows = [p for p in rows if proposals.overdue(p, now) == (overdue == "true")]
    items = [proposals.as_json(session, p, now) for p in rows]
    return jsonify({"count": len(items), "items": items})


@api.get("/proposals/<int:proposal_id>")
def get_proposal(proposal_id: int):
    _, proposal = _proposal(proposal_id)
    return jsonify(proposals.as_json(db_session(), proposal, utcnow()))


@api.post("/proposals/<int:proposal_id>/screen")
def screen_proposal(proposal_id: int):
    principal, proposal = _proposal(proposal_id)
    data = json_body()
    proposals.screen(db_session(), proposal, data.get("decision"), data.get("reason"),
                     principal.actor, utcnow())
    return _answer(proposal)


@api.post("/proposals/<int:proposal_id>/answer")
def answer_proposal(proposal_id: int):
    principal, proposal = _proposal(proposal_id)
    data = json_body()
    proposals.answer(db_session(), proposal, data.get("outcome"), data.get("text"),
                     data.get("due_date"), principal.actor, utcnow())
    return _answer(proposal)


@api.post("/proposals/<int:proposal_id>/progress")
def proposal_progress(proposal_id: int):
    principal, proposal = _proposal(proposal_id)
    data = json_body()
    proposals.progress(db_session(), proposal, data.get("stage"), data.get("text"),
                       principal.actor, utcnow())
    return _answer(proposal)


@api.post("/proposals/<int:proposal_id>/send-back")
def send_back_proposal(proposal_id: int):
    principal, proposal = _proposal(proposal_id)
    if not principal.is_city_admin:
        raise Forbidden("forbidden", "error.send_back_city_only")
    data = json_body()
    proposals.send_back(db_session(), proposal, data.get("reason"), data.get("due_date"),
                        principal.actor, utcnow())
    return _answer(proposal)


@api.get("/communities/<slug>/stats")
def community_stats(slug: str):
    _, community = require_community(slug)
    return jsonify(proposals.stats(db_session(), community, utcnow()))


@api.get("/alerts")
def deadline_alerts():
    """Answers due within 3 days or overdue: a manager's own community, or all for the city."""
    principal = current_principal()
    items = proposals.alerts(db_session(), principal.community_id, utcnow())
    return jsonify({"count": len(items), "items": items})
