"""Console: ballots — the form, the ballot's page and each action on it (one route each), the
assembly desk, the count, results as CSV and for print."""

from __future__ import annotations

import io
import re
from zoneinfo import ZoneInfo

from flask import Response, abort, redirect, render_template, request, url_for

from bot import ballots, sealing
from bot.app import db_session, settings
from bot.catalogue import labels, lexicon, t, won
from bot.commands import read
from bot.commands.ballots import (
    CancelBallot,
    CountBallot,
    CreateBallot,
    MarkOnsite,
    SetOnsiteCounts,
    SetTrusteeSecret,
    UpdateBallot,
    read_ballot,
)
from bot.console.common import Pages, attempt, local, owned, said
from bot.console.guard import actor, community_or_403
from bot.models import utcnow
from bot.models.ballot import BUDGET, KINDS, YES_NO, Ballot
from bot.text import SafeCSVWriter

pages = Pages()

MIN_SLOTS = 3  # item slots the form shows at least; `?slots=` or a longer ballot shows more


def _ballot(ballot_id: int) -> Ballot:
    return owned(Ballot, ballot_id)


def _form_item(form, n: int) -> dict | None:  # noqa: ANN001
    title = form.get(f"item{n}_title", "").strip()
    if not title:
        return None
    kind = form.get(f"item{n}_kind", YES_NO)
    item = {"title": title, "summary": form.get(f"item{n}_summary", ""), "kind": kind,
            "allow_abstain": form.get(f"item{n}_abstain") == "on"}
    if kind == BUDGET:
        return _budget_item(form, n, item)
    if kind != YES_NO:
        item["options"] = [o.strip() for o in form.get(f"item{n}_options", "").splitlines()
                           if o.strip()]
    if kind == "choose_up_to":
        try:
            item["max_choices"] = int(form.get(f"item{n}_max", "2"))
        except ValueError:
            item["max_choices"] = 0
    return item


_MONEY = re.compile(lexicon.MONEY_PATTERN)
# A comma between fields, not one inside an amount (`12,000,000`, `1,200만`).
_FIELD_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?:\D|$))")


def _won(text: str) -> int | str:
    """`12000000`, `12,000,000`, `1,200만`, `1억 2000만 원` as won; anything else as given (the
    command then says what is wrong, on its line)."""
    plain = text.replace(",", "").strip()
    found = _MONEY.match(plain)
    if not plain or found is None or not any(found.groups()):
        return text
    eok, man, rest = (int(part) if part else 0 for part in found.groups())
    return eok * 10**8 + man * 10**4 + rest


def _budget_item(form, n: int, item: dict) -> dict:  # noqa: ANN001
    """A budget item from the form: one project a line, `이름, 비용, 묶음` (or tab-separated, as
    pasted from a spreadsheet), the budget and the most picks (both optional)."""
    projects = []
    for line in form.get(f"item{n}_options", "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in (line.split("\t") if "\t" in line
                                     else _FIELD_COMMA.split(line))]
        projects.append({"label": parts[0], "cost": _won(parts[1]) if len(parts) > 1 else "",
                         "group": parts[2] if len(parts) > 2 else ""})
    item["options"] = projects
    for field, name in (("budget", f"item{n}_budget"), ("max_choices", f"item{n}_max")):
        raw = form.get(name, "").strip()
        if raw:
            item[field] = _won(raw) if field == "budget" else (int(raw) if raw.isdigit() else raw)
    return item


def _ballot_form() -> dict:
    """The form as the service's body: every filled item slot (up to the domain's limit)."""
    form = request.form
    items = [_form_item(form, n) for n in range(1, ballots.MAX_ITEMS + 1)]
    trustees = [{"name": form.get(f"trustee{n}", "").strip()}
                for n in range(1, ballots.MAX_TRUSTEES + 1) if form.get(f"trustee{n}", "").strip()]
    return {"title": form.get("title", ""), "overview": form.get("overview", ""),
            "opens_at": form.get("opens_at", ""), "closes_at": form.get("closes_at", ""),
            "onsite": form.get("onsite") == "on", "items": [i for i in items if i],
            "trustees": trustees}


def _slots(filled: int) -> int:
    """Item slots to show: the filled ones and two more (or what `?slots=` asks), 3 to 20."""
    asked = request.args.get("slots", "")
    wanted = int(asked) if asked.isdigit() and len(asked) < 3 else filled + 2
    return max(MIN_SLOTS, min(ballots.MAX_ITEMS, max(wanted, filled)))


def _filled(form) -> int:  # noqa: ANN001
    return max([n for n in range(1, ballots.MAX_ITEMS + 1)
                if str(form.get(f"item{n}_title", "")).strip()] + [0])


def _form_page(c, form, status: int = 200, editing: Ballot | None = None):  # noqa: ANN001
    return render_template("ballot_new.html", c=c, kinds=KINDS, form=form, editing=editing,
                           kind_names=labels("ballot.kind", KINDS), slots=_slots(_filled(form)),
                           max_items=ballots.MAX_ITEMS, max_trustees=ballots.MAX_TRUSTEES), status


def _keys() -> sealing.Keyring:
    return sealing.keyring(settings())


def _update(b: Ballot, data: dict) -> None:
    now = utcnow()
    ballots.update(db_session(), _keys(), b, read_ballot(UpdateBallot, data, b.community, now),
                   actor(), now)


@pages.get("/c/<slug>/ballots/new")
def ballot_new(slug: str):
    return _form_page(community_or_403(slug), {})


@pages.post("/c/<slug>/ballots/new")
def ballot_create(slug: str):
    c = community_or_403(slug)
    created = {}

    def make() -> None:
        now = utcnow()
        command = read_ballot(CreateBallot, _ballot_form(), c, now)
        created["ballot"] = ballots.create(db_session(), _keys(), c, command, actor(), now)

    if attempt(make, said("ballot.created")):
        return redirect(url_for("console.ballot", ballot_id=created["ballot"].id))
    return _form_page(c, request.form, 422)


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
                     f"item{n}_options": "" if item.kind == YES_NO else "\n".join(item.options)})
        if item.budget_plan is not None:
            plan = item.budget_plan
            form[f"item{n}_budget"] = str(plan["budget"] or "")
            form[f"item{n}_options"] = "\n".join(
                f"{label}, {cost}, {group}".rstrip(", ") for label, cost, group in zip(
                    item.options, plan["costs"], plan["groups"], strict=True))
    return form


@pages.get("/ballots/<int:ballot_id>/edit")
def ballot_edit(ballot_id: int):
    b = _ballot(ballot_id)
    return _form_page(b.community, _form_of(b), editing=b)


@pages.post("/ballots/<int:ballot_id>/edit")
def ballot_save(ballot_id: int):
    b = _ballot(ballot_id)
    if attempt(lambda: _update(b, _ballot_form()), said("ballot.saved")):
        return redirect(url_for("console.ballot", ballot_id=b.id))
    return _form_page(b.community, request.form, 422, editing=b)


@pages.get("/ballots/<int:ballot_id>")
def ballot(ballot_id: int):
    b = _ballot(ballot_id)
    db = db_session()
    now = utcnow()
    state = ballots.status(b, now)
    result = ballots.results(db, b) if b.published_at else None
    return render_template("ballot.html", b=b, c=b.community, state=state,
                           state_name=t(f"console.ballot.state.{state}"),
                           turnout=ballots.turnout(db, b), result=result,
                           kind_names=labels("ballot.kind", KINDS),
                           local=lambda m: local(b.community, m), small=ballots.SMALL_GROUP,
                           missing=ballots.missing_trustees(b), now=now)


def _back(b: Ballot):
    return redirect(url_for("console.ballot", ballot_id=b.id))


@pages.post("/ballots/<int:ballot_id>/close")
def ballot_close(ballot_id: int):
    b = _ballot(ballot_id)
    attempt(lambda: ballots.close(db_session(), _keys(), b, actor(), utcnow()),
            said("ballot.closed" if not b.trustee_count else "ballot.closed_trustees"))
    return _back(b)


@pages.post("/ballots/<int:ballot_id>/trustee")
def ballot_trustee(ballot_id: int):
    b = _ballot(ballot_id)
    number = _int(request.form.get("number", ""))
    attempt(lambda: ballots.set_trustee_secret(
        db_session(), _keys(), b, number if isinstance(number, int) else 0,
        read(SetTrusteeSecret, {"secret": request.form.get("secret", "")}, "invalid_secret"),
        actor(), utcnow()), said("ballot.secret_set", number=number))
    return _back(b)


@pages.post("/ballots/<int:ballot_id>/count")
def ballot_count_secrets(ballot_id: int):
    b = _ballot(ballot_id)
    secrets = [request.form.get(f"secret{t.number}", "") for t in b.trustees]
    if not attempt(lambda: ballots.count(
            db_session(), _keys(), b, read(CountBallot, {"secrets": secrets}, "invalid_secrets"),
            actor(), utcnow()), said("ballot.counted")):
        return redirect(url_for("console.ballot_count", ballot_id=b.id))
    return _back(b)


@pages.post("/ballots/<int:ballot_id>/cancel")
def ballot_cancel(ballot_id: int):
    b = _ballot(ballot_id)
    attempt(lambda: ballots.cancel(
        db_session(), b, read(CancelBallot, {"reason": request.form.get("reason", "")},
                              "invalid_reason"), actor(), utcnow()), said("ballot.cancelled"))
    return _back(b)


@pages.post("/ballots/<int:ballot_id>/extend")
def ballot_extend(ballot_id: int):
    b = _ballot(ballot_id)
    attempt(lambda: _update(b, {"closes_at": request.form.get("closes_at", "")}),
            said("ballot.extended"))
    return _back(b)


@pages.post("/ballots/<int:ballot_id>/publish")
def ballot_publish(ballot_id: int):
    b = _ballot(ballot_id)
    attempt(lambda: ballots.publish(db_session(), _keys(), b, actor(), utcnow(),
                                    confirm_small=request.form.get("confirm_small") == "on"),
            said("ballot.published"))
    return _back(b)


@pages.post("/ballots/<int:ballot_id>/desk")
def ballot_desk(ballot_id: int):
    """The assembly desk: find the resident by name and birth date, mark them as on paper."""
    b = _ballot(ballot_id)
    db = db_session()
    marked = {}

    def mark() -> None:
        command = read(MarkOnsite, {"name": request.form.get("name", ""),
                                    "birth_date": request.form.get("birth_date", "")},
                       "invalid_lookup")
        resident = ballots.desk_lookup(db, b, settings()["IDENTITY_PEPPER"], command, utcnow())
        ballots.mark_onsite(db, b, resident, actor(), utcnow())
        marked["name"] = resident.masked_name

    attempt(mark, lambda: said("ballot.marked", name=marked["name"]))
    return _back(b)


@pages.post("/ballots/<int:ballot_id>/counts")
def ballot_onsite_counts(ballot_id: int):
    b = _ballot(ballot_id)
    form = request.form
    items = [{"number": item.number, "counts": [
        _int(form.get(f"count_{item.number}_{n}", "")) for n in
        range(1, len(item.options) + 1)]} for item in b.items]
    attempt(lambda: ballots.set_onsite_counts(
        db_session(), b, read(SetOnsiteCounts, {"items": items}, "invalid_counts"), actor(),
        utcnow()), said("ballot.counts_saved"))
    return _back(b)


@pages.get("/ballots/<int:ballot_id>/count")
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


@pages.template_global()
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


@pages.template_global("won")
def won_text(amount: int | None) -> str:
    """Money as residents read it (`1,200만 원`)."""
    return "-" if amount is None else won(amount)


@pages.template_global("shown")
def shown(value: int | None) -> int | str:
    """A count shown apart from the total only for large enough groups (ballots.results)."""
    return said("hidden") if value is None else value


@pages.get("/ballots/<int:ballot_id>/results.csv")
def ballot_csv(ballot_id: int):
    b = _ballot(ballot_id)
    if b.published_at is None:
        abort(409)
    result = ballots.results(db_session(), b)
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    writer.writerow(said("ballot.csv_header").split(","))
    for item in result["items"]:
        for o in item["options"]:
            writer.writerow([item["number"], item["title"], o["label"], shown(o["online"]),
                             shown(o["onsite"]), o["total"], o["rank"] or ""])
        if item["abstentions"] is not None:
            writer.writerow([item["number"], item["title"], said("abstain"),
                             item["abstentions"], "", item["abstentions"], ""])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=ballot-{b.id}.csv"})


@pages.get("/ballots/<int:ballot_id>/print")
def ballot_print(ballot_id: int):
    b = _ballot(ballot_id)
    if b.published_at is None:
        abort(409)
    return render_template("ballot_print.html", b=b, c=b.community,
                           result=ballots.results(db_session(), b))
