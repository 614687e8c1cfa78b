"""The meeting's projector page in a real browser (Chromium, 1920×1080): the password and its QR
code change after a minute (time travelled), turnout moves as residents vote in the chat, a quick
question is asked, answered and counted, and the results appear after the count. Screenshots are
kept in test-artifacts/live/ to be looked at from the back of the hall."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from bot import live
from bot.models import utcnow
from bot.models.ballot import LiveSession
from tests.ballot_helpers import create_ballot
from tests.browser import ARTIFACTS as BROWSER_ARTIFACTS
from tests.browser import CHROMIUM, needs_chromium, sign_in
from tests.console_helpers import manager
from tests.dialogue import KakaoChat, converse
from tests.identity_helpers import import_roster, roster_csv
from tests.test_live_dialogue import enrolled

ARTIFACTS = BROWSER_ARTIFACTS / "live"
pytestmark = needs_chromium
ITEMS = [{"title": "마을 축제 예산 300만 원", "kind": "yes_no"}]


@pytest.fixture
def projector():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                      device_scale_factor=1, locale="ko-KR")
        yield context.new_page()
        browser.close()


@pytest.fixture
def clock(monkeypatch):
    """The projector's clock, movable: `clock.shift = timedelta(seconds=60)`."""
    from bot.console import live_pages

    class Clock:
        shift = timedelta(0)

        def __call__(self):
            return utcnow() + self.shift

    moved = Clock()
    monkeypatch.setattr(live_pages, "utcnow", moved)
    return moved


def _vote(client, user: str, name: str, birth: str, phone: str, code: str) -> KakaoChat:
    chat = enrolled(client, user, name, birth, phone)
    converse(chat, [(code, "안건 1/1"), ("1", "1. 예 (제출)"), ("1", "투표가 접수되었어요")])
    return chat


def _code(db, live_id: int) -> str:
    with db.session() as session:
        return live.password(session.get(LiveSession, live_id), utcnow())


def test_the_projector_page_through_a_meeting(server, projector, client, admin_headers, db,
                                              community, clock):
    page = projector
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    ballot = create_ballot(client, admin_headers, title="2026 풍산동 주민총회", items=ITEMS)
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    sign_in(page, server)
    page.goto(f"{server}/console/ballots/{ballot['id']}")
    page.get_by_role("button", name="현장 투표 화면 열기 (QR·번호)").click()
    page.locator("#password").wait_for()
    live_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])

    # The password on the screen is the session's, and the QR code is drawn for it.
    first = page.inner_text("#password").replace(" ", "")
    assert first == _code(db, live_id)
    first_qr = page.get_attribute("#qr", "src")
    assert first in first_qr
    page.wait_for_load_state("networkidle")
    assert client.get(first_qr.removeprefix(server)).mimetype == "image/svg+xml"
    page.screenshot(path=ARTIFACTS / "01-password-and-qr.png")

    # A minute later (time travelled) the screen shows the next password and its QR code.
    clock.shift = timedelta(seconds=60)
    shifted_from = utcnow() + timedelta(seconds=60)
    expect(page.locator("#password")).not_to_have_text(f"{first[:3]} {first[3:]}")
    second = page.inner_text("#password").replace(" ", "")
    with db.session() as session:
        # The page was drawn between these two moments: the real clock may have turned a minute
        # meanwhile (it did once in CI, 19:52:59 → 19:53:00), so either minute's password is it.
        row = session.get(LiveSession, live_id)
        assert second in {live.password(row, shifted_from),
                          live.password(row, utcnow() + timedelta(seconds=60))}
    assert second in page.get_attribute("#qr", "src") and first not in page.get_attribute(
        "#qr", "src")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=ARTIFACTS / "02-next-minute.png")
    clock.shift = timedelta(0)

    # Residents send the password and vote; turnout moves without a reload.
    assert page.inner_text("#participants") == "0"
    _vote(client, "grandpa", "김민수", "520315", "1234", _code(db, live_id))
    expect(page.locator("#participants")).to_have_text("1")
    present = _vote(client, "grandma", "이영희", "481102", "5678", _code(db, live_id))
    expect(page.locator("#onsite_app")).to_have_text("2")
    assert page.inner_text("#online") == "0"
    assert "결과" not in page.inner_text("#boards"), "no partial result of a secret ballot"
    page.screenshot(path=ARTIFACTS / "03-turnout.png")

    # A quick question from the host's menu, answered by a resident present, closed and counted.
    page.locator("summary", has_text="진행자 메뉴").click()
    page.get_by_label("질문", exact=True).fill("다음 총회도 저녁 7시에 할까요?")
    page.get_by_label("몇 분 동안").fill("3")
    page.get_by_role("button", name="질문 열기").click()
    page.get_by_text("질문: 다음 총회도 저녁 7시에 할까요?").wait_for()
    converse(present, [(_code(db, live_id), "다음 총회도 저녁 7시에 할까요?"), ("1", "1. 예 (제출)"),
                       ("1", "투표가 접수되었어요")])
    page.get_by_text("1명 답함").wait_for()
    page.screenshot(path=ARTIFACTS / "04-quick-question.png")
    page.locator("summary", has_text="진행자 메뉴").click()
    page.get_by_role("button", name="'다음 총회도 저녁 7시에 할까요?' 지금 마감하고 개표").click()
    page.get_by_text("결과: 다음 총회도 저녁 7시에 할까요?").wait_for()

    # The ballot closes and is counted: its result and chart appear on the screen by themselves.
    assert client.post(f"/api/v1/ballots/{ballot['id']}/close",
                       headers=admin_headers).status_code == 200
    page.get_by_text("결과: 2026 풍산동 주민총회").wait_for()
    assert page.locator("svg.bars").count() == 2
    assert "가결" in page.inner_text("#boards")
    assert "2표 (100%)" in page.inner_text("#boards")
    page.screenshot(path=ARTIFACTS / "05-results.png")

    # A dropped connection is shown and the page resumes by itself.
    page.context.set_offline(True)
    page.locator("#offline").wait_for(state="visible")
    page.context.set_offline(False)
    page.locator("#offline").wait_for(state="hidden", timeout=20_000)

    assert client.post(f"/api/v1/live/{live_id}/close", headers=admin_headers).status_code == 200
    page.get_by_text("현장 투표가 끝났어요.").wait_for()
    assert page.locator("#join").is_hidden()
