"""안건: the agenda items residents can look at — of ballots open now and of ballots whose
results are published — with their material, their result and what became of them (추진 상황),
and the way into their discussion (handlers/comments.py).

`안건` opens the list; `자료` opens the item the resident was just on (a vote in progress is
kept, as for any keyword). A material option answers with its link and the same options.
"""

from __future__ import annotations

from sqlalchemy import select

from bot import agenda, ballots, comments
from bot.catalogue import won
from bot.conversation import Reply
from bot.models.ballot import YES_NO, Ballot, BallotItem
from handlers import states
from handlers.base import Ctx, State, page_of, read_paged, turned, with_paging

SHOWN_BALLOTS = 10
MATERIALS_SHOWN = 4
TRAIL_SHOWN = 3


def agenda_items(ctx: Ctx) -> list[BallotItem]:
    """Items of the community's open ballots, then of its published ones, newest first."""
    community = ctx.community
    if community is None:
        return []
    rows = ctx.session.scalars(select(Ballot).where(
        Ballot.community_id == community.id, Ballot.present_only.is_(False),
        Ballot.cancelled_at.is_(None)).order_by(Ballot.opens_at.desc(), Ballot.id.desc())).all()
    open_now = [b for b in rows if ballots.status(b, ctx.now) == ballots.OPEN]
    published = [b for b in rows if b.published_at is not None]
    return [item for ballot in (open_now + published)[:SHOWN_BALLOTS] for item in ballot.items]


def target_of(item: BallotItem) -> str:
    return f"ballot_item:{item.ballot_id}:{item.number}"


def about(ctx: Ctx) -> str | None:
    """What the resident was just looking at (an agenda item, a proposal, the item of a vote
    in progress), else the thread of the latest reply to one of their comments."""
    if ctx.data.get("about"):
        return ctx.data["about"]
    paused = ctx.data.get("paused")
    if isinstance(paused, dict) and paused.get("ballot"):
        return f"ballot_item:{paused['ballot']}:{paused.get('item', 1)}"
    if ctx.resident is not None:
        return comments.latest_reply_target(ctx.session, ctx.resident.id, ctx.now)
    return None


def _state_label(ctx: Ctx, item: BallotItem) -> str:
    ballot = item.ballot
    if ballots.status(ballot, ctx.now) == ballots.OPEN:
        return ctx.t("agenda.state.open")
    entries = [e for e in item.progress if e.stage != agenda.OVERDUE]
    if entries:
        return ctx.t(f"agenda.state.{entries[-1].stage}")
    return ctx.t("agenda.state.published")


class AgendaList(State):
    name = states.AGENDA_LIST
    private_only = True

    def _page(self, ctx: Ctx) -> tuple[list[BallotItem], int, int]:
        return page_of(agenda_items(ctx), ctx.data.get("page"))

    def _options(self, ctx: Ctx, shown: list[BallotItem], page: int,
                 pages: int) -> tuple[list[str], list[int]]:
        labels = [ctx.t("agenda.list.item", title=item.title, state=_state_label(ctx, item))
                  for item in shown]
        return with_paging(ctx, labels, page, pages)

    def enter(self, ctx: Ctx) -> Reply:
        shown, page, pages = self._page(ctx)
        if not shown:
            return ctx.goto(states.HOME, _prefix=ctx.t("agenda.list.empty"))
        labels, numbers = self._options(ctx, shown, page, pages)
        return Reply(text=ctx.t("agenda.list", page=page, pages=pages), options=labels,
                     numbers=numbers, lang=ctx.lang)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        shown, page, pages = self._page(ctx)
        labels, numbers = self._options(ctx, shown, page, pages)
        choice = read_paged(ctx, text, labels, numbers)
        if choice is None:
            return ctx.reprompt()
        return turned(ctx, choice, page) or ctx.goto(
            states.AGENDA_ITEM, target=target_of(shown[choice - 1]), page=page)


def _result_line(ctx: Ctx, item: BallotItem) -> str | None:
    ballot = item.ballot
    if ballot.published_at is None:
        return None
    outcome = ballots.results(ctx.session, ballot)["items"][item.number - 1]
    if item.budget_plan is not None:
        funded = [o["label"] for o in outcome["options"] if o.get("funded")]
        return ctx.t("agenda.view.funded", projects=", ".join(funded) or "-",
                     total=won(outcome["funded_total"], ctx.lang))
    if item.kind == YES_NO:
        return ctx.t("agenda.view.passed" if outcome["passed"] else "agenda.view.rejected",
                     yes=outcome["options"][0]["total"], no=outcome["options"][1]["total"])
    return ctx.t("agenda.view.chosen", options=", ".join(agenda.first_options(outcome)) or "-")


def _trail_lines(ctx: Ctx, item: BallotItem) -> list[str]:
    """The latest entries of the item's follow-through (each funded project's, by name)."""
    lines = []
    for entry in item.progress[-TRAIL_SHOWN:]:
        name = f"[{item.options[entry.project - 1]}] " if entry.project else ""
        due = ctx.t("agenda.view.due", due=ctx.day(entry.due_date)) if entry.due_date else ""
        body = entry.text if len(entry.text) <= 120 else entry.text[:120] + "…"
        lines.append(ctx.t(f"agenda.view.entry.{entry.stage}", name=name, text=body,
                           when=ctx.day(entry.at.astimezone(ctx.zone).date()), due=due).strip())
    return lines


def _actions(ctx: Ctx, item: BallotItem) -> list[tuple[str, str, object]]:
    """(kind, label, what) of each option: materials, 의견 보기, 의견 남기기, 투표하기, 목록."""
    ballot = item.ballot
    found = [(m.kind, ctx.t(f"agenda.material.{m.kind}", title=m.title), m)
             for m in (agenda.materials_of(ballot, None)
                       + agenda.materials_of(ballot, item.number))[:MATERIALS_SHOWN]]
    where = comments.Where(ballot.community_id, item=item)
    found.append(("comments", ctx.t("comment.see", count=comments.count(ctx.session, where)),
                  None))
    if where.open(ctx.now):
        found.append(("comment", ctx.t("comment.leave"), None))
    if ballots.status(ballot, ctx.now) == ballots.OPEN:
        found.append(("vote", ctx.t("agenda.vote"), None))
    found.append(("list", ctx.t("agenda.back"), None))
    return found


class AgendaItem(State):
    name = states.AGENDA_ITEM
    private_only = True

    def _item(self, ctx: Ctx) -> BallotItem | None:
        where = comments.find(ctx.session, ctx.data.get("target") or about(ctx))
        return where.item if where is not None else None

    def enter(self, ctx: Ctx) -> Reply:
        item = self._item(ctx)
        if item is None:
            return ctx.goto(states.AGENDA_LIST)
        ctx.set(target=target_of(item), about=target_of(item))
        summary = item.summary.strip()
        parts = [ctx.t("agenda.view", title=item.title, ballot=item.ballot.title,
                       state=_state_label(ctx, item)),
                 summary if len(summary) <= 300 else summary[:300] + "…"]
        result = _result_line(ctx, item)
        if result:
            parts.append(result)
        trail = _trail_lines(ctx, item)
        if trail:
            parts.append(ctx.t("agenda.view.trail") + "\n" + "\n".join(trail))
        return ctx.reply("\n\n".join(p for p in parts if p),
                         [label for _, label, _ in _actions(ctx, item)])

    def receive(self, ctx: Ctx, text: str) -> Reply:
        item = self._item(ctx)
        if item is None:
            return ctx.goto(states.AGENDA_LIST)
        actions = _actions(ctx, item)
        choice = ctx.choose(text, [label for _, label, _ in actions])
        if choice is None:
            return ctx.reprompt()
        kind, label, what = actions[choice - 1]
        target = target_of(item)
        if kind in ("document", "video"):
            reply = ctx.reply(ctx.t("agenda.material.link", title=what.title, url=what.url),
                              [label for _, label, _ in actions])
            return reply
        if kind == "comments":
            return ctx.goto(states.COMMENT_LIST, target=target)
        if kind == "comment":
            return ctx.goto(states.COMMENT_WRITE, target=target)
        if kind == "vote":
            from handlers.ballot import vote_in

            return vote_in(ctx, item.ballot)
        return ctx.goto(states.AGENDA_LIST, page=ctx.data.get("page", 1))


STATE_CLASSES = (AgendaList, AgendaItem)
