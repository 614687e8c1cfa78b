"""Outbox delivery: claim due rows, send them through their channel's sender, record the outcome.

One batch at a time per channel (100 users for a Kakao push, one message for Telegram or BAND):
1. claim — in a short transaction, due rows are locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
   several clocks on several machines never take the same row), checked against their expiry and
   the quiet hours, and marked `sending` with a lease;
2. send — outside any transaction, through the adapter;
3. record — in a second short transaction, right after the answer: `sent`, `pending` again with an
   exponential backoff and jitter (or the provider's retry-after), or `failed` with the reason.

A process that dies between 1 and 3 leaves its batch `sending`; when the lease runs out another
pass takes the rows again. That is at-least-once for the one batch that was in flight at the
crash (the provider may have accepted it before the crash), and exactly-once for everything else.
"""

from __future__ import annotations

import logging
import random
import time as clock
from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select, text, update
from sqlalchemy.orm import Session

from adapters.base import OutMessage, Sender, SendResult, sender_for
from bot import metrics
from bot.config import Settings
from bot.db import Database
from bot.models import ChannelAccount, Community, Outbox, Room
from bot.models.core import CLAIMABLE

log = logging.getLogger("maeul.delivery")

BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
# Rows leased per claim for channels that send one message a request: fewer claim transactions,
# while a crash still leaves at most one message in flight (the rest were never sent).
CLAIM_AT_LEAST = 20


def quiet_end(moment: datetime, zone: ZoneInfo, spec: str) -> datetime | None:
    """When the quiet hours that contain `moment` end, or None when it is not quiet then."""
    if spec.strip().lower() in ("", "off"):
        return None
    start_text, end_text = spec.split("-")
    start = time.fromisoformat(start_text.strip())
    end = time.fromisoformat(end_text.strip())
    local = moment.astimezone(zone)
    now = local.time()
    inside = (start <= now or now < end) if start > end else (start <= now < end)
    if not inside:
        return None
    day = local.date()
    if start > end and now >= start:
        day += timedelta(days=1)
    return datetime.combine(day, end, zone)


def backoff(attempts: int, rng: random.Random) -> timedelta:
    """Exponential, capped, with jitter: half to all of 30 s × 2^(attempts - 1)."""
    ceiling = min(MAX_BACKOFF, BASE_BACKOFF * (2 ** max(0, attempts - 1)))
    return ceiling * rng.uniform(0.5, 1.0)


def claim_query(channel: str, size: int, now: datetime, dialect: str) -> Select:
    """The next `size` due rows of a channel, in order; it walks the partial index
    `ix_outbox_claim` (tests/test_outbox_delivery.py checks the plan on both databases)."""
    query = (select(Outbox.id, Outbox.status, Outbox.target_kind, Outbox.target, Outbox.text,
                    Outbox.expires_at, Outbox.respect_quiet_hours, Outbox.community_id,
                    Outbox.next_step)
             .where(Outbox.channel == channel, text(CLAIMABLE), Outbox.next_attempt_at <= now)
             .order_by(Outbox.next_attempt_at, Outbox.id).limit(size))
    if dialect == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


class Deliverer:
    def __init__(self, db: Database, settings: Settings, rng: random.Random | None = None,
                 senders: dict[str, Sender | None] | None = None) -> None:
        self.db = db
        self.settings = settings
        self.rng = rng or random.Random()
        self.senders: dict[str, Sender | None] = dict(senders or {})
        self.lease = timedelta(seconds=settings["OUTBOX_LEASE_SECONDS"])
        self.zones: dict[int | None, ZoneInfo] = {}
        self.counts: Counter = Counter()
        self.gone: set[tuple[str, str]] = set()

    def _sender(self, channel: str) -> Sender | None:
        if channel not in self.senders:
            self.senders[channel] = sender_for(channel, self.settings)
        return self.senders[channel]

    def _zone(self, session: Session, community_id: int | None) -> ZoneInfo:
        if community_id not in self.zones:
            community = session.get(Community, community_id) if community_id else None
            self.zones[community_id] = ZoneInfo(community.timezone if community
                                                else self.settings["TIMEZONE"])
        return self.zones[community_id]

    def _due_channels(self, now: datetime) -> list[str]:
        with self.db.session() as session:
            return list(session.scalars(
                select(Outbox.channel).where(text(CLAIMABLE), Outbox.next_attempt_at <= now)
                .distinct()))

    def claim(self, channel: str, size: int, now: datetime) -> list[OutMessage]:
        """Lock up to `size` due rows and lease the sendable ones (one UPDATE for all of them)."""
        with self.db.session() as session:
            query = claim_query(channel, size, now, session.get_bind().dialect.name)
            claimed, retaken = [], []
            for row in session.execute(query).all():
                if row.expires_at is not None and now >= row.expires_at:
                    self._finish(session, channel, row.id, "dropped",
                                 "its moment passed before it could be sent")
                    continue
                if row.respect_quiet_hours and row.target_kind == "user":
                    until = quiet_end(now, self._zone(session, row.community_id),
                                      self.settings["QUIET_HOURS"])
                    if until is not None:
                        if row.expires_at is not None and until >= row.expires_at:
                            self._finish(session, channel, row.id, "dropped",
                                         "quiet hours last past its moment")
                        else:
                            session.execute(update(Outbox).where(Outbox.id == row.id).values(
                                status="pending", next_attempt_at=until))
                            self.counts["deferred"] += 1
                        continue
                if row.status == "sending":
                    retaken.append(row.id)
                claimed.append(OutMessage(row.id, row.target_kind, row.target, row.text,
                                          row.next_step))
            if claimed:
                session.execute(update(Outbox).where(Outbox.id.in_([m.outbox_id for m in claimed]))
                                .values(status="sending", attempts=Outbox.attempts + 1,
                                        next_attempt_at=now + self.lease))
            if retaken:
                session.execute(update(Outbox).where(Outbox.id.in_(retaken)).values(
                    last_error="taken again: an earlier attempt did not finish"))
                self.counts["retaken"] += len(retaken)
            return claimed

    def _finish(self, session: Session, channel: str, outbox_id: int, status: str,
                reason: str) -> None:
        session.execute(update(Outbox).where(Outbox.id == outbox_id).values(
            status=status, last_error=reason))
        self._count(session, channel, status)

    def _count(self, session: Session, channel: str, outcome: str, n: int = 1) -> None:
        self.counts[outcome] += n
        metrics.on_commit(session, metrics.DELIVERIES, n, channel=channel, outcome=outcome)

    def record(self, channel: str, messages: list[OutMessage], results: list[SendResult],
               now: datetime) -> None:
        limit = self.settings["OUTBOX_MAX_ATTEMPTS"]
        with self.db.session() as session:
            # What went out is recorded first and in one statement: the shorter the time between
            # the provider's answer and this commit, the smaller the window a crash can hit.
            sent = [m.outbox_id for m, r in zip(messages, results, strict=True) if r.ok]
            if sent:
                session.execute(update(Outbox).where(Outbox.id.in_(sent))
                                .values(status="sent", sent_at=now, last_error=""))
                self._count(session, channel, "sent", len(sent))
            for message, result in zip(messages, results, strict=True):
                if result.ok and result.provider_ref:
                    session.execute(update(Outbox).where(Outbox.id == message.outbox_id)
                                    .values(provider_ref=result.provider_ref[:100]))
            for message, result in zip(messages, results, strict=True):
                if result.ok:
                    continue
                row = session.get(Outbox, message.outbox_id)
                if result.permanent or row.attempts >= limit:
                    self._finish(session, channel, row.id, "failed", result.error or "gave up")
                    if result.unreachable:
                        self.gone.add((channel, row.target))
                        self._unreachable(session, channel, row, now)
                else:
                    wait = backoff(row.attempts, self.rng)
                    if result.retry_after is not None:
                        wait = max(wait, timedelta(seconds=result.retry_after))
                    row.status, row.next_attempt_at = "pending", now + wait
                    row.last_error = result.error
                    self._count(session, channel, "retried")

    @staticmethod
    def _unreachable(session: Session, channel: str, row: Outbox, now: datetime) -> None:
        if row.target_kind == "room":
            session.execute(update(Room).where(Room.channel == channel,
                                               Room.external_key == row.target)
                            .values(unreachable_at=now))
        else:
            session.execute(update(ChannelAccount).where(ChannelAccount.channel == channel,
                                                         ChannelAccount.external_id == row.target)
                            .values(unreachable_at=now))
        session.execute(update(Outbox).where(Outbox.channel == channel,
                                             Outbox.target == row.target,
                                             Outbox.status == "pending")
                        .values(status="failed", last_error="the target became unreachable"))

    def _still_reachable(self, channel: str, messages: list[OutMessage]) -> list[OutMessage]:
        """Drop what was claimed for a target that turned out blocked earlier in this pass."""
        gone = [m for m in messages if (channel, m.target) in self.gone]
        if gone:
            with self.db.session() as session:
                for message in gone:
                    self._finish(session, channel, message.outbox_id, "failed",
                                 "the target became unreachable")
        return [m for m in messages if (channel, m.target) not in self.gone]

    def _send(self, channel: str, sender: Sender | None, messages: list[OutMessage],
              now: datetime) -> None:
        """One batch: send, record at once (one short transaction), then keep to the rate."""
        started = clock.monotonic()
        if sender is None:
            results = [SendResult(False, permanent=True,
                                  error=f"no sender for channel {channel!r}")] * len(messages)
        else:
            try:
                results = sender.send(messages)
            except Exception as exc:  # a sender bug must not lose the batch
                log.exception("sender %s raised", channel)
                results = [SendResult(False, error=f"sender error: {exc!r}"[:500])] * len(
                    messages)
        self.record(channel, messages, results, now)
        if sender is not None and sender.rate_per_second > 0:
            pause = len(messages) / sender.rate_per_second - (clock.monotonic() - started)
            if pause > 0:
                clock.sleep(pause)

    def run(self, now: datetime, limit: int = 100_000) -> dict[str, int]:
        """Deliver what is due as of `now`, batch by batch, until nothing is due or `limit`."""
        handled = 0
        # The channels with due rows are found once (a scan of the queue); after that each claim
        # walks the claim index, and a channel leaves the round when nothing of it is due.
        channels = self._due_channels(now)
        while handled < limit and channels:
            for channel in list(channels):
                sender = self._sender(channel)
                size = sender.batch_size if sender else 100
                before = self.counts["deferred"] + self.counts["dropped"]
                claimed = self.claim(channel, max(size, CLAIM_AT_LEAST), now)
                # Rows held for the quiet hours or dropped also count as progress.
                progress = self.counts["deferred"] + self.counts["dropped"] - before + len(claimed)
                if progress == 0:
                    channels.remove(channel)
                    continue
                for start in range(0, len(claimed), size):
                    batch = claimed[start:start + size]
                    messages = self._still_reachable(channel, batch)
                    if messages:
                        self._send(channel, sender, messages, now)
                handled += progress
        return dict(self.counts)


def deliver_due(db: Database, settings: Settings, now: datetime,
                limit: int = 100_000) -> dict[str, int]:
    return Deliverer(db, settings).run(now, limit)
