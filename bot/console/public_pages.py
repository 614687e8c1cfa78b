"""The public pages, no sign-in: published results and proposals (공표), the privacy policy."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from sqlalchemy import select

from bot import ballots, proposals
from bot.app import db_session, settings
from bot.catalogue import labels
from bot.console.common import Pages
from bot.models.ballot import Ballot
from bot.models.proposal import Proposal
from bot.queries import community_by_slug

pages = Pages()


@pages.get("/privacy")
def privacy_policy():
    """개인정보 처리방침 (PIPA art. 30), from the PRIVACY_* and RETAIN_* settings; `?c=slug` adds
    that community's centre."""
    values = settings()
    c = community_by_slug(db_session(), request.args.get("c", ""))
    return render_template("privacy.html", c=c, s=values.values,
                           controller=values["PRIVACY_CONTROLLER"],
                           officer=values["PRIVACY_OFFICER"], contact=values["PRIVACY_CONTACT"])


@pages.get("/public/<slug>")
def public_page(slug: str):
    """Published results and proposal progress (공표), no sign-in, no personal data."""
    db = db_session()
    c = community_by_slug(db, slug)
    if c is None:
        abort(404)
    published = db.scalars(select(Ballot).where(Ballot.community_id == c.id,
                                                Ballot.published_at.is_not(None))
                           .order_by(Ballot.published_at.desc())).all()
    shown = db.scalars(select(Proposal).where(
        Proposal.community_id == c.id, Proposal.status.in_(proposals.PUBLIC))
        .order_by(Proposal.published_at.desc())).all()
    return render_template("public.html", c=c,
                           results=[(b, ballots.results(db, b)) for b in published],
                           proposals=[(p, proposals.counts(db, p.id)[0]) for p in shown],
                           labels=labels("proposal.status", proposals.STATUSES),
                           today=date.today())
