"""Clock jobs of proposals: windows that ended (기간 만료, or back to 답변 대기 after 추가 의견 수렴)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import proposal_clock
from bot.config import Settings
from scheduler.jobs import job


@job("proposals.expire_due")
def expire_due(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    return proposal_clock.expire_due(session, now)


@job("proposals.deadlines")
def deadlines(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    return proposal_clock.deadline_due(session, now)
