"""The conversation as a state table: each state says what it shows and how it reads a reply.

A handler never knows which messenger is in use and never imports an adapter. Handlers call the
domain services in `bot/` and return a `Reply`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue import day, lexicon, t, when
from bot.choices import read_choice, read_choices
from bot.config import Settings
from bot.conversation import ConversationState, Inbound, Reply
from bot.models import ChannelAccount, Community, Resident
from handlers import states

MISSES_BEFORE_PHONE = 3
# Conversation data that outlives a step: a vote left before submitting (`paused`) waits until
# the resident comes back to it or the ballot closes. `goto(..., paused=None)` drops it.
# The meeting's on-site session a resident entered (`live`, handlers/live.py) and their wrong
# passwords (`live_tries`) also stay until dropped.
# What the resident was just looking at (`about`: an agenda item or a proposal, by its comment
# target) lets `의견 보기`, `의견 남기기` and `자료` from anywhere mean that one; home drops it.
CARRIED = ("paused", "live", "live_tries", "about")


class State:
    """One row of the state table. `enter` shows the prompt; `receive` reads the answer."""

    name: ClassVar[str]
    # Personal business (enrolment, voting) is only done in a private chat.
    private_only: ClassVar[bool] = False
    # Whether this step reads digits of its own (a birth date, free text): then six digits are
    # never taken for the meeting's password (handlers/live.py).
    reads_digits: ClassVar[bool] = False

    def enter(self, ctx: Ctx) -> Reply:
        raise NotImplementedError  # abstract

    def receive(self, ctx: Ctx, text: str) -> Reply:
        return ctx.goto(states.HOME)

    def fits(self, ctx: Ctx, text: str) -> bool:
        """Whether `text` is plainly an answer to this step (read after an idle pause: a reply
        that fits continues where the resident was, anything else starts from the menu)."""
        return False

    def pause(self, ctx: Ctx) -> bool:
        """The resident is leaving this step unfinished (a keyword, or an idle pause): keep what
        must wait for them in the conversation data; True when something was kept."""
        return False


class PromptStep(State):
    """A private free-text step: its prompt, and a reprompt with the step's own hint."""

    private_only = True
    reads_digits = True
    prompt_key: ClassVar[str]
    hint_key: ClassVar[str]

    def enter(self, ctx: Ctx) -> Reply:
        return ctx.reply(ctx.t(self.prompt_key))


# A long list shows five a page with `7. 이전` / `8. 다음` (Reply.numbers).
PAGE_SIZE = 5
PREV, NEXT = 7, 8


def page_of(rows: Sequence[Any], wanted: Any) -> tuple[list[Any], int, int]:
    """The rows of page `wanted` (clamped), that page's number and how many pages there are."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(int(wanted or 1), 1), pages)
    return list(rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]), page, pages


def with_paging(ctx: Ctx, labels: list[str], page: int, pages: int
                ) -> tuple[list[str], list[int]]:
    """`labels` numbered 1..n, then `7. 이전` and `8. 다음` where there is a page to go to."""
    labels, numbers = list(labels), list(range(1, len(labels) + 1))
    if page > 1:
        labels.append(ctx.t("proposal.prev"))
        numbers.append(PREV)
    if page < pages:
        labels.append(ctx.t("proposal.next"))
        numbers.append(NEXT)
    return labels, numbers


def read_paged(ctx: Ctx, text: str, labels: list[str], numbers: list[int],
               words: dict[str, int] | None = None) -> int | None:
    """The option number (1..n, PREV or NEXT) the text names, `다음`/`이전` included, and any
    other `words` for an option number of the page."""
    slots = [""] * max(numbers, default=0)
    for number, label in zip(numbers, labels, strict=True):
        slots[number - 1] = label
    aliases = {word: number for word, number in ((lexicon.NEXT_WORD, NEXT),
                                                 (lexicon.PREV_WORD, PREV),
                                                 *(words or {}).items()) if number in numbers}
    choice = ctx.choose(text, slots, aliases)
    return choice if choice in numbers else None


def turned(ctx: Ctx, choice: int, page: int) -> Reply | None:
    """`7. 이전` / `8. 다음`: the same step, a page back or on (None for any other choice)."""
    if choice in (NEXT, PREV):
        return ctx.stay(page=page + (1 if choice == NEXT else -1))
    return None


# Filled by handlers.install(), never on import.
STATES: dict[str, State] = {}
KEYWORDS: dict[str, str] = {}


def register(cls: type[State]) -> None:
    """Add a state to the table (a name is registered once)."""
    if cls.name in STATES:
        raise RuntimeError(f"state {cls.name!r} registered twice")
    STATES[cls.name] = cls()


def keyword(word: str, state_name: str) -> None:
    """A word that jumps to a state from anywhere in the conversation."""
    KEYWORDS[word] = state_name


@dataclass
class Ctx:
    """Everything a state needs for one inbound message."""

    session: Session
    settings: Settings
    account: ChannelAccount
    conversation: ConversationState
    inbound: Inbound
    now: datetime
    # How the message went, for the metrics: understood, reasked (the prompt was repeated) or
    # refused (the resident was told why not).
    outcome: str = "understood"

    @property
    def lang(self) -> str:
        return self.account.lang or "ko"

    @property
    def data(self) -> dict[str, Any]:
        return self.conversation.data

    @property
    def resident(self) -> Resident | None:
        return self.account.resident

    @property
    def community(self) -> Community | None:
        """The resident's community, else the one this account was pointed at, else the only
        community there is (a deployment for one dong)."""
        if self.account.resident is not None:
            return self.account.resident.community
        if self.account.community_hint_id is not None:
            return self.session.get(Community, self.account.community_hint_id)
        if "_only" not in self.__dict__:  # asked once a message, not at every prompt line
            only = self.session.scalars(select(Community).limit(2)).all()
            self.__dict__["_only"] = only[0] if len(only) == 1 else None
        return self.__dict__["_only"]

    @property
    def zone(self) -> ZoneInfo:
        community = self.community
        return ZoneInfo(community.timezone if community is not None else self.settings["TIMEZONE"])

    def when(self, moment: datetime) -> str:
        """A moment as residents read it: `12월 1일(화) 18:00` in the community's time zone."""
        return when(moment, self.zone, self.lang)

    def day(self, moment: date) -> str:
        """A date as residents read it: `12월 31일`."""
        return day(moment, self.lang)

    def phone(self, community: Community | None = None, fallback: str = "-") -> str:
        """The community centre's phone number, for "call the centre" sentences."""
        community = community or self.community
        return community.phone if community is not None and community.phone else fallback

    def t(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def channel_name(self, channel: str) -> str:
        """A channel as residents say it (`카카오톡`, `현장 투표`), or its code when unnamed."""
        try:
            return self.t(f"ballot.channel.{channel}")
        except KeyError:
            return channel

    def reply(self, text: str, options: Sequence[str] = (), home: bool = True) -> Reply:
        return Reply(text=text, options=list(options), home=home, lang=self.lang)

    def set(self, **values: Any) -> None:
        """Update the conversation data (written back whole at the end of the message)."""
        self.conversation.data = {**self.conversation.data, **values}

    def goto(self, state_name: str, _prefix: str | None = None, **data: Any) -> Reply:
        """Move to a state with fresh data (what CARRIED names comes along) and show its
        prompt."""
        carried = {k: v for k, v in self.conversation.data.items() if k in CARRIED}
        fresh = {**carried, **data}
        self.conversation.state = state_name
        self.conversation.data = {k: v for k, v in fresh.items()
                                  if not (k in CARRIED and v is None)}
        self.conversation.misses = 0
        reply = STATES[state_name].enter(self)
        if _prefix:
            reply.text = f"{_prefix}\n\n{reply.text}"
        return reply

    def stay(self, **values: Any) -> Reply:
        """Show the current state's prompt again after updating its data."""
        self.set(**values)
        self.conversation.misses = 0
        return STATES[self.conversation.state].enter(self)

    def reprompt(self, hint_key: str = "core.hint.number", **values: Any) -> Reply:
        """The reply could not be read: say so, repeat the same prompt, act on nothing."""
        self.outcome = "reasked"
        self.conversation.misses += 1
        reply = STATES[self.conversation.state].enter(self)
        lines = [self.t(hint_key, **values)]
        if self.conversation.misses >= MISSES_BEFORE_PHONE:
            community = self.community
            if community is not None and community.phone:
                lines.append(self.t("core.hint.phone", phone=community.phone))
            else:
                lines.append(self.t("core.hint.phone.none"))
        reply.text = "\n".join(lines) + "\n\n" + reply.text
        return reply

    def refused(self, reply: Reply) -> Reply:
        """`reply` tells the resident why not: counted as a refusal."""
        self.outcome = "refused"
        return reply

    def choose(self, text: str, labels: Sequence[str], aliases: dict | None = None) -> int | None:
        return read_choice(text, labels, aliases)

    def choose_many(self, text: str, labels: Sequence[str], max_choices: int) -> list[int] | None:
        return read_choices(text, labels, max_choices)
