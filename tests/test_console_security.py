"""Console security: no page without a session, another community's pages answer 403, every
POST needs the CSRF token, a script in a title is shown escaped everywhere, and sign-in
throttling."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot import proposals
from bot.commands.proposals import SubmitProposal
from bot.models import AuditEvent, Community, RateLimit, utcnow
from tests import factories
from tests.ballot_helpers import create_ballot
from tests.console_helpers import csrf, manager, sign_in

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def two_communities(db, community):
    with db.session() as session:
        other = Community(slug="hwajeong", name="화정동 주민자치회")
        session.add(other)
        session.flush()
        other_id = other.id
    manager(db, "desk@pungsan.kr", "풍산 담당", community.id)
    manager(db, "desk@hwajeong.kr", "화정 담당", other_id)
    manager(db, "city@goyang.kr", "시 담당", None)
    return other_id


def _console_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/console") or rule.endpoint in ("console.login",
                                                                     "console.login_post"):
            continue
        values = {arg: ("pungsan" if arg == "slug" else "close" if arg == "action" else 1)
                  for arg in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule.rule, values


def test_every_console_route_without_a_session_goes_to_sign_in(app, client, two_communities):
    routes = list(_console_routes(app))
    assert len(routes) >= 18
    for method, rule, values in routes:
        with app.test_request_context():
            from flask import url_for
            path = url_for(app.url_map._rules_by_endpoint[_endpoint(app, rule)][0].endpoint,
                           **values)
        data = {"csrf_token": csrf(client)} if method == "POST" else None
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302, (method, path, response.status_code)
        assert "/console/login" in response.headers["Location"], (method, path)


def _endpoint(app, rule: str) -> str:
    return next(r.endpoint for r in app.url_map.iter_rules() if r.rule == rule)


def test_another_communitys_pages_answer_403(client, admin_headers, db, community,
                                             two_communities):
    ballot = create_ballot(client, admin_headers)
    assert sign_in(client, "desk@hwajeong.kr").status_code == 302
    for path in ("/console/c/pungsan", "/console/c/pungsan/proposals",
                 "/console/c/pungsan/residents", "/console/c/pungsan/rooms",
                 f"/console/ballots/{ballot['id']}", "/console/city"):
        assert client.get(path).status_code == 403, path
    token = csrf(client, "/console/c/hwajeong")
    refused = client.post(f"/console/ballots/{ballot['id']}/close", data={"csrf_token": token})
    assert refused.status_code == 403
    assert client.get("/console/c/hwajeong").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(client, admin_headers, db, community,
                                                  two_communities):
    ballot = create_ballot(client, admin_headers)
    sign_in(client, "desk@pungsan.kr")
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post(f"/console/ballots/{ballot['id']}/close", data=data)
        assert response.status_code == 400
    assert client.post("/console/login", data={"email": "desk@pungsan.kr",
                                               "password": "x"}).status_code == 400
    detail = client.get(f"/api/v1/ballots/{ballot['id']}", headers=admin_headers).get_json()
    assert detail["status"] == "open", "nothing happened"


def test_a_script_in_a_proposal_title_is_shown_escaped_everywhere(client, db, community,
                                                                  two_communities):
    with db.session() as session:
        author = factories.verified(session, session.merge(community), "author")
        proposal = proposals.submit(session, author.resident, SubmitProposal(title=SCRIPT, content=f"내용 {SCRIPT}", field="other"),
                                    "kakao", utcnow())
        pid = proposal.id
    sign_in(client, "city@goyang.kr")

    def escaped(path: str) -> None:
        body = client.get(path).get_data(as_text=True)
        assert SCRIPT not in body, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path

    for path in ("/console/c/pungsan", "/console/c/pungsan/proposals",
                 f"/console/proposals/{pid}"):
        escaped(path)
    token = csrf(client, f"/console/proposals/{pid}")
    client.post(f"/console/proposals/{pid}/screen", data={"csrf_token": token,
                                                          "decision": "approve"})
    escaped("/public/pungsan")
    escaped(f"/console/proposals/{pid}")


def test_repeated_wrong_passwords_slow_down_the_address_they_come_from(client, db, community,
                                                                     two_communities):
    for _ in range(5):
        assert sign_in(client, "desk@pungsan.kr", "wrong").status_code == 401
    throttled = sign_in(client, "desk@pungsan.kr")
    assert throttled.status_code == 429
    assert "로그인 시도가 너무 많아요" in throttled.get_data(as_text=True)
    assert "/console/login" in client.get("/console/c/pungsan").headers["Location"]
    # Another e-mail from the same address still gets its own five tries.
    assert sign_in(client, "desk@hwajeong.kr").status_code == 302
    with db.session() as session:
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.action == "console.sign_in_failed")).all()
        assert len(actions) == 5
    # When the window is over (the counters' expiry passed), the manager signs in.
    with db.session() as session:
        session.execute(update(RateLimit).values(expires_at=0))
    assert sign_in(client, "desk@pungsan.kr").status_code == 302


def test_every_address_has_a_ceiling_across_emails(app, db, community, two_communities):
    sweeper = app.test_client()
    sweeper.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    answers = [sign_in(sweeper, f"guess{n}@pungsan.kr", "wrong").status_code for n in range(31)]
    assert answers[:30] == [401] * 30 and answers[30] == 429


def test_the_session_cookie_is_http_only_and_same_site(client, db, community, two_communities):
    response = sign_in(client, "desk@pungsan.kr")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Location"].endswith("/console/")
