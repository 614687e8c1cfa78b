"""Typed errors: what a service refuses, as a stable code and a message key, never a status.

Services raise these without knowing who asked. The front ends present them: the REST API and the
webhooks answer JSON with a status chosen by the error's kind (bot/presenters.py), the console
flashes the message, the chat never meets one (handlers check first and explain in their words).

    raise Conflict("ballot_closed")                      # message key error.ballot_closed
    raise Invalid("invalid_ballot", problems=[Problem("title", "error.field.required",
                                                      {"limit": 200})])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from bot.catalogue import DEFAULT_LANG, t


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (a field path, a roster line) and what (a key)."""

    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    line: int | None = None

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(self.key, lang, **self.params)

    def as_json(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        shown: dict[str, Any] = {"field": self.field, "message": self.message(lang)}
        return {"line": self.line, **shown} if self.line is not None else shown


class DomainError(Exception):
    """A refusal: `code` is stable for programs, `key` (default `error.<code>`) is the sentence
    for people, filled with `params`; `problems` list what to fix; `extra` is data to show."""

    kind: ClassVar[str] = "conflict"

    def __init__(self, code: str, key: str | None = None, *, problems: list[Problem] | None = None,
                 extra: dict[str, Any] | None = None, **params: Any) -> None:
        self.code = code
        self.key = key or f"error.{code}"
        self.params = params
        self.problems = list(problems or [])
        self.extra = dict(extra or {})
        super().__init__(code)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(self.key, lang, **self.params)

    def details(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        shown = dict(self.extra)
        if self.problems:
            shown["problems"] = [problem.as_json(lang) for problem in self.problems]
        return shown

    def __str__(self) -> str:
        return self.message()


class Invalid(DomainError):
    """The input is wrong; `problems` say where."""

    kind = "invalid"

    def __init__(self, code: str, problems: list[Problem], key: str | None = None, *,
                 extra: dict[str, Any] | None = None, **params: Any) -> None:
        super().__init__(code, key or "error.fix_these", problems=problems, extra=extra,
                         **{"count": len(problems), **params})


class Conflict(DomainError):
    """The input is fine but the state does not allow it now."""

    kind = "conflict"


class NotFound(DomainError):
    kind = "not_found"


class Forbidden(DomainError):
    kind = "forbidden"


class Unauthenticated(DomainError):
    kind = "unauthenticated"


class Malformed(DomainError):
    """The request cannot be read at all (not JSON, a wrong parameter)."""

    kind = "malformed"


class Unavailable(DomainError):
    """A service we depend on did not answer."""

    kind = "unavailable"


class TooLarge(DomainError):
    kind = "too_large"


class Unsupported(DomainError):
    kind = "unsupported"


def invalid(code: str, field_name: str, key: str, **params: Any) -> Invalid:
    """One problem, whose sentence is also the error's message."""
    return Invalid(code, [Problem(field_name, key, params)], key=key, **params)
