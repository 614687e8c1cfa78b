"""On-site voting at the meeting (현장투표): a live session of an open ballot.

A projector shows a password of six digits that changes every minute (a TOTP of the session's
seed, RFC 6238 by pyotp) and a QR code of the chat link that carries it. A resident who sends the
password in the 1:1 chat votes as present: their participation is `onsite_app`, sealed exactly
like an online vote. A password is accepted for its minute and a short grace after; an older one
is recognised and refused kindly. Quick questions asked during the session are one-item ballots
that only residents present may vote in (`present_only`).

Nothing records who came apart from the participations themselves: the conversation keeps which
session a resident entered (`live` in its data) until they vote.
"""

from __future__ import annotations

import hmac
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import ballots
from bot.audit import record
from bot.commands import read_in
from bot.commands.ballots import AskQuestion, CreateBallot
from bot.config import Settings
from bot.errors import Conflict
from bot.models.ballot import Ballot, LiveQuestion, LiveSession
from bot.sealing import Keyring

STEP = 60  # seconds a password is shown
GRACE = timedelta(seconds=30)  # how long the previous password is still accepted
REMEMBERED = timedelta(hours=1)  # how far back an old password is recognised (and refused)
DIGITS = 6

FRESH = "fresh"  # the password on the screen now (or just before): the resident is present
STALE = "stale"  # an older password of a session still running: ask for the new one
ENDED = "ended"  # a password of a session that has ended


@dataclass(frozen=True)
class Match:
    live: LiveSession
    kind: str


def _totp(live: LiveSession) -> pyotp.TOTP:
    return pyotp.TOTP(live.secret, digits=DIGITS, interval=STEP)


def password(live: LiveSession, now: datetime) -> str:
    return _totp(live).at(now)


def expires_at(now: datetime) -> datetime:
    """When the password shown at `now` is replaced by the next one (a whole minute)."""
    stamp = int(now.timestamp())
    return now - timedelta(seconds=stamp % STEP, microseconds=now.microsecond) + \
        timedelta(seconds=STEP)


def open_session(session: Session, ballot: Ballot) -> LiveSession | None:
    return session.scalars(select(LiveSession).where(
        LiveSession.ballot_id == ballot.id, LiveSession.closed_at.is_(None))).first()


def start(session: Session, ballot: Ballot, actor: str, now: datetime
          ) -> tuple[LiveSession, bool]:
    """Open the ballot's live session, or give the one already open (False: not new)."""
    state = ballots.status(ballot, now)
    if state != ballots.OPEN:
        raise Conflict(f"ballot_{state}", "error.live.not_open")
    if ballot.present_only:
        raise Conflict("live_question", "error.live.question")
    running = open_session(session, ballot)
    if running is not None:
        return running, False
    live = LiveSession(ballot_id=ballot.id, community_id=ballot.community_id,
                       secret=pyotp.random_base32(), started_at=now, started_by=actor)
    live.ballot = ballot
    session.add(live)
    session.flush()
    record(session, actor, "live.started", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", live=live.id)
    return live, True


def close(session: Session, live: LiveSession, actor: str, now: datetime) -> None:
    if live.closed_at is not None:
        raise Conflict("live_closed")
    live.closed_at = now
    record(session, actor, "live.closed", community_id=live.community_id,
           subject=f"ballot:{live.ballot_id}", live=live.id)


def ask(session: Session, keys: Keyring, live: LiveSession, command: AskQuestion, actor: str,
        now: datetime) -> Ballot:
    """A quick question: a secret one-item ballot open at once for `minutes`, present only,
    never announced to the rooms nor reminded."""
    if live.closed_at is not None:
        raise Conflict("live_closed")
    community = live.ballot.community
    item = command.model_dump(exclude={"minutes"}, exclude_unset=False)
    create = read_in(CreateBallot, {
        "title": command.title, "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(minutes=command.minutes)).isoformat(),
        "items": [item], "reminders": [], "secret": True}, "invalid_question", community, now)
    ballot = ballots.create(session, keys, community, create, actor, now)
    ballot.present_only = True
    ballot.opened_at = now  # the clock announces openings to the rooms: not this one
    session.add(LiveQuestion(live_id=live.id, ballot_id=ballot.id))
    session.flush()
    record(session, actor, "live.question", community_id=community.id,
           subject=f"ballot:{ballot.id}", live=live.id)
    return ballot


def questions(session: Session, live: LiveSession) -> list[Ballot]:
    return list(session.scalars(select(Ballot).join(LiveQuestion, LiveQuestion.ballot_id ==
                                                    Ballot.id)
                                .where(LiveQuestion.live_id == live.id).order_by(Ballot.id)))


def ballots_of(session: Session, live: LiveSession, now: datetime) -> list[Ballot]:
    """What a resident present can vote in now: the session's ballot and its open questions."""
    rows = [live.ballot, *questions(session, live)]
    return [b for b in rows if ballots.status(b, now) == ballots.OPEN]


def covers(session: Session, live: LiveSession, ballot: Ballot) -> bool:
    """Whether `ballot` is the session's ballot or one of its quick questions."""
    if live.ballot_id == ballot.id:
        return True
    return session.scalar(select(LiveQuestion.id).where(LiveQuestion.live_id == live.id,
                                                        LiveQuestion.ballot_id == ballot.id)
                          ) is not None


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def accepts(live: LiveSession, code: str, now: datetime) -> bool:
    """Whether `code` is the session's password now, or the previous one within the grace."""
    return live.closed_at is None and any(_same(code, password(live, moment))
                                          for moment in (now, now - GRACE))


def recognise(session: Session, code: str, now: datetime) -> Match | None:
    """Which session's password `code` is: the current one (or the previous within the grace),
    an older one of the last hour, or one of a session that ended; None for no session's."""
    rows = session.scalars(select(LiveSession).where(or_(
        LiveSession.closed_at.is_(None), LiveSession.closed_at > now - REMEMBERED)).order_by(
        LiveSession.id)).all()
    for live in rows:
        if accepts(live, code, now):
            return Match(live, FRESH)
    for live in rows:
        end = live.closed_at or now
        start_minute = max(live.started_at - timedelta(seconds=STEP), now - REMEMBERED)
        moment = end
        while moment >= start_minute:
            if _same(code, password(live, moment)):
                return Match(live, STALE if live.closed_at is None else ENDED)
            moment -= timedelta(seconds=STEP)
    return None


def join_urls(settings: Settings, code: str) -> dict[str, str]:
    """Where the QR code leads, by messenger: Telegram's deep link carries the password; the
    KakaoTalk channel's chat link cannot, so the screen asks to type it there."""
    urls = {}
    username = settings["TELEGRAM_BOT_USERNAME"].lstrip("@")
    if username:
        urls["telegram"] = f"https://t.me/{username}?start={code}"
    if settings["KAKAO_CHANNEL_URL"]:
        urls["kakao"] = settings["KAKAO_CHANNEL_URL"]
    return urls


def qr_svg(url: str) -> str:
    """The QR code of `url` as an SVG document that scales to its box (segno; no service)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", xmldecl=False, omitsize=True, scale=1,
                                    border=2, dark="#000", light="#fff")
    return out.getvalue().decode()

