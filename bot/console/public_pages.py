"""The public pages, no sign-in: published results and proposals (공표), the privacy policy."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from sqlalchemy import select

from bot import agenda, ballots, proposals
from bot.app import db_session, settings
from bot.catalogue import labels, t
from bot.console.common import Pages, local
from bot.models import utcnow
from bot.models.ballot import Ballot, BallotItem
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
    now = utcnow()
    cycle = []
    for b in published:
        result = ballots.results(db, b)
        cycle.append((b, result, four_steps(db, b, result, now)))
    open_now = [b for b in db.scalars(select(Ballot).where(
        Ballot.community_id == c.id, Ballot.present_only.is_(False)).order_by(Ballot.opens_at))
        if ballots.status(b, now) == ballots.OPEN]
    return render_template("public.html", c=c, cycle=cycle, open_now=open_now,
                           day=lambda m: local(c, m)[:10] if m else "",
                           proposals=[(p, proposals.counts(db, p.id)[0]) for p in shown],
                           voted_on=set(db.scalars(select(BallotItem.proposal_id).join(Ballot).where(
                               Ballot.community_id == c.id,
                               BallotItem.proposal_id.is_not(None)))),
                           labels=labels("proposal.status", proposals.STATUSES),
                           today=date.today())


def _decision(outcome: dict) -> str:
    """Step 3 in words: 가결 / 부결, the funded projects, or the options that came first."""
    if outcome["passed"] is not None:
        return t("public.passed" if outcome["passed"] else "public.rejected")
    if "funded_total" in outcome:
        return t("public.funded", count=sum(1 for o in outcome["options"] if o["funded"]))
    return ", ".join(agenda.first_options(outcome)) or "-"


def four_steps(session, ballot: Ballot, result: dict, now) -> dict[int, dict]:  # noqa: ANN001
    """Per item number: the proposal it came from (step 1), its material (step 2), the decision
    (step 3) and what was adopted with each trail (step 4)."""
    adopted: dict[int, list[dict]] = {}
    for line in agenda.timelines(session, ballot, now):
        adopted.setdefault(line["target"].item.number, []).append(line)
    return {item.number: {
        "proposal": session.get(Proposal, item.proposal_id) if item.proposal_id else None,
        "materials": agenda.materials_of(ballot, None) + agenda.materials_of(ballot, item.number),
        "decision": _decision(outcome),
        "adopted": adopted.get(item.number, [])}
        for item, outcome in zip(ballot.items, result["items"], strict=True)}
