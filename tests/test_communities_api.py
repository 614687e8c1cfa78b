"""Communities and managers over REST: the city admin reaches all, a manager only its own."""

from sqlalchemy import select

from bot.models import ApiToken, Manager

NEW = {"slug": "jichuk", "name": "지축동 주민자치회", "phone": "031-8075-6000",
       "min_voting_age": 16, "timezone": "Asia/Seoul", "proposal_rules": "daejeon"}


def _manager(client, admin_headers, community="pungsan", email="kim@pungsan.kr"):
    response = client.post("/api/v1/managers", headers=admin_headers,
                           json={"email": email, "name": "김담당", "community": community})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_city_admin_creates_lists_and_updates_communities(client, admin_headers):
    created = client.post("/api/v1/communities", headers=admin_headers, json=NEW)
    assert created.status_code == 201
    body = created.get_json()
    assert body["id"] and body["min_voting_age"] == 16 and body["proposal_rules"] == "daejeon"
    listed = client.get("/api/v1/communities", headers=admin_headers).get_json()
    assert listed["count"] == 1 and listed["items"][0]["slug"] == "jichuk"
    patched = client.patch("/api/v1/communities/jichuk", headers=admin_headers,
                           json={"phone": "031-1111-2222", "uses_disagree": True})
    assert patched.status_code == 200
    assert client.get("/api/v1/communities/jichuk", headers=admin_headers).get_json()[
        "phone"] == "031-1111-2222"


def test_community_defaults(client, admin_headers):
    body = client.post("/api/v1/communities", headers=admin_headers,
                       json={"slug": "hwajeong", "name": "화정동"}).get_json()
    assert body["min_voting_age"] == 18 and body["timezone"] == "Asia/Seoul"


def test_invalid_community_lists_every_problem_and_creates_nothing(client, admin_headers):
    response = client.post("/api/v1/communities", headers=admin_headers, json={
        "slug": "Bad Slug!", "name": "", "min_voting_age": 3, "timezone": "Mars/Base",
        "proposal_rules": "atlantis"})
    assert response.status_code == 422
    fields = {p["field"] for p in response.get_json()["error"]["details"]["problems"]}
    assert fields == {"slug", "name", "min_voting_age", "timezone", "proposal_rules"}
    assert client.get("/api/v1/communities", headers=admin_headers).get_json()["count"] == 0


def test_duplicate_slug_is_422(client, admin_headers, community):
    response = client.post("/api/v1/communities", headers=admin_headers,
                           json={"slug": "pungsan", "name": "또 풍산동"})
    assert response.status_code == 422


def test_custom_stages_are_validated(client, admin_headers, community):
    bad = client.patch("/api/v1/communities/pungsan", headers=admin_headers, json={
        "proposal_rules": [{"agreements": 30, "window_days": 30, "actor": "department",
                            "answer_days": 10}, {"agreements": 20, "window_days": 0,
                                                 "actor": "king", "answer_days": 10}]})
    assert bad.status_code == 422
    messages = " ".join(p["message"] for p in bad.get_json()["error"]["details"]["problems"])
    assert "앞 단계보다" in messages and "actor" in messages and "window_days" in messages
    good = client.patch("/api/v1/communities/pungsan", headers=admin_headers, json={
        "proposal_rules": [{"agreements": 30, "window_days": 30, "actor": "council",
                            "answer_days": 14}]})
    assert good.status_code == 200
    assert good.get_json()["proposal_rules"][0]["agreements"] == 30


def test_a_manager_reaches_only_its_own_community(client, admin_headers, community):
    client.post("/api/v1/communities", headers=admin_headers, json=NEW)
    mine = _manager(client, admin_headers)
    assert client.get("/api/v1/communities/pungsan", headers=mine).status_code == 200
    other = client.get("/api/v1/communities/jichuk", headers=mine)
    assert other.status_code == 403 and other.get_json()["error"]["code"] == "forbidden"
    assert client.patch("/api/v1/communities/jichuk", headers=mine,
                        json={"phone": "x"}).status_code == 403
    listed = client.get("/api/v1/communities", headers=mine).get_json()
    assert [c["slug"] for c in listed["items"]] == ["pungsan"]
    assert client.post("/api/v1/communities", headers=mine, json=NEW).status_code == 403
    assert client.post("/api/v1/managers", headers=mine,
                       json={"email": "x@y.kr", "name": "x"}).status_code == 403
    assert client.get("/api/v1/communities/nowhere", headers=admin_headers).status_code == 404


def test_manager_tokens_are_stored_hashed_and_listed_without_them(client, admin_headers, db,
                                                                   community):
    headers = _manager(client, admin_headers)
    token = headers["Authorization"].split()[1]
    with db.session() as session:
        hashes = session.scalars(select(ApiToken.token_hash)).all()
        assert token not in hashes and len(hashes) == 1
        assert session.scalars(select(Manager.email)).all() == ["kim@pungsan.kr"]
    listed = client.get("/api/v1/managers", headers=admin_headers).get_json()
    assert listed["count"] == 1 and "token" not in listed["items"][0]
    again = client.post("/api/v1/managers", headers=admin_headers,
                        json={"email": "kim@pungsan.kr", "name": "김", "community": "nowhere",
                              "password": "short"})
    assert again.status_code == 422
    assert {p["field"] for p in again.get_json()["error"]["details"]["problems"]} == {
        "email", "community", "password"}
