"""The city admin's commands: a community (create, change) and a manager account."""

from __future__ import annotations

import re
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema

from bot.commands.base import Command, Flag, Text, context, problem, several
from bot.privacy import MAX_CONSENT_TEXT
from bot.proposal_rules import ACTORS, PRESETS, validate_rules

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _unique(pattern: re.Pattern, wrong: str, taken: str):  # noqa: ANN202
    """Text of the pattern (else `wrong`) that no stored row has yet (else `taken`, asked of the
    caller's `context[taken]` lookup, so the conflict is listed with the other problems)."""

    def check(value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str) or not pattern.match(value):
            raise problem(wrong)
        if context(info, taken, lambda _: False)(value):
            raise problem(f"{wrong}_taken")
        return value

    return check


_slug = _unique(SLUG, "error.community.slug", "slug_taken")
_email = _unique(EMAIL, "error.manager.email", "email_taken")


def _age(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 14 <= value <= 30:
        raise problem("error.community.min_voting_age")
    return value


def _zone(value: Any) -> Any:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise problem("error.community.timezone") from None
    return value


def _rules(value: Any) -> Any:
    found = validate_rules(value)
    if found:
        raise several(found)
    return value


STAGE_SCHEMA = {
    "type": "object", "required": ["agreements", "window_days", "actor", "answer_days"],
    "properties": {
        "agreements": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
        "window_days": {"type": "integer", "minimum": 1, "maximum": 365},
        "actor": {"enum": list(ACTORS)},
        "answer_days": {"type": "integer", "minimum": 1, "maximum": 365},
        "require_majority": {"type": "boolean"}}}
Slug = Annotated[str, BeforeValidator(_slug), WithJsonSchema(
    {"type": "string", "pattern": SLUG.pattern, "examples": ["pungsan"]})]
Rules = Annotated[str | list[dict[str, Any]], BeforeValidator(_rules), WithJsonSchema({
    "description": "A preset's name, or 1 to 5 stages with rising agreement counts",
    "anyOf": [{"enum": list(PRESETS)},
              {"type": "array", "minItems": 1, "maxItems": 5, "items": STAGE_SCHEMA}]})]


class CommunityFields(Command):
    phone: Text(40, required=False, key="error.community.phone") = ""
    min_voting_age: Annotated[int, BeforeValidator(_age), Field(ge=14, le=30)] = 18
    timezone: Annotated[str, BeforeValidator(_zone), WithJsonSchema(
        {"type": "string", "examples": ["Asia/Seoul"]})] = "Asia/Seoul"
    complaint_text: Text(500, required=False, key="error.community.complaint_text") = ""
    consent_text: Text(MAX_CONSENT_TEXT, required=False,
                       key="error.community.consent_text") = ""
    uses_disagree: Flag = False
    proposal_rules: Rules = None

    def changes(self) -> dict[str, Any]:
        """The fields sent, as the community stores them."""
        return {name: getattr(self, name) for name in sorted(self.model_fields_set)}


class CreateCommunity(CommunityFields):
    """A new community (주민자치회): a slug for its address and a name."""

    slug: Slug
    name: Text(100)


class UpdateCommunity(CommunityFields):
    """A change to a community: only the fields sent change; the slug stays."""

    slug: str = None  # may be sent, unchanged
    name: Text(100) = None


def _password(value: Any) -> Any:
    if value is not None and (not isinstance(value, str) or len(value) < 10):
        raise problem("error.manager.password")
    return value


def _community(value: Any, info: ValidationInfo) -> Any:
    if value is not None and (not isinstance(value, str) or not context(
            info, "community_exists", lambda slug: True)(value)):
        raise problem("error.manager.community")
    return value


class CreateManager(Command):
    """A manager account: of one community, or a city admin (no community). With a password it
    may sign in to the console; the answer carries an API token, shown once."""

    email: Annotated[str, BeforeValidator(_email), WithJsonSchema(
        {"type": "string", "format": "email"})]
    name: Text(100, key="error.manager.name")
    password: Annotated[Annotated[str, Field(min_length=10, max_length=200)] | None,
                        BeforeValidator(_password)] = None
    community: Annotated[str | None, BeforeValidator(_community)] = None
