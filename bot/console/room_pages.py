"""Console: rooms (BAND bands and Telegram groups) and notices — a route per action."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from adapters.band import band_choices
from bot import ballots, notices, rooms
from bot.app import db_session, settings, without_transaction
from bot.audit import record
from bot.console import actor, community_or_403, console
from bot.console.common import attempt, local, said
from bot.errors import DomainError
from bot.models import Community, Room, utcnow

NOTICE_MAX = 2000


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


@console.get("/c/<slug>/rooms")
def room_page(slug: str):
    return _page(community_or_403(slug))


@console.post("/c/<slug>/rooms/code")
def room_code(slug: str):
    """A one-time code to type in a Telegram group (`/link CODE`)."""
    c = community_or_403(slug)
    db = db_session()
    code, expires = rooms.issue_code(db, c, settings()["IDENTITY_PEPPER"], actor(), utcnow())
    db.commit()
    return _page(c, code=code, expires=local(c, expires))


@console.post("/c/<slug>/rooms/band")
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


@console.post("/c/<slug>/rooms/notice")
def room_notice(slug: str):
    c = community_or_403(slug)
    db = db_session()
    text = request.form.get("text", "").strip()
    send_at = ballots.parse_time(request.form.get("send_at", ""), ZoneInfo(c.timezone))
    if not text or len(text) > NOTICE_MAX:
        flash(said("notice.length", limit=f"{NOTICE_MAX:,}"), "error")
    else:
        queued = notices.manager_notice(db, c.id, f"notice:{uuid.uuid4().hex}", text, send_at)
        if queued:
            record(db, actor(), "notice.queued", community_id=c.id, rooms=queued)
            db.commit()
            flash(said("notice.queued", rooms=queued), "ok")
        else:
            flash(said("notice.no_rooms"), "error")
    return redirect(url_for("console.room_page", slug=c.slug))
