"""The managers' proposal commands: screen, answer, report progress, send an answer back."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, model_validator

from bot.commands.base import Command, Day, Text, problem

REASON_MAX = 1000
TEXT_MAX = 4000
TITLE_MAX = 100
CONTENT_MAX = 4000
FIELD_CODES = ("traffic", "environment", "welfare", "safety", "culture", "other")


def draft_problems(title: str | None = None, content: str | None = None,
                   field: str | None = None) -> list[str]:
    """Which of the given parts of a resident's proposal would be refused (the chat asks again
    for each one as it is typed)."""
    problems = []
    if title is not None and (not 2 <= len(title.strip()) <= TITLE_MAX or "\n" in title.strip()):
        problems.append("title")
    if content is not None and not 5 <= len(content.strip()) <= CONTENT_MAX:
        problems.append("content")
    if field is not None and field not in FIELD_CODES:
        problems.append("field")
    return problems


def _part(name: str):  # noqa: ANN202
    def check(value: Any) -> Any:
        if not isinstance(value, str) or draft_problems(**{name: value}):
            raise problem(f"error.proposal.{name}")
        return value.strip()
    return BeforeValidator(check)


class SubmitProposal(Command):
    """A resident's proposal (주민제안): a one-line title, the content, a field."""

    title: Annotated[str, _part("title")]
    content: Annotated[str, _part("content")]
    field: Annotated[Literal["traffic", "environment", "welfare", "safety", "culture", "other"],
                     _part("field")]


class Agree(Command):
    """공감 (`agree`) or 비공감 (`disagree`) with a published proposal."""

    kind: Literal["agree", "disagree"]


class ScreenProposal(Command):
    """Approve (published, agreements open), route as a complaint (민원 이관), or reject with a
    reason the proposer receives."""

    decision: Literal["approve", "complaint", "reject"]
    reason: Text(REASON_MAX, required=False) = ""

    @model_validator(mode="after")
    def _reject_says_why(self) -> ScreenProposal:
        if self.decision == "reject" and not self.reason:
            raise problem("error.field.required", "reason", limit=REASON_MAX)
        return self


class AnswerProposal(Command):
    """수용 (`accepted`: the plan and a due date), 불수용 (`rejected`: the reasons), or 추가 의견
    수렴 (`more_input`: agreements reopen until `due_date`, by default in 14 days)."""

    outcome: Literal["accepted", "rejected", "more_input"]
    text: Text(TEXT_MAX, required=False) = ""
    due_date: Day | None = None

    @model_validator(mode="after")
    def _what_each_outcome_needs(self) -> AnswerProposal:
        if self.outcome != "more_input" and not self.text:
            raise problem("error.field.required", "text", limit=TEXT_MAX)
        if self.outcome == "accepted" and self.due_date is None:
            raise problem("error.field.date", "due_date")
        return self


class ProgressProposal(Command):
    """추진계획 (`plan`), 추진경과 (`progress`) or 추진결과 (`result`) of an accepted proposal."""

    stage: Literal["plan", "progress", "result"]
    text: Text(TEXT_MAX)


class SendBackProposal(Command):
    """The city admin returns a weak answer to be rewritten by `due_date` (default 5 days)."""

    reason: Text(REASON_MAX)
    due_date: Day | None = None
