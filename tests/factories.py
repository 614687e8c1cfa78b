"""Test data factories: residents and bound accounts without going through enrolment."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.models import ChannelAccount, Community, Resident
from tests import dialogue


def resident(session: Session, community: Community, *, masked_name: str = "김*수",
             birth_date: date = date(1952, 3, 15), key: str | None = None,
             moved_out: bool = False) -> Resident:
    """A roster entry with made-up keys (identity keys proper are tested with the roster)."""
    key = key or hashlib.sha256(f"{community.id}:{masked_name}:{birth_date}:{uuid.uuid4()}"
                                .encode()).hexdigest()
    row = Resident(community_id=community.id, identity_key=key, lookup_key=key[::-1],
                   masked_name=masked_name, birth_date=birth_date,
                   moved_out_at=datetime.now(UTC) if moved_out else None)
    session.add(row)
    session.flush()
    return row


def bound_account(session: Session, resident_row: Resident | None, external_id: str,
                  channel: str | None = None) -> ChannelAccount:
    """A channel account bound to `resident_row` (or unbound when None). Without a channel it is
    on the messenger the dialogue tests talk through, under that messenger's id for the name."""
    if channel is None:
        channel = dialogue.CHANNEL
        external_id = dialogue.account_key(external_id)
    account = ChannelAccount(channel=channel, external_id=external_id,
                             resident_id=resident_row.id if resident_row else None,
                             bound_at=datetime.now(UTC) if resident_row else None)
    session.add(account)
    session.flush()
    return account


def verified(session: Session, community: Community, external_id: str, *,
             channel: str | None = None, birth_date: date = date(1952, 3, 15),
             masked_name: str = "김*수", moved_out: bool = False) -> ChannelAccount:
    """A resident of `community` with a bound account on `channel`."""
    row = resident(session, community, masked_name=masked_name, birth_date=birth_date,
                   moved_out=moved_out)
    return bound_account(session, row, external_id, channel)


def database_is_free(db) -> bool:
    """Whether a writer could start now: no transaction of Maeul's is left open."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":  # every transaction there holds the write lock
        conn = sqlite3.connect(url.database, timeout=0.2)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.rollback()
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()
    with db.engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")).scalar() == 0


def manager_headers(session: Session, email: str, community_id: int | None,
                    name: str = "담당") -> dict[str, str]:
    """REST headers of a new manager of `community_id` (None: the city)."""
    from bot.api.auth import issue_token
    from bot.models import Manager

    manager = Manager(email=email, name=name, community_id=community_id)
    session.add(manager)
    session.flush()
    return {"Authorization": f"Bearer {issue_token(session, manager.id)}"}


def other_community_manager_headers(session: Session) -> dict[str, str]:
    """REST headers of a manager of 화정동, a community other than the tests' 풍산동."""
    other = Community(slug="hwajeong", name="화정동 주민자치회")
    session.add(other)
    session.flush()
    return manager_headers(session, "m@hwajeong.kr", other.id, "화정 담당")
