"""투표, a budget item (주민참여예산): the projects with their costs, five a page; the resident sends
numbers one or several at a time, and each answer reads back the picks with the running total and
what is left of the budget. A pick over the cap is refused with the amount that does not fit;
sending a picked number again takes it out; `9. 다 골랐어요` finishes. Anything unclear is asked
again and adds nothing. The picks so far live in the sealed draft (its pending answer) like every
answer before `1. 예 (제출)`.

Numbers on a page are 1–5; `7. 이전` and `8. 다음` turn pages; `9. 다 골랐어요` finishes.
"""

from __future__ import annotations

from bot import budget
from bot.catalogue import lexicon, won
from bot.conversation import Reply
from bot.models.ballot import Ballot, BallotItem
from handlers import states
from handlers.ballot_common import read_draft, seal_draft
from handlers.ballot_steps import _advance, _back, _item, _OnOpenBallot, _plain, item_header
from handlers.base import NEXT, PREV, Ctx, page_of, read_paged

DONE = 9  # `9. 다 골랐어요`


def _projects(ctx: Ctx, item: BallotItem) -> list[str]:
    return [ctx.t("budget.project", label=label, cost=won(cost, ctx.lang))
            for label, cost in zip(item.options, item.costs, strict=True)]


class BallotBudget(_OnOpenBallot):
    name = states.BALLOT_BUDGET

    def _page(self, ctx: Ctx, item: BallotItem) -> tuple[list[int], int, int]:
        """The project numbers (from 1) on the page shown, the page, and how many there are."""
        return page_of(list(range(1, len(item.options) + 1)), ctx.data.get("page"))

    def _slots(self, ctx: Ctx, item: BallotItem, chosen: list[int]) -> tuple[list[str], list[int]]:
        shown, page, pages = self._page(ctx, item)
        labels = _projects(ctx, item)
        options = [("✔ " if n in chosen else "") + labels[n - 1] for n in shown]
        numbers = list(range(1, len(shown) + 1))
        for wanted, number, key in ((page > 1, PREV, "proposal.prev"),
                                    (page < pages, NEXT, "proposal.next"),
                                    (True, DONE, "budget.done")):
            if wanted:
                options.append(ctx.t(key))
                numbers.append(number)
        return options, numbers

    def _status(self, ctx: Ctx, item: BallotItem, chosen: list[int]) -> str:
        plan = item.budget_plan
        if not chosen:
            return ctx.t("budget.none_yet")
        total = budget.spent(item.costs, chosen)
        lines = [ctx.t("budget.picked", count=len(chosen), total=won(total, ctx.lang))]
        if plan["budget"] is not None:
            lines[0] += " / " + ctx.t("budget.left", left=won(plan["budget"] - total, ctx.lang))
        lines += [f"- {item.options[n - 1]}" for n in chosen]
        return "\n".join(lines)

    def _limits(self, ctx: Ctx, item: BallotItem) -> str:
        plan = item.budget_plan
        if plan["budget"] is not None and item.max_choices < len(item.options):
            return ctx.t("budget.limits.both", budget=won(plan["budget"], ctx.lang),
                         k=item.max_choices)
        if plan["budget"] is not None:
            return ctx.t("budget.limits.budget", budget=won(plan["budget"], ctx.lang))
        return ctx.t("budget.limits.count", k=item.max_choices)

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        item = _item(ctx, ballot)
        _, chosen = read_draft(ctx, ballot)
        _, page, pages = self._page(ctx, item)
        parts = [*item_header(ctx, ballot, item), self._limits(ctx, item),
                 self._status(ctx, item, chosen)]
        ask = ctx.t("budget.ask")
        if pages > 1:
            ask = ctx.t("budget.page", page=page, pages=pages) + "\n" + ask
        parts.append(ask)
        options, numbers = self._slots(ctx, item, chosen)
        return Reply(text="\n\n".join(parts), options=options, numbers=numbers, lang=ctx.lang)

    def labels(self, ctx: Ctx, ballot: Ballot) -> list[str]:
        item = _item(ctx, ballot)
        return self._slots(ctx, item, read_draft(ctx, ballot)[1])[0]

    def understood(self, ctx: Ctx, ballot: Ballot, text: str) -> bool:
        item = _item(ctx, ballot)
        return self._choice(ctx, item, read_draft(ctx, ballot)[1], text) is not None

    def _choice(self, ctx: Ctx, item: BallotItem, chosen: list[int],
                text: str) -> int | list[int] | None:
        """A navigation number (PREV, NEXT, DONE), or the projects named (numbers from 1 across
        the whole list), or None when the reply is unclear."""
        options, numbers = self._slots(ctx, item, chosen)
        shown, _, _ = self._page(ctx, item)
        single = read_paged(ctx, text, options, numbers,
                            dict.fromkeys(lexicon.BUDGET_DONE_WORDS, DONE))
        if single is not None:
            return single if single in (PREV, NEXT, DONE) else [shown[single - 1]]
        several = ctx.choose_many(text, item.options[shown[0] - 1:shown[-1]], len(shown))
        return None if several is None else [shown[n - 1] for n in several]

    def read(self, ctx: Ctx, ballot: Ballot, text: str) -> Reply:
        item = _item(ctx, ballot)
        if _plain(text) in lexicon.BACK_WORDS and int(ctx.data.get("page") or 1) <= 1:
            return _back(ctx, ballot, item.number)
        picks, chosen = read_draft(ctx, ballot)
        choice = self._choice(ctx, item, chosen, text)
        if choice is None:
            return ctx.reprompt("budget.hint")
        if choice in (PREV, NEXT):
            page = int(ctx.data.get("page") or 1) + (1 if choice == NEXT else -1)
            return ctx.stay(page=page)
        if choice == DONE:
            return self._finish(ctx, ballot, item, picks, chosen)
        return self._toggle(ctx, ballot, item, picks, chosen, choice)

    def _finish(self, ctx: Ctx, ballot: Ballot, item: BallotItem, picks: dict,
                chosen: list[int]) -> Reply:
        missing = budget.short(item.budget_plan, chosen)
        if missing is not None:
            key, values = missing
            if "least" in values:
                values = {"least": won(values["least"], ctx.lang)}
            return ctx.reprompt(f"budget.hint.{key}", **values)
        return _advance(ctx, ballot, item, sorted(chosen), picks)

    def _toggle(self, ctx: Ctx, ballot: Ballot, item: BallotItem, picks: dict,
                chosen: list[int], named: list[int]) -> Reply:
        """Add the projects named, or take them out when all of them were picked already; a mix
        of both is asked again."""
        picked = [n for n in named if n in chosen]
        if picked and len(picked) != len(named):
            return ctx.reprompt("budget.hint.mixed")
        if picked:
            kept = [n for n in chosen if n not in named]
            said = ctx.t("budget.removed", labels=", ".join(item.options[n - 1] for n in named))
        else:
            kept = [*chosen, *named]
            broken = budget.over(item.budget_plan, item.max_choices, kept)
            if broken is not None:
                key, values = broken
                if "over" in values:
                    values = {"over": won(values["over"], ctx.lang),
                              "labels": ", ".join(item.options[n - 1] for n in named)}
                return ctx.reprompt(f"budget.hint.{key}", **values)
            said = ctx.t("budget.added", labels=", ".join(item.options[n - 1] for n in named))
        ctx.set(draft=seal_draft(ctx, ballot, picks, kept))
        reply = ctx.stay()
        reply.text = f"{said}\n\n{reply.text}"
        return reply


STATE_CLASSES = (BallotBudget,)
