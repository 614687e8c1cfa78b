"""투표, inside one ballot: each item in turn, a multi-select answer read back, the summary
and `1. 예 (제출)` (handlers/ballot.py starts, pauses and resumes a vote)."""

from __future__ import annotations

from bot import ballots, budget, sealing
from bot.catalogue import lexicon, won
from bot.choices import too_many
from bot.commands.ballots import CastVote
from bot.conversation import Reply
from bot.eligibility import TOO_YOUNG
from bot.models.ballot import CHOOSE_UP_TO, YES_NO, Ballot, BallotItem
from handlers import states
from handlers.ballot_common import (
    already_voted,
    begin,
    closed_meanwhile,
    home_with,
    open_ballot,
    read_draft,
    seal_draft,
    to_item,
)
from handlers.base import Ctx, State
from handlers.live import vote_channel


def _plain(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch in lexicon.JAMO_ANSWERS)


def _back(ctx: Ctx, ballot: Ballot, number: int) -> Reply:
    """One item back (`이전`, `뒤로`): the picks so far stay; at item 1 there is nowhere to go."""
    if number <= 1:
        return ctx.reprompt("ballot.hint.first")
    picks, _ = read_draft(ctx, ballot)
    return to_item(ctx, ballot, number - 1, picks)


def _item(ctx: Ctx, ballot: Ballot) -> BallotItem:
    return ballot.items[ctx.data["item"] - 1]


def _advance(ctx: Ctx, ballot: Ballot, item: BallotItem, chosen: list[int],
             picks: dict[str, list[int]] | None = None) -> Reply:
    """Keep `chosen` for this item (with the picks so far, read from the draft unless given)
    and go on to the next item or the summary."""
    if picks is None:
        picks, _ = read_draft(ctx, ballot)
    picks[str(item.number)] = chosen
    if item.number < len(ballot.items):
        return to_item(ctx, ballot, item.number + 1, picks)
    return ctx.goto(states.BALLOT_CONFIRM, ballot=ballot.id, draft=seal_draft(ctx, ballot, picks))


def _multi(item: BallotItem) -> bool:
    return item.kind == CHOOSE_UP_TO and item.max_choices > 1


def _choices(ctx: Ctx, item: BallotItem) -> list[str]:
    """What the resident may answer at an item: its options, then 기권 where it is allowed."""
    return [*item.options, ctx.t("ballot.abstain")] if item.allow_abstain else list(item.options)


def item_header(ctx: Ctx, ballot: Ballot, item: BallotItem) -> list[str]:
    """The ballot's overview (with item 1), then the item's number, title and summary."""
    parts = []
    if item.number == 1:
        parts.append(ctx.t("ballot.overview", title=ballot.title,
                           overview=ballot.overview.strip() or "-",
                           closes=ctx.when(ballots.closing_time(ballot))))
    header = ctx.t("ballot.item", number=item.number, total=len(ballot.items), title=item.title)
    parts.append(f"{header}\n{item.summary.strip()}".strip())
    if any(m.item_number == item.number for m in ballot.materials):  # the item's own
        parts.append(ctx.t("agenda.material.hint"))
    return parts


class _OnOpenBallot(State):
    """A step inside one ballot: if the ballot has closed meanwhile, say so and go home;
    otherwise `show` and `read` get the open ballot."""

    private_only = True

    def enter(self, ctx: Ctx) -> Reply:
        ballot = open_ballot(ctx)
        return closed_meanwhile(ctx) if ballot is None else self.show(ctx, ballot)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        ballot = open_ballot(ctx)
        return closed_meanwhile(ctx) if ballot is None else self.read(ctx, ballot, text)

    def fits(self, ctx: Ctx, text: str) -> bool:
        ballot = open_ballot(ctx)
        return ballot is not None and self.understood(ctx, ballot, text)

    def understood(self, ctx: Ctx, ballot: Ballot, text: str) -> bool:
        return ctx.choose(text, self.labels(ctx, ballot)) is not None

    def labels(self, ctx: Ctx, ballot: Ballot) -> list[str]:
        raise NotImplementedError  # abstract

    def pause(self, ctx: Ctx) -> bool:
        """Keep the vote in progress (its sealed draft and where it was) for later."""
        ballot = open_ballot(ctx)
        if ballot is None or "draft" not in ctx.data:
            return False
        ctx.set(paused={"ballot": ballot.id, "item": ctx.data.get("item", len(ballot.items)),
                        "step": ctx.conversation.state, "draft": ctx.data["draft"]})
        return True

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        raise NotImplementedError  # abstract

    def read(self, ctx: Ctx, ballot: Ballot, text: str) -> Reply:
        raise NotImplementedError  # abstract


class BallotItemStep(_OnOpenBallot):
    """One item: its title, summary and numbered options (the overview comes with item 1)."""

    name = states.BALLOT_ITEM

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        item = _item(ctx, ballot)
        parts = item_header(ctx, ballot, item)
        parts.append(ctx.t("ballot.ask.many", k=item.max_choices) if _multi(item)
                     else ctx.t("ballot.ask.one"))
        if item.number > 1:
            parts.append(ctx.t("ballot.ask.back"))
        return ctx.reply("\n\n".join(parts), _choices(ctx, item))

    def labels(self, ctx: Ctx, ballot: Ballot) -> list[str]:
        return _choices(ctx, _item(ctx, ballot))

    def understood(self, ctx: Ctx, ballot: Ballot, text: str) -> bool:
        item = _item(ctx, ballot)
        if _multi(item):
            return ctx.choose_many(text, _choices(ctx, item), item.max_choices) is not None
        return ctx.choose(text, _choices(ctx, item)) is not None

    def read(self, ctx: Ctx, ballot: Ballot, text: str) -> Reply:
        item = _item(ctx, ballot)
        if _plain(text) in lexicon.BACK_WORDS:
            return _back(ctx, ballot, item.number)
        labels = _choices(ctx, item)
        if _multi(item):
            chosen = ctx.choose_many(text, labels, len(labels))
            if chosen is not None and item.abstain_number in chosen and len(chosen) > 1:
                return ctx.reprompt("ballot.hint.abstain_alone")
            if chosen is None or len(chosen) > item.max_choices:
                if too_many(text, labels, item.max_choices):
                    return ctx.reprompt("ballot.hint.too_many", k=item.max_choices)
                return ctx.reprompt("ballot.hint.many", k=item.max_choices)
            picks, _ = read_draft(ctx, ballot)
            ctx.conversation.state = states.BALLOT_CHECK
            return ctx.stay(draft=seal_draft(ctx, ballot, picks, chosen))
        choice = ctx.choose(text, labels)
        if choice is None:
            if item.kind == YES_NO and _plain(text) in lexicon.AGREEMENT_WORDS:
                return ctx.reprompt("ballot.hint.yes_no")
            return ctx.reprompt()
        return _advance(ctx, ballot, item, [choice])


class _YesOrAgain(_OnOpenBallot):
    """A step answered `1` (go on) or `2` (choose again), worded by `keys`."""

    keys: tuple[str, str]

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t(key) for key in self.keys]

    def labels(self, ctx: Ctx, ballot: Ballot) -> list[str]:
        return self._labels(ctx)


class BallotCheckMany(_YesOrAgain):
    """A multi-select answer read back before moving on: `1. 예` / `2. 아니오 (다시 고르기)`."""

    name = states.BALLOT_CHECK
    keys = ("ballot.check.yes", "ballot.check.no")

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        item = _item(ctx, ballot)
        _, pending = read_draft(ctx, ballot)
        labels = _choices(ctx, item)
        picked = "\n".join(f"- {labels[n - 1]}" for n in pending)
        return ctx.reply(ctx.t("ballot.check_many", picked=picked), self._labels(ctx))

    def read(self, ctx: Ctx, ballot: Ballot, text: str) -> Reply:
        if _plain(text) in lexicon.BACK_WORDS:
            picks, _ = read_draft(ctx, ballot)
            return to_item(ctx, ballot, _item(ctx, ballot).number, picks)
        choice = ctx.choose(text, self._labels(ctx), lexicon.ALIASES["redo"])
        if choice is None:
            return ctx.reprompt()
        item = _item(ctx, ballot)
        picks, pending = read_draft(ctx, ballot)
        if choice == 2 or not pending:
            return to_item(ctx, ballot, item.number, picks)
        return _advance(ctx, ballot, item, pending, picks)


class BallotConfirm(_YesOrAgain):
    name = states.BALLOT_CONFIRM
    keys = ("ballot.submit", "ballot.redo")

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        picks, _ = read_draft(ctx, ballot)
        lines = []
        for item in ballot.items:
            labels = _choices(ctx, item)
            numbers = picks.get(str(item.number), [])
            chosen = ", ".join(labels[n - 1] for n in numbers)
            if item.budget_plan is not None:
                chosen += " " + ctx.t("budget.total", total=won(budget.spent(item.costs, numbers),
                                                                ctx.lang))
            lines.append(f"{item.number}. {item.title}\n   → {chosen}")
        reply = ctx.reply(ctx.t("ballot.summary", lines="\n".join(lines)), self._labels(ctx))
        reply.home_apart = True  # `0` stands apart from 예/아니오, and leaving keeps the vote
        return reply

    def read(self, ctx: Ctx, ballot: Ballot, text: str) -> Reply:
        if _plain(text) in lexicon.BACK_WORDS:
            picks, _ = read_draft(ctx, ballot)
            return to_item(ctx, ballot, len(ballot.items), picks)
        choice = ctx.choose(text, self._labels(ctx), lexicon.ALIASES["redo"])
        if choice is None:
            return ctx.reprompt()
        if choice == 2:
            return to_item(ctx, ballot, 1, {}, ctx.t("ballot.redo.done"))
        picks, _ = read_draft(ctx, ballot)
        outcome = ballots.submit(ctx.session, sealing.keyring(ctx.settings), ballot, ctx.resident,
                                 vote_channel(ctx, ballot), CastVote(picks=picks), ctx.now)
        if outcome.status == ballots.RECORDED:
            return home_with(ctx, "ballot.recorded", closes=ctx.when(ballots.closing_time(ballot)))
        if outcome.status == ballots.ALREADY_VOTED:
            return already_voted(ctx, ballot, outcome.participation)
        if outcome.status == ballots.NOT_OPEN:
            return home_with(ctx, "ballot.closed_meanwhile", title=ballot.title)
        if outcome.status == ballots.NOT_PRESENT:
            return home_with(ctx, "ballot.present_only")
        if outcome.status == ballots.INELIGIBLE:
            return begin(ctx, ballot) if outcome.reason == TOO_YOUNG else home_with(
                ctx, "ballot.moved_out", phone=ctx.phone())
        return to_item(ctx, ballot, 1, {}, ctx.t("ballot.redo.done"))


STATE_CLASSES = (BallotItemStep, BallotCheckMany, BallotConfirm)
