"""Clock job of personal data: once a day (the first tick after 03:00 in the deployment's time
zone, or the first tick ever), destroy what has outlived its retention period (bot/privacy.py,
retention). Each run is audited as counts only."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import privacy
from bot.config import Settings
from bot.models import AuditEvent
from scheduler.jobs import job

HOUR = 3


@job("privacy.retention")
def destroy_expired(session: Session, settings: Settings, now: datetime) -> dict[str, int] | str:
    local = now.astimezone(settings.tz)
    due = local.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    if local < due:
        due -= timedelta(days=1)
    last = session.scalar(select(AuditEvent.created_at).where(
        AuditEvent.action == privacy.RETENTION_RUN).order_by(AuditEvent.id.desc()).limit(1))
    if last is not None and last >= due:
        return "not due"
    return privacy.retention(session, settings, now)
