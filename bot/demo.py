"""`maeul demo`: a demo community on SQLite, the web app and the clock in one process."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from bot.config import Settings
from bot.db import Database
from bot.identity import identity_key, lookup_key, mask_name
from bot.models import Community, Resident
from bot.queries import community_by_slug

DEMO_SLUG = "pungsan"
# Made-up residents for trying enrolment in the simulator: (name, birth date, phone's last 4).
DEMO_ROSTER = [
    ("김민수", date(1952, 3, 15), "1234"),
    ("이영희", date(1948, 11, 2), "5678"),
    ("박지훈", date(1985, 7, 30), "4321"),
    ("최수아", date(2012, 5, 5), "8765"),
]


def seed(session: Session, settings: Settings, now: datetime) -> Community:
    """Create the demo community and its roster once; reuse them after."""
    community = community_by_slug(session, DEMO_SLUG)
    if community is not None:
        return community
    community = Community(slug=DEMO_SLUG, name="풍산동 주민자치회", phone="031-8075-5000",
                          min_voting_age=18, timezone="Asia/Seoul",
                          complaint_text="민원은 국민신문고(epeople.go.kr)나 120으로 알려 주세요.")
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
        Resident.community_id == community.id, Resident.masked_name == mask_name("박지훈"))).one()
    proposal = proposals.submit(session, author, "놀이터에 그늘막을 설치해 주세요",
                                "여름 한낮에 놀이터가 너무 뜨거워요. 그늘막이 있으면 "
                                "아이들과 어르신이 함께 쉴 수 있어요.", "welfare", "demo", now)
    from bot.commands.proposals import ScreenProposal

    proposals.screen(session, proposal, ScreenProposal(decision="approve"), "demo", now)


def seed_manager(session: Session, community: Community) -> None:
    """A community-centre manager for the console (demo only: the password is printed)."""
    from werkzeug.security import generate_password_hash

    from bot.models import Manager

    email, password = DEMO_MANAGER
    session.add(Manager(email=email, name="풍산동 담당자", community_id=community.id,
                        password_hash=generate_password_hash(password)))


DEMO_BALLOT = {
    "title": "2026 풍산동 주민총회",
    "overview": "주민자치회 분과에서 정한 내년 마을 사업을 주민 여러분이 정해요.",
    "onsite": True,
    "items": [
        {"title": "마을 축제 예산 300만 원", "summary": "12월 골목 축제에 주민참여예산을 써요.",
         "kind": "yes_no"},
        {"title": "새 공원 이름", "kind": "choose_one",
         "options": ["풍산공원", "햇살공원", "느티나무공원"]},
        {"title": "내년 사업 우선순위", "summary": "두 개까지 골라 주세요.", "kind": "choose_up_to",
         "options": ["경로당 보수", "어린이 도서관", "골목 가로등", "텃밭"], "max_choices": 2},
    ],
}


def seed_ballot(session: Session, settings: Settings, community: Community,
                now: datetime) -> None:
    """An open ballot for two weeks, so `투표` works in the simulator straight away."""
    from bot import ballots, sealing
    from bot.commands.ballots import CreateBallot, read_ballot

    body = {**DEMO_BALLOT, "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=14)).isoformat()}
    ballots.create(session, sealing.keyring(settings), community,
                   read_ballot(CreateBallot, body, community, now), "demo", now)


def run_demo(settings: Settings, host: str, port: int, serve: bool = True) -> int:
    from bot.app import create_app
    from scheduler.clock import background_clock

    db = Database(settings["DATABASE_URL"])
    db.create_all()
    with db.session() as session:
        community = seed(session, settings, datetime.now(UTC))
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
    name, born, last4 = DEMO_ROSTER[0]
    print(f"  인증 연습:          '인증' → 1 (동의) → 1 → {name} → {born:%y%m%d} → {last4}")
    print("  투표 연습:          인증한 뒤 '투표' → 번호로 답하기 → '1. 예 (제출)'")
    print("  제안 연습:          '제안' → 1. 제안 보기 → 1. 공감하기")
    print(f"  관리 화면:          {base}/console  ({DEMO_MANAGER[0]} / {DEMO_MANAGER[1]})")
    print(f"  공표 페이지:        {base}/public/{DEMO_SLUG}")
    print("끝내려면 Ctrl+C 를 누르세요.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        clock.shutdown(wait=False)
    return 0
