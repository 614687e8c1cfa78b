"""On-site voting at the meeting (REST): open a ballot's live session, read its current password,
ask quick questions, end it. The QR code itself is a public image at `qr_svg_url` (the password
in its address is what the screen shows anyway)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from bot import live, sealing
from bot.api import schemas
from bot.api.auth import json_body, owned
from bot.api.ballots import ballot_json
from bot.api.openapi import documented
from bot.app import db_session, settings
from bot.commands import read
from bot.commands.ballots import AskQuestion
from bot.live_view import live_json
from bot.models import utcnow
from bot.models.ballot import Ballot, LiveSession

routes = Blueprint("live", __name__)


@routes.post("/ballots/<int:ballot_id>/live")
@documented("Open the on-site session of an open ballot (password, QR code)", "live",
            answer=schemas.Live)
def start_live(ballot_id: int):
    """Open the ballot's on-site session; an open one is given again (200)."""
    principal, ballot = owned(Ballot, ballot_id, "ballot_not_found")
    session = db_session()
    now = utcnow()
    session_row, created = live.start(session, ballot, principal.actor, now)
    session.commit()
    return jsonify(live_json(session, settings(), session_row, now)), 201 if created else 200


@routes.get("/live/<int:live_id>")
@documented("The on-site session now: its password, turnout and questions", "live",
            answer=schemas.Live)
def get_live(live_id: int):
    _, row = owned(LiveSession, live_id, "live_not_found")
    return jsonify(live_json(db_session(), settings(), row, utcnow()))


@routes.post("/live/<int:live_id>/close")
@documented("End the on-site session", "live", status=200, answer=schemas.Live)
def close_live(live_id: int):
    principal, row = owned(LiveSession, live_id, "live_not_found")
    session = db_session()
    now = utcnow()
    live.close(session, row, principal.actor, now)
    session.commit()
    return jsonify(live_json(session, settings(), row, now))


@routes.post("/live/<int:live_id>/questions")
@documented("Ask a quick question at the meeting (present residents only)", "live",
            body=AskQuestion, answer=schemas.Ballot)
def ask_question(live_id: int):
    """A one-item secret ballot, open at once for `minutes`, that only residents who sent the
    session's password may answer."""
    principal, row = owned(LiveSession, live_id, "live_not_found")
    command = read(AskQuestion, json_body(), "invalid_question")
    session = db_session()
    now = utcnow()
    ballot = live.ask(session, sealing.keyring(settings()), row, command, principal.actor, now)
    session.commit()
    return jsonify(ballot_json(ballot, now)), 201
