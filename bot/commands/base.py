"""What every command shares: the model's settings, the field types, and `read`.

A command is one use case's input, read the same way whichever front end built it (a REST body,
a console form, a chat conversation). Reading it checks the shape and every rule that needs no
stored state; the service checks what the database knows. Every problem carries a field path
(`items[0].title`) and a catalogue key, so the REST API, the console and the chat word it each in
their own way.

    command = read(CreateBallot, request_json, "invalid_ballot", zone=zone, now=now)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from bot.errors import Invalid, Problem

C = TypeVar("C", bound="Command")
UTC = ZoneInfo("UTC")


class Command(BaseModel):
    """A use case's input: no unknown field, no coercion (`"1"` is not a number), text trimmed."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    def given(self, name: str) -> bool:
        """Whether the caller sent this field (an update changes only what was sent)."""
        return name in self.model_fields_set


def problem(key: str, *at: str | int, **params: Any) -> PydanticCustomError:
    """The error a validator raises: a catalogue key, its blanks, and (`at`) a place below the
    field being checked, e.g. `problem("error.ballot.trustee_twice", 1, "name")`."""
    return PydanticCustomError(key, key, {**params, "_at": list(at)} if at else params)


# Pydantic's own error types, for what our field types do not check first.
PYDANTIC_KEYS = {
    "missing": "error.field.missing",
    "extra_forbidden": "error.field.unknown",
    "bool_type": "error.field.bool",
    "int_type": "error.field.integer",
    "float_type": "error.field.number",
    "string_type": "error.field.string",
    "list_type": "error.field.list",
    "model_type": "error.field.object",
    "model_attributes_type": "error.field.object",
    "dict_type": "error.field.object",
    "literal_error": "error.field.one_of",
    "date_type": "error.field.date",
    "date_from_datetime_parsing": "error.field.date",
    "greater_than_equal": "error.field.at_least",
    "less_than_equal": "error.field.at_most",
    "too_short": "error.field.at_least_items",
    "too_long": "error.field.at_most_items",
}


def _path(loc: tuple[str | int, ...] | list[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def several(found: list[tuple[str, dict[str, Any]]]) -> PydanticCustomError:
    """The error of a validator that found several problems with one field, as (key, params);
    `params["_at"]` places one below the field (`["options", 2, "cost"]`)."""
    return PydanticCustomError("error.several", "error.several", {"_many": found})


def _problems(error: dict[str, Any]) -> list[Problem]:
    ctx = dict(error.get("ctx") or {})
    if "_many" in ctx:
        return [Problem(_path(list(error["loc"]) + list(params.get("_at", []))), key,
                        {k: v for k, v in params.items() if k != "_at"})
                for key, params in ctx["_many"]]
    return [_problem(error, ctx)]


def _problem(error: dict[str, Any], ctx: dict[str, Any]) -> Problem:
    loc = list(error["loc"]) + list(ctx.pop("_at", []))
    kind = error["type"]
    if kind.startswith("error."):
        return Problem(_path(loc), kind, ctx)
    key = PYDANTIC_KEYS.get(kind, "error.field.invalid")
    params: dict[str, Any] = {}
    if key == "error.field.one_of":
        params["choices"] = str(ctx.get("expected", "")).replace("'", "")
    elif key in ("error.field.at_least", "error.field.at_most"):
        params["limit"] = ctx.get("ge", ctx.get("le"))
    elif key in ("error.field.at_least_items", "error.field.at_most_items"):
        params["limit"] = ctx.get("min_length", ctx.get("max_length"))
    return Problem(_path(loc), key, params)


def problems_of(error: ValidationError) -> list[Problem]:
    return [problem for e in error.errors(include_url=False, include_input=False)
            for problem in _problems(e)]


def read(model: type[C], data: Any, code: str, **context: Any) -> C:
    """The command `model` read from `data` (a JSON object or a form's fields), or `Invalid(code)`
    listing every problem. `context` gives what some rules need (`zone`, `now`)."""
    if not isinstance(data, dict):
        data = {}
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        problems = problems_of(error)
    if len(problems) == 1:
        only = problems[0]
        raise Invalid(code, problems, only.key, **only.params) from None
    raise Invalid(code, problems) from None


def read_in(model: type[C], data: Any, code: str, community: Any, now: datetime) -> C:
    """`read` for a command about `community`: times without an offset are local there, and
    `now` and the local `today` are known to the rules that need them."""
    zone = ZoneInfo(community.timezone)
    return read(model, data, code, zone=zone, now=now, today=now.astimezone(zone).date())


def context(info: ValidationInfo, name: str, default: Any = None) -> Any:
    """What the caller passed to `read` for rules that need it: `zone`, `now`, `today`, or a
    lookup such as `slug_taken` (so that a stored conflict is listed with the other problems)."""
    return (info.context or {}).get(name, default)


# --- field types ---------------------------------------------------------------------------

def Text(limit: int, *, required: bool = True, key: str | None = None) -> Any:  # noqa: N802
    """Text up to `limit` characters, trimmed; `required` also refuses blank text. An optional
    text may be null or absent, and then reads as empty."""
    wrong = key or ("error.field.required" if required else "error.field.text")

    def check(value: Any) -> Any:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
            raise problem(wrong, limit=limit)
        return value.strip()

    if required:
        return Annotated[str, BeforeValidator(check), Field(min_length=1, max_length=limit)]
    return Annotated[Annotated[str, Field(max_length=limit)] | None, BeforeValidator(check)]


def Listed(item: Any, key: str, *, most: int, least: int = 0, **params: Any) -> Any:  # noqa: N802
    """A list of `least`..`most` entries; a list of the wrong size is one problem, `key`."""

    def check(value: Any) -> Any:
        if not isinstance(value, list) or not least <= len(value) <= most:
            raise problem(key, limit=most, **params)
        return value

    return Annotated[Annotated[list[item], Field(min_length=least, max_length=most)],
                     BeforeValidator(check)]


def _time(value: Any, info: ValidationInfo) -> Any:
    from bot.ballots.state import parse_time

    moment = parse_time(value, context(info, "zone", UTC))
    if moment is None:
        raise problem("error.field.time")
    return moment


# An ISO 8601 time; one without an offset is read in the community's time zone (context `zone`).
Time = Annotated[datetime, BeforeValidator(_time), WithJsonSchema({
    "type": "string", "minLength": 1, "examples": ["2026-12-01T09:00:00+09:00"],
    "description": "ISO 8601; without an offset, in the community's time zone"})]


def _day(value: Any) -> Any:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _future_day(value: Any, info: ValidationInfo) -> Any:
    day = _day(value)
    today = context(info, "today")
    if day is None or (today is not None and day < today):
        raise problem("error.field.date")
    return day


# A date (YYYY-MM-DD), today or later in the community (context `today`).
Day = Annotated[date, BeforeValidator(_future_day), WithJsonSchema({
    "type": "string", "format": "date", "description": "YYYY-MM-DD, today or later"})]


def strict_bool(key: str = "error.field.bool") -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, bool):
            raise problem(key)
        return value

    return check


Flag = Annotated[bool, BeforeValidator(strict_bool())]
