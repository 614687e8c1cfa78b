"""The OpenAPI document: valid 3.1, covering every /api/v1 route, readable at /api/docs, and
true to what the API answers (schemathesis calls every operation with generated requests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis import checks

from bot import proposals
from bot.commands.ballots import BallotItemIn
from bot.commands.proposals import AnswerProposal, ProgressProposal
from bot.models.ballot import KINDS
from tests.ballot_helpers import ballot_body
from tests.conftest import ADMIN_TOKEN
from tests.proposal_helpers import published

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_the_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_the_document_covers_every_api_route_and_method(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {(method.upper(), path) for path, methods in document["paths"].items()
                  for method in methods}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", f"{{{name}}}").replace(
                    f"<{name}>", f"{{{name}}}")
            routed |= {(method, path) for method in rule.methods & METHODS}
    assert documented == routed
    assert len(routed) >= 45


def test_request_bodies_are_the_commands(client):
    document = client.get("/api/v1/openapi.json").get_json()
    create = document["paths"]["/api/v1/communities/{slug}/ballots"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CreateBallot"}
    ballot = document["components"]["schemas"]["CreateBallot"]
    assert set(ballot["required"]) == {"title", "opens_at", "closes_at", "items"}
    assert ballot["additionalProperties"] is False
    assert ballot["properties"]["items"]["maxItems"] == 20


def test_the_docs_page_lists_every_operation_without_outside_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    for path, methods in document["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in html
    assert "<script" not in html and "//cdn" not in html and 'src="http' not in html


def test_command_choices_are_the_domains():
    assert BallotItemIn.model_json_schema()["properties"]["kind"]["enum"] == list(KINDS)
    assert set(get_args(AnswerProposal.model_fields["outcome"].annotation)) == set(
        proposals.OUTCOMES)
    assert get_args(ProgressProposal.model_fields["stage"].annotation) == \
        proposals.PROGRESS_STAGES


# --- schemathesis: every operation, generated requests, checked against the document ---------

def _document() -> dict:
    from bot.app import create_app
    from tests.conftest import ADMIN_TOKEN as token

    app = create_app({"MAEUL_ENV": "test", "DATABASE_URL": "sqlite://", "SECRET_KEY": "x",
                      "IDENTITY_PEPPER": "x", "ADMIN_API_TOKEN": token})
    with app.app_context():
        from bot.api.openapi import document

        return document(app)


schema = schemathesis.openapi.from_dict(_document())
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.negative_data_rejection]


@pytest.fixture
def running(server, client, db, community, admin_headers):
    """The app on a loopback port with something to find: 풍산동 (slug `pungsan`), ballot 1 and
    proposal 1, so generated calls reach past 404."""
    now = datetime.now(UTC)
    assert client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                       json=ballot_body(opens=timedelta(days=1))).status_code == 201
    published(db, community.id, at=now)
    return server


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, running):
    case.call_and_validate(base_url=running, checks=CHECKS,
                           headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})


# --- what schemathesis found, each failing before the fix ----------------------------------

def test_an_unknown_query_parameter_is_refused_not_ignored(client, admin_headers, community):
    typo = client.get("/api/v1/communities/pungsan/residents?verifed=false",
                      headers=admin_headers)
    assert typo.status_code == 400
    assert typo.get_json()["error"]["code"] == "unknown_parameter"
    assert "verifed" in typo.get_json()["error"]["message"]


def test_a_manager_filter_that_is_not_a_manager_number_is_refused(client, admin_headers):
    for wanted in ("0", "abc", "-1"):
        refused = client.get(f"/api/v1/tokens?manager_id={wanted}", headers=admin_headers)
        assert refused.status_code == 400, wanted
    assert client.get("/api/v1/tokens?manager_id=7", headers=admin_headers).status_code == 200


def test_an_id_too_large_for_the_database_is_not_found(client, admin_headers, community):
    for path in ("/api/v1/proposals/139925988114375520009193032098569519104",
                 "/api/v1/ballots/2147483648"):
        assert client.get(path, headers=admin_headers).status_code == 404, path


def test_a_manager_community_must_be_a_slug(client, admin_headers, community):
    refused = client.post("/api/v1/managers", headers=admin_headers, json={
        "email": "0@0.com", "name": "0", "community": {}})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"]["problems"][0]["field"] == "community"


def test_an_optional_body_that_is_not_an_object_is_refused(client, admin_headers, community):
    ballot = client.post("/api/v1/communities/pungsan/ballots", headers=admin_headers,
                         json=ballot_body(opens=timedelta(days=1))).get_json()
    refused = client.post(f"/api/v1/ballots/{ballot['id']}/cancel", headers=admin_headers,
                          json=[None, None])
    assert refused.status_code == 400
    assert client.get(f"/api/v1/ballots/{ballot['id']}",
                      headers=admin_headers).get_json()["status"] == "scheduled"
    assert client.post(f"/api/v1/ballots/{ballot['id']}/cancel",
                       headers=admin_headers).status_code == 200
