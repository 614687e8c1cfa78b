"""`/readyz`: whether this deployment can do its work now (docs/architecture.md, "Operations").

`/healthz` says the process is alive. `/readyz` says more: the database answers, its schema is
at the newest migration (a release that forgot `maeul db upgrade` is not ready), and the clock
ticked recently (notices, reminders, counts and pushes all hang on it). Each check says why it
failed, in the JSON answer.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from bot.config import Settings
from bot.db import Database

CHECKS = ("database", "schema", "clock")


@functools.cache
def head_revision() -> str | None:
    """The newest migration this code knows (read once per process)."""
    from bot.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _database(conn: Any) -> tuple[bool, str]:
    conn.execute(text("SELECT 1"))
    return True, "answers"


def _schema(conn: Any, settings: Settings) -> tuple[bool, str]:
    current = MigrationContext.configure(conn).get_current_revision()
    head = head_revision()
    if current == head:
        return True, f"at {head}"
    if current is None and settings["DB_CREATE_ALL"]:
        return True, "made from the models (DB_CREATE_ALL)"
    return False, f"at {current or 'no revision'}, code needs {head}: run `maeul db upgrade`"


def _clock(conn: Any, settings: Settings, now: datetime) -> tuple[bool, str]:
    from bot.models.ops import ClockHeartbeat

    last = conn.execute(select(ClockHeartbeat.last_tick_at).where(ClockHeartbeat.id == 1)
                        ).scalar()
    if last is None:
        return False, "the clock has never ticked: is `maeul clock` running?"
    silent = now - last
    if silent > timedelta(seconds=settings["CLOCK_SILENT_SECONDS"]):
        return False, (f"the clock last ticked {int(silent.total_seconds())} s ago "
                       f"(limit {settings['CLOCK_SILENT_SECONDS']} s)")
    return True, f"ticked {max(0, int(silent.total_seconds()))} s ago"


def checks(db: Database, settings: Settings, now: datetime,
           without: frozenset[str] = frozenset()) -> dict[str, dict[str, Any]]:
    """Each check's outcome: {"ok": bool, "detail": why}, in order; a check that fails stops
    the ones after it (each needs the one before)."""
    results: dict[str, dict[str, Any]] = {}
    stages = [("database", _database),
              ("schema", lambda conn: _schema(conn, settings)),
              ("clock", lambda conn: _clock(conn, settings, now))]
    try:
        with db.engine.connect() as conn:
            for name, stage in stages:
                if name in without:
                    continue
                try:
                    ok, detail = stage(conn)
                except Exception as exc:  # the database went away, or a table is missing
                    ok, detail = False, f"could not check: {exc.__class__.__name__}"
                results[name] = {"ok": ok, "detail": detail}
                if not ok:  # what follows depends on this
                    break
    except Exception as exc:  # no connection at all
        results["database"] = {"ok": False, "detail": f"no connection: {exc.__class__.__name__}"}
    return results
