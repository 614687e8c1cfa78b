"""The console in a real browser: Playwright driving Debian's Chromium headless on a phone-sized
screen. Sign in, create a ballot, mark a voter at the assembly desk, close, enter the on-site
counts, publish and see the chart; screen a proposal; the public page. Screenshots of each page
are kept in test-artifacts/console/."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import proposals
from bot.commands.proposals import SubmitProposal
from bot.models import utcnow
from tests import factories
from tests.browser import ARTIFACTS as BROWSER_ARTIFACTS
from tests.browser import CHROMIUM, needs_chromium, sign_in
from tests.console_helpers import PASSWORD, manager
from tests.identity_helpers import import_roster, roster_csv

ARTIFACTS = BROWSER_ARTIFACTS / "console"
pytestmark = needs_chromium
SEOUL = ZoneInfo("Asia/Seoul")


def _local(moment: datetime) -> str:
    return moment.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")


def test_a_manager_runs_an_assembly_ballot_and_screens_a_proposal(server, page, client,
                                                                  admin_headers, db, community):
    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    with db.session() as session:
        author = factories.verified(session, session.merge(community), "author")
        proposals.submit(session, author.resident, SubmitProposal(title="놀이터에 그늘막을 설치해 주세요", content="여름에 아이들이 너무 더워요.", field="welfare"), "kakao", utcnow())

    page.goto(f"{server}/console/")
    assert "/console/login" in page.url
    page.get_by_label("이메일").fill("desk@pungsan.kr")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("heading", name="풍산동 주민자치회").wait_for()
    page.screenshot(path=ARTIFACTS / "01-community.png", full_page=True)

    page.get_by_role("link", name="새 투표 만들기").click()
    now = datetime.now(SEOUL)
    page.get_by_label("제목", exact=True).fill("2026 풍산동 주민총회")
    page.get_by_label("개요", exact=True).fill("주민자치회 분과에서 정한 안건이에요.")
    page.locator("#opens_at").fill(_local(now - timedelta(hours=1)))
    page.locator("#closes_at").fill(_local(now + timedelta(days=3)))
    page.get_by_label("주민총회 현장 투표도 함께 해요").check()
    page.locator("#item1_title").fill("마을 축제 예산 300만 원")
    page.locator("#item2_title").fill("새 공원 이름")
    page.locator("#item2_kind").select_option("choose_one")
    page.locator("#item2_options").fill("풍산공원\n햇살공원\n느티나무공원")
    page.get_by_role("button", name="투표 만들기").click()
    page.get_by_text("투표를 만들었어요.").wait_for()
    assert page.get_by_text("상태: 진행 중").is_visible()
    page.screenshot(path=ARTIFACTS / "02-ballot-open.png", full_page=True)

    page.get_by_label("이름", exact=True).fill("김민수")
    page.get_by_label("생년월일", exact=True).fill("1952-03-15")
    page.get_by_role("button", name="찾아서 현장 투표로 표시").click()
    page.get_by_text("김*수 님을 현장 투표로 표시했어요.").wait_for()
    page.get_by_role("button", name="지금 마감하기").click()
    page.get_by_text("투표를 마감했어요.").wait_for()
    page.locator("#count_1_1").fill("1")
    page.locator("#count_2_2").fill("1")
    page.get_by_role("button", name="현장 결과 저장").click()
    page.get_by_text("현장 개표 결과를 저장했어요.").wait_for()
    page.get_by_role("button", name="결과 공개하기").click()
    page.get_by_text("참여자가 1명뿐이라 결과를 공개하면").wait_for()  # a secret ballot of one
    page.get_by_label("그래도 공개해요").check()
    page.get_by_role("button", name="결과 공개하기").click()
    page.get_by_text("결과를 공개했어요.").wait_for()
    charts = page.locator("svg.chart")
    assert charts.count() == 2 and charts.first.is_visible()
    assert "가결" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "03-results.png", full_page=True)

    page.get_by_role("link", name="← 풍산동 주민자치회").click()
    page.get_by_role("link", name="놀이터에 그늘막을 설치해 주세요").click()
    page.get_by_label("처리", exact=True).select_option("approve")
    page.get_by_role("button", name="처리하기").click()
    page.get_by_text("처리했어요.").wait_for()
    assert "공감 모으는 중" in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "04-proposal.png", full_page=True)

    page.goto(f"{server}/public/pungsan")
    assert page.locator("svg.chart").count() == 2
    assert "놀이터에 그늘막을 설치해 주세요" in page.inner_text("main")
    assert "김" not in page.inner_text("main").replace("김*수", "")
    page.screenshot(path=ARTIFACTS / "05-public.png", full_page=True)


def test_trustees_type_their_own_secrets_and_count_together(server, page, client, admin_headers,
                                                            db, community):
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    sign_in(page, server)
    page.get_by_role("link", name="새 투표 만들기").click()
    now = datetime.now(SEOUL)
    page.get_by_label("제목", exact=True).fill("관리인 개표 주민총회")
    page.locator("#opens_at").fill(_local(now + timedelta(days=1)))
    page.locator("#closes_at").fill(_local(now + timedelta(days=3)))
    page.get_by_label("관리인 1 이름").fill("김영희")
    page.get_by_label("관리인 2 이름").fill("박철수")
    page.locator("#item1_title").fill("마을 축제 예산 300만 원")
    page.get_by_role("button", name="투표 만들기").click()
    page.get_by_text("비밀번호를 아직 정하지 않은 관리인: 김영희, 박철수").wait_for()
    page.get_by_label("1. 김영희 님이 직접 입력하는 비밀번호").fill("느티나무 아래 첫눈 오는 날")
    page.get_by_label("1. 김영희 님이 직접 입력하는 비밀번호").press("Enter")
    page.get_by_text("1번 관리인의 비밀번호를 저장했어요").wait_for()
    page.screenshot(path=ARTIFACTS / "06-trustees.png", full_page=True)
    page.get_by_label("2. 박철수 님이 직접 입력하는 비밀번호").fill("풍산동 통장 회의 2026")
    page.get_by_label("2. 박철수 님이 직접 입력하는 비밀번호").press("Enter")
    page.get_by_text("관리인 모두 비밀번호를 정했어요").wait_for()

    ballot_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    client.patch(f"/api/v1/ballots/{ballot_id}", headers=admin_headers,
                 json={"opens_at": (datetime.now(SEOUL) - timedelta(minutes=1)).isoformat()})
    page.reload()
    page.get_by_role("button", name="지금 마감하기").click()
    page.get_by_role("link", name="개표하기 (관리인 비밀번호 입력)").click()
    page.get_by_label("1. 김영희 님의 비밀번호").fill("느티나무 아래 첫눈 오는 날")
    page.get_by_label("2. 박철수 님의 비밀번호").fill("풍산동 통장 회의 2026")
    page.screenshot(path=ARTIFACTS / "07-count.png", full_page=True)
    page.get_by_role("button", name="개표하기").click()
    page.get_by_text("개표했어요. 봉인된 표는 모두 지웠어요.").wait_for()
    assert "개표를 마쳤어요" in page.inner_text("main")


def test_roster_uploads_add_by_default_and_a_replace_warns_and_asks(server, page, client,
                                                                    admin_headers, db, community):
    """A partial Excel (CP949) file adds three people and moves nobody out; the same file as a
    replacement says who would move out, including a verified resident, and asks twice."""
    from sqlalchemy import select

    from bot.models import Resident

    assert import_roster(client, admin_headers, roster_csv()).status_code == 200
    with db.session() as session:
        kim = session.scalars(select(Resident).where(Resident.masked_name == "김*수")).one()
        factories.bound_account(session, kim, "kim-kakao", channel="kakao")
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    newcomers = roster_csv([("정우성", "1973-03-20", "1044441111"),
                            ("한지민", "1982-11-05", "010-4444-2222"),
                            ("오세훈", "1961-01-09", "010 4444 3333")],
                           header="성명,생년월일,휴대폰번호", encoding="cp949")
    upload = {"name": "명부.csv", "mimeType": "text/csv", "buffer": newcomers}

    sign_in(page, server)
    page.get_by_role("link", name="주민 명부").click()
    page.get_by_text("명부 4명 중 1명이 인증했어요.").wait_for()
    page.set_input_files("#file", files=[upload])
    page.get_by_role("button", name="미리 보기").click()
    page.get_by_text("3명을 읽었어요. 문제가 없어요.").wait_for()
    assert "새로 3명, 바뀜 0명, 그대로 0명." in page.inner_text("main")
    page.get_by_role("button", name="가져오기").click()
    page.get_by_text("명부를 가져왔어요: 새로 3명, 바뀜 0명, 전출 0명.").wait_for()
    assert "명부 7명 중 1명이 인증했어요." in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "08-roster-added.png", full_page=True)

    page.set_input_files("#file", files=[upload])
    page.get_by_label("명부 교체 (파일에 없는 주민은 전출 처리해요)").check()
    page.get_by_role("button", name="미리 보기").click()
    page.get_by_text("전출 처리 4명 (그 중 인증한 주민 1명)").wait_for()
    page.screenshot(path=ARTIFACTS / "09-roster-replace-warning.png", full_page=True)
    page.get_by_role("button", name="가져오기").click()
    page.get_by_text("전출 처리할 인원을 확인하는 칸에 모두 체크해 주세요.").wait_for()
    page.get_by_label("4명을 전출 처리하는 것이 맞아요.").check()
    page.get_by_label("일부만 담긴 파일이 아닌지 다시 확인했어요", exact=False).check()
    page.get_by_role("button", name="가져오기").click()
    page.get_by_text("명부를 가져왔어요: 새로 0명, 바뀜 0명, 전출 4명.").wait_for()
    assert "명부 3명 중 0명이 인증했어요." in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / "10-roster-replaced.png", full_page=True)


def test_the_content_security_policy_stops_a_script_that_got_into_a_page(app, server, page):
    """Defence in depth: were some text ever to reach a page unescaped, the browser refuses to
    run it. A page with an injected inline script, an event handler and a style attribute is
    served through the app (so with its headers) and opened in Chromium."""
    injected = ('<!doctype html><html><head><title>원래 제목</title></head><body>'
                '<script>document.title = "pwned"</script>'
                '<img src="/nowhere.png" onerror="document.title = \'pwned by onerror\'">'
                '<p id="styled" style="color: rgb(255, 0, 0)">글</p></body></html>')
    app.add_url_rule("/test/injected", "injected", lambda: injected)
    refusals: list[str] = []
    page.on("console", lambda message: refusals.append(message.text))
    page.goto(f"{server}/test/injected")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.title() == "원래 제목"
    color = page.eval_on_selector("#styled", "e => getComputedStyle(e).color")
    assert color != "rgb(255, 0, 0)"
    assert any("Content Security Policy" in text for text in refusals), refusals


LARGEST_FONT = 1.6  # Android's largest font size scales text about 1.3-2x; the simulator: 18 px


def test_every_vote_prompt_fits_one_phone_screen_at_a_large_font(app, server, db, settings):
    """The demo's vote, enrolment first, in the simulator on a 390×844 screen with text at 1.6×:
    each answer of the bot fits the screen (no scrolling to reach its options). Screenshots of
    each step are kept in test-artifacts/console/sim-*.png."""
    from playwright.sync_api import sync_playwright

    from bot.demo import seed

    with db.session() as session:
        seed(session, settings, utcnow())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    steps = ["인증", "1", "1", "김민수", "520315", "1234", "투표", "1", "3", "1 3", "1", "1", "내 참여"]
    heights = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR",
                                      bypass_csp=True)  # to scale the simulator's own text
        page = context.new_page()
        page.goto(f"{server}/simulator")
        page.add_style_tag(content=f".me, .bot {{ font-size: {18 * LARGEST_FONT:.0f}px; }}")
        page.locator(".bot").first.wait_for()
        page.select_option("#community", "pungsan")
        for n, said in enumerate(steps, start=1):
            count = page.locator(".bot").count()
            page.fill("#text", said)
            page.press("#text", "Enter")
            page.locator(".bot").nth(count).wait_for()
            bubble = page.locator(".bot").nth(count)
            bubble.scroll_into_view_if_needed()
            heights.append((said, bubble.bounding_box()["height"], bubble.inner_text()[:30]))
            page.screenshot(path=ARTIFACTS / f"sim-{n:02d}.png")
        browser.close()
    print("\nbubble heights (px):", [(said, round(h)) for said, h, _ in heights])
    too_tall = [h for h in heights if h[1] > 844]
    assert too_tall == [], heights
