"""The console's side of sealed ballots: trustee names at creation, each trustee typing their own
secret on the ballot page, the count page where all of them type theirs, and publishing a small
ballot only after ticking the confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot import ballots
from bot.commands.ballots import CastVote
from bot.models import Resident
from bot.models.ballot import Ballot, Envelope
from tests import factories
from tests.ballot_helpers import app_keys, iso
from tests.console_helpers import csrf, local_input

SECRETS = {1: "느티나무 아래 첫눈 오는 날", 2: "풍산동 통장 회의 2026"}


def _page(desk, path: str, data: dict | None = None) -> str:
    if data is None:
        return desk.get(path).get_data(as_text=True)
    token = csrf(desk, "/console/c/pungsan/ballots/new")  # one token a session
    return desk.post(path, data={"csrf_token": token, **data},
                     follow_redirects=True).get_data(as_text=True)


def test_trustees_set_their_secrets_count_together_and_a_small_result_needs_a_tick(
        desk, db, community, client, admin_headers):
    token = csrf(desk, "/console/c/pungsan/ballots/new")
    created = desk.post("/console/c/pungsan/ballots/new", data={
        "csrf_token": token, "title": "12월 주민총회", "opens_at": local_input(1),
        "closes_at": local_input(3), "item1_title": "축제 예산", "item1_kind": "yes_no",
        "trustee1": "김영희", "trustee2": "박철수"})
    assert created.status_code == 302
    with db.session() as session:
        ballot_id = session.scalars(select(Ballot.id)).one()
    path = f"/console/ballots/{ballot_id}"
    page = _page(desk, path)
    assert "비밀번호를 아직 정하지 않은 관리인: 김영희, 박철수" in page
    assert page.count('type="password"') == 2

    short = _page(desk, f"{path}/trustee", {"number": "1", "secret": "짧은것"})
    assert "8자 이상" in short
    for number, secret in SECRETS.items():
        saved = _page(desk, f"{path}/trustee", {"number": str(number), "secret": secret})
        assert f"{number}번 관리인의 비밀번호를 저장했어요" in saved
    assert "관리인 모두 비밀번호를 정했어요" in _page(desk, path)

    opened = client.patch(f"/api/v1/ballots/{ballot_id}", headers=admin_headers,
                          json={"opens_at": iso(datetime.now(UTC) - timedelta(minutes=1))})
    assert opened.get_json()["status"] == "open"
    with db.session() as session:
        c = session.merge(community)
        voters = [factories.resident(session, c).id for _ in range(2)]
    for rid in voters:
        with db.session() as session:
            assert ballots.submit(session, app_keys(), session.get(Ballot, ballot_id),
                                  session.get(Resident, rid), "kakao", CastVote(picks={"1": [1]}),
                                  datetime.now(UTC)).status == ballots.RECORDED

    closed = _page(desk, f"{path}/close", {})
    assert "개표 관리인들이 비밀번호로 개표해 주세요" in closed and "개표하기" in closed
    count_page = _page(desk, f"{path}/count")
    assert "1. 김영희 님의 비밀번호" in count_page and "2. 박철수 님의 비밀번호" in count_page
    wrong = _page(desk, f"{path}/count", {"secret1": SECRETS[1], "secret2": "틀렸어요 틀렸어요"})
    assert "2번 관리인(박철수)의 비밀번호가 맞지 않아요" in wrong
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Envelope)) == 2
    counted = _page(desk, f"{path}/count", {"secret1": SECRETS[1], "secret2": SECRETS[2]})
    assert "개표했어요" in counted
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Envelope)) == 0

    assert "그래도 공개해요" in counted
    refused = _page(desk, f"{path}/publish", {})
    assert "참여자가 2명뿐이라" in refused and "상태: 마감" in refused
    published = _page(desk, f"{path}/publish", {"confirm_small": "on"})
    assert "결과를 공개했어요" in published and "상태: 결과 공개" in published
