"""내 참여 내역: what the resident took part in, newest first, five a page (never a choice)."""

from __future__ import annotations

from sqlalchemy import select

from bot import ballots, proposals
from bot.conversation import Reply
from bot.models.proposal import Agreement, Proposal
from handlers import states
from handlers.base import Ctx, State, page_of, read_paged, turned, with_paging


def _participation_lines(ctx: Ctx) -> list[tuple[object, str]]:
    """Everything the resident took part in, newest first: votes (when and how, never the
    choices), 공감 and 비공감, and their own proposals with where each stands."""
    resident = ctx.resident
    rows: list[tuple[object, str]] = []
    for ballot, p in ballots.voted_ballots(ctx.session, resident.id):
        rows.append((p.at, ctx.t("mine.ballot", title=ballot.title, when=ctx.when(p.at),
                                 how=ctx.channel_name(p.channel))))
    agreed = ctx.session.execute(select(Agreement, Proposal.title).join(
        Proposal, Proposal.id == Agreement.proposal_id).where(
        Agreement.resident_id == resident.id)).all()
    for agreement, title in agreed:
        rows.append((agreement.at, ctx.t(f"mine.{agreement.kind}", title=title,
                                         when=ctx.when(agreement.at))))
    for proposal in proposals.own_list(ctx.session, resident.id):
        rows.append((proposal.created_at, ctx.t(
            "mine.proposal", title=proposal.title, when=ctx.when(proposal.created_at),
            status=ctx.t(f"proposal.status.{proposal.status}"))))
    rows.sort(key=lambda row: row[0], reverse=True)
    return rows


class Mine(State):
    """내 참여 내역: votes, 공감 and proposals, newest first, five a page."""

    name = states.MINE
    private_only = True

    def _page(self, ctx: Ctx) -> tuple[list[str], int, int]:
        return page_of([line for _, line in _participation_lines(ctx)], ctx.data.get("page"))

    def enter(self, ctx: Ctx) -> Reply:
        if ctx.resident is None:
            return ctx.goto(states.ENROL_START, _prefix=ctx.t("mine.need_enrol"), then=states.MINE)
        shown, page, pages = self._page(ctx)
        if not shown:
            return ctx.goto(states.HOME, _prefix=ctx.t("mine.none"))
        text = ctx.t("mine.title", page=page, pages=pages) + "\n" + "\n".join(shown)
        if pages == 1:
            return ctx.goto(states.HOME, _prefix=text)  # all of it fits: the menu follows
        labels, numbers = with_paging(ctx, [], page, pages)
        return Reply(text=text, options=labels, numbers=numbers, lang=ctx.lang)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        if ctx.resident is None:
            return ctx.goto(states.HOME)
        _, page, pages = self._page(ctx)
        choice = read_paged(ctx, text, *with_paging(ctx, [], page, pages))
        if choice is None:
            return ctx.reprompt()
        return turned(ctx, choice, page)


STATE_CLASSES = (Mine,)
