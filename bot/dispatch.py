"""The dispatcher: one inbound message → conversation state → handler → one reply, one transaction."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from bot import rooms
from bot.ballots import cache
from bot.catalogue import t
from bot.catalogue.lexicon import ABSTAIN_WORD, HOME_WORDS, KEYWORD_SUFFIXES, VOTE_WORDS
from bot.choices import read_choice
from bot.config import Settings
from bot.conversation import ConversationState, Inbound, Reply
from bot.metrics import step_kind
from bot.models import ChannelAccount, Conversation, Resident, utcnow
from bot.models.channels import ProcessedMessage
from bot.queries import community_by_slug
from bot.text import clean as invisible_stripped
from handlers import states
from handlers.base import KEYWORDS, STATES, Ctx
from handlers.live import entry as live_entry

MAX_TEXT = 4000
_SQUEEZE = re.compile(r"[\s.!~,]+")


def _compact(text: str) -> str:
    return _SQUEEZE.sub("", text).lower()


@functools.lru_cache(maxsize=4)
def _keyword_table(size: int) -> dict[str, str]:
    """The keywords in compact form, worked out once (again only if more were registered)."""
    return {_compact(word): state for word, state in KEYWORDS.items()}


def keyword_target(text: str) -> str | None:
    """The state a keyword at any step jumps to (`0`, `처음`, `투표`, `제안`, `인증`, ...)."""
    compact = _compact(text)
    if not compact:
        return None
    if compact in HOME_WORDS:
        return states.HOME
    table = _keyword_table(len(KEYWORDS))
    if compact in table:
        return table[compact]
    for suffix in KEYWORD_SUFFIXES:
        if compact.endswith(suffix) and compact[: -len(suffix)] in table:
            return table[compact[: -len(suffix)]]
    return None


def first_time(session: Session, channel: str, key: str) -> bool:
    """Mark a provider's message id as handled; False when it was already (same transaction as
    the handling, so a failed attempt leaves it unmarked for the retry)."""
    try:
        with session.begin_nested():
            session.add(ProcessedMessage(channel=channel, key=key))
            session.flush()
    except IntegrityError:
        return False
    return True


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", invisible_stripped(text)).replace("\x00", "")
    return text.strip()[:MAX_TEXT]


def account_for(session: Session, channel: str, external_id: str) -> ChannelAccount:
    """The channel account, created on first contact (safe when two first messages race)."""
    query = select(ChannelAccount).where(
        ChannelAccount.channel == channel, ChannelAccount.external_id == external_id
    )
    account = session.scalars(query).first()
    if account is not None:
        return account
    try:
        with session.begin_nested():
            account = ChannelAccount(channel=channel, external_id=external_id)
            session.add(account)
            session.flush()
    except IntegrityError:
        account = session.scalars(query).one()
    return account


# Built once: constructing the statements cost more than running them on SQLite.
_KNOWN = (
    select(ChannelAccount, Conversation.state, Conversation.data, Conversation.misses,
           Conversation.updated_at, cache.VERSION)
    .join(Conversation, Conversation.account_id == ChannelAccount.id)
    .where(ChannelAccount.channel == bindparam("channel"),
           ChannelAccount.external_id == bindparam("external_id"))
    .options(joinedload(ChannelAccount.resident).joinedload(Resident.community))
    .with_for_update(of=Conversation)
)
_conversations = Conversation.__table__
_SAVE = (update(_conversations)
         .where(_conversations.c.account_id == bindparam("conv_account"))
         .values(state=bindparam("conv_state"), data=bindparam("conv_data"),
                 misses=bindparam("conv_misses"), updated_at=bindparam("conv_at")))


def _known(session: Session, channel: str, external_id: str
           ) -> tuple[ChannelAccount, ConversationState] | None:
    """A returning account with its resident and community, and its conversation row-locked,
    in one statement: the hot path of every message after the first. The same statement reads
    the version of what the worker keeps in memory (bot/ballots/cache.py)."""
    row = session.execute(_KNOWN, {"channel": channel, "external_id": external_id}).first()
    if row is None:
        return None
    account, state, data, misses, updated_at, version = row
    session.info[cache.VERSION_KEY] = version
    return account, ConversationState(account.id, state, data or {}, misses or 0, updated_at)


def _save(session: Session, conv: ConversationState) -> None:
    session.connection().execute(_SAVE, {
        "conv_account": conv.account_id, "conv_state": conv.state, "conv_data": conv.data,
        "conv_misses": conv.misses, "conv_at": conv.updated_at})


def _conversation_for(session: Session, account: ChannelAccount, now: datetime
                      ) -> ConversationState:
    # The row lock serialises two messages of one account (a double-tapped confirmation).
    conv = session.get(Conversation, account.id, with_for_update=True)
    if conv is None:
        try:
            with session.begin_nested():
                conv = Conversation(account_id=account.id, state=states.HOME, data={},
                                    updated_at=now)
                session.add(conv)
                session.flush()
        except IntegrityError:
            conv = session.get(Conversation, account.id, with_for_update=True)
    return ConversationState(account.id, conv.state, dict(conv.data or {}), conv.misses or 0,
                             conv.updated_at)


_PERSONAL = re.compile(r"[0-9]{4,}")


LINK_COMMAND = "/link"


def link_room(session: Session, settings: Settings, inbound: Inbound, text: str,
              now: datetime) -> Reply:
    """`/link CODE` typed in a group: the group becomes one of the community's rooms."""
    status, community = rooms.link(session, inbound.channel, inbound.room_key or "",
                                   inbound.room_title, text.partition(" ")[2],
                                   settings["IDENTITY_PEPPER"], now)
    name = community.name if community else ""
    answer = {rooms.LINKED: t("room.linked", community=name),
              rooms.ALREADY: t("room.already", community=name),
              rooms.BAD_CODE: t("room.bad_code")}[status]
    return Reply(answer, home=False)


def room_reply(inbound: Inbound, text: str, lang: str = "ko") -> Reply | None:
    """A message in a community room never enters a conversation: personal business (voting,
    enrolment, a number that looks like a vote, digits that look like personal data) gets a
    pointer to the 1:1 chat, help gets help, and neighbours' chatter gets no answer at all."""
    target = keyword_target(text)
    if target == states.HELP:
        return Reply(t("core.room_help", lang, link=inbound.private_link).strip(), home=False)
    looks_like_a_vote = read_choice(text, list(VOTE_WORDS), {ABSTAIN_WORD: 1}) is not None
    if ((target is not None and STATES[target].private_only) or looks_like_a_vote
            or _PERSONAL.search(unicodedata.normalize("NFKC", text))):
        return Reply(t("core.private_only", lang, link=inbound.private_link).strip(),
                     home=False)
    return None


def _in_room(session: Session, settings: Settings, inbound: Inbound,
             now: datetime) -> Reply | None:
    text = clean_text(inbound.text)
    if text.split(" ")[0].split("@")[0].lower() == LINK_COMMAND:
        reply = link_room(session, settings, inbound, text, now)
    else:
        reply = room_reply(inbound, text)
    if reply is not None:
        reply.step = "room"
    return reply


def dispatch(session: Session, settings: Settings, inbound: Inbound,
             now: datetime | None = None) -> Reply | None:
    """Handle one message inside the caller's transaction and return what to answer (None: say
    nothing, for a room message that is not for the bot)."""
    now = now or utcnow()
    if inbound.message_id and not first_time(session, inbound.channel, inbound.message_id):
        return None  # a redelivery of a message already handled
    if not inbound.is_private:
        return _in_room(session, settings, inbound, now)
    known = _known(session, inbound.channel, inbound.account_key)
    if known is not None:
        account, conv = known
    else:  # first contact: create what is missing, safe against a racing first message
        account = account_for(session, inbound.channel, inbound.account_key)
        conv = _conversation_for(session, account, now)
    if inbound.community_slug and account.resident_id is None:
        community = community_by_slug(session, inbound.community_slug)
        if community is not None:
            account.community_hint_id = community.id
    text = clean_text(inbound.text)
    step = step_kind(conv.state)
    ctx = Ctx(session=session, settings=settings, account=account, conversation=conv,
              inbound=inbound, now=now)

    idle = timedelta(minutes=settings["CONVERSATION_IDLE_MINUTES"])
    was_idle = conv.state != states.HOME and now - conv.updated_at > idle
    target = keyword_target(text)
    # The conversation row is written once, at commit: reads in between need not flush it (each
    # flush was an extra UPDATE round trip). Services that insert flush explicitly.
    with session.no_autoflush:
        current = STATES.get(conv.state)
        meeting = live_entry(ctx, current, text) if target is None else None
        if meeting is not None:
            reply = _leave(ctx, current, meeting[0], meeting[1], **meeting[2])
        elif target is not None:
            reply = _leave(ctx, current, target)
        elif was_idle and current is not None and current.fits(ctx, text):
            reply = current.receive(ctx, text)  # after a pause, a reply that fits goes on
        elif was_idle:
            reply = _leave(ctx, current, states.HOME, t("core.idle_reset", ctx.lang))
        else:
            state = current or STATES[states.HOME]
            if state is not current:
                conv.state = states.HOME
            reply = state.receive(ctx, text)
    conv.updated_at = now
    _save(session, conv)
    reply.step, reply.outcome = step, ctx.outcome
    return reply


def _leave(ctx: Ctx, current, target: str, prefix: str | None = None,  # noqa: ANN001
           **data: object) -> Reply:
    """Go to `target` from the current step (only private chats get here). A step left
    unfinished may keep something for later (a vote not yet submitted): then the resident is
    told so, and going home shows that vote waiting with `1. 이어서 하기`."""
    kept = current is not None and current.pause(ctx)
    if kept and target == states.HOME:
        return ctx.goto(states.BALLOT_PAUSED, _prefix=prefix)
    reply = ctx.goto(target, _prefix=prefix, **data)
    if kept and target != states.BALLOT_START:
        reply.text = f"{t('ballot.paused.short', ctx.lang)}\n\n{reply.text}"
    return reply
