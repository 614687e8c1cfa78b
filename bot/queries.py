"""Queries that several modules ask, written once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Community


def community_by_slug(session: Session, slug: str) -> Community | None:
    return session.scalars(select(Community).where(Community.slug == slug)).first()
