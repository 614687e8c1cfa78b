"""Proposals (REST): list and filter, read with history, screen, answer, progress, send back,
and the community's statistics."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from bot import agenda, proposal_reports, proposals
from bot.api import schemas
from bot.api.auth import current_principal, json_body, owned, require_community
from bot.api.openapi import Param, documented
from bot.app import db_session
from bot.commands import Command, read_in
from bot.commands.proposals import (
    AnswerProposal,
    ProgressProposal,
    ScreenProposal,
    SendBackProposal,
)
from bot.errors import Forbidden, Malformed
from bot.models import utcnow
from bot.models.proposal import Proposal

routes = Blueprint("proposals", __name__)


def _proposal(proposal_id: int):
    return owned(Proposal, proposal_id, "proposal_not_found")


def _answer(proposal: Proposal):
    session = db_session()
    session.commit()
    return jsonify(proposal_reports.as_json(session, proposal, utcnow()))


@routes.get("/communities/<slug>/proposals")
@documented("List a community's proposals", "proposals", answer=schemas.listing(schemas.Proposal),
            query=(Param("status", {"enum": list(proposals.STATUSES)}),
                   Param("overdue", {"enum": ["true", "false"]})))
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
    items = proposal_reports.as_json_many(session, rows, now)
    return jsonify({"count": len(items), "items": items})


@routes.get("/proposals/<int:proposal_id>")
@documented("Read a proposal with its history", "proposals", answer=schemas.Proposal)
def get_proposal(proposal_id: int):
    _, proposal = _proposal(proposal_id)
    return jsonify(proposal_reports.as_json(db_session(), proposal, utcnow()))


def _manage(proposal_id: int, model: type[Command], service,  # noqa: ANN001, ANN202
            city_only: bool = False):
    """Read the body as `model`, run `service(session, proposal, command, actor, now)`, commit,
    answer with the proposal."""
    principal, proposal = _proposal(proposal_id)
    if city_only and not principal.is_city_admin:
        raise Forbidden("forbidden", "error.send_back_city_only")
    now = utcnow()
    command = read_in(model, json_body(), "invalid_input", proposal.community, now)
    service(db_session(), proposal, command, principal.actor, now)
    return _answer(proposal)


@routes.post("/proposals/<int:proposal_id>/screen")
@documented("Screen a proposal", "proposals", body=ScreenProposal, status=200,
            answer=schemas.Proposal)
def screen_proposal(proposal_id: int):
    return _manage(proposal_id, ScreenProposal, proposals.screen)


@routes.post("/proposals/<int:proposal_id>/answer")
@documented("Answer a proposal", "proposals", body=AnswerProposal, status=200,
            answer=schemas.Proposal)
def answer_proposal(proposal_id: int):
    return _manage(proposal_id, AnswerProposal, proposals.answer)


@routes.post("/proposals/<int:proposal_id>/progress")
@documented("Report progress on an accepted proposal", "proposals", body=ProgressProposal,
            status=200, answer=schemas.Proposal)
def proposal_progress(proposal_id: int):
    return _manage(proposal_id, ProgressProposal, proposals.progress)


@routes.post("/proposals/<int:proposal_id>/send-back")
@documented("Send an answer back to be rewritten", "proposals", body=SendBackProposal,
            status=200, answer=schemas.Proposal, admin_only=True)
def send_back_proposal(proposal_id: int):
    return _manage(proposal_id, SendBackProposal, proposals.send_back, city_only=True)


@routes.get("/communities/<slug>/stats")
@documented("A community's proposal statistics", "proposals", answer={"type": "object"})
def community_stats(slug: str):
    _, community = require_community(slug)
    return jsonify(proposal_reports.stats(db_session(), community, utcnow()))


@routes.get("/alerts")
@documented("Answers and follow-through due within 3 days or overdue", "proposals",
            answer=schemas.listing(schemas.Alert))
def deadline_alerts():
    """Answers to proposals and follow-through of adopted items due within 3 days or overdue:
    a manager's own community, or all for the city."""
    principal = current_principal()
    now = utcnow()
    items = (proposal_reports.alerts(db_session(), principal.community_id, now)
             + agenda.alerts(db_session(), principal.community_id, now))
    return jsonify({"count": len(items), "items": items})
