"""What every webhook does after verifying: dispatch in one transaction, survive a sick database."""

from __future__ import annotations

import logging

from flask import g
from sqlalchemy.exc import DBAPIError

from bot import metrics
from bot.app import database, settings
from bot.catalogue import t
from bot.conversation import Inbound, Reply
from bot.dispatch import dispatch

log = logging.getLogger("maeul.inbox")


def handle(inbound: Inbound) -> Reply | None:
    """Handle one message (`_handle`) and count how it went (bot/metrics.py)."""
    reply = _handle(inbound)
    if reply is not None:
        metrics.REPLIES.labels(inbound.channel, reply.outcome).inc()
        g.maeul_step = reply.step
    return reply


def _handle(inbound: Inbound) -> Reply | None:
    """The dispatcher's reply (None: nothing to say, in a room); a polite "try again" when the
    database or a handler fails.

    Nothing is half-written: the whole message is one transaction, rolled back on any error.
    A pooled connection the server had dropped (a restart, a failover) is not checked before use
    (that cost a round trip on every message); the message is handled once more on a fresh
    connection instead. That is safe: the conversation's state moves in the same transaction as
    what the message did, so a second run sees either both or neither.
    """
    try:
        try:
            return _in_one_transaction(inbound)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            log.warning("a dropped database connection: handling the %s message again",
                        inbound.channel)
        return _in_one_transaction(inbound)
    except DBAPIError as exc:  # OperationalError included
        log.error("database error while handling a %s message: %s", inbound.channel,
                  exc.__class__.__name__)
        return Reply(t("core.unavailable"), home=False, outcome="error")
    except Exception:
        log.exception("handler failed for a %s message", inbound.channel)
        return Reply(t("core.error"), home=False, outcome="error")


def _in_one_transaction(inbound: Inbound) -> Reply | None:
    with database().session() as session:
        return dispatch(session, settings(), inbound)
