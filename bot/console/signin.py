"""Console sign-in: server-side sessions, and throttling that nobody can turn against someone else.

- A session is a `console_sessions` row; the cookie holds a random token whose SHA-256 is the
  row's key. Logout deletes the row; a password change or disabling a manager deletes all of
  theirs; a session idle for CONSOLE_IDLE_HOURS, or older than CONSOLE_SESSION_MAX_HOURS, ends.
- Failed sign-ins are counted by the `limits` library (the engine of Flask-Limiter), fixed
  windows, per client address and per (address, e-mail): a stranger's guesses slow down the
  stranger, never lock the manager out. Counters live in the database (`rate_limits`), so every
  web process and machine shares them, or in Redis/Memcached when RATE_LIMIT_STORAGE_URI says so.
- Unknown and known e-mails cost the same (the password is always checked against a hash) and
  get the same answer.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta
from functools import cache

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bot.config import Settings
from bot.db import Database
from bot.models import ConsoleSession, Manager, RateLimit

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most once a minute a session


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- sessions ---------------------------------------------------------------------------------

def start_session(session: Session, manager: Manager, now: datetime) -> str:
    """A new session for `manager`; returns the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(ConsoleSession(token_hash=_digest(token), manager_id=manager.id, created_at=now,
                               last_seen_at=now))
    return token


def session_manager(session: Session, settings: Settings, token: str,
                    now: datetime) -> Manager | None:
    """The active manager a session token belongs to, or None (unknown, ended, idle too long,
    too old, or the manager disabled); an expired row is deleted on the way."""
    if not token:
        return None
    row = session.scalars(select(ConsoleSession).where(
        ConsoleSession.token_hash == _digest(token))).first()
    if row is None:
        return None
    idle = timedelta(hours=settings["CONSOLE_IDLE_HOURS"])
    oldest = timedelta(hours=settings["CONSOLE_SESSION_MAX_HOURS"])
    manager = session.get(Manager, row.manager_id)
    if (now - row.last_seen_at > idle or now - row.created_at > oldest or manager is None
            or not manager.active):
        session.delete(row)
        session.commit()
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
        session.commit()
    return manager


def end_session(session: Session, token: str) -> None:
    if token:
        session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))


def end_sessions(session: Session, manager_id: int) -> int:
    """End every console session of a manager (password changed, disabled, removed)."""
    return session.execute(delete(ConsoleSession).where(
        ConsoleSession.manager_id == manager_id)).rowcount


def forget_expired_sessions(session: Session, settings: Settings, now: datetime) -> int:
    idle = timedelta(hours=settings["CONSOLE_IDLE_HOURS"])
    oldest = timedelta(hours=settings["CONSOLE_SESSION_MAX_HOURS"])
    return session.execute(delete(ConsoleSession).where(
        (ConsoleSession.last_seen_at < now - idle) | (ConsoleSession.created_at < now - oldest)
    )).rowcount


# --- passwords --------------------------------------------------------------------------------

@cache
def _decoy_hash() -> str:
    """A hash of nothing anyone knows, made with the same method as managers' passwords, so an
    unknown e-mail takes as long to refuse as a wrong password."""
    return generate_password_hash(secrets.token_urlsafe(16))


def password_matches(manager: Manager | None, password: str) -> bool:
    stored = manager.password_hash if manager is not None and manager.password_hash else None
    matched = check_password_hash(stored or _decoy_hash(), password)
    return matched and stored is not None


# --- throttling -------------------------------------------------------------------------------

class DatabaseStorage(Storage):
    """`limits` storage in Maeul's own database: one row a window (key, count, expiry), counted
    with one INSERT … ON CONFLICT DO UPDATE … RETURNING on SQLite and PostgreSQL alike."""

    STORAGE_SCHEME = ["maeul+database"]

    def __init__(self, uri: str | None = None, *, database: Database, **options) -> None:  # noqa: ANN003
        super().__init__(uri, **options)
        self.database = database

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        dialect = self.database.engine.dialect.name
        insert = (postgresql if dialect == "postgresql" else sqlite).insert
        expired = RateLimit.expires_at <= now
        statement = insert(RateLimit).values(key=key, count=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(index_elements=[RateLimit.key], set_={
            "count": case((expired, amount), else_=RateLimit.count + amount),
            "expires_at": case((expired, now + expiry), else_=RateLimit.expires_at),
        }).returning(RateLimit.count)
        with self.database.session() as session:
            return session.execute(statement).scalar_one()

    def _row(self, key: str) -> tuple[int, float] | None:
        with self.database.session() as session:
            row = session.execute(select(RateLimit.count, RateLimit.expires_at).where(
                RateLimit.key == key)).first()
        if row is None or row.expires_at <= time.time():
            return None
        return row.count, row.expires_at

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            with self.database.session() as session:
                session.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.database.session() as session:
            return session.execute(delete(RateLimit)).rowcount

    def clear(self, key: str) -> None:
        with self.database.session() as session:
            session.execute(delete(RateLimit).where(RateLimit.key == key))


def forget_expired_limits(session: Session, now: datetime) -> int:
    return session.execute(delete(RateLimit).where(
        RateLimit.expires_at <= now.timestamp())).rowcount


class SignInThrottle:
    """Failed sign-ins per address and per (address, e-mail). Only failures are counted."""

    def __init__(self, settings: Settings, database: Database) -> None:
        uri = settings["RATE_LIMIT_STORAGE_URI"]
        storage = storage_from_string(uri) if uri else DatabaseStorage(database=database)
        self.limiter = FixedWindowRateLimiter(storage)
        self.per_address: RateLimitItem = parse(settings["SIGN_IN_LIMIT_PER_ADDRESS"])
        self.per_account: RateLimitItem = parse(settings["SIGN_IN_LIMIT_PER_ACCOUNT"])

    def _checks(self, address: str, email: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
        account = _digest(email.lower())[:24]  # the e-mail itself is never stored
        return [(self.per_address, ("signin", address)),
                (self.per_account, ("signin", address, account))]

    def wait_seconds(self, address: str, email: str) -> int:
        """0 when this address may try this e-mail now; otherwise how long until it may."""
        wait = 0.0
        for item, keys in self._checks(address, email):
            if not self.limiter.test(item, *keys):
                reset, _ = self.limiter.get_window_stats(item, *keys)
                wait = max(wait, reset - time.time())
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, address: str, email: str) -> None:
        for item, keys in self._checks(address, email):
            self.limiter.hit(item, *keys)
