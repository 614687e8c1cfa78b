"""Console: proposals — the list, one proposal with its history, and each action (a route each):
screen, answer, progress, send back."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, g, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import proposal_reports, proposals
from bot.app import db_session
from bot.catalogue import labels
from bot.commands import Command, read_in
from bot.commands.proposals import (
    AnswerProposal,
    ProgressProposal,
    ScreenProposal,
    SendBackProposal,
)
from bot.console.common import Pages, attempt, local, owned, said
from bot.console.guard import actor, community_or_403
from bot.models import utcnow
from bot.models.proposal import Proposal

pages = Pages()


@pages.get("/c/<slug>/proposals")
def proposal_list(slug: str):
    c = community_or_403(slug)
    rows = db_session().scalars(select(Proposal).where(Proposal.community_id == c.id)
                                .order_by(Proposal.created_at.desc())).all()
    now = utcnow()
    return render_template("proposals.html", c=c, rows=rows,
                           labels=labels("proposal.status", proposals.STATUSES),
                           overdue=lambda p: proposals.overdue(p, now))

C = TypeVar("C", bound=Command)


def _proposal(proposal_id: int) -> Proposal:
    return owned(Proposal, proposal_id)


@pages.get("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    p = _proposal(proposal_id)
    data = proposal_reports.as_json(db_session(), p, utcnow())
    return render_template("proposal.html", p=p, c=p.community, data=data,
                           local=lambda m: local(p.community, m))


def _read(model: type[C], p: Proposal, **fields: str | None) -> C:
    """A command from the form's fields; a field left empty counts as not given."""
    given = {name: value for name, value in fields.items() if value not in (None, "")}
    return read_in(model, given, "invalid_input", p.community, utcnow())


def _back(p: Proposal):
    return redirect(url_for("console.proposal", proposal_id=p.id))


@pages.post("/proposals/<int:proposal_id>/screen")
def proposal_screen(proposal_id: int):
    p, form = _proposal(proposal_id), request.form
    attempt(lambda: proposals.screen(db_session(), p, _read(
        ScreenProposal, p, decision=form.get("decision"), reason=form.get("reason")), actor(),
        utcnow()), said("proposal.screened"))
    return _back(p)


@pages.post("/proposals/<int:proposal_id>/answer")
def proposal_answer(proposal_id: int):
    p, form = _proposal(proposal_id), request.form
    attempt(lambda: proposals.answer(db_session(), p, _read(
        AnswerProposal, p, outcome=form.get("outcome"), text=form.get("text"),
        due_date=form.get("due_date")), actor(), utcnow()), said("proposal.answered"))
    return _back(p)


@pages.post("/proposals/<int:proposal_id>/progress")
def proposal_progress(proposal_id: int):
    p, form = _proposal(proposal_id), request.form
    attempt(lambda: proposals.progress(db_session(), p, _read(
        ProgressProposal, p, stage=form.get("stage"), text=form.get("text")), actor(),
        utcnow()), said("proposal.progress"))
    return _back(p)


@pages.post("/proposals/<int:proposal_id>/send-back")
def proposal_send_back(proposal_id: int):
    p, form = _proposal(proposal_id), request.form
    if g.manager.community_id is not None:
        abort(403)
    attempt(lambda: proposals.send_back(db_session(), p, _read(
        SendBackProposal, p, reason=form.get("reason"), due_date=form.get("due_date")),
        actor(), utcnow()), said("proposal.sent_back"))
    return _back(p)
