"""A budget item's own fields (주민참여예산), read as part of a ballot item (bot/commands/ballots.py):

    {"title": "2027 주민참여예산", "kind": "budget", "budget": 30000000, "max_choices": 3,
     "min_choices": 1, "options": [{"label": "경로당 보수", "cost": 12000000, "group": "동"}, ...],
     "group_max": {"동": 2}, "min_spend": 0.5, "rule": "greedy"}

At least one of `budget` (won) and `max_choices` limits the picks; a project costing more than the
budget, no projects, a negative cost or a group limit for no group are refused with their paths.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from bot.commands.base import Command, several

MAX_PROJECTS = 30  # shown 5 a page in the chat
MAX_BUDGET = 10**13  # won; a city's whole budget is far below


class ProjectIn(Command):
    """One project of a budget item: its name, its cost in won, and an optional group."""

    label: Annotated[str, Field(min_length=1, max_length=80)]
    cost: Annotated[int, Field(ge=0, le=MAX_BUDGET)]
    group: Annotated[str, Field(max_length=20)] = ""


class BudgetFields(Command):
    """What only a budget item may say."""

    budget: Annotated[int, Field(ge=1, le=MAX_BUDGET)] | None = None
    min_choices: Annotated[int, Field(ge=1, le=MAX_PROJECTS)] | None = None
    min_spend: Annotated[float, Field(gt=0, le=1)] | None = None
    group_max: dict[Annotated[str, Field(max_length=20)],
                    Annotated[int, Field(ge=1, le=MAX_PROJECTS)]] | None = None
    rule: Literal["greedy", "equal_shares"] | None = None


BUDGET_ONLY = tuple(BudgetFields.model_fields)


def budget_problems(item: Any) -> list[tuple[str, dict[str, Any]]]:
    """What is wrong with a budget item as a whole, each with its place (`_at`)."""
    projects = item.options or []
    found: list[tuple[str, dict[str, Any]]] = []
    if item.budget is None and item.max_choices is None:
        found.append(("error.budget.limit", {"_at": ["budget"]}))
    if item.allow_abstain:  # the chat's budget step has no 기권: the least picks say it all
        found.append(("error.budget.abstain", {"_at": ["allow_abstain"]}))
    labels = [p.label for p in projects]
    if len(set(labels)) != len(labels):
        found.append(("error.ballot.options_twice", {"_at": ["options"]}))
    for index, project in enumerate(projects):
        if item.budget is not None and project.cost > item.budget:
            found.append(("error.budget.over_cap", {"_at": ["options", index, "cost"],
                                                    "label": project.label}))
    most = item.max_choices or len(projects)
    if item.max_choices is not None and item.max_choices > len(projects):
        found.append(("error.ballot.max_choices", {"_at": ["max_choices"],
                                                   "limit": len(projects)}))
    if item.min_choices is not None and item.min_choices > most:
        found.append(("error.budget.min_choices", {"_at": ["min_choices"], "most": most}))
    if item.min_spend is not None and item.budget is None:
        found.append(("error.budget.min_spend", {"_at": ["min_spend"]}))
    groups = {p.group for p in projects if p.group}
    for name in sorted(set(item.group_max or {}) - groups):
        found.append(("error.budget.group", {"_at": ["group_max", name], "group": name}))
    return found


def not_budget_problems(item: Any) -> list[tuple[str, dict[str, Any]]]:
    return [("error.budget.only_budget", {"_at": [name]}) for name in BUDGET_ONLY
            if getattr(item, name) is not None]


def raise_if(found: list[tuple[str, dict[str, Any]]]) -> None:
    if found:
        raise several(found)


def plan_of(item: Any) -> dict[str, Any]:
    """The plan stored with a budget item (bot/models/ballot.BallotItem.budget_plan)."""
    projects = item.options or []
    return {"budget": item.budget, "costs": [p.cost for p in projects],
            "groups": [p.group for p in projects], "group_max": dict(item.group_max or {}),
            "min_choices": item.min_choices or 1, "min_spend": item.min_spend,
            "rule": item.rule or "greedy"}
