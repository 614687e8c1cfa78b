"""Prometheus metrics (docs/architecture.md, "Operations"): what a city's operations team watches.

Two kinds:
- Process metrics, counted where things happen: webhook latency, replies by outcome, deliveries
  by outcome, votes recorded, enrolment failures and lockouts, the clock's leadership. Under
  gunicorn they are kept in the multiprocess directory (`PROMETHEUS_MULTIPROC_DIR`, set by
  bot/gunicorn_conf.py) and summed over the workers at each scrape.
- Database metrics, read at each scrape: outbox depth and oldest due age per channel, open
  ballots, the clock's last tick. They are true for every web process and machine at once.

What a resident or a manager cares about is counted only when its transaction commits
(`on_commit`): a rolled-back vote is not a vote. No label carries personal data: channels,
step kinds, outcomes and methods come from fixed sets in the code.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import Database

WEBHOOK_SECONDS = Histogram(
    "maeul_webhook_duration_seconds", "Time to answer a messenger webhook, by step kind",
    ["channel", "step"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
REPLIES = Counter("maeul_replies", "Replies to residents by outcome "
                  "(understood, reasked, refused, error)", ["channel", "outcome"])
DELIVERIES = Counter("maeul_deliveries", "Outbox sends by outcome "
                     "(sent, retried, failed, dropped)", ["channel", "outcome"])
VOTES = Counter("maeul_votes_recorded", "Ballots recorded (one per resident and ballot)",
                ["channel"])
ENROLMENT_FAILURES = Counter("maeul_enrolment_failures", "Failed enrolment attempts",
                             ["method"])
ENROLMENT_LOCKOUTS = Counter("maeul_enrolment_lockouts",
                             "Enrolment locks and pauses reached (account, person, community)",
                             ["scope"])
CLOCK_LEADER = Gauge("maeul_clock_leader",
                     "1 when this clock process holds the leader lock, else 0",
                     multiprocess_mode="liveall")
CLOCK_TICKS = Counter("maeul_clock_ticks", "Clock ticks that ran the due jobs")

# The step kinds a message can arrive in: the family of the conversation's state.
STEP_KINDS = frozenset({"home", "help", "enrol", "privacy", "ballot", "mine", "proposal",
                        "notify", "agenda", "comment", "live", "room"})
OUTCOMES = ("understood", "reasked", "refused", "error")


def step_kind(state: str) -> str:
    family = state.split(".", 1)[0]
    return family if family in STEP_KINDS else "other"


# -- counted at commit -------------------------------------------------------------------------

_PENDING = "maeul.metrics"


def on_commit(session: Session, metric: Counter, amount: float = 1, **labels: str) -> None:
    """Count `amount` on `metric` when `session` commits; nothing when it rolls back."""
    session.info.setdefault(_PENDING, []).append((metric, labels, amount))


@event.listens_for(Session, "after_commit")
def _counted(session: Session) -> None:
    for metric, labels, amount in session.info.pop(_PENDING, ()):
        (metric.labels(**labels) if labels else metric).inc(amount)


@event.listens_for(Session, "after_rollback")
def _dropped(session: Session) -> None:
    session.info.pop(_PENDING, None)


# -- read from the database at each scrape ----------------------------------------------------

class DatabaseCollector(Collector):
    """Gauges that must hold across processes and machines, read when Prometheus scrapes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from bot.models import Outbox, utcnow
        from bot.models.ballot import Ballot
        from bot.models.ops import ClockHeartbeat

        now = utcnow()
        depth = GaugeMetricFamily("maeul_outbox_messages",
                                  "Outbox messages waiting to go out (pending or sending)",
                                  labels=["channel", "status"])
        oldest = GaugeMetricFamily(
            "maeul_outbox_oldest_due_age_seconds",
            "Age of the oldest message that is due now and not yet sent, per channel",
            labels=["channel"])
        with self.db.sessions() as session:
            for channel, status, n in session.execute(
                    select(Outbox.channel, Outbox.status, func.count())
                    .where(Outbox.status.in_(("pending", "sending")))
                    .group_by(Outbox.channel, Outbox.status)):
                depth.add_metric([channel, status], n)
            for channel, created in session.execute(
                    select(Outbox.channel, func.min(Outbox.created_at))
                    .where(Outbox.status.in_(("pending", "sending")),
                           Outbox.next_attempt_at <= now)
                    .group_by(Outbox.channel)):
                oldest.add_metric([channel], max(0.0, (now - created).total_seconds()))
            open_ballots = session.scalar(select(func.count()).select_from(Ballot).where(
                Ballot.opens_at <= now, Ballot.closes_at > now, Ballot.closed_at.is_(None),
                Ballot.cancelled_at.is_(None))) or 0
            beat = session.get(ClockHeartbeat, 1)
        yield depth
        yield oldest
        yield GaugeMetricFamily("maeul_ballots_open", "Ballots open to voting now",
                                value=open_ballots)
        yield GaugeMetricFamily(
            "maeul_clock_last_tick_timestamp_seconds",
            "When the active clock last ran the due jobs (Unix time; 0: never)",
            value=beat.last_tick_at.timestamp() if beat else 0.0)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(database_registry: CollectorRegistry) -> bytes:
    """The text format: this machine's process metrics, then the database's."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(database_registry)


def database_registry(db: Database) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(db))
    return registry


# -- who may read them ------------------------------------------------------------------------

def access(settings: Settings, authorization: str, address: str | None) -> str | None:
    """None when the scraper may read /metrics, else why not (an error code)."""
    token = settings["METRICS_TOKEN"]
    networks = settings["METRICS_ALLOW_FROM"]
    if not token and not networks:
        return "metrics_disabled"
    scheme, _, given = authorization.partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()):
        return None
    if networks and address:
        try:
            client = ipaddress.ip_address(address)
        except ValueError:
            client = None
        if client is not None and any(client in network for network in networks):
            return None
    return "metrics_token_required" if token else "metrics_address_refused"
