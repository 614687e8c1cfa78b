"""Roster import, residents, one-time codes, unbinding and the audit log (REST)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, request
from sqlalchemy import func, select

from bot import enrolment
from bot.api import schemas
from bot.api.auth import MAX_PAGE, page_number, require_community
from bot.api.openapi import Param, documented
from bot.app import db_session, settings
from bot.audit import record
from bot.birthdate import read_birth_date
from bot.errors import Conflict, Invalid, Malformed, NotFound, TooLarge, Unsupported
from bot.identity import lookup_key
from bot.models import AuditEvent, ChannelAccount, Community, Resident, utcnow
from bot.roster import MODES, RosterPlan, apply_plan, preview

routes = Blueprint("residents", __name__)

MAX_ROSTER_BYTES = 5 * 1024 * 1024
PAGE_SIZE = 50
PAGE = Param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "50 a page")
ROSTER_MEDIA = {
    "text/csv": {"schema": {"type": "string", "maxLength": MAX_ROSTER_BYTES,
                            "description": "A header row naming the name, birth date and phone "
                                           "columns (Korean or English), then one resident a "
                                           "line; UTF-8 or CP949"}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"}}}},
}
ROSTER_QUERY = (
    Param("mode", {"enum": list(MODES)}),
    Param("confirm_moved_out", {"type": "string", "pattern": "^[0-9]{1,7}$"},
          "replace: how many move out"),
    Param("confirm_large", {"enum": ["yes"]}, "replace: more than a fifth move out"),
)
RESIDENT_QUERY = (
    Param("verified", {"enum": ["true", "false"]}),
    Param("name", {"type": "string", "maxLength": 50}),
    Param("birth_date", {"type": "string", "maxLength": 20}),
    PAGE,
)


def _local_today(community: Community) -> date:
    return utcnow().astimezone(ZoneInfo(community.timezone)).date()


def _roster_bytes() -> bytes:
    if request.content_length and request.content_length > MAX_ROSTER_BYTES:
        raise TooLarge("too_large", "error.roster_too_large")
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise Malformed("missing_file")
        data = upload.read(MAX_ROSTER_BYTES + 1)
    elif request.mimetype in ("text/csv", "text/plain", "application/octet-stream"):
        data = request.get_data(cache=False)
    else:
        raise Unsupported("unsupported_media_type", "error.roster_format")
    if len(data) > MAX_ROSTER_BYTES:
        raise TooLarge("too_large", "error.roster_too_large")
    return data


def check_replace(plan: RosterPlan, confirmed: str | None, large_confirmed: bool) -> None:
    """A replace moves people out only when the caller repeats how many (and, for more than a
    fifth of the roster, confirms that too)."""
    missing = plan.unconfirmed(confirmed, large_confirmed)
    if missing is None:
        return
    details = {"moved_out": len(plan.moved_out), "verified_moved_out": plan.verified_moved_out,
               "roster": plan.roster_size, "large": plan.large}
    if missing == "confirm_moved_out":
        raise Conflict("confirm_moved_out", extra=details, **plan.moved_out_counts())
    raise Conflict("confirm_large", extra=details, count=len(plan.moved_out))


@routes.post("/communities/<slug>/roster")
@documented("Import the roster (CSV)", "residents", status=200, answer=schemas.RosterOutcome,
            body_media=ROSTER_MEDIA,
            query=ROSTER_QUERY)
def import_roster(slug: str):
    """Add and update (default), or `?mode=replace`: also move out everyone absent from the
    file, only with `confirm_moved_out=<how many>` (and `confirm_large=yes` past a fifth)."""
    principal, community = require_community(slug)
    mode = request.args.get("mode", "add")
    if mode not in MODES:
        raise Malformed("invalid_mode")
    session = db_session()
    parsed, plan = preview(session, community, _roster_bytes(), settings()["IDENTITY_PEPPER"],
                           _local_today(community), mode)
    if not parsed.ok:
        raise Invalid("invalid_roster", [], "error.invalid_roster", count=len(parsed.problems),
                      extra={"rows": [p.as_json() for p in parsed.problems]})
    check_replace(plan, request.args.get("confirm_moved_out"),
                  request.args.get("confirm_large") in ("yes", "true", "1"))
    outcome = apply_plan(session, community, plan, utcnow())
    record(session, principal.actor, "roster.imported", community_id=community.id,
           subject=f"community:{community.id}", rows=len(parsed.entries), **outcome.as_dict())
    session.commit()
    return jsonify(outcome.as_dict())


def resident_json(resident: Resident, channels: list[str]) -> dict:
    return {"id": resident.id, "masked_name": resident.masked_name,
            "birth_year": resident.birth_date.year, "moved_out": resident.moved_out,
            "verified_channels": channels}


@routes.get("/communities/<slug>/residents")
@documented("List residents (masked)", "residents", answer=schemas.ResidentPage,
            query=RESIDENT_QUERY)
def list_residents(slug: str):
    _, community = require_community(slug)
    session = db_session()
    query = select(Resident).where(Resident.community_id == community.id)
    bound = select(ChannelAccount.resident_id).where(ChannelAccount.resident_id.is_not(None))
    verified = request.args.get("verified")
    if verified not in (None, "true", "false"):
        raise Malformed("invalid_filter", "error.verified_filter")
    if verified == "true":
        query = query.where(Resident.id.in_(bound))
    elif verified == "false":
        query = query.where(Resident.id.not_in(bound))
    name, birth = request.args.get("name"), request.args.get("birth_date")
    if name or birth:
        born = read_birth_date(birth or "", _local_today(community))
        if not name or born is None:
            raise Malformed("invalid_lookup", "error.lookup_both")
        query = query.where(Resident.lookup_key == lookup_key(
            settings()["IDENTITY_PEPPER"], name, born))
    page = page_number()
    count = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Resident.id).limit(PAGE_SIZE)
                           .offset((page - 1) * PAGE_SIZE)).all()
    channels = enrolment.verified_channels(session, [r.id for r in rows])
    totals = {
        "residents": session.scalar(select(func.count()).where(
            Resident.community_id == community.id, Resident.moved_out_at.is_(None))),
        "verified": session.scalar(select(func.count(func.distinct(Resident.id))).where(
            Resident.community_id == community.id, Resident.moved_out_at.is_(None),
            Resident.id.in_(bound))),
    }
    return jsonify({"count": count, "page": page, "totals": totals,
                    "items": [resident_json(r, channels.get(r.id, [])) for r in rows]})


def _resident(community: Community, resident_id: int) -> Resident:
    resident = db_session().get(Resident, resident_id)
    if resident is None or resident.community_id != community.id:
        raise NotFound("resident_not_found", "error.not_on_roster")
    return resident


@routes.post("/communities/<slug>/residents/<int:resident_id>/codes")
@documented("Issue a one-time enrolment code", "residents", answer=schemas.IssuedCode)
def issue_code(slug: str, resident_id: int):
    principal, community = require_community(slug)
    resident = _resident(community, resident_id)
    if resident.moved_out:
        raise Conflict("moved_out", "error.code_moved_out")
    session = db_session()
    code, expires = enrolment.issue_code(session, settings(), resident, principal.actor, utcnow())
    session.commit()
    return jsonify({"code": code, "expires_at": expires.isoformat(),
                    "resident": resident_json(resident, [])}), 201


@routes.delete("/communities/<slug>/residents/<int:resident_id>/bindings/<channel>")
@documented("Unbind a resident's messenger account", "residents", answer=schemas.Unbound)
def unbind(slug: str, resident_id: int, channel: str):
    principal, community = require_community(slug)
    resident = _resident(community, resident_id)
    session = db_session()
    if not enrolment.unbind(session, resident, channel, principal.actor):
        raise NotFound("binding_not_found", channel=channel)
    session.commit()
    return jsonify({"unbound": True, "resident_id": resident.id, "channel": channel})


@routes.get("/communities/<slug>/audit")
@documented("The audit log", "residents",
            answer=schemas.AuditPage,
            query=(PAGE,))
def audit_log(slug: str):
    _, community = require_community(slug)
    session = db_session()
    page = page_number()
    base = select(AuditEvent).where(AuditEvent.community_id == community.id)
    count = session.scalar(select(func.count()).select_from(base.subquery()))
    rows = session.scalars(base.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE)
                           .offset((page - 1) * PAGE_SIZE)).all()
    return jsonify({"count": count, "page": page, "items": [
        {"id": e.id, "at": e.created_at.isoformat(), "actor": e.actor, "action": e.action,
         "subject": e.subject, "details": e.details} for e in rows]})
