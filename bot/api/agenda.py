"""The four-step cycle's last step and its discussion (REST): progress on an adopted item, the
agenda's material, a community's comments on one target, and hiding a comment."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from bot import agenda, comments
from bot.api import schemas
from bot.api.auth import json_body, owned, require_community
from bot.api.ballots import item_json
from bot.api.openapi import Param, documented
from bot.app import db_session
from bot.commands import read, read_in
from bot.commands.agenda import AddMaterial, HideComment, ProgressItem
from bot.errors import Malformed, NotFound
from bot.models import utcnow
from bot.models.agenda import Comment, Material
from bot.models.ballot import Ballot

routes = Blueprint("agenda", __name__)


@routes.post("/ballots/<int:ballot_id>/items/<int:number>/progress")
@documented("Post the plan, progress or result of an adopted item", "agenda", body=ProgressItem,
            answer=schemas.ProgressEntry)
def item_progress(ballot_id: int, number: int):
    """201 with the entry and the item (its whole `progress`); pushed to every participant."""
    principal, ballot = owned(Ballot, ballot_id, "ballot_not_found")
    session = db_session()
    now = utcnow()
    command = read_in(ProgressItem, json_body(), "invalid_input", ballot.community, now)
    entry = agenda.add_progress(session, ballot, number, command, principal.actor, now)
    session.commit()
    item = ballot.items[number - 1]
    return jsonify({**agenda.entry_json(entry, item),
                    "item": item_json(item, agenda.local_today(ballot, now))}), 201


@routes.post("/ballots/<int:ballot_id>/materials")
@documented("Add a document or video link to a ballot or one item", "agenda", body=AddMaterial,
            answer=schemas.Material)
def add_material(ballot_id: int):
    principal, ballot = owned(Ballot, ballot_id, "ballot_not_found")
    session = db_session()
    command = read(AddMaterial, json_body(), "invalid_input")
    material = agenda.add_material(session, ballot, command, principal.actor, utcnow())
    session.commit()
    return jsonify(agenda.material_json(material)), 201


@routes.delete("/materials/<int:material_id>")
@documented("Remove a material link", "agenda", answer=schemas.Removed)
def remove_material(material_id: int):
    principal, material = owned(Material, material_id, "material_not_found")
    session = db_session()
    agenda.remove_material(session, material, principal.actor)
    session.commit()
    return jsonify({"removed": True, "id": material_id})


@routes.get("/communities/<slug>/comments")
@documented("The comments on an agenda item or a proposal, newest first", "agenda",
            answer=schemas.listing(schemas.Comment),
            query=(Param("target", {"type": "string",
                                    "pattern": r"^(ballot_item:\d+:\d+|proposal:\d+)$"},
                         "ballot_item:<ballot id>:<item number> or proposal:<proposal id>"),))
def list_comments(slug: str):
    _, community = require_community(slug)
    where = comments.find(db_session(), request.args.get("target"))
    if where is None:
        raise Malformed("invalid_target")
    if where.community_id != community.id:
        raise NotFound("invalid_target")
    items = [comments.comment_json(c, where) for c in comments.listing(db_session(), where)]
    return jsonify({"count": len(items), "items": items})


@routes.post("/comments/<int:comment_id>/hide")
@documented("Hide a comment with a reason (kept and audited)", "agenda", body=HideComment,
            status=200, answer=schemas.Comment)
def hide_comment(comment_id: int):
    principal, comment = owned(Comment, comment_id, "comment_not_found")
    session = db_session()
    command = read(HideComment, json_body(), "invalid_input")
    comments.hide(session, comment, command, principal.actor, utcnow())
    session.commit()
    return jsonify(comments.comment_json(comment))
