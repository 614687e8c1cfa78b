"""Console pages: city overview, community, ballots, the assembly desk, results, proposals,
residents, rooms and notices; and the public page of each community."""

from __future__ import annotations

import base64
import io
import uuid
from datetime import date
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from adapters.band import band_choices
from bot import ballots, enrolment, notices, privacy, proposals, rooms, sealing
from bot.app import db_session, settings, without_transaction
from bot.audit import record
from bot.catalogue import labels
from bot.console import actor, check_scope, community_or_403, console, public
from bot.errors import DomainError
from bot.models import AuditEvent, ChannelAccount, Community, Outbox, Resident, Room, utcnow
from bot.models.ballot import KINDS, Ballot
from bot.models.proposal import Proposal
from bot.presenters import flash_error
from bot.roster import ADD, FIELDS_KO, MODES, apply_plan, preview
from bot.text import SafeCSVWriter

IDENTITY_ALERTS = {
    "enrol.second_account": "새 계정 인증: 이미 인증한 주민에게 다른 메신저 계정이 더해졌어요",
    "enrol.attempt_on_bound": "인증된 주민의 정보로 다른 계정이 인증을 시도했어요",
    "enrol.person_paused": "한 주민에 대한 인증 실패가 많아 그 주민의 이름·생년월일 인증을 쉬어요",
    "enrol.community_paused": "인증 실패가 한꺼번에 많아 이름·생년월일 인증을 잠시 쉬어요",
}
STATUS_NAMES = {"scheduled": "예정", "open": "진행 중", "closed": "마감", "published": "결과 공개",
                "cancelled": "취소"}


def _local(community: Community, moment) -> str:  # noqa: ANN001
    if moment is None:
        return "-"
    return moment.astimezone(ZoneInfo(community.timezone)).strftime("%Y-%m-%d %H:%M")


def _attempt(action, success) -> bool:  # noqa: ANN001
    """Run a domain action; show its refusal in plain words instead of failing."""
    try:
        action()
    except DomainError as refusal:
        db_session().rollback()
        flash_error(refusal)
        return False
    db_session().commit()
    flash(success() if callable(success) else success, "ok")
    return True


# --- city and community ------------------------------------------------------------------------

@console.get("/city")
def city():
    if g.manager.community_id is not None:
        abort(403)
    db = db_session()
    now = utcnow()
    rows = []
    for community in db.scalars(select(Community).order_by(Community.name)):
        live = ballots.open_ballots(db, community.id, now)
        pending = db.scalar(select(func.count()).where(Proposal.community_id == community.id,
                                                       Proposal.status == proposals.PENDING))
        rows.append({"community": community, "pending": pending,
                     "ballots": [(b, ballots.turnout(db, b)) for b in live]})
    alerts = proposals.alerts(db, None, now)
    failed = db.scalar(select(func.count()).where(Outbox.status == "failed"))
    return render_template("city.html", rows=rows, alerts=alerts, failed=failed)


@console.get("/c/<slug>")
def community(slug: str):
    c = community_or_403(slug)
    db = db_session()
    now = utcnow()
    ballot_rows = db.scalars(select(Ballot).where(Ballot.community_id == c.id)
                             .order_by(Ballot.opens_at.desc())).all()
    waiting = db.scalars(select(Proposal).where(Proposal.community_id == c.id,
                                                Proposal.status == proposals.PENDING)).all()
    return render_template("community.html", c=c, ballots=ballot_rows, waiting=waiting,
                           status=lambda b: STATUS_NAMES[ballots.status(b, now)],
                           alerts=proposals.alerts(db, c.id, now), local=lambda m: _local(c, m),
                           identity=enrolment.identity_alerts(db, c.id, now),
                           identity_labels=IDENTITY_ALERTS)


# --- ballots -------------------------------------------------------------------------------

def _ballot(ballot_id: int) -> Ballot:
    ballot = db_session().get(Ballot, ballot_id)
    if ballot is None:
        abort(404)
    check_scope(ballot.community_id)
    return ballot


def _ballot_form() -> dict:
    form = request.form
    items = []
    for n in range(1, 6):
        title = form.get(f"item{n}_title", "").strip()
        if not title:
            continue
        kind = form.get(f"item{n}_kind", "yes_no")
        item = {"title": title, "summary": form.get(f"item{n}_summary", ""), "kind": kind,
                "allow_abstain": form.get(f"item{n}_abstain") == "on"}
        if kind != "yes_no":
            item["options"] = [o.strip() for o in form.get(f"item{n}_options", "").splitlines()
                               if o.strip()]
        if kind == "choose_up_to":
            try:
                item["max_choices"] = int(form.get(f"item{n}_max", "2"))
            except ValueError:
                item["max_choices"] = 0
        items.append(item)
    trustees = [{"name": form.get(f"trustee{n}", "").strip()}
                for n in range(1, ballots.MAX_TRUSTEES + 1) if form.get(f"trustee{n}", "").strip()]
    return {"title": form.get("title", ""), "overview": form.get("overview", ""),
            "opens_at": form.get("opens_at", ""), "closes_at": form.get("closes_at", ""),
            "onsite": form.get("onsite") == "on", "items": items, "trustees": trustees}


def _keys() -> sealing.Keyring:
    return sealing.keyring(settings())


@console.get("/c/<slug>/ballots/new")
def ballot_new(slug: str):
    return render_template("ballot_new.html", c=community_or_403(slug), kinds=KINDS,
                           kind_names=labels("ballot.kind", KINDS), form={})


@console.post("/c/<slug>/ballots/new")
def ballot_create(slug: str):
    c = community_or_403(slug)
    created = {}

    def make() -> None:
        created["ballot"] = ballots.create(db_session(), _keys(), c, _ballot_form(), actor(),
                                           utcnow())

    if _attempt(make, "투표를 만들었어요."):
        return redirect(url_for("console.ballot", ballot_id=created["ballot"].id))
    return render_template("ballot_new.html", c=c, kinds=KINDS, kind_names=labels("ballot.kind", KINDS),
                           form=request.form), 422


def _form_of(b: Ballot) -> dict:
    """A scheduled ballot as the form shows it, for editing."""
    zone = ZoneInfo(b.community.timezone)
    form = {"title": b.title, "overview": b.overview, "onsite": b.onsite,
            "opens_at": b.opens_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": b.closes_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")}
    for trustee in b.trustees:
        form[f"trustee{trustee.number}"] = trustee.name
    for item in b.items:
        n = item.number
        form.update({f"item{n}_title": item.title, f"item{n}_summary": item.summary,
                     f"item{n}_kind": item.kind, f"item{n}_max": str(item.max_choices),
                     f"item{n}_abstain": item.allow_abstain,
                     f"item{n}_options": "" if item.kind == "yes_no" else "\n".join(item.options)})
    return form


@console.get("/ballots/<int:ballot_id>/edit")
def ballot_edit(ballot_id: int):
    b = _ballot(ballot_id)
    return render_template("ballot_new.html", c=b.community, kinds=KINDS, kind_names=labels("ballot.kind", KINDS),
                           form=_form_of(b), editing=b)


@console.post("/ballots/<int:ballot_id>/edit")
def ballot_save(ballot_id: int):
    b = _ballot(ballot_id)
    if _attempt(lambda: ballots.update(db_session(), _keys(), b, _ballot_form(), actor(),
                                       utcnow()), "투표를 고쳤어요."):
        return redirect(url_for("console.ballot", ballot_id=b.id))
    return render_template("ballot_new.html", c=b.community, kinds=KINDS, kind_names=labels("ballot.kind", KINDS),
                           form=request.form, editing=b), 422


@console.get("/ballots/<int:ballot_id>")
def ballot(ballot_id: int):
    b = _ballot(ballot_id)
    db = db_session()
    now = utcnow()
    state = ballots.status(b, now)
    result = ballots.results(db, b) if b.published_at else None
    return render_template("ballot.html", b=b, c=b.community, state=state,
                           state_name=STATUS_NAMES[state], turnout=ballots.turnout(db, b),
                           result=result, kind_names=labels("ballot.kind", KINDS), local=lambda m: _local(
                               b.community, m), small=ballots.SMALL_GROUP,
                           missing=ballots.missing_trustees(b), now=now)


@console.post("/ballots/<int:ballot_id>/<action>")
def ballot_action(ballot_id: int, action: str):
    b = _ballot(ballot_id)
    db = db_session()
    now = utcnow()
    form = request.form
    if action == "close":
        _attempt(lambda: ballots.close(db, _keys(), b, actor(), now),
                 "투표를 마감했어요." if not b.trustee_count else
                 "투표를 마감했어요. 개표 관리인들이 비밀번호로 개표해 주세요.")
    elif action == "trustee":
        number = _int(form.get("number", ""))
        _attempt(lambda: ballots.set_trustee_secret(db, _keys(), b, number if isinstance(
            number, int) else 0, form.get("secret", ""), actor(), now),
            f"{number}번 관리인의 비밀번호를 저장했어요. 비밀번호는 저장되지 않고, 개표할 때 다시 "
            "입력해야 해요.")
    elif action == "count":
        secrets = [form.get(f"secret{t.number}", "") for t in b.trustees]
        if not _attempt(lambda: ballots.count(db, _keys(), b, secrets, actor(), now),
                        "개표했어요. 봉인된 표는 모두 지웠어요."):
            return redirect(url_for("console.ballot_count", ballot_id=b.id))
    elif action == "cancel":
        _attempt(lambda: ballots.cancel(db, b, form.get("reason", ""), actor(), now),
                 "투표를 취소했어요.")
    elif action == "extend":
        _attempt(lambda: ballots.update(db, b, {"closes_at": form.get("closes_at", "")},
                                        actor(), now), "마감 시간을 바꿨어요.")
    elif action == "publish":
        _attempt(lambda: ballots.publish(db, _keys(), b, actor(), now,
                                         confirm_small=form.get("confirm_small") == "on"),
                 "결과를 공개했어요.")
    elif action == "desk":
        _desk(b, form.get("name", ""), form.get("birth_date", ""))
    elif action == "counts":
        items = [{"number": item.number, "counts": [
            _int(form.get(f"count_{item.number}_{n}", "")) for n in
            range(1, len(item.options) + 1)]} for item in b.items]
        _attempt(lambda: ballots.set_onsite_counts(db, b, {"items": items}, actor(), now),
                 "현장 개표 결과를 저장했어요.")
    else:
        abort(404)
    return redirect(url_for("console.ballot", ballot_id=b.id))


@console.get("/ballots/<int:ballot_id>/count")
def ballot_count(ballot_id: int):
    """The count: every trustee types their own secret, then the box is opened."""
    b = _ballot(ballot_id)
    return render_template("ballot_count.html", b=b, c=b.community,
                           state=ballots.status(b, utcnow()))


def _int(text: str) -> int | str:
    try:
        return int(text.strip() or "0")
    except ValueError:
        return text


def _desk(b: Ballot, name: str, birth: str) -> None:
    db = db_session()
    marked = {}

    def mark() -> None:
        resident = ballots.desk_lookup(db, b, settings()["IDENTITY_PEPPER"], name, birth,
                                       utcnow())
        ballots.mark_onsite(db, b, resident, actor(), utcnow())
        marked["name"] = resident.masked_name

    _attempt(mark, lambda: f"{marked['name']} 님을 현장 투표로 표시했어요.")


@console.app_template_global()
def chart_bars(item: dict) -> dict:
    """The geometry of one item's bar chart (drawn by _chart.html as inline SVG, no script):
    numbers only; the template escapes every label and title like any other text."""
    options = item["options"]
    top = max([o["total"] for o in options] + [1])
    bars = []
    for n, option in enumerate(options):
        width = 0 if not option["total"] else max(2, int(200 * option["total"] / top))
        bars.append({"y": 6 + n * 34, "width": width, "label": option["label"][:10],
                     "total": option["total"]})
    return {"height": 34 * len(options) + 8, "bars": bars}


@console.app_template_global("shown")
def _shown(value: int | None) -> int | str:
    """A count shown apart from the total only for large enough groups (ballots.results)."""
    return "비공개" if value is None else value


@console.get("/ballots/<int:ballot_id>/results.csv")
def ballot_csv(ballot_id: int):
    b = _ballot(ballot_id)
    if b.published_at is None:
        abort(409)
    result = ballots.results(db_session(), b)
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    writer.writerow(["안건번호", "안건", "선택지", "온라인", "현장", "합계", "순위"])
    for item in result["items"]:
        for o in item["options"]:
            writer.writerow([item["number"], item["title"], o["label"], _shown(o["online"]),
                             _shown(o["onsite"]), o["total"], o["rank"] or ""])
        if item["abstentions"] is not None:
            writer.writerow([item["number"], item["title"], "기권", item["abstentions"], "",
                             item["abstentions"], ""])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=ballot-{b.id}.csv"})


@console.get("/ballots/<int:ballot_id>/print")
def ballot_print(ballot_id: int):
    b = _ballot(ballot_id)
    if b.published_at is None:
        abort(409)
    return render_template("ballot_print.html", b=b, c=b.community,
                           result=ballots.results(db_session(), b))


# --- proposals -----------------------------------------------------------------------------

@console.get("/c/<slug>/proposals")
def proposal_list(slug: str):
    c = community_or_403(slug)
    rows = db_session().scalars(select(Proposal).where(Proposal.community_id == c.id)
                                .order_by(Proposal.created_at.desc())).all()
    now = utcnow()
    return render_template("proposals.html", c=c, rows=rows, labels=labels("proposal.status", proposals.STATUSES),
                           overdue=lambda p: proposals.overdue(p, now))


@console.get("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    p = db_session().get(Proposal, proposal_id)
    if p is None:
        abort(404)
    check_scope(p.community_id)
    data = proposals.as_json(db_session(), p, utcnow())
    return render_template("proposal.html", p=p, c=p.community, data=data,
                           local=lambda m: _local(p.community, m))


@console.post("/proposals/<int:proposal_id>/<action>")
def proposal_action(proposal_id: int, action: str):
    p = db_session().get(Proposal, proposal_id)
    if p is None:
        abort(404)
    check_scope(p.community_id)
    db, form, now = db_session(), request.form, utcnow()
    if action == "screen":
        _attempt(lambda: proposals.screen(db, p, form.get("decision"), form.get("reason") or None,
                                          actor(), now), "처리했어요.")
    elif action == "answer":
        _attempt(lambda: proposals.answer(db, p, form.get("outcome"), form.get("text") or None,
                                          form.get("due_date") or None, actor(), now),
                 "답변을 등록했어요.")
    elif action == "progress":
        _attempt(lambda: proposals.progress(db, p, form.get("stage"), form.get("text"), actor(),
                                            now), "추진 상황을 올렸어요.")
    elif action == "send-back":
        if g.manager.community_id is not None:
            abort(403)
        _attempt(lambda: proposals.send_back(db, p, form.get("reason"),
                                             form.get("due_date") or None, actor(), now),
                 "답변을 다시 쓰도록 돌려보냈어요.")
    else:
        abort(404)
    return redirect(url_for("console.proposal", proposal_id=p.id))


# --- residents, rooms, notices ---------------------------------------------------------------

@console.get("/c/<slug>/residents")
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


@console.post("/c/<slug>/roster")
def roster(slug: str):
    """Preview first (every problem, who is new, who is the same person with what changed, and
    for a replace who would move out), then import the same bytes on 가져오기."""
    c = community_or_403(slug)
    form = request.form
    upload = request.files.get("file")
    try:
        data = (upload.read(5 * 1024 * 1024) if upload
                else base64.b64decode(form.get("data", ""), validate=True))
    except ValueError:
        data = b""
    mode = form.get("mode", ADD) if form.get("mode") in MODES else ADD
    today = utcnow().astimezone(ZoneInfo(c.timezone)).date()
    db = db_session()
    parsed, plan = preview(db, c, data, settings()["IDENTITY_PEPPER"], today, mode)
    confirmed = form.get("confirm") == "yes"
    if plan is not None and confirmed and plan.unconfirmed(
            form.get("confirm_moved_out"), form.get("confirm_large") == "yes"):
        flash("전출 처리할 인원을 확인하는 칸에 모두 체크해 주세요.", "error")
        confirmed = False
    if not parsed.ok or not confirmed:
        db.rollback()
        return render_template("roster_preview.html", c=c, parsed=parsed, plan=plan, mode=mode,
                               data=base64.b64encode(data).decode() if parsed.ok else "",
                               fields=FIELDS_KO)
    outcome = apply_plan(db, c, plan, utcnow())
    record(db, actor(), "roster.imported", community_id=c.id, subject=f"community:{c.id}",
           rows=len(parsed.entries), **outcome.as_dict())
    db.commit()
    flash(f"명부를 가져왔어요: 새로 {outcome.added}명, 바뀜 {outcome.updated}명, "
          f"전출 {outcome.moved_out}명.", "ok")
    return redirect(url_for("console.residents", slug=c.slug))


@console.get("/c/<slug>/residents/<int:resident_id>/erase")
def resident_erase(slug: str, resident_id: int):
    """What deleting a resident's personal data does, and the confirmation."""
    c = community_or_403(slug)
    db = db_session()
    resident = db.get(Resident, resident_id)
    if resident is None or resident.community_id != c.id or resident.erased_at is not None:
        abort(404)
    return render_template("resident_erase.html", c=c, resident=resident,
                           channels=enrolment.verified_channels(db, [resident.id]).get(
                               resident.id, []),
                           needed=privacy.still_needed(db, resident))


@console.post("/c/<slug>/consent-text")
def consent_text(slug: str):
    """The community's own consent text (empty: the default); a change asks everyone who
    enrols next to agree again."""
    c = community_or_403(slug)
    text = request.form.get("consent_text", "").strip()
    if len(text) > privacy.MAX_CONSENT_TEXT:
        flash(f"동의 문구는 {privacy.MAX_CONSENT_TEXT:,}자 안으로 써 주세요.", "error")
    else:
        db = db_session()
        c.consent_text = text
        record(db, actor(), "community.consent_text", community_id=c.id,
               subject=f"community:{c.id}",
               version=privacy.consent_version(c, settings()))
        db.commit()
        flash("동의 문구를 저장했어요. 다음에 인증하는 주민부터 이 문구로 동의를 받아요."
              if text else "기본 동의 문구로 되돌렸어요.", "ok")
    return redirect(url_for("console.residents", slug=c.slug))


@console.post("/c/<slug>/residents/<int:resident_id>/<action>")
def resident_action(slug: str, resident_id: int, action: str):
    c = community_or_403(slug)
    db = db_session()
    resident = db.get(Resident, resident_id)
    if resident is None or resident.community_id != c.id:
        abort(404)
    if action == "code":
        code, expires = enrolment.issue_code(db, settings(), resident, actor(), utcnow())
        db.commit()
        return render_template("code_sheet.html", c=c, resident=resident, code=code,
                               expires=_local(c, expires))
    if action == "erase":
        if resident.erased_at is not None:
            flash("이미 개인정보를 삭제한 주민이에요.", "error")
        elif privacy.still_needed(db, resident):
            flash("아직 공개하지 않은 투표나 끝나지 않은 제안에 이 주민의 참여가 있어요. "
                  "투표 결과를 공개하거나 제안이 끝난 뒤에 삭제할 수 있어요.", "error")
        elif request.form.get("confirm") != "yes":
            flash("주민의 삭제 요청을 확인하는 칸에 체크해 주세요.", "error")
            return redirect(url_for("console.resident_erase", slug=c.slug,
                                    resident_id=resident.id))
        else:
            privacy.erase_resident(db, resident, actor(), utcnow())
            db.commit()
            flash("개인정보를 삭제했어요. 이미 한 투표와 공감은 누구 것인지 모르게 남아요.", "ok")
        return redirect(url_for("console.residents", slug=c.slug))
    if action == "unbind":
        if enrolment.unbind(db, resident, request.form.get("channel", ""), actor()):
            db.commit()
            flash("인증을 풀었어요. 주민은 다시 인증할 수 있어요.", "ok")
        else:
            flash("그 채널에 인증된 계정이 없어요.", "error")
        return redirect(url_for("console.residents", slug=c.slug))
    abort(404)


def _bands() -> tuple[list[dict], str | None]:
    without_transaction()  # BAND may take HTTP_TIMEOUT_SECONDS to answer
    try:
        return band_choices(settings()), None
    except DomainError as refusal:
        return [], refusal.message()


@console.get("/c/<slug>/rooms")
def room_page(slug: str):
    c = community_or_403(slug)
    rows = db_session().scalars(select(Room).where(Room.community_id == c.id)).all()
    bands, band_error = _bands()
    return render_template("rooms.html", c=c, rows=rows, code=None, bands=bands,
                           band_error=band_error)


@console.post("/c/<slug>/rooms/<action>")
def room_action(slug: str, action: str):
    c = community_or_403(slug)
    db = db_session()
    if action == "code":
        code, expires = rooms.issue_code(db, c, settings()["IDENTITY_PEPPER"], actor(), utcnow())
        db.commit()
        rows = db.scalars(select(Room).where(Room.community_id == c.id)).all()
        bands, band_error = _bands()
        return render_template("rooms.html", c=c, rows=rows, code=code, bands=bands,
                               band_error=band_error, expires=_local(c, expires))
    if action == "band":
        key = request.form.get("band_key", "")
        bands, problem = _bands()
        chosen = next((b for b in bands if b["band_key"] == key), None)
        if chosen is None:
            flash(problem or "이 토큰으로 쓸 수 있는 밴드가 아니에요.", "error")
        else:
            _attempt(lambda: rooms.add(db, c.id, "band", key, chosen.get("name") or "", actor()),
                     f"밴드 '{chosen.get('name')}'를 공지방으로 연결했어요.")
        return redirect(url_for("console.room_page", slug=c.slug))
    if action == "notice":
        text = request.form.get("text", "").strip()
        send_at = ballots.parse_time(request.form.get("send_at", ""), ZoneInfo(c.timezone))
        if not text or len(text) > 2000:
            flash("공지 내용을 2,000자 안으로 써 주세요.", "error")
        else:
            queued = notices.manager_notice(db, c.id, f"notice:{uuid.uuid4().hex}", text,
                                            send_at)
            if queued:
                record(db, actor(), "notice.queued", community_id=c.id, rooms=queued)
                db.commit()
                flash(f"공지를 방 {queued}곳에 보내도록 맡겼어요.", "ok")
            else:
                flash("연결된 방이 없어요. 먼저 방을 연결해 주세요.", "error")
        return redirect(url_for("console.room_page", slug=c.slug))
    abort(404)


# --- the public page -----------------------------------------------------------------------

@public.get("/privacy")
def privacy_policy():
    """개인정보 처리방침 (PIPA art. 30), from the PRIVACY_* and RETAIN_* settings; `?c=slug` adds
    that community's centre."""
    values = settings()
    c = db_session().scalars(select(Community).where(
        Community.slug == request.args.get("c", ""))).first()
    return render_template("privacy.html", c=c, s=values.values,
                           controller=values["PRIVACY_CONTROLLER"],
                           officer=values["PRIVACY_OFFICER"], contact=values["PRIVACY_CONTACT"])


@public.get("/public/<slug>")
def public_page(slug: str):
    """Published results and proposal progress (공표), no sign-in, no personal data."""
    db = db_session()
    c = db.scalars(select(Community).where(Community.slug == slug)).first()
    if c is None:
        abort(404)
    published = db.scalars(select(Ballot).where(Ballot.community_id == c.id,
                                                Ballot.published_at.is_not(None))
                           .order_by(Ballot.published_at.desc())).all()
    shown = db.scalars(select(Proposal).where(
        Proposal.community_id == c.id, Proposal.status.in_(proposals.PUBLIC))
        .order_by(Proposal.published_at.desc())).all()
    return render_template("public.html", c=c,
                           results=[(b, ballots.results(db, b)) for b in published],
                           proposals=[(p, proposals.counts(db, p.id)[0]) for p in shown],
                           labels=labels("proposal.status", proposals.STATUSES), today=date.today())
