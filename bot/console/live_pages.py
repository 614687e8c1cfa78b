"""Console: the meeting's on-site session (현장투표). The manager opens it from the ballot's page;
the projector page shows the password that changes every minute, the QR code, live turnout and,
once counted, the results; it updates itself (bot/static/live.js polls `now.json`). Below the
screen, folded away, the manager asks quick questions, closes them and ends the session.

The QR code is a public image (`/live/<id>/qr/<password>.svg`): only the password on the screen
now draws it."""

from __future__ import annotations

from flask import Response, abort, jsonify, redirect, render_template, request, url_for

from bot import ballots, live, sealing
from bot.app import db_session, settings
from bot.commands import read
from bot.commands.ballots import AskQuestion
from bot.console.common import Pages, attempt, owned, said
from bot.console.guard import actor
from bot.live_view import live_json
from bot.models import utcnow
from bot.models.ballot import Ballot, LiveSession

pages = Pages()
public = Pages()


def _live(live_id: int) -> LiveSession:
    return owned(LiveSession, live_id)


@pages.post("/ballots/<int:ballot_id>/live")
def live_start(ballot_id: int):
    ballot = owned(Ballot, ballot_id)
    started: list[LiveSession] = []
    ok = attempt(lambda: started.append(live.start(db_session(), ballot, actor(), utcnow())[0]),
                 said("live.started"))
    if not ok:
        return redirect(url_for("console.ballot", ballot_id=ballot.id))
    return redirect(url_for("console.live_page", live_id=started[0].id))


@pages.get("/live/<int:live_id>")
def live_page(live_id: int):
    row = _live(live_id)
    state = live_json(db_session(), settings(), row, utcnow())
    return render_template("live.html", live=row, state=state, c=row.ballot.community)


@pages.get("/live/<int:live_id>/now.json")
def live_now(live_id: int):
    """What the projector page polls: the password now, turnout, questions, counted results."""
    return jsonify(live_json(db_session(), settings(), _live(live_id), utcnow()))


def _question_form() -> dict:
    form = request.form
    body: dict = {"title": form.get("title", ""), "kind": form.get("kind", "yes_no")}
    if body["kind"] != "yes_no":
        body["options"] = [o.strip() for o in form.get("options", "").splitlines() if o.strip()]
    try:
        body["minutes"] = int(form.get("minutes", "5"))
    except ValueError:
        body["minutes"] = 0
    return body


@pages.post("/live/<int:live_id>/questions")
def live_question(live_id: int):
    row = _live(live_id)
    session = db_session()

    def ask() -> None:
        command = read(AskQuestion, _question_form(), "invalid_question")
        live.ask(session, sealing.keyring(settings()), row, command, actor(), utcnow())

    attempt(ask, said("live.asked"))
    return redirect(url_for("console.live_page", live_id=row.id))


@pages.post("/live/<int:live_id>/questions/<int:ballot_id>/close")
def live_question_close(live_id: int, ballot_id: int):
    """End a quick question now; without trustees it is counted at once."""
    row = _live(live_id)
    question = owned(Ballot, ballot_id)
    if question not in live.questions(db_session(), row):
        abort(404)
    attempt(lambda: ballots.close(db_session(), sealing.keyring(settings()), question, actor(),
                                  utcnow()), said("live.question_closed"))
    return redirect(url_for("console.live_page", live_id=row.id))


@pages.post("/live/<int:live_id>/close")
def live_close(live_id: int):
    row = _live(live_id)
    attempt(lambda: live.close(db_session(), row, actor(), utcnow()), said("live.closed"))
    return redirect(url_for("console.live_page", live_id=row.id))


@public.get("/live/<int:live_id>/qr/<code>.svg")
def live_qr(live_id: int, code: str):
    """The QR code of the chat link for the password shown now (404 for any other)."""
    row = db_session().get(LiveSession, live_id)
    if row is None or not code.isdigit():
        abort(404)
    if not live.accepts(row, code, utcnow()):
        abort(404)
    urls = live.join_urls(settings(), code)
    channel = request.args.get("channel", "")
    url = urls.get(channel) or urls.get("telegram") or urls.get("kakao")
    if url is None:
        abort(404)
    return Response(live.qr_svg(url), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=60"})
