"""What the ballot conversation's steps share: the sealed draft of the choices so far, where a
vote starts, and the answers that send a resident home (already voted, closed meanwhile)."""

from __future__ import annotations

from sqlalchemy import Row

from bot import ballots, sealing
from bot.conversation import Reply
from bot.eligibility import MOVED_OUT, TOO_YOUNG, ineligibility
from bot.models.ballot import Ballot, Participation
from handlers import states
from handlers.base import Ctx


def how_voted(ctx: Ctx, participation: Participation | Row) -> str:
    return ctx.channel_name(participation.channel)


def home_with(ctx: Ctx, key: str, **values: object) -> Reply:
    return ctx.goto(states.HOME, _prefix=ctx.t(key, **values))


def already_voted(ctx: Ctx, ballot: Ballot, participation: Participation | Row) -> Reply:
    return home_with(ctx, "ballot.already", title=ballot.title, when=ctx.when(participation.at),
                 how=how_voted(ctx, participation))


def begin(ctx: Ctx, ballot: Ballot) -> Reply:
    participation = ballots.voted(ctx.session, ballot.id, ctx.resident.id)
    if participation is not None:
        return already_voted(ctx, ballot, participation)
    reason = ineligibility(ctx.resident, ballot.community, ballots.closing_day(ballot))
    if reason == TOO_YOUNG:
        return home_with(ctx, "ballot.too_young", title=ballot.title,
                     age=ballot.community.min_voting_age)
    if reason == MOVED_OUT:
        return home_with(ctx, "ballot.moved_out", phone=ctx.phone())
    return to_item(ctx, ballot, 1, {})


def read_draft(ctx: Ctx, ballot: Ballot) -> tuple[dict[str, list[int]], list[int]]:
    """The picks so far and a multi-select answer awaiting its read-back, from the sealed
    draft (nothing if it cannot be opened)."""
    plain = sealing.open_draft(sealing.keyring(ctx.settings), ctx.data.get("draft"))
    if plain is None:
        return {}, []
    try:
        return sealing.decode(ballots.option_counts(ballot), plain)
    except ValueError:
        return {}, []


def seal_draft(ctx: Ctx, ballot: Ballot, picks: dict[str, list[int]],
            pending: list[int] | tuple = ()) -> str:
    return sealing.seal_draft(sealing.keyring(ctx.settings),
                              sealing.encode(ballots.option_counts(ballot), picks, pending))


def to_item(ctx: Ctx, ballot: Ballot, number: int, picks: dict[str, list[int]],
             prefix: str | None = None) -> Reply:
    """Item `number`: its step (a budget item has its own, starting from its picks so far).
    A vote keeps only its own data: `의견 보기` from it means the item it is on (`paused`)."""
    if ballot.items[number - 1].budget_plan is not None:
        return ctx.goto(states.BALLOT_BUDGET, _prefix=prefix, ballot=ballot.id, item=number,
                        page=1, paused=None, about=None,
                        draft=seal_draft(ctx, ballot, picks, picks.get(str(number), [])))
    return ctx.goto(states.BALLOT_ITEM, _prefix=prefix, ballot=ballot.id, item=number,
                    draft=seal_draft(ctx, ballot, picks), paused=None, about=None)


def open_ballot(ctx: Ctx) -> Ballot | None:
    """The ballot of the vote in progress while it is open: the worker's read-only copy."""
    ballot = ballots.cached(ctx.session, ctx.data.get("ballot", 0))
    if ballot is None or ballots.status(ballot, ctx.now) != ballots.OPEN:
        return None
    return ballot


def closed_meanwhile(ctx: Ctx) -> Reply:
    ballot = ctx.session.get(Ballot, ctx.data.get("ballot", 0))
    return home_with(ctx, "ballot.closed_meanwhile", title=ballot.title if ballot else "")


STEPS = (states.BALLOT_ITEM, states.BALLOT_CHECK, states.BALLOT_CONFIRM, states.BALLOT_BUDGET)
