"""Ballots (REST): create, read, update, cancel, close, trustees' secrets, count, publish, on-site
desk and counts, turnout, results and the CSV export. Results stay hidden (409) until the ballot is
counted and the manager publishes them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from bot import agenda, ballots, sealing
from bot.api import schemas
from bot.api.auth import json_body, owned, require_community
from bot.api.openapi import Param, documented
from bot.app import db_session, settings
from bot.catalogue import t
from bot.commands import read
from bot.commands.ballots import (
    CancelBallot,
    CountBallot,
    CreateBallot,
    MarkOnsite,
    PublishBallot,
    SetOnsiteCounts,
    SetTrusteeSecret,
    UpdateBallot,
    read_ballot,
)
from bot.errors import Conflict, Malformed
from bot.models import utcnow
from bot.models.ballot import Ballot
from bot.text import SafeCSVWriter

routes = Blueprint("ballots", __name__)


def ballot_json(ballot: Ballot, now) -> dict[str, Any]:  # noqa: ANN001
    return {
        "id": ballot.id, "community": ballot.community.slug, "title": ballot.title,
        "overview": ballot.overview, "opens_at": ballot.opens_at.isoformat(),
        "closes_at": ballot.closes_at.isoformat(),
        "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        "status": ballots.status(ballot, now), "secret": ballot.secret, "quorum": ballot.quorum,
        "onsite": ballot.onsite, "present_only": ballot.present_only,
        "reminders": ballot.reminders,
        "due": [{"kind": kind, "at": at.isoformat()} for kind, at in ballots.due_times(ballot)],
        "cancelled_at": ballot.cancelled_at.isoformat() if ballot.cancelled_at else None,
        "cancel_reason": ballot.cancel_reason or None,
        "onsite_counted_at": (ballot.onsite_counted_at.isoformat()
                              if ballot.onsite_counted_at else None),
        "published_at": ballot.published_at.isoformat() if ballot.published_at else None,
        "counted_at": ballot.counted_at.isoformat() if ballot.counted_at else None,
        "ready": ballots.ready(ballot),
        "trustees": [{"number": t.number, "name": t.name, "ready": t.public_key is not None}
                     for t in ballot.trustees],
        "created_at": ballot.created_at.isoformat(),
        "materials": [agenda.material_json(m) for m in agenda.materials_of(ballot, None)],
        "items": [item_json(i, agenda.local_today(ballot, now)) for i in ballot.items],
    }


def item_json(item, today: date) -> dict[str, Any]:  # noqa: ANN001
    """An item; with its source proposal, its material and the follow-through of what it adopted
    (`progress`, oldest first; `overdue` when a due date passed without a result)."""
    body = {"number": item.number, "title": item.title, "summary": item.summary,
            "kind": item.kind, "options": item.options, "max_choices": item.max_choices,
            "allow_abstain": item.allow_abstain, "proposal": item.proposal_id,
            "materials": [agenda.material_json(m)
                          for m in agenda.materials_of(item.ballot, item.number)],
            "progress": [agenda.entry_json(e, item) for e in item.progress],
            "overdue": agenda.item_late(item, today)}
    if item.budget_plan is not None:  # a budget item: its projects and how they are picked
        plan = item.budget_plan
        body.update({
            "budget": plan["budget"], "min_choices": plan["min_choices"],
            "min_spend": plan["min_spend"], "group_max": plan["group_max"], "rule": plan["rule"],
            "projects": [{"label": label, "cost": cost, "group": group} for label, cost, group
                         in zip(item.options, plan["costs"], plan["groups"], strict=True)]})
    return body


def _keys() -> sealing.Keyring:
    return sealing.keyring(settings())


def _ballot(ballot_id: int):
    return owned(Ballot, ballot_id, "ballot_not_found")


@routes.post("/communities/<slug>/ballots")
@documented("Create a ballot (an assembly vote)", "ballots", body=CreateBallot,
            answer=schemas.Ballot)
def create_ballot(slug: str):
    principal, community = require_community(slug)
    session = db_session()
    now = utcnow()
    command = read_ballot(CreateBallot, json_body(), community, now)
    ballot = ballots.create(session, _keys(), community, command, principal.actor, now)
    session.commit()
    return jsonify(ballot_json(ballot, now)), 201


@routes.get("/communities/<slug>/ballots")
@documented("List a community's ballots", "ballots", answer=schemas.listing(schemas.Ballot),
            query=(Param("status", {"enum": list(ballots.STATES)}),))
def list_ballots(slug: str):
    _, community = require_community(slug)
    wanted = request.args.get("status")
    if wanted is not None and wanted not in ballots.STATES:
        raise Malformed("invalid_filter", "error.status_filter", choices=", ".join(ballots.STATES))
    now = utcnow()
    rows = db_session().scalars(select(Ballot).where(Ballot.community_id == community.id)
                                .order_by(Ballot.opens_at.desc(), Ballot.id.desc())).all()
    items = [ballot_json(b, now) for b in rows
             if wanted is None or ballots.status(b, now) == wanted]
    return jsonify({"count": len(items), "items": items})


@routes.get("/ballots/<int:ballot_id>")
@documented("Read a ballot", "ballots", answer=schemas.Ballot)
def get_ballot(ballot_id: int):
    _, ballot = _ballot(ballot_id)
    return jsonify(ballot_json(ballot, utcnow()))


@routes.patch("/ballots/<int:ballot_id>")
@documented("Change a ballot", "ballots", body=UpdateBallot, answer=schemas.Ballot)
def update_ballot(ballot_id: int):
    principal, ballot = _ballot(ballot_id)
    session = db_session()
    now = utcnow()
    command = read_ballot(UpdateBallot, json_body(), ballot.community, now)
    ballots.update(session, _keys(), ballot, command, principal.actor, now)
    session.commit()
    return jsonify(ballot_json(ballot, now))


@routes.post("/ballots/<int:ballot_id>/cancel")
@documented("Cancel a ballot", "ballots", body=CancelBallot, body_required=False, status=200,
            answer=schemas.Ballot)
def cancel_ballot(ballot_id: int):
    principal, ballot = _ballot(ballot_id)
    command = read(CancelBallot, json_body(optional=True), "invalid_reason")
    session = db_session()
    now = utcnow()
    ballots.cancel(session, ballot, command, principal.actor, now)
    session.commit()
    return jsonify(ballot_json(ballot, now))


def _act(ballot_id: int, action) -> Response:  # noqa: ANN001
    """Run `action(session, ballot, actor, now)`, commit, answer with the ballot."""
    principal, ballot = _ballot(ballot_id)
    session = db_session()
    now = utcnow()
    action(session, ballot, principal.actor, now)
    session.commit()
    return jsonify(ballot_json(ballot, now))


@routes.post("/ballots/<int:ballot_id>/close")
@documented("End voting now", "ballots", status=200, answer=schemas.Ballot)
def close_ballot(ballot_id: int):
    """End voting; a ballot without trustees is counted at once."""
    return _act(ballot_id, lambda session, ballot, actor, now: ballots.close(
        session, _keys(), ballot, actor, now))


@routes.put("/ballots/<int:ballot_id>/trustees/<int:number>")
@documented("Set a trustee's secret before voting opens", "ballots", body=SetTrusteeSecret,
            answer=schemas.Ballot)
def set_trustee_secret(ballot_id: int, number: int):
    """A trustee's own secret, before voting opens: only what it derives is stored."""
    command = read(SetTrusteeSecret, json_body(), "invalid_secret")
    return _act(ballot_id, lambda session, ballot, actor, now: ballots.set_trustee_secret(
        session, _keys(), ballot, number, command, actor, now))


@routes.post("/ballots/<int:ballot_id>/count")
@documented("Count: open the sealed box with every trustee's secret", "ballots", body=CountBallot,
            status=200, answer=schemas.Ballot)
def count_ballot(ballot_id: int):
    """Open the sealed box with every trustee's secret (`{"secrets": [...]}`, in their order)."""
    command = read(CountBallot, json_body(), "invalid_secrets")
    return _act(ballot_id, lambda session, ballot, actor, now: ballots.count(
        session, _keys(), ballot, command, actor, now))


@routes.post("/ballots/<int:ballot_id>/publish")
@documented("Publish the counted result", "ballots", body=PublishBallot, body_required=False,
            status=200, answer=schemas.Ballot)
def publish_ballot(ballot_id: int):
    """Publish the counted result; fewer than 5 participants of a secret ballot need
    `{"confirm_small": true}`."""
    command = read(PublishBallot, json_body(optional=True), "invalid_input")
    return _act(ballot_id, lambda session, ballot, actor, now: ballots.publish(
        session, _keys(), ballot, actor, now, confirm_small=command.confirm_small))


@routes.post("/ballots/<int:ballot_id>/onsite-marks")
@documented("Assembly desk: mark a resident as voting on paper", "ballots", body=MarkOnsite,
            answer=schemas.OnsiteMark)
def mark_onsite(ballot_id: int):
    """The assembly desk: find the resident by name and birth date and mark them as voting here."""
    principal, ballot = _ballot(ballot_id)
    command = read(MarkOnsite, json_body(), "invalid_lookup")
    session = db_session()
    resident = ballots.desk_lookup(session, ballot, settings()["IDENTITY_PEPPER"], command,
                                   utcnow())
    now = utcnow()
    participation = ballots.mark_onsite(session, ballot, resident, principal.actor, now)
    session.commit()
    return jsonify({"resident_id": resident.id, "masked_name": resident.masked_name,
                    "marked_at": participation.at.isoformat()}), 201


@routes.put("/ballots/<int:ballot_id>/onsite-counts")
@documented("Enter the paper counts", "ballots", body=SetOnsiteCounts, answer=schemas.OnsiteCounted)
def onsite_counts(ballot_id: int):
    principal, ballot = _ballot(ballot_id)
    command = read(SetOnsiteCounts, json_body(), "invalid_counts")
    session = db_session()
    ballots.set_onsite_counts(session, ballot, command, principal.actor, utcnow())
    session.commit()
    return jsonify({"ballot_id": ballot.id,
                    "onsite_counted_at": ballot.onsite_counted_at.isoformat()})


@routes.get("/ballots/<int:ballot_id>/turnout")
@documented("Turnout (never choices before publication)", "ballots", answer=schemas.Turnout)
def ballot_turnout(ballot_id: int):
    """Managers see turnout at any time; never the choices before publication."""
    _, ballot = _ballot(ballot_id)
    return jsonify(ballots.turnout(db_session(), ballot))


def _published(ballot_id: int) -> tuple[Ballot, dict[str, Any]]:
    _, ballot = _ballot(ballot_id)
    if ballot.published_at is None:
        state = ballots.status(ballot, utcnow())
        raise Conflict("results_not_published", extra={"status": state})
    return ballot, ballots.results(db_session(), ballot)


@routes.get("/ballots/<int:ballot_id>/results")
@documented("Published results", "ballots", answer=schemas.Results)
def ballot_results(ballot_id: int):
    return jsonify(_published(ballot_id)[1])


CSV_COLUMNS = ("item", "title", "kind", "option", "online", "onsite", "total", "rank", "passed",
               "cost", "funded")


def passed_word(passed: bool | None) -> str:
    """가결, 부결, or nothing for an item that does not pass or fail (choose one, up to k)."""
    return "" if passed is None else t(f"ballot.passed.{passed}".lower())


def _hidden(value: int | None) -> int | str:
    """A count kept apart from the total only for groups large enough (see results)."""
    return t("console.hidden") if value is None else value


@routes.get("/ballots/<int:ballot_id>/results.csv")
@documented("Published results as CSV", "ballots", answer={"type": "string"},
            answer_media="text/csv")
def ballot_results_csv(ballot_id: int):
    ballot, result = _published(ballot_id)
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    turnout = result["turnout"]
    writer.writerow([t("csv.ballot"), ballot.title])
    writer.writerow([t("csv.eligible"), turnout["eligible"], t("csv.participants"),
                     turnout["participants"], t("csv.online"), turnout["online"],
                     t("csv.onsite_app"), turnout["onsite_app"],
                     t("csv.onsite"), turnout["onsite"], t("csv.rate"),
                     f"{turnout['rate'] * 100:.2f}%"])
    writer.writerow([])
    writer.writerow([t(f"csv.{name}") for name in CSV_COLUMNS])
    for item in result["items"]:
        passed = passed_word(item["passed"])
        for option in item["options"]:
            funded = "" if "funded" not in option else t("csv.funded.yes") if option[
                "funded"] else ""
            writer.writerow([item["number"], item["title"], t(f"ballot.kind.{item['kind']}"),
                             option["label"], _hidden(option["online"]),
                             _hidden(option["onsite"]), option["total"], option["rank"] or "",
                             passed, option.get("cost", ""), funded])
        if item["abstentions"] is not None:
            writer.writerow([item["number"], item["title"], t(f"ballot.kind.{item['kind']}"),
                             t("ballot.abstain"), item["abstentions"], "", item["abstentions"],
                             "", passed])
    body = "\ufeff" + out.getvalue()
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=ballot-{ballot.id}-results.csv"})

