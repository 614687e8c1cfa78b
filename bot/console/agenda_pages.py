"""Console: a ballot's material, its items' discussion and the follow-through of what it adopted
(`자료 · 주민 의견 · 추진 상황`), and hiding a comment (also from a proposal's page)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from bot import agenda, comments
from bot.app import db_session
from bot.commands import read, read_in
from bot.commands.agenda import AddMaterial, HideComment, ProgressItem
from bot.console.common import Pages, attempt, local, owned, said
from bot.console.guard import actor
from bot.models import utcnow
from bot.models.agenda import Comment, Material
from bot.models.ballot import Ballot

pages = Pages()


def _page(b: Ballot):  # noqa: ANN202
    return redirect(url_for("console.agenda_page", ballot_id=b.id))


@pages.get("/ballots/<int:ballot_id>/agenda")
def agenda_page(ballot_id: int):
    b = owned(Ballot, ballot_id)
    db = db_session()
    now = utcnow()
    threads = {item.number: comments.listing(db, comments.Where(b.community_id, item=item))
               for item in b.items}
    return render_template("agenda.html", b=b, c=b.community, threads=threads,
                           timelines=agenda.timelines(db, b, now),
                           materials=sorted(b.materials, key=lambda m: m.item_number or 0),
                           local=lambda m: local(b.community, m),
                           author=comments.shown_author)


def _given(*names: str) -> dict[str, object]:
    """The form's fields; one left empty counts as not given, numbers are read as numbers."""
    values: dict[str, object] = {}
    for name in names:
        value = request.form.get(name, "").strip()
        if value:
            values[name] = int(value) if name in ("project", "item") and value.isdigit() else value
    return values


@pages.post("/ballots/<int:ballot_id>/items/<int:number>/progress")
def agenda_progress(ballot_id: int, number: int):
    b = owned(Ballot, ballot_id)
    now = utcnow()
    attempt(lambda: agenda.add_progress(
        db_session(), b, number, read_in(ProgressItem, _given("stage", "text", "due_date",
                                                              "project"),
                                         "invalid_input", b.community, now), actor(), now),
        said("agenda.progress"))
    return _page(b)


@pages.post("/ballots/<int:ballot_id>/materials")
def agenda_material(ballot_id: int):
    b = owned(Ballot, ballot_id)
    attempt(lambda: agenda.add_material(db_session(), b, read(
        AddMaterial, _given("title", "url", "item", "kind"), "invalid_input"), actor(),
        utcnow()), said("agenda.material"))
    return _page(b)


@pages.post("/materials/<int:material_id>/remove")
def agenda_material_remove(material_id: int):
    material = owned(Material, material_id)
    b = material.ballot
    attempt(lambda: agenda.remove_material(db_session(), material, actor()),
            said("agenda.material_removed"))
    return _page(b)


@pages.post("/comments/<int:comment_id>/hide")
def comment_hide(comment_id: int):
    comment = owned(Comment, comment_id)
    attempt(lambda: comments.hide(db_session(), comment, read(
        HideComment, _given("reason"), "invalid_input"), actor(), utcnow()),
        said("agenda.hidden"))
    if comment.proposal_id is not None:
        return redirect(url_for("console.proposal", proposal_id=comment.proposal_id))
    return redirect(url_for("console.agenda_page", ballot_id=comment.ballot_id))
