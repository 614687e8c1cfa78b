"""투표: the open ballots → the overview and each item in turn → a summary → `1. 예 (제출)`.

Only `1` at the summary records anything, and it records every item at once. Until then the
choices live in the conversation only, as a draft sealed with a random nonce under a key the
database does not hold (bot/sealing.py), one length for every voter. A resident who leaves
before submitting (`0`, another keyword, a long pause) is told the vote is not submitted yet and
finds it where they left it (`1. 이어서 하기`, or `투표`) until the ballot closes; submitting or
choosing again clears it, and the clock wipes drafts of ballots that closed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot import ballots, notices, sealing
from bot.choices import NO, YES, too_many
from bot.conversation import Reply
from bot.eligibility import MOVED_OUT, TOO_YOUNG, ineligibility
from bot.models.ballot import CHOOSE_UP_TO, YES_NO, Ballot, BallotItem, Participation
from bot.queries import community_by_slug
from handlers.base import NEXT, Ctx, State, keyword, page_of, read_paged, register, with_paging


def _how(ctx: Ctx, participation: Participation) -> str:
    return ctx.channel_name(participation.channel)


def _home(ctx: Ctx, key: str, **values: object) -> Reply:
    return ctx.goto("home", _prefix=ctx.t(key, **values))


def _already(ctx: Ctx, ballot: Ballot, participation: Participation) -> Reply:
    return _home(ctx, "ballot.already", title=ballot.title, when=ctx.when(participation.at),
                 how=_how(ctx, participation))


def _resident_refusal(ctx: Ctx, then: str) -> Reply | None:
    """Who may not vote at all, whatever the ballot: unverified, elsewhere, moved out."""
    resident = ctx.resident
    if resident is None:
        return ctx.goto("enrol.start", _prefix=ctx.t(
            "ballot.need_enrol" if then == "ballot.start" else "mine.need_enrol"), then=then)
    slug = ctx.inbound.community_slug
    if slug and slug != resident.community.slug:
        here = community_by_slug(ctx.session, slug)
        if here is not None:
            return _home(ctx, "ballot.other_community", here=here.name,
                         own=resident.community.name)
    if resident.moved_out:
        return _home(ctx, "ballot.moved_out", phone=ctx.phone())
    return None


def _begin(ctx: Ctx, ballot: Ballot) -> Reply:
    participation = ballots.participation_of(ctx.session, ballot.id, ctx.resident.id)
    if participation is not None:
        return _already(ctx, ballot, participation)
    reason = ineligibility(ctx.resident, ballot.community, ballots.closing_day(ballot))
    if reason == TOO_YOUNG:
        return _home(ctx, "ballot.too_young", title=ballot.title,
                     age=ballot.community.min_voting_age)
    if reason == MOVED_OUT:
        return _home(ctx, "ballot.moved_out", phone=ctx.phone())
    return _to_item(ctx, ballot, 1, {})


def _draft(ctx: Ctx, ballot: Ballot) -> tuple[dict[str, list[int]], list[int]]:
    """The picks so far and a multi-select answer awaiting its read-back, from the sealed
    draft (nothing if it cannot be opened)."""
    plain = sealing.open_draft(sealing.keyring(ctx.settings), ctx.data.get("draft"))
    if plain is None:
        return {}, []
    try:
        return sealing.decode(ballots.option_counts(ballot), plain)
    except ValueError:
        return {}, []


def _sealed(ctx: Ctx, ballot: Ballot, picks: dict[str, list[int]],
            pending: list[int] | tuple = ()) -> str:
    return sealing.seal_draft(sealing.keyring(ctx.settings),
                              sealing.encode(ballots.option_counts(ballot), picks, pending))


def _to_item(ctx: Ctx, ballot: Ballot, number: int, picks: dict[str, list[int]],
             prefix: str | None = None) -> Reply:
    return ctx.goto("ballot.item", _prefix=prefix, ballot=ballot.id, item=number,
                    draft=_sealed(ctx, ballot, picks), paused=None)


BACK_WORDS = {"이전", "이전으로", "뒤로", "뒤로가기", "전으로", "앞안건", "이전안건", "전안건"}
AGREEMENT_WORDS = YES | NO | {"좋아", "좋아요", "싫어", "싫어요", "좋습니다", "그렇다", "응응"}


def _plain(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch in "ㅇㄴ")


def _back(ctx: Ctx, ballot: Ballot, number: int) -> Reply:
    """One item back (`이전`, `뒤로`): the picks so far stay; at item 1 there is nowhere to go."""
    if number <= 1:
        return ctx.reprompt("ballot.hint.first")
    picks, _ = _draft(ctx, ballot)
    return _to_item(ctx, ballot, number - 1, picks)


def _paused_ballot(ctx: Ctx) -> Ballot | None:
    """The ballot of the vote waiting in `paused`, if it is still open and not yet voted in;
    otherwise the paused vote is dropped."""
    paused = ctx.data.get("paused")
    if not isinstance(paused, dict) or ctx.resident is None:
        return None
    ballot = ctx.session.get(Ballot, paused.get("ballot", 0))
    if (ballot is None or ballots.status(ballot, ctx.now) != ballots.OPEN
            or ballots.participation_of(ctx.session, ballot.id, ctx.resident.id) is not None):
        ctx.conversation.data.pop("paused", None)
        return None
    return ballot


def _resume(ctx: Ctx, ballot: Ballot, prefix: str | None = None) -> Reply:
    paused = ctx.data["paused"]
    step = paused.get("step") if paused.get("step") in STEPS else "ballot.item"
    values = {"ballot": ballot.id, "draft": paused["draft"]}
    if step != "ballot.confirm":
        values["item"] = min(max(1, int(paused.get("item", 1))), len(ballot.items))
    return ctx.goto(step, _prefix=prefix or ctx.t("ballot.resumed"), paused=None, **values)


def _open_ballot(ctx: Ctx) -> Ballot | None:
    ballot = ctx.session.get(Ballot, ctx.data.get("ballot", 0))
    if ballot is None or ballots.status(ballot, ctx.now) != ballots.OPEN:
        return None
    return ballot


def _closed(ctx: Ctx) -> Reply:
    ballot = ctx.session.get(Ballot, ctx.data.get("ballot", 0))
    return _home(ctx, "ballot.closed_meanwhile", title=ballot.title if ballot else "")


@register
class BallotStart(State):
    name = "ballot.start"
    private_only = True

    def _labels(self, ctx: Ctx, rows: list[Ballot]) -> list[str]:
        labels = []
        for ballot in rows:
            done = ballots.participation_of(ctx.session, ballot.id, ctx.resident.id)
            labels.append(ctx.t("ballot.pick.done", title=ballot.title) if done else ballot.title)
        return labels

    def enter(self, ctx: Ctx) -> Reply:
        refusal = _resident_refusal(ctx, "ballot.start")
        if refusal is not None:
            return refusal
        waiting = _paused_ballot(ctx)
        if waiting is not None:
            return _resume(ctx, waiting)
        community_id = ctx.resident.community_id
        rows = ballots.open_ballots(ctx.session, community_id, ctx.now)
        if not rows:
            text = ctx.t("ballot.none_open")
            upcoming = ballots.next_ballot(ctx.session, community_id, ctx.now)
            if upcoming is not None:
                text += "\n" + ctx.t("ballot.next", title=upcoming.title,
                                     when=ctx.when(upcoming.opens_at))
            return ctx.goto("home", _prefix=text)
        if len(rows) == 1:
            return _begin(ctx, rows[0])
        rows = rows[:9]
        ctx.set(ballots=[b.id for b in rows])
        return ctx.reply(ctx.t("ballot.pick", count=len(rows)), self._labels(ctx, rows))

    def receive(self, ctx: Ctx, text: str) -> Reply:
        rows = [b for b in (ctx.session.get(Ballot, i) for i in ctx.data.get("ballots", []))
                if b is not None]
        choice = ctx.choose(text, [b.title for b in rows])
        if choice is None:
            return ctx.reprompt()
        ballot = rows[choice - 1]
        if ballots.status(ballot, ctx.now) != ballots.OPEN:
            return _home(ctx, "ballot.closed_meanwhile", title=ballot.title)
        return _begin(ctx, ballot)


def _item(ctx: Ctx, ballot: Ballot) -> BallotItem:
    return ballot.items[ctx.data["item"] - 1]


def _advance(ctx: Ctx, ballot: Ballot, item: BallotItem, chosen: list[int],
             picks: dict[str, list[int]] | None = None) -> Reply:
    """Keep `chosen` for this item (with the picks so far, read from the draft unless given)
    and go on to the next item or the summary."""
    if picks is None:
        picks, _ = _draft(ctx, ballot)
    picks[str(item.number)] = chosen
    if item.number < len(ballot.items):
        return _to_item(ctx, ballot, item.number + 1, picks)
    return ctx.goto("ballot.confirm", ballot=ballot.id, draft=_sealed(ctx, ballot, picks))


def _multi(item: BallotItem) -> bool:
    return item.kind == CHOOSE_UP_TO and item.max_choices > 1


def _choices(ctx: Ctx, item: BallotItem) -> list[str]:
    """What the resident may answer at an item: its options, then 기권 where it is allowed."""
    return [*item.options, ctx.t("ballot.abstain")] if item.allow_abstain else list(item.options)


class _OnOpenBallot(State):
    """A step inside one ballot: if the ballot has closed meanwhile, say so and go home;
    otherwise `show` and `read` get the open ballot."""

    private_only = True

    def enter(self, ctx: Ctx) -> Reply:
        ballot = _open_ballot(ctx)
        return _closed(ctx) if ballot is None else self.show(ctx, ballot)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        ballot = _open_ballot(ctx)
        return _closed(ctx) if ballot is None else self.read(ctx, ballot, text)

    def fits(self, ctx: Ctx, text: str) -> bool:
        ballot = _open_ballot(ctx)
        return ballot is not None and self.understood(ctx, ballot, text)

    def understood(self, ctx: Ctx, ballot: Ballot, text: str) -> bool:
        return ctx.choose(text, self.labels(ctx, ballot)) is not None

    def labels(self, ctx: Ctx, ballot: Ballot) -> list[str]:
        raise NotImplementedError  # abstract

    def pause(self, ctx: Ctx) -> bool:
        """Keep the vote in progress (its sealed draft and where it was) for later."""
        ballot = _open_ballot(ctx)
        if ballot is None or "draft" not in ctx.data:
            return False
        ctx.set(paused={"ballot": ballot.id, "item": ctx.data.get("item", len(ballot.items)),
                        "step": ctx.conversation.state, "draft": ctx.data["draft"]})
        return True

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        raise NotImplementedError  # abstract

    def read(self, ctx: Ctx, ballot: Ballot, text: str) -> Reply:
        raise NotImplementedError  # abstract


@register
class BallotItemStep(_OnOpenBallot):
    """One item: its title, summary and numbered options (the overview comes with item 1)."""

    name = "ballot.item"

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        item = _item(ctx, ballot)
        parts = []
        if item.number == 1:
            parts.append(ctx.t("ballot.overview", title=ballot.title,
                               overview=ballot.overview.strip() or "-",
                               closes=ctx.when(ballots.closing_time(ballot))))
        header = ctx.t("ballot.item", number=item.number, total=len(ballot.items),
                       title=item.title)
        parts.append(f"{header}\n{item.summary.strip()}".strip())
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
        if _plain(text) in BACK_WORDS:
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
            picks, _ = _draft(ctx, ballot)
            ctx.conversation.state = "ballot.check"
            return ctx.stay(draft=_sealed(ctx, ballot, picks, chosen))
        choice = ctx.choose(text, labels)
        if choice is None:
            if item.kind == YES_NO and _plain(text) in AGREEMENT_WORDS:
                return ctx.reprompt("ballot.hint.yes_no")
            return ctx.reprompt()
        return _advance(ctx, ballot, item, [choice])


@register
class BallotCheckMany(_OnOpenBallot):
    """A multi-select answer read back before moving on: `1. 예` / `2. 아니오 (다시 고르기)`."""

    name = "ballot.check"

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("ballot.check.yes"), ctx.t("ballot.check.no")]

    def labels(self, ctx: Ctx, ballot: Ballot) -> list[str]:
        return self._labels(ctx)

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        item = _item(ctx, ballot)
        _, pending = _draft(ctx, ballot)
        labels = _choices(ctx, item)
        picked = "\n".join(f"- {labels[n - 1]}" for n in pending)
        return ctx.reply(ctx.t("ballot.check_many", picked=picked), self._labels(ctx))

    def read(self, ctx: Ctx, ballot: Ballot, text: str) -> Reply:
        if _plain(text) in BACK_WORDS:
            picks, _ = _draft(ctx, ballot)
            return _to_item(ctx, ballot, _item(ctx, ballot).number, picks)
        choice = ctx.choose(text, self._labels(ctx), {"다시": 2})
        if choice is None:
            return ctx.reprompt()
        item = _item(ctx, ballot)
        picks, pending = _draft(ctx, ballot)
        if choice == 2 or not pending:
            return _to_item(ctx, ballot, item.number, picks)
        return _advance(ctx, ballot, item, pending, picks)


@register
class BallotConfirm(_OnOpenBallot):
    name = "ballot.confirm"

    def _labels(self, ctx: Ctx) -> list[str]:
        return [ctx.t("ballot.submit"), ctx.t("ballot.redo")]

    def labels(self, ctx: Ctx, ballot: Ballot) -> list[str]:
        return self._labels(ctx)

    def show(self, ctx: Ctx, ballot: Ballot) -> Reply:
        picks, _ = _draft(ctx, ballot)
        lines = []
        for item in ballot.items:
            labels = _choices(ctx, item)
            chosen = ", ".join(labels[n - 1] for n in picks.get(str(item.number), []))
            lines.append(f"{item.number}. {item.title}\n   → {chosen}")
        reply = ctx.reply(ctx.t("ballot.summary", lines="\n".join(lines)), self._labels(ctx))
        reply.home_apart = True  # `0` stands apart from 예/아니오, and leaving keeps the vote
        return reply

    def read(self, ctx: Ctx, ballot: Ballot, text: str) -> Reply:
        if _plain(text) in BACK_WORDS:
            picks, _ = _draft(ctx, ballot)
            return _to_item(ctx, ballot, len(ballot.items), picks)
        choice = ctx.choose(text, self._labels(ctx), {"다시": 2})
        if choice is None:
            return ctx.reprompt()
        if choice == 2:
            return _to_item(ctx, ballot, 1, {}, ctx.t("ballot.redo.done"))
        picks, _ = _draft(ctx, ballot)
        outcome = ballots.submit(ctx.session, sealing.keyring(ctx.settings), ballot, ctx.resident,
                                 ctx.account.channel, picks, ctx.now)
        if outcome.status == ballots.RECORDED:
            return _home(ctx, "ballot.recorded", closes=ctx.when(ballots.closing_time(ballot)))
        if outcome.status == ballots.ALREADY_VOTED:
            return _already(ctx, ballot, outcome.participation)
        if outcome.status == ballots.NOT_OPEN:
            return _home(ctx, "ballot.closed_meanwhile", title=ballot.title)
        if outcome.status == ballots.INELIGIBLE:
            return _begin(ctx, ballot) if outcome.reason == TOO_YOUNG else _home(
                ctx, "ballot.moved_out", phone=ctx.phone())
        return _to_item(ctx, ballot, 1, {}, ctx.t("ballot.redo.done"))


STEPS = ("ballot.item", "ballot.check", "ballot.confirm")


@register
class BallotPaused(State):
    """A vote left before submitting: it is not submitted, and it waits (`1. 이어서 하기`)."""

    name = "ballot.paused"
    private_only = True

    def enter(self, ctx: Ctx) -> Reply:
        ballot = _paused_ballot(ctx)
        if ballot is None:
            return ctx.goto("home")
        return ctx.reply(ctx.t("ballot.paused", title=ballot.title,
                               closes=ctx.when(ballots.closing_time(ballot))),
                         [ctx.t("ballot.resume")])

    def receive(self, ctx: Ctx, text: str) -> Reply:
        ballot = _paused_ballot(ctx)
        if ballot is None:
            return ctx.goto("home")
        if ctx.choose(text, [ctx.t("ballot.resume")], {"이어서": 1, "계속": 1, "투표": 1}) is None:
            return ctx.reprompt()
        return _resume(ctx, ballot)


def start_pushed_ballot(ctx: Ctx) -> Reply | None:
    """`네` right after a push about a ballot: that ballot starts (None when there was no such
    push since the resident last wrote)."""
    if ctx.resident is None:
        return None
    # Pushes since the resident last wrote (all of them, on their very first message).
    since = ctx.conversation.updated_at
    if since >= ctx.now:
        since = datetime(2000, 1, 1, tzinfo=UTC)
    ballot = notices.last_ballot_push(ctx.session, ctx.account, since, ctx.now)
    if ballot is None or ballots.status(ballot, ctx.now) != ballots.OPEN:
        return None
    refusal = _resident_refusal(ctx, "ballot.start")
    if refusal is not None:
        return refusal
    waiting = _paused_ballot(ctx)
    if waiting is not None and waiting.id == ballot.id:
        return _resume(ctx, waiting)
    return _begin(ctx, ballot)


def _participation_lines(ctx: Ctx) -> list[tuple[object, str]]:
    """Everything the resident took part in, newest first: votes (when and how, never the
    choices), 공감 and 비공감, and their own proposals with where each stands."""
    from bot import proposals
    from bot.models.proposal import Agreement, Proposal

    resident = ctx.resident
    rows: list[tuple[object, str]] = []
    for ballot, p in ballots.voted_ballots(ctx.session, resident.id):
        rows.append((p.at, ctx.t("mine.ballot", title=ballot.title, when=ctx.when(p.at),
                                 how=_how(ctx, p))))
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


@register
class Mine(State):
    """내 참여 내역: votes, 공감 and proposals, newest first, five a page."""

    name = "mine"
    private_only = True

    def _page(self, ctx: Ctx) -> tuple[list[str], int, int]:
        return page_of([line for _, line in _participation_lines(ctx)], ctx.data.get("page"))

    def enter(self, ctx: Ctx) -> Reply:
        if ctx.resident is None:
            return ctx.goto("enrol.start", _prefix=ctx.t("mine.need_enrol"), then="mine")
        shown, page, pages = self._page(ctx)
        if not shown:
            return _home(ctx, "mine.none")
        text = ctx.t("mine.title", page=page, pages=pages) + "\n" + "\n".join(shown)
        if pages == 1:
            return ctx.goto("home", _prefix=text)  # all of it fits: the menu follows
        labels, numbers = with_paging(ctx, [], page, pages)
        return Reply(text=text, options=labels, numbers=numbers, lang=ctx.lang)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        if ctx.resident is None:
            return ctx.goto("home")
        _, page, pages = self._page(ctx)
        choice = read_paged(ctx, text, *with_paging(ctx, [], page, pages))
        if choice is None:
            return ctx.reprompt()
        return ctx.stay(page=page + (1 if choice == NEXT else -1))


for _word in ("투표", "투표하기", "주민총회", "주민투표"):
    keyword(_word, "ballot.start")
for _word in ("내 참여", "내참여", "내 참여 내역", "참여 내역", "참여내역"):
    keyword(_word, "mine")
