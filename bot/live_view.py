"""What a live session shows (the REST API, the projector page): the password now, where the QR
code leads, turnout so far, the quick questions, and results once counted. Never a choice before
the count."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from bot import ballots, live
from bot.config import Settings
from bot.models.ballot import Ballot, LiveSession


def _question(session: Session, ballot: Ballot, now: datetime) -> dict[str, Any]:
    # The whole result only: counted, and with the paper counts where there was paper voting.
    counted = ballot.counted_at is not None and (not ballot.onsite
                                                 or ballot.onsite_counted_at is not None)
    return {"ballot_id": ballot.id, "title": ballot.title, "status": ballots.status(ballot, now),
            "closes_at": ballots.closing_time(ballot).isoformat(),
            "turnout": ballots.turnout(session, ballot),
            "results": ballots.results(session, ballot)["items"] if counted else None}


def live_json(session: Session, settings: Settings, row: LiveSession,
              now: datetime) -> dict[str, Any]:
    running = row.closed_at is None
    code = live.password(row, now) if running else None
    urls = live.join_urls(settings, code) if code else {}
    join_url = urls.get("telegram") or urls.get("kakao")
    qr = (url_for("public.live_qr", live_id=row.id, code=code, _external=True)
          if code and join_url else None)
    ballot = row.ballot
    main = _question(session, ballot, now)
    return {
        "id": row.id, "ballot_id": ballot.id, "community": ballot.community.slug,
        "title": ballot.title, "status": "open" if running else "closed",
        "password": code, "expires_at": live.expires_at(now).isoformat() if running else None,
        "seconds_left": int((live.expires_at(now) - now).total_seconds()) if running else None,
        "join_url": join_url, "join_urls": urls, "qr_svg_url": qr,
        "started_at": row.started_at.isoformat(),
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "ballot": main,
        "questions": [_question(session, q, now) for q in live.questions(session, row)],
    }
