"""Accessibility (KWCAG 2.2, which follows WCAG 2.1 AA), in Chromium:

- axe-core (Deque, via axe-playwright-python) on every console page, the public results page, the
  privacy policy and the simulator, with every rule axe runs by default (WCAG A/AA and best
  practices): no violations. The full results are kept in test-artifacts/accessibility/axe.json.
- The main manager path — sign in, create a ballot, close it, publish the results — with the
  keyboard alone (Tab, typing, Space, Enter), each focused control visibly outlined.
- Text at 200 %: each page at a 390×844 phone with the browser zoomed to 200 % (a 195 CSS px
  wide viewport at device scale 2): nothing wider than the screen outside a table's own scroll
  region; screenshots in test-artifacts/accessibility/zoom-*.png, looked at.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import proposals
from bot.commands.ballots import CastVote
from bot.commands.proposals import ScreenProposal, SubmitProposal
from bot.models import Resident, utcnow
from tests import factories
from tests.ballot_helpers import create_ballot
from tests.browser import ARTIFACTS as BROWSER_ARTIFACTS
from tests.browser import CHROMIUM, PHONE, needs_chromium, sign_in
from tests.console_helpers import PASSWORD, manager
from tests.identity_helpers import import_roster, roster_csv

pytestmark = needs_chromium
ARTIFACTS = BROWSER_ARTIFACTS / "accessibility"
YES_NO = [{"title": "마을 축제 예산 300만 원", "kind": "yes_no"},
          {"title": "새 공원 이름", "kind": "choose_one",
           "options": ["풍산공원", "햇살공원", "느티나무공원"]}]


@pytest.fixture
def world(client, admin_headers, db, community):
    """A community with a roster, an open ballot, a published one with charts, a counted one
    waiting for trustees, proposals, a community manager and a city admin."""
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    manager(db, "city@goyang.kr", "시 담당", None)
    open_ballot = create_ballot(client, admin_headers, items=YES_NO, onsite=True)
    published = create_ballot(client, admin_headers, items=YES_NO, title="지난 주민총회")
    with db.session() as session:
        c = session.merge(community)
        voters = [factories.verified(session, c, f"voter{i}", masked_name=f"주*{i}")
                  for i in range(6)]
        author = voters[0].resident
        proposal = proposals.submit(session, author, SubmitProposal(title="놀이터에 그늘막을 설치해 주세요", content="여름에 아이들이 너무 더워요.", field="welfare"), "kakao", utcnow())
        proposals.screen(session, proposal, ScreenProposal(decision="approve"), "manager:1", utcnow())
        proposals.submit(session, author, SubmitProposal(title="경로당 난방을 고쳐 주세요", content="겨울이 추워요.", field="welfare"), "kakao", utcnow())
        voter_ids = [v.resident_id for v in voters]
    from bot import ballots
    from bot.models.ballot import Ballot
    from tests.ballot_helpers import app_keys

    with db.session() as session:
        b = session.get(Ballot, published["id"])
        for rid in voter_ids:
            ballots.submit(session, app_keys(), b, session.get(Resident, rid), "kakao",
                           CastVote(picks={"1": [1 + rid % 2], "2": [1 + rid % 3]}), utcnow())
    assert client.post(f"/api/v1/ballots/{published['id']}/close",
                       headers=admin_headers).status_code == 200
    assert client.post(f"/api/v1/ballots/{published['id']}/publish",
                       headers=admin_headers).status_code == 200
    trustee = create_ballot(client, admin_headers, items=YES_NO, title="관리인 개표 투표",
                            opens=timedelta(days=1), closes=timedelta(days=3),
                            trustees=[{"name": "김영희"}, {"name": "박철수"}])
    with db.session() as session:
        kim = session.scalars(select(Resident.id).where(Resident.masked_name == "김*수")).one()
    return {"open": open_ballot["id"], "published": published["id"], "trustee": trustee["id"],
            "proposal": proposal.id, "resident": kim}


def _violations(page, name: str, found: dict) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found[name] = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                    "nodes": [n["target"] for n in v["nodes"]][:5]}
                   for v in results.response["violations"]]


def test_every_page_passes_axe_core_with_no_violations(server, page, world):
    found: dict[str, list] = {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server}/console/login")
    _violations(page, "login", found)
    sign_in(page, server, "desk@pungsan.kr")
    pages = {
        "community": "/console/c/pungsan",
        "ballot-new": "/console/c/pungsan/ballots/new",
        "ballot-open": f"/console/ballots/{world['open']}",
        "ballot-edit": f"/console/ballots/{world['trustee']}/edit",
        "ballot-trustees": f"/console/ballots/{world['trustee']}",
        "ballot-published": f"/console/ballots/{world['published']}",
        "ballot-print": f"/console/ballots/{world['published']}/print",
        "proposals": "/console/c/pungsan/proposals",
        "proposal": f"/console/proposals/{world['proposal']}",
        "residents": "/console/c/pungsan/residents",
        "resident-erase": f"/console/c/pungsan/residents/{world['resident']}/erase",
        "rooms": "/console/c/pungsan/rooms",
        "account": "/console/account",
    }
    for name, path in pages.items():
        page.goto(f"{server}{path}")
        _violations(page, name, found)
    # Pages that answer a form: the roster preview, a code sheet, the count page.
    page.goto(f"{server}/console/c/pungsan/residents")
    page.set_input_files("#file", files=[{"name": "명부.csv", "mimeType": "text/csv",
                                          "buffer": roster_csv()}])
    page.get_by_role("button", name="미리 보기").click()
    page.wait_for_load_state("load")
    _violations(page, "roster-preview", found)
    page.goto(f"{server}/console/c/pungsan/residents")
    page.get_by_role("button", name="인증번호").first.click()
    page.wait_for_load_state("load")
    _violations(page, "code-sheet", found)
    page.goto(f"{server}/console/ballots/{world['open']}")
    page.get_by_role("button", name="지금 마감하기").click()
    page.wait_for_load_state("load")
    _violations(page, "ballot-closed", found)
    page.goto(f"{server}/console/ballots/{world['trustee']}/count")
    _violations(page, "ballot-count", found)

    sign_in(page, server, "city@goyang.kr")
    for name, path in {"city": "/console/city", "managers": "/console/city/managers"}.items():
        page.goto(f"{server}{path}")
        _violations(page, name, found)
    for name, path in {"public": "/public/pungsan", "privacy": "/privacy?c=pungsan"}.items():
        page.goto(f"{server}{path}")
        _violations(page, name, found)
    page.goto(f"{server}/simulator")
    page.locator(".bot").first.wait_for()
    page.select_option("#community", "pungsan")
    for said in ("투표", "1"):
        count = page.locator(".bot").count()
        page.fill("#text", said)
        page.press("#text", "Enter")
        page.locator(".bot").nth(count).wait_for()
    _violations(page, "simulator", found)

    (ARTIFACTS / "axe.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))
    assert len(found) == 23
    failing = {name: v for name, v in found.items() if v}
    assert failing == {}, json.dumps(failing, ensure_ascii=False, indent=1)


def test_axe_finds_what_it_should_on_a_page_made_badly(app, server, page):
    """The check can fail: a page without lang, a field without a label and grey-on-grey text
    is reported."""
    bad = ('<!doctype html><html><head><title>나쁜 페이지</title></head><body><main>'
           '<h1>제목</h1><input id="x"><p style="color:#bbb;background:#ccc">흐린 글</p>'
           '</main></body></html>')
    app.add_url_rule("/test/bad", "bad", lambda: bad)
    page.goto(f"{server}/test/bad")
    found: dict[str, list] = {}
    _violations(page, "bad", found)
    assert {"html-has-lang", "label"} <= {v["id"] for v in found["bad"]}


def _tab_to(page, describe: str, matches, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies `matches` (a JS predicate on
    document.activeElement), and check that focus is visible there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {matches})(document.activeElement)"):
            outline = page.evaluate(
                "getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("none", ""), f"no visible focus on {describe}"
            return
    raise AssertionError(f"Tab never reached {describe}")


def _by_id(element_id: str) -> str:
    return f"el.id === {json.dumps(element_id)}"


def _button(words: str) -> str:
    return (f"(el.tagName === 'BUTTON' || el.tagName === 'A') && "
            f"el.textContent.trim().startsWith({json.dumps(words)})")


def test_the_manager_path_works_with_the_keyboard_alone(server, page, client, db, community):
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    page.goto(f"{server}/console/login")
    _tab_to(page, "이메일", _by_id("email"))
    page.keyboard.type("desk@pungsan.kr")
    _tab_to(page, "비밀번호", _by_id("password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="풍산동 주민자치회").wait_for()

    _tab_to(page, "새 투표 만들기", _button("새 투표 만들기"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="새 투표").wait_for()
    now = datetime.now(UTC).astimezone()
    _tab_to(page, "제목", _by_id("title"))
    page.keyboard.type("키보드로 만든 주민총회")
    _tab_to(page, "시작", _by_id("opens_at"))
    _type_datetime(page, now - timedelta(hours=1))
    _tab_to(page, "마감", _by_id("closes_at"))
    _type_datetime(page, now + timedelta(days=2))
    _tab_to(page, "안건 1 제목", _by_id("item1_title"))
    page.keyboard.type("마을 축제 예산 300만 원")
    _tab_to(page, "투표 만들기", _button("투표 만들기"))
    page.keyboard.press("Enter")
    page.get_by_text("투표를 만들었어요.").wait_for()
    page.screenshot(path=ARTIFACTS / "keyboard-01-created.png", full_page=True)

    _tab_to(page, "지금 마감하기", _button("지금 마감하기"))
    page.keyboard.press("Enter")
    page.get_by_text("투표를 마감했어요.").wait_for()
    _tab_to(page, "결과 공개하기", _button("결과 공개하기"))
    page.keyboard.press("Enter")
    page.get_by_text("결과를 공개했어요.").wait_for()
    assert "결과" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "keyboard-02-published.png", full_page=True)


def _type_datetime(page, moment: datetime) -> None:
    """A datetime-local field from the keyboard, as this Chromium lays it out (month, day, year,
    hour, minute, AM/PM): digits fill each part, the year takes up to six so → moves on."""
    local = moment.astimezone()
    page.keyboard.type(local.strftime("%m%d%Y"))
    page.keyboard.press("ArrowRight")
    page.keyboard.type(local.strftime("%I%M"))
    page.keyboard.type("P" if local.hour >= 12 else "A")


ZOOMED = {"width": PHONE["width"] // 2, "height": PHONE["height"] // 2}


def test_text_at_200_percent_keeps_every_page_within_the_screen(server, world):
    """Browser zoom at 200 % on a 390×844 phone lays pages out at 195 CSS px: nothing may be
    wider than that except inside a table's own scroll region."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    paths = {"login": "/console/login", "community": "/console/c/pungsan",
             "ballot-new": "/console/c/pungsan/ballots/new",
             "ballot-published": f"/console/ballots/{world['published']}",
             "residents": "/console/c/pungsan/residents",
             "public": "/public/pungsan", "privacy": "/privacy", "simulator": "/simulator"}
    overflowing = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        zoomed = browser.new_context(viewport=ZOOMED, device_scale_factor=2, locale="ko-KR")
        page = zoomed.new_page()
        sign_in(page, server)
        for name, path in paths.items():
            page.goto(f"{server}{path}")
            page.wait_for_load_state("load")
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => !(e.parentElement && e.parentElement.closest('.scroll')) &&
                             e.getBoundingClientRect().right >
                             document.documentElement.clientWidth + 1)
                .map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' +
                          (e.textContent || '').trim().slice(0, 20))""")
            if page.evaluate("document.documentElement.scrollWidth >"
                             " document.documentElement.clientWidth"):
                wide.append("the page scrolls sideways")
            if wide:
                overflowing[name] = wide[:5]
            page.screenshot(path=ARTIFACTS / f"zoom-{name}.png", full_page=True)
        browser.close()
    assert overflowing == {}, overflowing


def test_the_zoom_check_can_fail_on_a_fixed_width_page(app, server):
    from playwright.sync_api import sync_playwright

    app.add_url_rule("/test/wide", "wide", lambda: (
        '<!doctype html><html lang="ko"><head><title>넓은</title>'
        '<link rel="stylesheet" href="/test/wide.css"></head><body><main><p id="w">글</p>'
        '</main></body></html>'))
    app.add_url_rule("/test/wide.css", "wide_css", lambda: (
        "#w{width:300px}", 200, {"Content-Type": "text/css"}))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport=ZOOMED, device_scale_factor=2).new_page()
        page.goto(f"{server}/test/wide")
        right = page.evaluate("document.querySelector('#w').getBoundingClientRect().right")
        assert right > page.evaluate("document.documentElement.clientWidth")
        browser.close()


