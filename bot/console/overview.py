"""Console: the city's overview and a community's front page."""

from __future__ import annotations

from flask import abort, g, render_template
from sqlalchemy import func, select

from bot import agenda, ballots, enrolment, proposal_reports, proposals
from bot.app import db_session
from bot.catalogue import labels, t
from bot.console.common import Pages, local
from bot.console.guard import community_or_403
from bot.models import Community, Outbox, utcnow
from bot.models.ballot import Ballot
from bot.models.proposal import Proposal

pages = Pages()

IDENTITY_ALERTS = ("enrol.second_account", "enrol.attempt_on_bound", "enrol.person_paused",
                   "enrol.community_paused")


@pages.get("/city")
def city():
    if g.manager.community_id is not None:
        abort(403)
    db = db_session()
    now = utcnow()
    rows = []
    for community in db.scalars(select(Community).order_by(Community.name)):
        live = ballots.open_ballots(db, community.id, now)
        pending = db.scalar(select(func.count()).where(Proposal.community_id == community.id,
                                                       Proposal.status == proposals.PENDING))
        rows.append({"community": community, "pending": pending,
                     "ballots": [(b, ballots.turnout(db, b)) for b in live]})
    alerts = proposal_reports.alerts(db, None, now) + agenda.alerts(db, None, now)
    failed = db.scalar(select(func.count()).where(Outbox.status == "failed"))
    return render_template("city.html", rows=rows, alerts=alerts, failed=failed)


@pages.get("/c/<slug>")
def community(slug: str):
    c = community_or_403(slug)
    db = db_session()
    now = utcnow()
    ballot_rows = db.scalars(select(Ballot).where(Ballot.community_id == c.id)
                             .order_by(Ballot.opens_at.desc())).all()
    waiting = db.scalars(select(Proposal).where(Proposal.community_id == c.id,
                                                Proposal.status == proposals.PENDING)).all()
    return render_template("community.html", c=c, ballots=ballot_rows, waiting=waiting,
                           status=lambda b: t(f"console.ballot.state.{ballots.status(b, now)}"),
                           alerts=proposal_reports.alerts(db, c.id, now),
                           agenda_alerts=agenda.alerts(db, c.id, now),
                           local=lambda m: local(c, m),
                           identity=enrolment.identity_alerts(db, c.id, now),
                           identity_labels=labels("console.alert", IDENTITY_ALERTS))
