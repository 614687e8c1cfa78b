"""`maeul`: the command line for operators (demo, database, clock, managers, a terminal chat)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.catalogue import t
from bot.catalogue.lexicon import MENU_WORD as HOME_WORDS_SHOWN
from bot.config import ConfigError, Settings, load_settings
from bot.db import Database
from bot.queries import community_by_slug


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {text!r}") from exc
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give the offset too, e.g. 2026-11-25T09:00+09:00")
    return moment.astimezone(UTC)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="maeul", description=t("cli.description"))
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="demo community on SQLite, web and clock in one process")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=5000)
    demo.add_argument("--database", default="sqlite:///maeul-demo.db")
    demo.add_argument("--no-serve", action="store_true", help="seed the database and exit")

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply Alembic migrations up to the newest")

    sub.add_parser("clock", help="run the scheduler process (Procfile clock:)")
    sub.add_parser("verify", help="check tallies, envelopes, the outbox and bindings "
                                  "(after a restore); exit 1 on a mismatch")
    tick = sub.add_parser("tick", help="run every due job once, as of --now")
    tick.add_argument("--now", type=_parse_time, default=None,
                      help="ISO-8601 time with offset (default: now)")

    manager = sub.add_parser("manager", help="manager accounts")
    m_sub = manager.add_subparsers(dest="manager_command", required=True)
    add = m_sub.add_parser("add", help="add a manager and print a new API token once")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--community", help="community slug (none: a city admin)")
    add.add_argument("--password", help="console password (optional)")
    m_sub.add_parser("list", help="list managers (community, state)")
    for name, text in (("disable", "disable: end console sessions, revoke API tokens"),
                       ("enable", "enable a disabled manager again"),
                       ("remove", "remove: disable for good and clear e-mail, name, password"),
                       ("tokens", "list a manager's API tokens")):
        change = m_sub.add_parser(name, help=text)
        change.add_argument("--email", required=True)
    revoke = m_sub.add_parser("revoke-token", help="revoke one API token by its id")
    revoke.add_argument("--id", type=int, required=True)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--user", default="terminal")
    chat.add_argument("--community", help="community slug")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {}
    if args.command == "demo":
        overrides = {"MAEUL_ENV": "demo", "DATABASE_URL": args.database}
    try:
        settings = load_settings(overrides)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "demo":
        from bot.demo import run_demo

        return run_demo(settings, args.host, args.port, serve=not args.no_serve)
    if args.command == "db":
        from bot.migrate import upgrade

        upgrade(settings["DATABASE_URL"])
        print(t("cli.db_upgraded"))
        return 0
    if args.command == "clock":
        from bot import logs

        logs.configure(logs.wants_json(settings.env, settings["LOG_FORMAT"]),
                       settings["LOG_LEVEL"])
    db = Database(settings["DATABASE_URL"])
    if settings["DB_CREATE_ALL"]:
        db.create_all()
    return _with_database(db, settings, args)


def _with_database(db: Database, settings: Settings, args: argparse.Namespace) -> int:
    if args.command == "clock":
        from scheduler.clock import run_clock

        run_clock(db, settings)
        return 0
    if args.command == "verify":
        from bot import verify

        return verify.report(verify.run(db, settings, datetime.now(UTC)), print)
    if args.command == "tick":
        from scheduler.jobs import run_due

        now = args.now or datetime.now(UTC)
        for name, outcome in run_due(db, settings, now).items():
            print(f"{name}: {outcome}")
        return 0
    if args.command == "manager":
        if args.manager_command == "add":
            return _manager_add(db, args)
        return _manager_access(db, args)
    if args.command == "chat":
        return _chat(db, settings, args.user, args.community)
    return 2


def _manager_add(db: Database, args: argparse.Namespace) -> int:
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from bot.api.auth import issue_token
    from bot.audit import record
    from bot.models import Manager

    with db.session() as session:
        community_id = None
        if args.community:
            community = community_by_slug(session, args.community)
            if community is None:
                print(t("cli.no_community", slug=args.community), file=sys.stderr)
                return 2
            community_id = community.id
        if session.scalars(select(Manager).where(Manager.email == args.email)).first():
            print(t("cli.manager_exists", email=args.email), file=sys.stderr)
            return 2
        manager = Manager(email=args.email, name=args.name, community_id=community_id,
                          password_hash=generate_password_hash(args.password)
                          if args.password else None)
        session.add(manager)
        session.flush()
        token = issue_token(session, manager.id)
        record(session, "cli", "manager.add", community_id=community_id,
               subject=f"manager:{manager.id}")
    role = t("cli.role.community" if community_id else "cli.role.city")
    print(t("cli.manager_added", role=role, name=args.name, email=args.email))
    print(t("cli.token_once", token=token))
    return 0


def _manager_access(db: Database, args: argparse.Namespace) -> int:
    """`maeul manager list|disable|enable|remove|tokens|revoke-token`, audited as "cli"."""
    from sqlalchemy import select

    from bot import managers
    from bot.errors import DomainError
    from bot.models import ApiToken, Manager, utcnow

    with db.session() as session:
        if args.manager_command == "list":
            for m in session.scalars(select(Manager).order_by(Manager.id)):
                state = t("cli.state.removed" if m.removed_at else "cli.state.disabled"
                          if m.disabled_at else "cli.state.active")
                where = m.community.slug if m.community else t("cli.role.city")
                print(f"{m.id}\t{m.email}\t{m.name}\t{where}\t{state}")
            return 0
        if args.manager_command == "revoke-token":
            token = session.get(ApiToken, args.id)
            if token is None:
                print(t("cli.no_token", number=args.id), file=sys.stderr)
                return 2
            done = managers.revoke_token(session, token, "cli", utcnow())
            print(t("cli.token_revoked" if done else "cli.token_was_revoked"))
            return 0
        manager = session.scalars(select(Manager).where(Manager.email == args.email)).first()
        if manager is None:
            print(t("cli.no_manager", email=args.email), file=sys.stderr)
            return 2
        if args.manager_command == "tokens":
            for token in managers.tokens(session, manager.id):
                state = (t("cli.state.revoked", day=f"{token.revoked_at:%Y-%m-%d}")
                         if token.revoked_at else t("cli.state.active"))
                print(f"{token.id}\t…{token.hint}\t{token.created_at:%Y-%m-%d}\t{state}")
            return 0
        try:
            if args.manager_command == "disable":
                ended = managers.disable(session, manager, "cli", None, utcnow())
                print(t("cli.disabled", email=args.email, sessions=ended["sessions"],
                        tokens=ended["tokens"]))
            elif args.manager_command == "enable":
                managers.enable(session, manager, "cli", None)
                print(t("cli.enabled", email=args.email))
            else:
                managers.remove(session, manager, "cli", None, utcnow())
                print(t("cli.removed", email=args.email))
        except DomainError as refusal:
            print(refusal.message(), file=sys.stderr)
            return 2
    return 0


def _chat(db: Database, settings: Settings, user: str, community: str | None) -> int:
    import handlers
    from bot.conversation import Inbound
    from bot.dispatch import dispatch

    handlers.install()

    print(t("cli.chat"))
    text = HOME_WORDS_SHOWN
    while True:
        with db.session() as session:
            reply = dispatch(session, settings, Inbound(channel="simulator",
                                                        account_key=f"terminal:{user}",
                                                        text=text, community_slug=community))
        print(reply.render_text() + "\n")
        try:
            text = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
