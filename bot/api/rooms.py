"""Community rooms (REST): the BAND bands and Telegram groups where notices land."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from adapters.band import band_choices
from bot import rooms
from bot.api import api
from bot.api.auth import check_scope, current_principal, json_body, require_community
from bot.app import db_session, settings, without_transaction
from bot.audit import record
from bot.errors import ApiError
from bot.models import Room, utcnow

ROOM_CHANNELS = ("band", "telegram")


def room_json(room: Room) -> dict:
    return {"id": room.id, "community": room.community.slug, "channel": room.channel,
            "external_key": room.external_key, "title": room.title,
            "unreachable": room.unreachable_at is not None,
            "created_at": room.created_at.isoformat()}


@api.get("/communities/<slug>/rooms")
def list_rooms(slug: str):
    _, community = require_community(slug)
    rows = db_session().scalars(select(Room).where(Room.community_id == community.id)
                                .order_by(Room.id)).all()
    return jsonify({"count": len(rows), "items": [room_json(r) for r in rows]})


@api.post("/communities/<slug>/rooms")
def add_room(slug: str):
    principal, community = require_community(slug)
    data = json_body()
    problems = []
    if data.get("channel") not in ROOM_CHANNELS:
        problems.append({"field": "channel", "message": "band 또는 telegram 이어야 해요."})
    key = data.get("external_key")
    if not isinstance(key, str) or not key.strip() or len(key) > 200:
        problems.append({"field": "external_key",
                         "message": "밴드의 band_key나 텔레그램 그룹의 chat id가 필요해요."})
    title = data.get("title", "")
    if not isinstance(title, str) or len(title) > 200:
        problems.append({"field": "title", "message": "200자 이내 글자예요."})
    if problems:
        raise ApiError(422, "invalid_room", details={"problems": problems})
    if data["channel"] == "band":
        choices = _usable_bands()
        if key.strip() not in {b["band_key"] for b in choices}:
            raise ApiError(422, "invalid_room", "이 밴드 토큰으로 글을 쓸 수 있는 밴드가 아니에요.",
                           {"problems": [{"field": "external_key",
                                          "message": "아래 밴드 중에서 골라 주세요."}],
                            "bands": choices})
    session = db_session()
    room = rooms.add(session, community.id, data["channel"], key.strip(), title.strip(),
                     principal.actor)
    session.commit()
    return jsonify(room_json(room)), 201


@api.delete("/rooms/<int:room_id>")
def remove_room(room_id: int):
    principal = current_principal()
    session = db_session()
    room = session.get(Room, room_id)
    if room is None:
        raise ApiError(404, "room_not_found", f"{room_id}번 방이 없어요.")
    check_scope(principal, room.community_id)
    record(session, principal.actor, "room.removed", community_id=room.community_id,
           subject=f"room:{room.id}", channel=room.channel)
    session.delete(room)
    session.commit()
    return jsonify({"removed": True, "id": room_id})


@api.post("/communities/<slug>/room-link-codes")
def room_link_code(slug: str):
    """A one-time code to type in a Telegram group: `/link CODE` links it to this community."""
    principal, community = require_community(slug)
    session = db_session()
    code, expires = rooms.issue_code(session, community, settings()["IDENTITY_PEPPER"],
                                     principal.actor, utcnow())
    session.commit()
    return jsonify({"code": code, "expires_at": expires.isoformat(),
                    "how": f"텔레그램 그룹에서 /link {code} 라고 보내 주세요."}), 201


def _usable_bands() -> list[dict]:
    without_transaction()  # BAND may take HTTP_TIMEOUT_SECONDS to answer
    bands, problem = band_choices(settings())
    if problem is not None:
        configured = bool(settings()["BAND_ACCESS_TOKEN"])
        raise ApiError(502 if configured else 409,
                       "band_unreachable" if configured else "band_not_configured", problem)
    return bands


@api.get("/band/bands")
def list_bands():
    """The bands the configured BAND token can post to: pick one to link as a room."""
    current_principal()
    bands = _usable_bands()
    return jsonify({"count": len(bands), "items": bands})
