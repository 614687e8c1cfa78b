"""BAND polling: read the comments under the bot's own posts, each comment once (the seen-set is
in the database, so it survives restarts), keep comments on a proposal's post as its discussion,
and answer under a comment that tries to vote or shows personal data with directions to the 1:1
chat. Nothing else a comment says is acted on. A quota error ends the pass: the next tick tries
again."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.band import BandClient, BandError
from bot import outbox
from bot.catalogue import t
from bot.config import Settings
from bot.conversation import Inbound
from bot.dispatch import first_time, room_reply
from bot.identity import mask_name
from bot.models import Outbox
from bot.models.agenda import Comment
from scheduler.jobs import job

log = logging.getLogger("maeul.band")
POLL_DAYS = 14
_PROPOSAL_POST = re.compile(r"^proposal:(\d+):published:")


def _when(millis: object, fallback: datetime) -> datetime:
    try:
        return datetime.fromtimestamp(int(millis) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return fallback


@job("band.poll")
def poll(session: Session, settings: Settings, now: datetime) -> dict[str, object]:
    if not settings["BAND_ACCESS_TOKEN"]:
        return {"skipped": "BAND_ACCESS_TOKEN is not set"}
    posts = session.execute(select(
        Outbox.idempotency_key, Outbox.target, Outbox.provider_ref, Outbox.community_id)
        .where(Outbox.channel == "band", Outbox.target_kind == "room", Outbox.status == "sent",
               Outbox.provider_ref.is_not(None),
               Outbox.sent_at >= now - timedelta(days=POLL_DAYS))).all()
    # No transaction stays open while BAND answers (it can take HTTP_TIMEOUT_SECONDS a call):
    # the posts are read, the transaction ends, the comments are fetched, then recorded.
    session.commit()
    client = BandClient(settings)
    counts: dict[str, Any] = {"posts": len(posts), "comments": 0, "answered": 0,
                                 "discussion": 0}
    fetched: list[tuple[Any, dict[str, Any]]] = []
    try:
        own = client.own_key()
        for post in posts:
            fetched.extend((post, comment) for comment in client.comments(post.target,
                                                                            post.provider_ref)
                           if (comment.get("author") or {}).get("user_key") != own)
    except BandError as exc:
        log.warning("BAND polling stopped for this tick: %s", exc)
        counts["stopped"] = str(exc)
    for post, comment in fetched:
        _take(session, settings, now, post, comment, counts)
    return counts


def _take(session: Session, settings: Settings, now: datetime, post: Any,
          comment: dict[str, Any], counts: dict[str, Any]) -> None:
    """One comment, once: kept as discussion under a proposal's post, answered when it tries to
    vote or shows personal data."""
    author = comment.get("author") or {}
    key = str(comment.get("comment_key", ""))
    if not key or not first_time(session, "band", key):
        return
    counts["comments"] += 1
    text = str(comment.get("content", ""))
    found = _PROPOSAL_POST.match(post.idempotency_key)
    if found:
        session.add(Comment(community_id=post.community_id, proposal_id=int(found.group(1)),
                            channel="band", text=text[:2000],
                            author=mask_name(str(author.get("name", "")) or t("core.resident")),
                            at=_when(comment.get("created_at"), now)))
        counts["discussion"] += 1
    reply = room_reply(Inbound(channel="band", account_key=str(author.get("user_key")),
                               text=text, room_key=post.target,
                               private_link=settings["KAKAO_CHANNEL_URL"]), text)
    if reply is not None:
        outbox.enqueue(session, key=f"band:comment:{key}:reply", channel="band",
                       target_kind="comment", target=f"{post.target}|{post.provider_ref}",
                       text=reply.render_text(), community_id=post.community_id,
                       respect_quiet_hours=False, not_before=now)
        counts["answered"] += 1
