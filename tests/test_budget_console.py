"""주민참여예산 in the console and on the public page: a budget item made from a pasted table of
projects, the funded list after the count on the ballot page, its print view and the public page
(in a real browser; screenshots in test-artifacts/budget/)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import ballots
from bot.commands.ballots import CastVote
from bot.models import Resident
from bot.models.ballot import Ballot
from tests import factories
from tests.ballot_helpers import app_keys
from tests.browser import ARTIFACTS as BROWSER_ARTIFACTS
from tests.browser import needs_chromium, sign_in
from tests.console_helpers import csrf, manager

ARTIFACTS = BROWSER_ARTIFACTS / "budget"
SEOUL = ZoneInfo("Asia/Seoul")
PASTED = ("경로당 보수\t12,000,000\t동\n"      # as copied from a spreadsheet
          "어린이 도서관, 2000만, 구\n"
          "골목 가로등, 8,000,000, 동\n"
          "마을 텃밭, 900만\n")


def _form(**extra) -> dict:
    now = datetime.now(SEOUL)
    return {"title": "2027 주민참여예산 주민총회",
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "item1_title": "주민참여예산 사업 고르기", "item1_kind": "budget",
            "item1_options": PASTED, "item1_budget": "3000만", "item1_max": "3", **extra}


def _vote_and_publish(client, admin_headers, db, community, ballot_id: int) -> None:
    picks = [[1, 3], [1, 3], [1, 4], [2], [2], [2, 3], [1], [3, 4], [1]]
    with db.session() as session:
        c = session.merge(community)
        voters = [factories.resident(session, c).id for _ in picks]
    for voter, chosen in zip(voters, picks, strict=True):
        with db.session() as session:
            ballot = session.get(Ballot, ballot_id)
            assert ballots.submit(session, app_keys(), ballot, session.get(Resident, voter),
                                  "kakao", CastVote(picks={"1": chosen}),
                                  datetime.now(UTC)).status == ballots.RECORDED
    assert client.post(f"/api/v1/ballots/{ballot_id}/close", headers=admin_headers).status_code == 200
    assert client.post(f"/api/v1/ballots/{ballot_id}/publish",
                       headers=admin_headers).status_code == 200


def test_a_pasted_table_makes_a_budget_item(desk, db):
    answer = desk.post("/console/c/pungsan/ballots/new",
                       data={**_form(), "csrf_token": csrf(desk, "/console/c/pungsan/ballots/new")})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    with db.session() as session:
        item = session.scalars(select(Ballot)).one().items[0]
        assert item.options == ["경로당 보수", "어린이 도서관", "골목 가로등", "마을 텃밭"]
        assert item.costs == [12_000_000, 20_000_000, 8_000_000, 9_000_000]
        assert item.budget_plan["groups"] == ["동", "구", "동", ""]
        assert item.budget_plan["budget"] == 30_000_000 and item.max_choices == 3


def test_a_bad_line_is_named_and_nothing_is_made(desk, db):
    form = _form(item1_options=PASTED + "분수대, 오천만 원\n", item1_budget="3000만")
    answer = desk.post("/console/c/pungsan/ballots/new",
                       data={**form, "csrf_token": csrf(desk, "/console/c/pungsan/ballots/new")})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "사업비는 0 이상의 정수(원)여야 해요." in page
    with db.session() as session:
        assert session.scalars(select(Ballot)).first() is None


@needs_chromium
def test_the_funded_list_in_the_console_and_on_the_public_page(server, page, client,
                                                             admin_headers, db, community):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    sign_in(page, server)
    page.goto(f"{server}/console/c/pungsan/ballots/new")
    form = _form()
    page.get_by_label("제목", exact=True).fill(form["title"])
    page.locator("#opens_at").fill(form["opens_at"])
    page.locator("#closes_at").fill(form["closes_at"])
    page.locator("#item1_title").fill(form["item1_title"])
    page.locator("#item1_kind").select_option("budget")
    page.locator("#item1_options").fill(PASTED)
    page.locator("#item1_budget").fill("3000만")
    page.locator("#item1_max").fill("3")
    page.get_by_role("button", name="투표 만들기").click()
    page.get_by_text("투표를 만들었어요.").wait_for()
    ballot_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])

    _vote_and_publish(client, admin_headers, db, community, ballot_id)
    page.reload()
    page.get_by_text("선정 사업 3개 · 합계 2,900만 원").wait_for()
    assert "(예산 3,000만 원)" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "01-console-funded.png", full_page=True)

    page.goto(f"{server}/console/ballots/{ballot_id}/print")
    assert "선정 사업 3개" in page.inner_text("main")
    page.goto(f"{server}/public/pungsan")
    page.get_by_text("선정 사업 3개 · 합계 2,900만 원").wait_for()
    rows = page.locator("table").first.inner_text()
    assert "경로당 보수" in rows and "1,200만 원" in rows and "선정" in rows
    assert "어린이 도서관\t2,000만 원\t3\t-" in rows
    page.screenshot(path=ARTIFACTS / "02-public-funded.png", full_page=True)
