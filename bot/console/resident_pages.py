"""Console: residents — the roster page and import (preview first), the consent text, and each
action on one resident (a route each): a centre code, unbinding, erasing personal data."""

from __future__ import annotations

import base64
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from bot import enrolment, privacy
from bot.app import db_session, settings
from bot.audit import record
from bot.catalogue import labels
from bot.console.common import Pages, local, said
from bot.console.guard import actor, community_or_403
from bot.models import AuditEvent, ChannelAccount, Community, Resident, utcnow
from bot.roster import ADD, MODES, apply_plan, preview

pages = Pages()

ROSTER_FIELDS = ("name", "birth_date", "phone")


@pages.get("/c/<slug>/residents")
def residents(slug: str):
    c = community_or_403(slug)
    db = db_session()
    total = db.scalar(select(func.count()).where(Resident.community_id == c.id,
                                                 Resident.moved_out_at.is_(None)))
    bound = db.scalar(select(func.count(func.distinct(ChannelAccount.resident_id))).join(
        Resident, Resident.id == ChannelAccount.resident_id).where(
        Resident.community_id == c.id, Resident.moved_out_at.is_(None)))
    rows = db.scalars(select(Resident).where(Resident.community_id == c.id,
                                             Resident.erased_at.is_(None))
                      .order_by(Resident.id).limit(200)).all()
    channels = enrolment.verified_channels(db, [r.id for r in rows])
    several = enrolment.bound_on_several(db, c.id)
    audit = db.scalars(select(AuditEvent).where(AuditEvent.community_id == c.id)
                       .order_by(AuditEvent.id.desc()).limit(30)).all()
    return render_template("residents.html", c=c, total=total, bound=bound, rows=rows,
                           channels=channels, audit=audit, several=several,
                           consent_default=privacy.consent_text(None, settings()))


def _upload() -> bytes:
    upload = request.files.get("file")
    try:
        return (upload.read(5 * 1024 * 1024) if upload
                else base64.b64decode(request.form.get("data", ""), validate=True))
    except ValueError:
        return b""


@pages.post("/c/<slug>/roster")
def roster(slug: str):
    """Preview first (every problem, who is new, who is the same person with what changed, and
    for a replace who would move out), then import the same bytes on 가져오기."""
    c = community_or_403(slug)
    form = request.form
    data = _upload()
    mode = form.get("mode", ADD) if form.get("mode") in MODES else ADD
    today = utcnow().astimezone(ZoneInfo(c.timezone)).date()
    db = db_session()
    parsed, plan = preview(db, c, data, settings()["IDENTITY_PEPPER"], today, mode)
    confirmed = form.get("confirm") == "yes"
    if plan is not None and confirmed and plan.unconfirmed(
            form.get("confirm_moved_out"), form.get("confirm_large") == "yes"):
        flash(said("roster.confirm_all"), "error")
        confirmed = False
    if not parsed.ok or not confirmed:
        db.rollback()
        return render_template("roster_preview.html", c=c, parsed=parsed, plan=plan, mode=mode,
                               data=base64.b64encode(data).decode() if parsed.ok else "",
                               fields=labels("roster.field", ROSTER_FIELDS))
    outcome = apply_plan(db, c, plan, utcnow())
    record(db, actor(), "roster.imported", community_id=c.id, subject=f"community:{c.id}",
           rows=len(parsed.entries), **outcome.as_dict())
    db.commit()
    flash(said("roster.imported", added=outcome.added, updated=outcome.updated,
               moved_out=outcome.moved_out), "ok")
    return redirect(url_for("console.residents", slug=c.slug))


@pages.post("/c/<slug>/consent-text")
def consent_text(slug: str):
    """The community's own consent text (empty: the default); a change asks everyone who
    enrols next to agree again."""
    c = community_or_403(slug)
    text = request.form.get("consent_text", "").strip()
    if len(text) > privacy.MAX_CONSENT_TEXT:
        flash(said("consent.too_long", limit=f"{privacy.MAX_CONSENT_TEXT:,}"), "error")
    else:
        db = db_session()
        c.consent_text = text
        record(db, actor(), "community.consent_text", community_id=c.id,
               subject=f"community:{c.id}",
               version=privacy.consent_version(c, settings()))
        db.commit()
        flash(said("consent.saved" if text else "consent.default"), "ok")
    return redirect(url_for("console.residents", slug=c.slug))


def _resident(c: Community, resident_id: int) -> Resident:
    resident = db_session().get(Resident, resident_id)
    if resident is None or resident.community_id != c.id:
        abort(404)
    return resident


@pages.get("/c/<slug>/residents/<int:resident_id>/erase")
def resident_erase(slug: str, resident_id: int):
    """What deleting a resident's personal data does, and the confirmation."""
    c = community_or_403(slug)
    resident = _resident(c, resident_id)
    if resident.erased_at is not None:
        abort(404)
    db = db_session()
    return render_template("resident_erase.html", c=c, resident=resident,
                           channels=enrolment.verified_channels(db, [resident.id]).get(
                               resident.id, []),
                           needed=privacy.still_needed(db, resident))


@pages.post("/c/<slug>/residents/<int:resident_id>/erase")
def resident_erase_confirmed(slug: str, resident_id: int):
    c = community_or_403(slug)
    db = db_session()
    resident = _resident(c, resident_id)
    if resident.erased_at is not None:
        flash(said("erase.already"), "error")
    elif privacy.still_needed(db, resident):
        flash(said("erase.needed"), "error")
    elif request.form.get("confirm") != "yes":
        flash(said("erase.confirm"), "error")
        return redirect(url_for("console.resident_erase", slug=c.slug, resident_id=resident.id))
    else:
        privacy.erase_resident(db, resident, actor(), utcnow())
        db.commit()
        flash(said("erase.done"), "ok")
    return redirect(url_for("console.residents", slug=c.slug))


@pages.post("/c/<slug>/residents/<int:resident_id>/code")
def resident_code(slug: str, resident_id: int):
    c = community_or_403(slug)
    db = db_session()
    resident = _resident(c, resident_id)
    code, expires = enrolment.issue_code(db, settings(), resident, actor(), utcnow())
    db.commit()
    return render_template("code_sheet.html", c=c, resident=resident, code=code,
                           expires=local(c, expires))


@pages.post("/c/<slug>/residents/<int:resident_id>/unbind")
def resident_unbind(slug: str, resident_id: int):
    c = community_or_403(slug)
    db = db_session()
    resident = _resident(c, resident_id)
    if enrolment.unbind(db, resident, request.form.get("channel", ""), actor()):
        db.commit()
        flash(said("unbind.done"), "ok")
    else:
        flash(said("unbind.none"), "error")
    return redirect(url_for("console.residents", slug=c.slug))
