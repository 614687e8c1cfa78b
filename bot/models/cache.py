"""One row that says when what the web workers keep in memory went stale (issue 21).

Each worker keeps the ballots that can still be voted in (with their items, material and
community) instead of reading them on every message. `cache_state.version` moves whenever a
row of those tables changes, by a trigger in the database itself, so every way of changing them
(REST, console, CLI, clock, a hand-written UPDATE) is covered. Every message reads the version
inside the statement that loads its account, so a worker never answers from what another
worker's or process's change has made stale.

On PostgreSQL the trigger is deferred to the commit (a constraint trigger): the one row is then
the last lock a transaction takes, so two writers never deadlock on it, and the version moves
only together with the change it announces. SQLite has one writer at a time, so a plain trigger
does.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base

# What the workers keep: a change to any row of these tables moves the version.
WATCHED = ("communities", "ballots", "ballot_items", "agenda_materials")


class CacheState(Base):
    __tablename__ = "cache_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


_BUMP = "UPDATE cache_state SET version = version + 1 WHERE id = 1"


def trigger_statements(dialect: str) -> list[str]:
    """The DDL that makes the database move the version (and the row itself)."""
    statements = ["INSERT INTO cache_state (id, version) VALUES (1, 1)"]
    if dialect == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION maeul_cache_bump() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {_BUMP}; RETURN NULL; END $$")
        statements += [
            f"CREATE CONSTRAINT TRIGGER {table}_cache_bump AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION maeul_cache_bump()" for table in WATCHED]
    else:
        statements += [
            f"CREATE TRIGGER {table}_cache_bump_{what.lower()} AFTER {what} ON {table} "
            f"BEGIN {_BUMP}; END" for table in WATCHED for what in ("INSERT", "UPDATE", "DELETE")]
    return statements


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_cache_bump ON {table}" for table in WATCHED] + [
            "DROP FUNCTION IF EXISTS maeul_cache_bump()"]
    return [f"DROP TRIGGER IF EXISTS {table}_cache_bump_{what.lower()}"
            for table in WATCHED for what in ("INSERT", "UPDATE", "DELETE")]


@event.listens_for(Base.metadata, "after_create")
def _triggers(target, connection: Connection, **kw) -> None:  # noqa: ANN001
    """`create_all` (tests, `DB_CREATE_ALL`) gets the triggers too, once every table exists."""
    if any(t.name == CacheState.__tablename__ for t in kw.get("tables") or ()):
        for statement in trigger_statements(connection.dialect.name):
            connection.exec_driver_sql(statement)
