"""Clock job of enrolment: a name or birth date typed into an abandoned enrolment leaves the
database once the conversation has been idle for its idle time (the next message starts from the
home menu anyway, see bot.dispatch)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, cast, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.models import Conversation
from scheduler.jobs import job


@job("enrolment.drafts")
def forget_abandoned(session: Session, settings: Settings, now: datetime) -> int:
    cutoff = now - timedelta(minutes=settings["CONVERSATION_IDLE_MINUTES"])
    return session.execute(update(Conversation).where(
        Conversation.state.like("enrol.%"), Conversation.updated_at < cutoff,
        cast(Conversation.data, String) != "{}").values(data={})).rowcount
