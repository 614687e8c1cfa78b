"""What the REST API answers, as JSON Schema for the OpenAPI document (bot/api/openapi.py).

The handlers build these bodies (`ballot_json`, `proposal_reports.as_json`, ...); these models only
describe them, and tests/test_openapi.py runs schemathesis to check every answer matches.
Timestamps are ISO 8601 strings; a model lists the fields a client may rely on.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(Out):
    code: str
    message: str
    details: dict[str, Any]


class Error(Out):
    """Every refusal: a stable `code`, a Korean `message`, and `details` (e.g. `problems`, each
    a `field` path and a `message`)."""

    error: ErrorBody


class Community(Out):
    id: int
    slug: str
    name: str
    phone: str | None
    min_voting_age: int
    timezone: str
    complaint_text: str | None
    uses_disagree: bool
    proposal_rules: str | list[dict[str, Any]] | None
    consent_text: str | None
    created_at: str


class Manager(Out):
    id: int
    email: str
    name: str
    city_admin: bool
    community: str | None
    console: bool
    disabled: bool
    removed: bool


class NewManager(Manager):
    token: str


class Token(Out):
    id: int
    manager_id: int
    hint: str
    created_at: str
    revoked_at: str | None


class RevokedToken(Token):
    revoked_now: bool


class ProgressEntryOut(Out):
    """One entry of an adopted item's follow-through: `plan` (with `due_date`), `progress`,
    `result`, or `overdue` (the clock's record that the due date passed without a result)."""

    id: int
    stage: str
    text: str
    due_date: str | None
    at: str
    project: int | None
    project_label: str | None


class Material(Out):
    id: int
    item: int | None
    kind: str
    title: str
    url: str
    added_at: str


class BallotItem(Out):
    number: int
    title: str
    summary: str
    kind: str
    options: list[str]
    max_choices: int
    allow_abstain: bool
    proposal: int | None
    materials: list[Material]
    progress: list[ProgressEntryOut]
    overdue: bool


class ProgressEntry(ProgressEntryOut):
    """The entry just posted, and its item with the whole trail."""

    item: BallotItem


class Comment(Out):
    """A comment as managers see it: a hidden one keeps its text beside the reason."""

    id: int
    target: str
    author: str
    channel: str
    text: str
    at: str
    reply_to: int | None
    hidden: bool
    hidden_reason: str | None


class Ballot(Out):
    id: int
    community: str
    title: str
    overview: str
    opens_at: str
    closes_at: str
    closed_at: str | None
    status: str
    secret: bool
    quorum: float | None
    onsite: bool
    present_only: bool
    reminders: list[str]
    cancelled_at: str | None
    published_at: str | None
    counted_at: str | None
    ready: bool
    trustees: list[dict[str, Any]]
    items: list[BallotItem]


class LiveBallot(Out):
    """A ballot of the meeting: turnout so far, and results only once counted (else null)."""

    ballot_id: int
    title: str
    status: str
    closes_at: str
    turnout: Turnout
    results: list[dict[str, Any]] | None


class Live(Out):
    """An on-site session: the password shown now (null once closed), when it changes, where the
    QR code leads (`join_url`; by messenger in `join_urls`) and the QR code's image."""

    id: int
    ballot_id: int
    status: str
    password: str | None
    expires_at: str | None
    join_url: str | None
    qr_svg_url: str | None
    ballot: LiveBallot
    questions: list[LiveBallot]


class OnsiteMark(Out):
    resident_id: int
    masked_name: str
    marked_at: str


class OnsiteCounted(Out):
    ballot_id: int
    onsite_counted_at: str


class Turnout(Out):
    eligible: int
    participants: int
    online: int
    onsite_app: int
    onsite: int
    rate: float


class Results(Out):
    """Per item: options with online, on-site and total counts (a group too small to show apart
    is null), rank, abstentions and whether it passed."""

    turnout: Turnout
    items: list[dict[str, Any]]


class Proposal(Out):
    id: int
    community: str
    title: str
    content: str
    field: str
    status: str
    status_label: str
    agreements: int
    disagreements: int
    stage: int
    overdue: bool
    answer: dict[str, Any] | None
    history: list[dict[str, Any]]


class Alert(Out):
    """A proposal's answer due soon or overdue (`kind` `proposal`), or an adopted item's
    follow-through due soon or overdue (`agenda`: `ballot_id`, `item`, `project`,
    `due_date`)."""

    kind: str
    proposal_id: int | None
    community: str
    title: str
    answer_due: str | None
    overdue: bool


class Room(Out):
    id: int
    community: str
    channel: str
    external_key: str
    title: str
    unreachable: bool
    created_at: str


class Removed(Out):
    removed: bool
    id: int


class IssuedCode(Out):
    code: str
    expires_at: str


class NoticeQueued(Out):
    key: str
    rooms: int
    send_at: str | None


class RosterOutcome(Out):
    added: int
    updated: int
    unchanged: int
    moved_out: int
    mode: str


class Resident(Out):
    id: int
    masked_name: str
    birth_year: int
    moved_out: bool
    verified_channels: list[str]


class ResidentPage(Out):
    count: int
    page: int
    totals: dict[str, int]
    items: list[Resident]


class Unbound(Out):
    unbound: bool
    resident_id: int
    channel: str


class AuditEvent(Out):
    id: int
    at: str
    actor: str
    action: str
    subject: str | None
    details: dict[str, Any] | None


class AuditPage(Out):
    count: int
    page: int
    items: list[AuditEvent]


class Me(Out):
    name: str
    manager_id: int | None
    city_admin: bool
    community_id: int | None


def listing(model: type[BaseModel]) -> dict[str, Any]:
    """`{"count", "items"}` of `model`, as JSON Schema (the refs resolved by the caller)."""
    return {"type": "object", "required": ["count", "items"],
            "properties": {"count": {"type": "integer"},
                           "items": {"type": "array", "items": model}}}
