"""Manager notices (REST): a text to a community's rooms now or at a time; the city admin may
send one to every community (city-wide)."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify
from sqlalchemy import select

from bot import notices
from bot.api import schemas
from bot.api.auth import json_body, require_city_admin, require_community
from bot.api.openapi import documented
from bot.app import db_session, settings
from bot.audit import record
from bot.commands import read
from bot.commands.rooms import QueueNotice
from bot.errors import Conflict
from bot.models import Community, Room, utcnow

routes = Blueprint("notices", __name__)


def _read(zone: ZoneInfo) -> QueueNotice:
    return read(QueueNotice, json_body(), "invalid_notice", zone=zone, now=utcnow())


def _no_rooms() -> Conflict:
    return Conflict("no_rooms")


@routes.post("/communities/<slug>/notices")
@documented("Post a notice to a community's rooms", "notices", body=QueueNotice,
            answer=schemas.NoticeQueued)
def community_notice(slug: str):
    principal, community = require_community(slug)
    command = _read(ZoneInfo(community.timezone))
    session = db_session()
    key, queued = notices.queue_notice(session, community, command, principal.actor)
    session.commit()
    return jsonify({"key": key, "rooms": queued,
                    "send_at": command.send_at.isoformat() if command.send_at else None}), 201


@routes.post("/notices")
@documented("Post a notice to every community (city-wide)", "notices", body=QueueNotice,
            answer=schemas.NoticeQueued, admin_only=True)
def city_notice():
    principal = require_city_admin()
    session = db_session()
    zone = settings().tz
    command = _read(zone)
    text, send_at = command.text, command.send_at
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
