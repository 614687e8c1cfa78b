"""Console: rooms (BAND bands and Telegram groups) and notices — a route per action."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from adapters.band import band_choices
from bot import notices, rooms
from bot.app import db_session, settings, without_transaction
from bot.commands import read_in
from bot.commands.rooms import QueueNotice
from bot.console.common import Pages, attempt, local, said
from bot.console.guard import actor, community_or_403
from bot.errors import DomainError
from bot.models import Community, Room, utcnow

pages = Pages()


def _bands() -> tuple[list[dict], str | None]:
    without_transaction()  # BAND may take HTTP_TIMEOUT_SECONDS to answer
    try:
        return band_choices(settings()), None
    except DomainError as refusal:
        return [], refusal.message()


def _page(c: Community, **extra: object) -> str:
    rows = db_session().scalars(select(Room).where(Room.community_id == c.id)).all()
    bands, band_error = _bands()
    return render_template("rooms.html", c=c, rows=rows, bands=bands, band_error=band_error,
                           **{"code": None, **extra})


@pages.get("/c/<slug>/rooms")
def room_page(slug: str):
    return _page(community_or_403(slug))


@pages.post("/c/<slug>/rooms/code")
def room_code(slug: str):
    """A one-time code to type in a Telegram group (`/link CODE`)."""
    c = community_or_403(slug)
    db = db_session()
    code, expires = rooms.issue_code(db, c, settings()["IDENTITY_PEPPER"], actor(), utcnow())
    db.commit()
    return _page(c, code=code, expires=local(c, expires))


@pages.post("/c/<slug>/rooms/band")
def room_band(slug: str):
    c = community_or_403(slug)
    key = request.form.get("band_key", "")
    bands, problem = _bands()
    chosen = next((b for b in bands if b["band_key"] == key), None)
    if chosen is None:
        flash(problem or said("room.not_usable"), "error")
    else:
        attempt(lambda: rooms.add(db_session(), c.id, "band", key, chosen.get("name") or "",
                                  actor()), said("room.linked", name=chosen.get("name")))
    return redirect(url_for("console.room_page", slug=c.slug))


@pages.post("/c/<slug>/rooms/notice")
def room_notice(slug: str):
    c = community_or_403(slug)
    form = {name: request.form.get(name, "").strip() for name in ("text", "send_at")}
    sent = {}

    def queue() -> None:
        now = utcnow()
        command = read_in(QueueNotice, {k: v for k, v in form.items() if v}, "invalid_notice",
                          c, now)
        sent["rooms"] = notices.queue_notice(db_session(), c, command, actor())[1]

    attempt(queue, lambda: said("notice.queued", rooms=sent["rooms"]))
    return redirect(url_for("console.room_page", slug=c.slug))
