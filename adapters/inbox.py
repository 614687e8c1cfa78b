"""What every webhook does after verifying: dispatch in one transaction, survive a sick database."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.app import database, settings
from bot.catalogue import t
from bot.conversation import Inbound, Reply
from bot.dispatch import dispatch

log = logging.getLogger("maeul.inbox")


def handle(inbound: Inbound) -> Reply | None:
    """The dispatcher's reply (None: nothing to say, in a room); a polite "try again" when the
    database or a handler fails.

    Nothing is half-written: the whole message is one transaction, rolled back on any error.
    """
    try:
        with database().session() as session:
            return dispatch(session, settings(), inbound)
    except (OperationalError, DBAPIError) as exc:
        log.error("database error while handling a %s message: %s", inbound.channel,
                  exc.__class__.__name__)
        return Reply(t("core.unavailable"), home=False)
    except Exception:
        log.exception("handler failed for a %s message", inbound.channel)
        return Reply(t("core.error"), home=False)
