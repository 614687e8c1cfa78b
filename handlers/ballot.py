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

from bot import ballots, notices
from bot.catalogue import lexicon
from bot.conversation import Reply
from bot.models.ballot import Ballot
from bot.queries import community_by_slug
from handlers import states
from handlers.ballot_common import STEPS, begin, home_with
from handlers.base import Ctx, State
from handlers.live import present_ballots


def _resident_refusal(ctx: Ctx, then: str) -> Reply | None:
    """Who may not vote at all, whatever the ballot: unverified, elsewhere, moved out."""
    resident = ctx.resident
    if resident is None:
        return ctx.goto(states.ENROL_START, _prefix=ctx.t(
            "ballot.need_enrol" if then == states.BALLOT_START else "mine.need_enrol"), then=then)
    slug = ctx.inbound.community_slug
    if slug and slug != resident.community.slug:
        here = community_by_slug(ctx.session, slug)
        if here is not None:
            return home_with(ctx, "ballot.other_community", here=here.name,
                         own=resident.community.name)
    if resident.moved_out:
        return home_with(ctx, "ballot.moved_out", phone=ctx.phone())
    return None


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
    if step != states.BALLOT_CONFIRM:
        values["item"] = min(max(1, int(paused.get("item", 1))), len(ballot.items))
    return ctx.goto(step, _prefix=prefix or ctx.t("ballot.resumed"), paused=None, **values)


class BallotStart(State):
    name = states.BALLOT_START
    private_only = True

    def _labels(self, ctx: Ctx, rows: list[Ballot]) -> list[str]:
        labels = []
        for ballot in rows:
            done = ballots.participation_of(ctx.session, ballot.id, ctx.resident.id)
            labels.append(ctx.t("ballot.pick.done", title=ballot.title) if done else ballot.title)
        return labels

    def enter(self, ctx: Ctx) -> Reply:
        refusal = _resident_refusal(ctx, states.BALLOT_START)
        if refusal is not None:
            return ctx.refused(refusal)
        present = present_ballots(ctx)
        waiting = _paused_ballot(ctx)
        if waiting is not None and (present is None or waiting in present):
            return _resume(ctx, waiting)
        if present is not None:
            return self._at_the_meeting(ctx, present)
        community_id = ctx.resident.community_id
        rows = [b for b in ballots.open_ballots(ctx.session, community_id, ctx.now)
                if not b.present_only]
        if not rows:
            text = ctx.t("ballot.none_open")
            upcoming = ballots.next_ballot(ctx.session, community_id, ctx.now)
            if upcoming is not None:
                text += "\n" + ctx.t("ballot.next", title=upcoming.title,
                                     when=ctx.when(upcoming.opens_at))
            return ctx.goto(states.HOME, _prefix=text)
        return self._pick(ctx, rows)

    def _pick(self, ctx: Ctx, rows: list[Ballot]) -> Reply:
        if len(rows) == 1:
            return begin(ctx, rows[0])
        rows = rows[:9]
        ctx.set(ballots=[b.id for b in rows])
        return ctx.reply(ctx.t("ballot.pick", count=len(rows)), self._labels(ctx, rows))

    def _at_the_meeting(self, ctx: Ctx, rows: list[Ballot]) -> Reply:
        """The meeting's ballot and its open quick questions: the one not yet voted in starts at
        once; several are offered; none open sends the resident home."""
        if not rows:
            return home_with(ctx, "live.nothing_open")
        waiting = [b for b in rows
                   if ballots.participation_of(ctx.session, b.id, ctx.resident.id) is None]
        return self._pick(ctx, waiting if len(waiting) == 1 else rows)

    def receive(self, ctx: Ctx, text: str) -> Reply:
        rows = [b for b in (ctx.session.get(Ballot, i) for i in ctx.data.get("ballots", []))
                if b is not None]
        choice = ctx.choose(text, [b.title for b in rows])
        if choice is None:
            return ctx.reprompt()
        ballot = rows[choice - 1]
        if ballots.status(ballot, ctx.now) != ballots.OPEN:
            return home_with(ctx, "ballot.closed_meanwhile", title=ballot.title)
        return begin(ctx, ballot)


class BallotPaused(State):
    """A vote left before submitting: it is not submitted, and it waits (`1. 이어서 하기`)."""

    name = states.BALLOT_PAUSED
    private_only = True

    def enter(self, ctx: Ctx) -> Reply:
        ballot = _paused_ballot(ctx)
        if ballot is None:
            return ctx.goto(states.HOME)
        return ctx.reply(ctx.t("ballot.paused", title=ballot.title,
                               closes=ctx.when(ballots.closing_time(ballot))),
                         [ctx.t("ballot.resume")])

    def receive(self, ctx: Ctx, text: str) -> Reply:
        ballot = _paused_ballot(ctx)
        if ballot is None:
            return ctx.goto(states.HOME)
        if ctx.choose(text, [ctx.t("ballot.resume")], lexicon.ALIASES["ballot.resume"]) is None:
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
    return vote_in(ctx, ballot)


def vote_in(ctx: Ctx, ballot: Ballot) -> Reply:
    """Vote in this open ballot: who may not is told why; a vote left for later resumes."""
    refusal = _resident_refusal(ctx, states.BALLOT_START)
    if refusal is not None:
        return ctx.refused(refusal)
    waiting = _paused_ballot(ctx)
    if waiting is not None and waiting.id == ballot.id:
        return _resume(ctx, waiting)
    return begin(ctx, ballot)


STATE_CLASSES = (BallotStart, BallotPaused)
