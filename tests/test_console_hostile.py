"""Every console and public page rendered with hostile text in every field a manager or resident
controls: no page gains an element or an attribute from data (the text shows, escaped)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from bot import ballots, comments, proposals
from bot.commands.agenda import HideComment, PostComment
from bot.commands.ballots import CastVote
from bot.commands.proposals import ScreenProposal, SubmitProposal
from bot.comments import Where
from bot.models import Community
from bot.models.ballot import Ballot
from bot.models.identity import Resident
from bot.models.proposal import Proposal
from tests import factories
from tests.ballot_helpers import app_keys, create_ballot
from tests.console_helpers import PASSWORD, sign_in

# Breaks out of an attribute, opens a script, an element with an event handler, a new element.
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)><x a="'
SHORT = "<img src=x onerror=alert(3)>"  # for fields with a short limit
PAGE_TAGS = {"html", "head", "meta", "title", "link", "body", "header", "main", "strong", "a",
             "span", "form", "input", "button", "div", "h1", "h2", "h3", "h4", "p", "table",
             "tr", "th", "td", "label", "select", "option", "textarea", "br", "svg", "text",
             "rect", "ul", "ol", "li", "code", "section", "details", "summary", "small",
             "fieldset", "legend", "em", "nav", "dl", "dt", "dd", "caption", "time", "b", "i",
             "hr", "thead", "tbody", "abbr", "pre", "q", "footer"}


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.handlers: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.handlers.extend(name for name, _ in attrs if name.startswith("on"))


@pytest.fixture
def hostile_world(client, admin_headers, db, community):
    """One of everything a console page shows, each text field hostile."""
    assert client.patch("/api/v1/communities/pungsan", headers=admin_headers, json={
        "name": HOSTILE[:60], "complaint_text": HOSTILE}).status_code == 200
    made = client.post("/api/v1/managers", headers=admin_headers, json={
        "email": "city@goyang.kr", "name": SHORT, "password": PASSWORD})
    assert made.status_code == 201, made.get_json()
    items = [{"title": HOSTILE[:80], "summary": HOSTILE, "kind": "choose_one",
              "options": [SHORT, SHORT + "2"]}, {"title": SHORT, "kind": "yes_no"}]
    done = create_ballot(client, admin_headers, title=HOSTILE[:80], overview=HOSTILE,
                         items=items)
    later = create_ballot(client, admin_headers, title=SHORT, items=items,
                          opens=timedelta(days=2), closes=timedelta(days=4),
                          trustees=[{"name": SHORT}])
    with db.session() as session:
        c = session.get(Community, community.id)
        row = session.get(Ballot, done["id"])
        voter = factories.resident(session, c, masked_name=SHORT[:10])
        picks = {str(item.number): [1] for item in row.items}  # the first option of each
        assert ballots.submit(session, app_keys(), row, session.get(Resident, voter.id), "kakao",
                              CastVote(picks=picks), datetime.now(UTC)).status == ballots.RECORDED
        author = factories.verified(session, c, "author", masked_name=SHORT[:10])
        shown = proposals.submit(session, author.resident, SubmitProposal(
            title=HOSTILE[:90], content=HOSTILE, field="other"), "kakao", datetime.now(UTC))
        hidden = proposals.submit(session, author.resident, SubmitProposal(
            title=SHORT, content=HOSTILE, field="other"), "kakao", datetime.now(UTC))
        proposals.screen(session, shown, ScreenProposal(decision="approve"), "manager:1",
                         datetime.now(UTC))
        proposals.screen(session, hidden, ScreenProposal(decision="reject", reason=HOSTILE),
                         "manager:1", datetime.now(UTC))
        c.consent_text = HOSTILE  # read on the residents page and in the chat
        ids = {"done": done["id"], "later": later["id"], "shown": shown.id,
               "hidden": hidden.id, "author": author.resident_id}
    assert client.post(f"/api/v1/ballots/{done['id']}/close",
                       headers=admin_headers).status_code == 200
    assert client.post(f"/api/v1/ballots/{done['id']}/publish", headers=admin_headers,
                       json={"confirm_small": True}).status_code == 200
    base = f"/api/v1/ballots/{done['id']}"
    assert client.post(f"{base}/materials", headers=admin_headers, json={
        "title": HOSTILE[:100], "url": 'https://a.kr/?q="><script>alert(4)</script>',
        "item": 1}).status_code == 201
    assert client.post(f"{base}/items/1/progress", headers=admin_headers, json={
        "stage": "plan", "text": HOSTILE, "due_date": "2099-01-01"}).status_code == 201
    with db.session() as session:
        c = session.get(Community, community.id)
        author = session.get(Resident, ids["author"])
        item = session.get(Ballot, done["id"]).items[0]
        for where in (Where(c.id, item=item), Where(c.id, proposal=session.get(Proposal,
                                                                                ids["shown"]))):
            comment = comments.post(session, where, author, PostComment(text=HOSTILE[:300]),
                                    "kakao", datetime.now(UTC))
            comments.post(session, where, author, PostComment(text=SHORT, reply_to=comment.id),
                          "kakao", datetime.now(UTC))
            comments.hide(session, comment, HideComment(reason=HOSTILE), "manager:1",
                          datetime.now(UTC))
    assert client.post("/api/v1/communities/pungsan/rooms", headers=admin_headers, json={
        "channel": "telegram", "external_key": "-1001234", "title": HOSTILE[:60]}
    ).status_code == 201
    assert client.post("/api/v1/communities/pungsan/notices", headers=admin_headers,
                json={"text": HOSTILE, "send_at": (datetime.now(UTC) + timedelta(days=1))
                      .isoformat()}).status_code == 201
    return ids


def test_no_console_or_public_page_takes_markup_from_data(app, client, hostile_world):
    ids = hostile_world
    sign_in(client, "city@goyang.kr")
    paths = ["/console/city", "/console/c/pungsan", "/console/c/pungsan/ballots/new",
             f"/console/ballots/{ids['later']}/edit", f"/console/ballots/{ids['later']}",
             f"/console/ballots/{ids['done']}", f"/console/ballots/{ids['done']}/print",
             f"/console/ballots/{ids['done']}/agenda",
             f"/console/ballots/{ids['done']}/count", "/console/c/pungsan/proposals",
             f"/console/proposals/{ids['shown']}", f"/console/proposals/{ids['hidden']}",
             "/console/c/pungsan/residents", "/console/c/pungsan/rooms", "/console/account",
             "/console/city/managers", "/public/pungsan", "/privacy?c=pungsan",
             f"/console/c/pungsan/residents/{ids['author']}/erase"]
    html_routes = {r.rule for r in app.url_map.iter_rules()
                   if r.rule.startswith("/console") and "GET" in r.methods
                   and not r.rule.endswith((".csv", "/login"))}
    assert len(paths) - 1 >= len(html_routes), sorted(html_routes)  # every page is visited
    seen_hostile = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 409), (path, response.status_code)
        if response.status_code != 200:
            continue
        body = response.get_data(as_text=True)
        page = Page(body)
        assert page.tags <= PAGE_TAGS, (path, page.tags - PAGE_TAGS)
        assert page.handlers == [], (path, page.handlers)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        seen_hostile += "&lt;img src=x onerror=alert(" in body
    assert seen_hostile >= 12  # the hostile text is on the pages, as text
