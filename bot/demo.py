"""`maeul demo`: a demo community on SQLite, the web app and the clock in one process."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from bot.config import Settings
from bot.db import Database
from bot.models import Community

DEMO_SLUG = "pungsan"


def seed(session: Session, now: datetime) -> Community:
    """Create the demo community (and what later modules add to it) once; reuse it after."""
    community = session.scalars(select(Community).where(Community.slug == DEMO_SLUG)).first()
    if community is not None:
        return community
    community = Community(slug=DEMO_SLUG, name="풍산동 주민자치회", phone="031-8075-5000",
                          min_voting_age=18, timezone="Asia/Seoul",
                          complaint_text="민원은 국민신문고(epeople.go.kr)나 120으로 알려 주세요.")
    session.add(community)
    session.flush()
    return community


def run_demo(settings: Settings, host: str, port: int, serve: bool = True) -> int:
    from bot.app import create_app
    from scheduler.clock import background_clock

    db = Database(settings["DATABASE_URL"])
    db.create_all()
    with db.session() as session:
        community = seed(session, datetime.now(UTC))
        name = community.name
    if not serve:
        print(f"데모 데이터를 준비했어요: {name} ({settings['DATABASE_URL']})")
        return 0
    app = create_app(dict(settings.values))
    clock = background_clock(db, settings)
    server = make_server(host, port, app, threaded=True)
    base = f"http://{host}:{server.server_port}"
    print(f"마을 데모가 실행 중이에요: {name}")
    print(f"  시뮬레이터 (채팅):  {base}/simulator")
    print(f"  상태 확인:          {base}/healthz")
    print(f"  카카오 웹훅:        {base}/webhooks/kakao/{settings['KAKAO_WEBHOOK_TOKEN']}")
    print("끝내려면 Ctrl+C 를 누르세요.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        clock.shutdown(wait=False)
    return 0
