"""현장투표 in the chat: the six digits on the meeting's screen, sent in the 1:1 chat (typed, or
carried by Telegram's `/start` link from the QR code), enter the meeting's ballot as an on-site
vote. The conversation keeps which session was entered (`live`) through enrolment and until the
vote; the vote itself is the usual numbered flow and `1. 예 (제출)`.

A step that reads digits of its own (a birth date, a phone number, a centre code, free text) keeps
them: there six digits are never taken for a password.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import select

from bot import live
from bot.models.ballot import ONSITE_APP, Ballot, LiveSession
from handlers import states
from handlers.base import Ctx, State

LIVE = "live"  # conversation data: the id of the live session entered
TRIES = "live_tries"  # conversation data: wrong passwords in the current window
MAX_TRIES = 5
TRIES_WINDOW = timedelta(minutes=10)
_PASSWORD = re.compile(r"^[0-9]{6}$")
_SPACING = re.compile(r"[\s\-.]")


def password_of(text: str) -> str | None:
    """Six digits in any width, spaced or hyphenated (`123 456`, `１２３４５６`)."""
    plain = _SPACING.sub("", unicodedata.normalize("NFKC", text))
    return plain if _PASSWORD.match(plain) else None


def _tries(ctx: Ctx) -> tuple[int, datetime]:
    kept = ctx.data.get(TRIES)
    if isinstance(kept, dict):
        try:
            since = datetime.fromisoformat(kept["since"])
            if ctx.now - since < TRIES_WINDOW:
                return int(kept["n"]), since
        except (KeyError, TypeError, ValueError):
            pass
    return 0, ctx.now


def _any_open(ctx: Ctx) -> bool:
    return ctx.session.scalar(select(LiveSession.id).where(
        LiveSession.closed_at.is_(None)).limit(1)) is not None


def entry(ctx: Ctx, current: State | None, text: str
          ) -> tuple[str, str | None, dict] | None:
    """Where a password sends the resident: (state, a line before its prompt, data for it), or
    None when the text is not a password to act on."""
    code = password_of(text)
    if code is None or (current is not None and current.reads_digits):
        return None
    tries, since = _tries(ctx)
    if tries >= MAX_TRIES:
        minutes = max(1, -(-int((since + TRIES_WINDOW - ctx.now).total_seconds()) // 60))
        return states.HOME, ctx.t("live.too_many", minutes=minutes), {}
    match = live.recognise(ctx.session, code, ctx.now)
    if match is None or match.kind != live.FRESH:
        if match is None and not _any_open(ctx):
            return None  # no meeting anywhere: six digits mean whatever the step makes of them
        ctx.set(**{TRIES: {"n": tries + 1, "since": since.isoformat()}})
        if match is None:
            return (states.HOME, ctx.t("live.unknown"), {}) \
                if ctx.conversation.state == states.HOME else None
        return states.HOME, ctx.t("live.stale" if match.kind == live.STALE else "live.ended"), {}
    ctx.set(**{LIVE: match.live.id, TRIES: None})
    resident = ctx.resident
    if resident is None:
        return states.ENROL_START, ctx.t("live.enrol_first"), {"then": states.BALLOT_START}
    if resident.community_id != match.live.community_id:
        ctx.set(**{LIVE: None})
        return states.HOME, ctx.t("live.other_community", here=match.live.ballot.community.name,
                                  own=resident.community.name), {}
    return states.BALLOT_START, ctx.t("live.welcome"), {}


def entered(ctx: Ctx) -> LiveSession | None:
    """The live session this conversation entered, while it runs (once the meeting's session has
    ended the resident is no longer taken to be there, and the mark is dropped)."""
    live_id = ctx.data.get(LIVE)
    if not isinstance(live_id, int) or isinstance(live_id, bool):
        return None
    row = ctx.session.get(LiveSession, live_id)
    if row is None or row.closed_at is not None:
        ctx.conversation.data.pop(LIVE, None)
        return None
    return row


def present_ballots(ctx: Ctx) -> list[Ballot] | None:
    """The ballots a resident who entered a live session may vote in now (None: they did not
    enter one; the marker is dropped once nothing of that meeting is open)."""
    session = entered(ctx)
    if session is None:
        return None
    rows = live.ballots_of(ctx.session, session, ctx.now)
    if not rows:
        ctx.conversation.data.pop(LIVE, None)
    return rows


def vote_channel(ctx: Ctx, ballot: Ballot) -> str:
    """How a vote is recorded: on site in the app when the resident entered this meeting and its
    session still runs."""
    row = entered(ctx)
    if row is not None and live.covers(ctx.session, row, ballot):
        return ONSITE_APP
    return ctx.account.channel
