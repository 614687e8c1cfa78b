"""The managers' proposal commands: screen, answer, report progress, send an answer back."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from bot.commands.base import Command, Day, Text, problem

REASON_MAX = 1000
TEXT_MAX = 4000


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
