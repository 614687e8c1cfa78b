"""`maeul demo`: a demo community on SQLite, the web app and the clock in one process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from bot.catalogue import demo, t
from bot.commands.proposals import SubmitProposal
from bot.config import Settings
from bot.db import Database
from bot.identity import identity_key, lookup_key, mask_name
from bot.models import Community, Resident
from bot.queries import community_by_slug

DEMO_SLUG = "pungsan"
DEMO_ROSTER = demo.ROSTER


def seed(session: Session, settings: Settings, now: datetime) -> Community:
    """Create the demo community and its roster once; reuse them after."""
    community = community_by_slug(session, DEMO_SLUG)
    if community is not None:
        return community
    community = Community(slug=DEMO_SLUG, min_voting_age=18, timezone="Asia/Seoul",
                          **demo.COMMUNITY)
    session.add(community)
    session.flush()
    pepper = settings["IDENTITY_PEPPER"]
    for name, born, last4 in DEMO_ROSTER:
        session.add(Resident(community_id=community.id, masked_name=mask_name(name),
                             identity_key=identity_key(pepper, name, born, last4),
                             lookup_key=lookup_key(pepper, name, born), birth_date=born))
    session.flush()
    seed_ballot(session, settings, community, now)
    seed_proposal(session, community, now)
    seed_manager(session, community)
    return community


DEMO_MANAGER = ("desk@maeul.demo", "maeul-demo-2026")


def seed_proposal(session: Session, community: Community, now: datetime) -> None:
    """A published proposal by a made-up resident, so `제안` has something to agree with."""
    from bot import proposals

    author = session.scalars(select(Resident).where(
        Resident.community_id == community.id,
        Resident.masked_name == mask_name(demo.PROPOSAL["author"]))).one()
    command = SubmitProposal(title=demo.PROPOSAL["title"], content=demo.PROPOSAL["content"],
                             field="welfare")
    proposal = proposals.submit(session, author, command, "demo", now)
    from bot.commands.proposals import ScreenProposal

    proposals.screen(session, proposal, ScreenProposal(decision="approve"), "demo", now)


def seed_manager(session: Session, community: Community) -> None:
    """A community-centre manager for the console (demo only: the password is printed)."""
    from werkzeug.security import generate_password_hash

    from bot.models import Manager

    email, password = DEMO_MANAGER
    session.add(Manager(email=email, name=demo.MANAGER_NAME, community_id=community.id,
                        password_hash=generate_password_hash(password)))


DEMO_BALLOT = demo.BALLOT


def seed_ballot(session: Session, settings: Settings, community: Community,
                now: datetime) -> None:
    """An open ballot for two weeks, so `투표` works in the simulator straight away."""
    from bot import ballots, sealing
    from bot.commands.ballots import CreateBallot, read_ballot

    body = {**DEMO_BALLOT, "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=14)).isoformat()}
    ballot = ballots.create(session, sealing.keyring(settings), community,
                            read_ballot(CreateBallot, body, community, now), "demo", now)
    from bot import agenda
    from bot.commands.agenda import AddMaterial

    base = settings["PUBLIC_BASE_URL"] or "http://127.0.0.1:8000"
    agenda.add_material(session, ballot, AddMaterial(title=demo.MATERIAL,
                                                     url=f"{base}/public/{DEMO_SLUG}"), "demo",
                        now)


def run_demo(settings: Settings, host: str, port: int, serve: bool = True) -> int:
    from bot.app import create_app
    from scheduler.clock import background_clock

    db = Database(settings["DATABASE_URL"])
    db.create_all()
    with db.session() as session:
        community = seed(session, settings, datetime.now(UTC))
        community_name = community.name
    if not serve:
        print(t("demo.ready", name=community_name, url=settings["DATABASE_URL"]))
        return 0
    app = create_app(dict(settings.values))
    clock = background_clock(db, settings)
    server = make_server(host, port, app, threaded=True)
    base = f"http://{host}:{server.server_port}"
    name, born, last4 = DEMO_ROSTER[0]
    print("\n".join([
        t("demo.running", name=community_name),
        t("demo.simulator", url=f"{base}/simulator"),
        t("demo.health", url=f"{base}/healthz"),
        t("demo.kakao", url=f"{base}/webhooks/kakao/{settings['KAKAO_WEBHOOK_TOKEN']}"),
        t("demo.try_enrol", name=name, born=f"{born:%y%m%d}", last4=last4),
        t("demo.try_vote"), t("demo.try_propose"), t("demo.try_agenda"),
        t("demo.console", url=f"{base}/console", email=DEMO_MANAGER[0],
          password=DEMO_MANAGER[1]),
        t("demo.try_live"),
        t("demo.public", url=f"{base}/public/{DEMO_SLUG}"),
        t("demo.stop")]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        clock.shutdown(wait=False)
    return 0
