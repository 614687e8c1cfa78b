"""A local channel for trying Maeul without a messenger: `/simulator` in the browser.

Enabled in demo, development and test only. Goes through the same dispatcher as Kakao.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from adapters.base import SendResult
from bot.catalogue import t
from bot.config import Settings
from bot.conversation import Inbound, Reply
from bot.presenters import error_response

CHANNEL = "simulator"
PRIVATE = True
# The page, its style and script (Korean text for people, not code).
FILES = Path(__file__).parent / "simulator_files"


def render(reply: Reply) -> dict:
    return {
        "text": reply.render_text(),
        "options": [{"digit": d, "label": label} for d, label in reply.numbered],
    }


def make_blueprint(settings: Settings) -> Blueprint | None:
    if not settings["SIMULATOR_ENABLED"]:
        return None
    from adapters.inbox import handle
    from bot.app import db_session
    from bot.models import Community

    bp = Blueprint("simulator", __name__)
    page_html, css, script_js = (
        (FILES / name).read_text(encoding="utf-8") for name in ("page.html", "app.css", "app.js"))

    @bp.get("/simulator")
    def page() -> Response:
        return Response(page_html, mimetype="text/html")

    @bp.get("/simulator/app.css")
    def stylesheet() -> Response:
        return Response(css, mimetype="text/css")

    @bp.get("/simulator/app.js")
    def script() -> Response:
        return Response(script_js, mimetype="text/javascript")

    @bp.get("/simulator/communities")
    def communities() -> Response:
        rows = db_session().scalars(select(Community).order_by(Community.name)).all()
        items = [{"slug": c.slug, "name": c.name} for c in rows]
        return jsonify({"count": len(items), "items": items})

    @bp.post("/simulator/messages")
    def message():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return error_response(400, "invalid_json", t("error.json_object"))
        user, text = data.get("user"), data.get("text")
        community = data.get("community")
        if not isinstance(user, str) or not user.strip() or len(user) > 100:
            return error_response(400, "invalid_payload", "user must be a non-empty string")
        if not isinstance(text, str):
            return error_response(400, "invalid_payload", "text must be a string")
        if community is not None and not isinstance(community, str):
            return error_response(400, "invalid_payload", "community must be a string")
        inbound = Inbound(channel=CHANNEL, account_key=user.strip(), text=text,
                          community_slug=community)
        return jsonify(render(handle(inbound)))

    return bp


class SimulatorSender:
    """The simulator has no push: a notice to a simulator user is recorded as delivered here."""

    channel = CHANNEL
    batch_size = 100
    rate_per_second = 10_000.0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, messages):  # noqa: ANN001, ANN201
        return [SendResult(True) for _ in messages]


SENDER = SimulatorSender  # listed in adapters/channels.py
