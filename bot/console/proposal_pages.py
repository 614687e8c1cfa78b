"""Console: proposals — the list, one proposal with its history, and each action (a route each):
screen, answer, progress, send back."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, g, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import comments, proposal_reports, proposals
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
    rows = comments.listing(db_session(), comments.Where(p.community_id, proposal=p))
    return render_template("proposal.html", p=p, c=p.community, data=data, thread=rows,
                           local=lambda m: local(p.community, m), author=comments.shown_author)


def _read(model: type[C], p: Proposal, **fields: str | None) -> C:
    """A command from the form's fields; a field left empty counts as not given."""
    given = {name: value for name, value in fields.items() if value not in (None, "")}
    return read_in(model, given, "invalid_input", p.community, utcnow())


def _back(p: Proposal):
    return redirect(url_for("console.proposal", proposal_id=p.id))


def _manage(proposal_id: int, model: type[Command], service, done: str,  # noqa: ANN001, ANN202
            *names: str):
    """The form's fields `names` read as `model`, `service(session, proposal, command, actor,
    now)` run inside `attempt` (the refusal flashed), back to the proposal."""
    p, form = _proposal(proposal_id), request.form
    attempt(lambda: service(db_session(), p, _read(model, p, **{n: form.get(n) for n in names}),
                            actor(), utcnow()), said(done))
    return _back(p)


@pages.post("/proposals/<int:proposal_id>/screen")
def proposal_screen(proposal_id: int):
    return _manage(proposal_id, ScreenProposal, proposals.screen, "proposal.screened",
                   "decision", "reason")


@pages.post("/proposals/<int:proposal_id>/answer")
def proposal_answer(proposal_id: int):
    return _manage(proposal_id, AnswerProposal, proposals.answer, "proposal.answered",
                   "outcome", "text", "due_date")


@pages.post("/proposals/<int:proposal_id>/progress")
def proposal_progress(proposal_id: int):
    return _manage(proposal_id, ProgressProposal, proposals.progress, "proposal.progress",
                   "stage", "text")


@pages.post("/proposals/<int:proposal_id>/send-back")
def proposal_send_back(proposal_id: int):
    if g.manager.community_id is not None:
        abort(403)
    return _manage(proposal_id, SendBackProposal, proposals.send_back, "proposal.sent_back",
                   "reason", "due_date")
