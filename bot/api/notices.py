"""Manager notices (REST): a text to a community's rooms now or at a time; the city admin may
send one to every community (전체 공지)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import jsonify
from sqlalchemy import select

from bot import notices
from bot.api import api
from bot.api.auth import json_body, require_city_admin, require_community
from bot.app import db_session, settings
from bot.audit import record
from bot.ballots import parse_time
from bot.errors import Conflict, Invalid, Problem
from bot.models import Community, Room, utcnow

TEXT_MAX = 2000


def _read(data: dict, zone: ZoneInfo) -> tuple[str, datetime | None]:
    problems = []
    text = data.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
        problems.append(Problem("text", "error.notice.text", {"limit": TEXT_MAX}))
    send_at = None
    if data.get("send_at") is not None:
        send_at = parse_time(data["send_at"], zone)
        if send_at is None:
            problems.append(Problem("send_at", "error.field.time"))
        elif send_at < utcnow() - timedelta(minutes=5):
            problems.append(Problem("send_at", "error.notice.past"))
    if problems:
        raise Invalid("invalid_notice", problems)
    return text.strip(), send_at


def _no_rooms() -> Conflict:
    return Conflict("no_rooms")


@api.post("/communities/<slug>/notices")
def community_notice(slug: str):
    principal, community = require_community(slug)
    text, send_at = _read(json_body(), ZoneInfo(community.timezone))
    session = db_session()
    key = f"notice:{uuid.uuid4().hex}"
    queued = notices.manager_notice(session, community.id, key, text, send_at)
    if not queued:
        raise _no_rooms()
    record(session, principal.actor, "notice.queued", community_id=community.id, subject=key,
           rooms=queued)
    session.commit()
    return jsonify({"key": key, "rooms": queued,
                    "send_at": send_at.isoformat() if send_at else None}), 201


@api.post("/notices")
def city_notice():
    principal = require_city_admin()
    session = db_session()
    zone = settings().tz
    text, send_at = _read(json_body(), zone)
    key = f"notice:{uuid.uuid4().hex}"
    with_rooms = session.scalars(select(Community).where(
        Community.id.in_(select(Room.community_id)))).all()
    queued = sum(notices.manager_notice(session, c.id, key, text, send_at) for c in with_rooms)
    if not queued:
        raise _no_rooms()
    record(session, principal.actor, "notice.queued_citywide", subject=key, rooms=queued)
    session.commit()
    return jsonify({"key": key, "rooms": queued, "communities": len(with_rooms),
                    "send_at": send_at.isoformat() if send_at else None}), 201
