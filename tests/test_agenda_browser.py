"""The four-step cycle in a real browser (Chromium, phone-sized): after November's assembly and
its follow-through (time travel, tests/agenda_helpers.py), the manager adds the assembly's video
on the console's agenda page, and a resident reads the public page: the proposal it came from,
the agenda and its material, the vote, and the trail down to the result. Screenshots in
test-artifacts/agenda/."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from bot.models import Outbox
from tests.agenda_helpers import followed_through
from tests.browser import ARTIFACTS as BROWSER_ARTIFACTS
from tests.browser import needs_chromium, sign_in
from tests.console_helpers import manager

ARTIFACTS = BROWSER_ARTIFACTS / "agenda"
pytestmark = needs_chromium


def test_the_public_page_shows_what_became_of_the_adopted_item(server, page, db, community,
                                                               fake, tick):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ballot_id = followed_through(db, community, tick)
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    sign_in(page, server)
    page.goto(f"{server}/console/ballots/{ballot_id}/agenda")
    expect(page.get_by_role("heading", name="놀이터 그늘막 설치 — 완료")).to_be_visible()
    page.get_by_label("제목").fill("11월 주민총회 다시 보기")
    page.get_by_label("주소", exact=False).fill("https://youtu.be/abc123XYZ")
    page.get_by_role("button", name="자료 올리기").click()
    expect(page.locator(".flash.ok")).to_have_text("자료를 올렸어요.")
    page.screenshot(path=ARTIFACTS / "01-console-agenda.png", full_page=True)
    with db.session() as session:
        [video] = session.scalars(select(Outbox.text).where(
            Outbox.idempotency_key.like("material:%"), Outbox.target == "band-pungsan")).all()
    assert "[영상]" in video and "https://youtu.be/abc123XYZ" in video

    page.goto(f"{server}/public/pungsan")
    steps = page.locator("ol.steps").first.locator(":scope > li")
    expect(steps).to_have_count(4)
    expect(steps.nth(0)).to_contain_text("놀이터에 그늘막을 달아 주세요")
    expect(steps.nth(1)).to_contain_text("영상: 11월 주민총회 다시 보기")
    expect(steps.nth(2)).to_contain_text("가결")
    expect(steps.nth(3)).to_contain_text("완료 예정일(2026-11-20)이 지났어요")
    expect(steps.nth(3)).to_contain_text("추진결과: 그늘막 4개를 모두 달았어요.")
    expect(steps.nth(3)).to_have_class("done")
    expect(page.locator("ol.steps").nth(1).locator(":scope > li").nth(3)).to_contain_text(
        "부결되어 추진하지 않아요")
    page.screenshot(path=ARTIFACTS / "02-public-four-steps.png", full_page=True)
