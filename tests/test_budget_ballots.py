"""Budget items (주민참여예산) through the REST API: the item contract and its refusals, sealed votes
checked against the cap, the funded list by the stated rule in the results, the CSV and the push."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import select

from bot import ballots
from bot.catalogue import won
from bot.commands.ballots import CastVote
from bot.models import Outbox, Resident
from bot.models.ballot import Ballot
from tests import factories
from tests.ballot_helpers import app_keys, ballot_body, create_ballot

MAN = 10_000
PROJECTS = [{"label": "경로당 보수", "cost": 1200 * MAN, "group": "동"},
            {"label": "어린이 도서관", "cost": 2000 * MAN, "group": "구"},
            {"label": "골목 가로등", "cost": 800 * MAN, "group": "동"},
            {"label": "마을 텃밭", "cost": 900 * MAN, "group": "동"}]
BUDGET = [{"title": "2027 주민참여예산", "kind": "budget", "budget": 3000 * MAN, "max_choices": 3,
           "min_choices": 1, "options": PROJECTS}]


def _vote(db, ballot_id: int, resident_id: int, chosen: list[int]) -> str:
    with db.session() as session:
        ballot = session.get(Ballot, ballot_id)
        return ballots.submit(session, app_keys(), ballot, session.get(Resident, resident_id),
                              "kakao", CastVote.model_construct(picks={"1": chosen}),
                              datetime.now(UTC)).status


def _voters(db, community, count: int) -> list[int]:
    """Residents who may vote; the first has a KakaoTalk account (the result is pushed to it)."""
    with db.session() as session:
        c = session.merge(community)
        first = factories.verified(session, c, "budget-voter").resident_id
        return [first] + [factories.resident(session, c).id for _ in range(count - 1)]


def test_money_reads_as_residents_say_it():
    assert won(1200 * MAN) == "1,200만 원"
    assert won(3 * 10**8 + 2000 * MAN) == "3억 2,000만 원"
    assert won(10**8) == "1억 원"
    assert won(12_500) == "12,500원"


def test_a_budget_item_is_stored_and_read_back(client, admin_headers, community):
    ballot = create_ballot(client, admin_headers, items=BUDGET)
    [item] = ballot["items"]
    assert item["kind"] == "budget" and item["budget"] == 3000 * MAN
    assert item["options"] == [p["label"] for p in PROJECTS]
    assert item["projects"][1] == {"label": "어린이 도서관", "cost": 2000 * MAN, "group": "구"}
    assert item["max_choices"] == 3 and item["min_choices"] == 1 and item["rule"] == "greedy"


def test_bad_budget_items_are_refused_with_their_paths(client, admin_headers, community):
    bad = {"title": "예산", "kind": "budget", "budget": 1000 * MAN, "group_max": {"시": 1},
           "options": [{"label": "너무 비싼 사업", "cost": 5000 * MAN},
                       {"label": "음수", "cost": -5}]}
    answer = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                         json=ballot_body(items=[bad]))
    assert answer.status_code == 422
    problems = {p["field"]: p["message"] for p in answer.get_json()["error"]["details"]["problems"]}
    assert problems["items[0].options[1].cost"] == "사업비는 0 이상의 정수(원)여야 해요."
    empty = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                        json=ballot_body(items=[{**bad, "options": []}]))
    assert "사업이 2~30개 필요해요." in str(empty.get_json())
    over = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                       json=ballot_body(items=[{**bad, "options": bad["options"][:1] * 1 + [
                           {"label": "적당한 사업", "cost": 10}]}]))
    fields = {p["field"]: p["message"] for p in over.get_json()["error"]["details"]["problems"]}
    assert fields["items[0].options[0].cost"] == "'너무 비싼 사업' 사업비가 예산보다 커요."
    assert fields["items[0].group_max.시"] == "'시' 묶음의 사업이 없어요."
    paper = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                        json=ballot_body(onsite=True, items=[{**BUDGET[0], "rule": "equal_shares"}]))
    assert paper.status_code == 422 and "종이 투표" in str(paper.get_json())
    abstain = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                          json=ballot_body(items=[{**BUDGET[0], "allow_abstain": True}]))
    assert abstain.get_json()["error"]["details"]["problems"] == [{
        "field": "items[0].allow_abstain", "message": "주민참여예산 안건에는 기권을 따로 두지 않아요."}]
    no_limit = {**BUDGET[0]}
    del no_limit["budget"], no_limit["max_choices"]
    refused = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                          json=ballot_body(items=[no_limit]))
    assert refused.status_code == 422


def test_votes_over_the_cap_are_never_sealed_and_results_fund_greedily(client, admin_headers,
                                                                      community, db):
    ballot = create_ballot(client, admin_headers, items=BUDGET)
    voters = _voters(db, community, 9)
    assert _vote(db, ballot["id"], voters[0], [1, 2]) == ballots.INVALID  # 3,200만 원 > 3,000
    assert _vote(db, ballot["id"], voters[0], [1, 3, 4, 2]) == ballots.INVALID  # 4 > 3 picks
    picks = [[1, 3], [1, 3], [1, 4], [2], [2], [2, 3], [1], [3, 4], [1]]
    for voter, chosen in zip(voters, picks, strict=True):
        assert _vote(db, ballot["id"], voter, chosen) == ballots.RECORDED
    assert client.post(f"/api/v1/ballots/{ballot['id']}/close",
                       headers=admin_headers).status_code == 200
    assert client.post(f"/api/v1/ballots/{ballot['id']}/publish",
                       headers=admin_headers).status_code == 200
    result = client.get(f"/api/v1/ballots/{ballot['id']}/results",
                        headers=admin_headers).get_json()
    [item] = result["items"]
    # Votes: 경로당 5, 도서관 3, 가로등 4, 텃밭 2. Greedy: 경로당 (1,200) → 가로등 (800) → 2,000;
    # 도서관 (2,000) no longer fits; 텃밭 (900) → 2,900.
    assert [(o["label"], o["total"], o["rank"], o["funded"]) for o in item["options"]] == [
        ("경로당 보수", 5, 1, True), ("어린이 도서관", 3, 3, False), ("골목 가로등", 4, 2, True),
        ("마을 텃밭", 2, 4, True)]
    assert item["budget"] == 3000 * MAN and item["funded_total"] == 2900 * MAN
    rows = list(csv.reader(io.StringIO(client.get(
        f"/api/v1/ballots/{ballot['id']}/results.csv", headers=admin_headers)
        .get_data(as_text=True).lstrip("\ufeff"))))
    header = rows[3]
    assert header[-2:] == ["사업비(원)", "선정"]
    funded = [row[3] for row in rows[4:] if row[-1] == "선정"]
    assert funded == ["경로당 보수", "골목 가로등", "마을 텃밭"]
    with db.session() as session:
        pushed = session.scalars(select(Outbox.text).where(
            Outbox.idempotency_key.like(f"ballot:{ballot['id']}:results%"))).first()
    assert "선정 사업: 경로당 보수, 골목 가로등, 마을 텃밭 (합계 2,900만 원)" in pushed


def test_equal_shares_is_decided_when_the_envelopes_are_opened(client, admin_headers, community,
                                                             db):
    """The hand-worked instance of tests/test_budget_allocation.py, through sealed votes."""
    item = {"title": "예산", "kind": "budget", "budget": 300, "rule": "equal_shares",
            "options": [{"label": "A", "cost": 200}, {"label": "B", "cost": 100},
                        {"label": "C", "cost": 100}]}
    ballot = create_ballot(client, admin_headers, items=[item])
    voters = _voters(db, community, 6)
    for voter, chosen in zip(voters, [[1, 2]] * 4 + [[3]] * 2, strict=True):
        assert _vote(db, ballot["id"], voter, chosen) == ballots.RECORDED
    client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=admin_headers)
    client.post(f"/api/v1/ballots/{ballot['id']}/publish", headers=admin_headers)
    [result] = client.get(f"/api/v1/ballots/{ballot['id']}/results",
                          headers=admin_headers).get_json()["items"]
    assert [o["funded"] for o in result["options"]] == [False, True, True]
    assert result["rule"] == "equal_shares" and result["funded_total"] == 200
