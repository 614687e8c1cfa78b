"""Community rooms (REST): the BAND bands and Telegram groups where notices land."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import select

from adapters.band import band_choices
from bot import rooms
from bot.api import schemas
from bot.api.auth import current_principal, json_body, owned, require_community
from bot.api.openapi import documented
from bot.app import db_session, settings, without_transaction
from bot.audit import record
from bot.catalogue import t
from bot.commands import read
from bot.commands.rooms import AddRoom
from bot.errors import Invalid, Problem
from bot.models import Room, utcnow

routes = Blueprint("rooms", __name__)


def room_json(room: Room) -> dict:
    return {"id": room.id, "community": room.community.slug, "channel": room.channel,
            "external_key": room.external_key, "title": room.title,
            "unreachable": room.unreachable_at is not None,
            "created_at": room.created_at.isoformat()}


@routes.get("/communities/<slug>/rooms")
@documented("List a community's rooms", "rooms", answer=schemas.listing(schemas.Room))
def list_rooms(slug: str):
    _, community = require_community(slug)
    rows = db_session().scalars(select(Room).where(Room.community_id == community.id)
                                .order_by(Room.id)).all()
    return jsonify({"count": len(rows), "items": [room_json(r) for r in rows]})


@routes.post("/communities/<slug>/rooms")
@documented("Link a room (BAND band or Telegram group)", "rooms", body=AddRoom, answer=schemas.Room)
def add_room(slug: str):
    principal, community = require_community(slug)
    command = read(AddRoom, json_body(), "invalid_room")
    if command.channel == "band":
        choices = _usable_bands()
        if command.external_key not in {b["band_key"] for b in choices}:
            raise Invalid("invalid_room", [Problem("external_key", "error.room.pick_band")],
                          "error.room.band", extra={"bands": choices})
    session = db_session()
    room = rooms.add(session, community.id, command.channel, command.external_key,
                     command.title or "", principal.actor)
    session.commit()
    return jsonify(room_json(room)), 201


@routes.delete("/rooms/<int:room_id>")
@documented("Unlink a room", "rooms", answer=schemas.Removed)
def remove_room(room_id: int):
    principal, room = owned(Room, room_id, "room_not_found")
    session = db_session()
    record(session, principal.actor, "room.removed", community_id=room.community_id,
           subject=f"room:{room.id}", channel=room.channel)
    session.delete(room)
    session.commit()
    return jsonify({"removed": True, "id": room_id})


@routes.post("/communities/<slug>/room-link-codes")
@documented("A code to link a Telegram group", "rooms", answer=schemas.IssuedCode)
def room_link_code(slug: str):
    """A one-time code to type in a Telegram group: `/link CODE` links it to this community."""
    principal, community = require_community(slug)
    session = db_session()
    code, expires = rooms.issue_code(session, community, settings()["IDENTITY_PEPPER"],
                                     principal.actor, utcnow())
    session.commit()
    return jsonify({"code": code, "expires_at": expires.isoformat(),
                    "how": t("room.link_how", code=code)}), 201


def _usable_bands() -> list[dict]:
    without_transaction()  # BAND may take HTTP_TIMEOUT_SECONDS to answer
    return band_choices(settings())


@routes.get("/band/bands")
@documented("The bands the BAND token can post to", "rooms", answer={"type": "object"})
def list_bands():
    """The bands the configured BAND token can post to: pick one to link as a room."""
    current_principal()
    bands = _usable_bands()
    return jsonify({"count": len(bands), "items": bands})
