"""The managers' ballot commands: create, update, cancel, trustees' secrets, count, publish, the
on-site desk and counts. Rules that need the stored ballot (only later once open, the counts
against the desk's marks) stay in bot/ballots."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from bot.catalogue import t
from bot.commands.base import (
    Command,
    Flag,
    Listed,
    Text,
    Time,
    context,
    problem,
    read_in,
    several,
)
from bot.commands.budget import (
    MAX_BUDGET,
    MAX_PROJECTS,
    BudgetFields,
    ProjectIn,
    budget_problems,
    not_budget_problems,
    plan_of,
    raise_if,
)
from bot.models import Community
from bot.models.ballot import BUDGET, CHOOSE_UP_TO, KINDS, YES_NO

B = TypeVar("B", bound="BallotFields")

MAX_ITEMS = 20
MAX_TRUSTEES = 5
MAX_OPTIONS = 9  # a chat prompt offers at most 9 numbered options
MAX_REMINDERS = 5
MIN_TRUSTEE_SECRET = 8


def read_ballot(model: type[B], data: Any, community: Community, now: datetime) -> B:
    """A create or update of a ballot in `community`: times without an offset are local there,
    and a closing time must be later than `now`."""
    return read_in(model, data, "invalid_ballot", community, now)


def yes_no_options() -> list[str]:
    """The fixed options of a yes/no item, as stored with it."""
    return [t("ballot.option.yes"), t("ballot.option.no")]


def _kind(value: Any) -> Any:
    if value not in KINDS:
        raise problem("error.field.one_of", choices=", ".join(KINDS))
    return value


def _project(raw: Any, index: int) -> tuple[ProjectIn | None, list]:
    if not isinstance(raw, dict):
        return None, [("error.budget.project", {"_at": [index]})]
    found = [("error.field.unknown", {"_at": [index, name]})
             for name in sorted(set(raw) - set(ProjectIn.model_fields))]
    label, cost, group = raw.get("label"), raw.get("cost"), raw.get("group", "")
    if not isinstance(label, str) or not 1 <= len(label.strip()) <= 80:
        found.append(("error.budget.label", {"_at": [index, "label"]}))
    if isinstance(cost, bool) or not isinstance(cost, int) or not 0 <= cost <= MAX_BUDGET:
        found.append(("error.budget.cost", {"_at": [index, "cost"]}))
    if not isinstance(group, str) or len(group.strip()) > 20:
        found.append(("error.budget.group_name", {"_at": [index, "group"]}))
    if found:
        return None, found
    return ProjectIn(label=label.strip(), cost=cost, group=group.strip()), []


def _projects(value: Any) -> list[ProjectIn]:
    if not isinstance(value, list) or not 2 <= len(value) <= MAX_PROJECTS:
        raise problem("error.budget.projects", limit=MAX_PROJECTS)
    read, found = [], []
    for index, raw in enumerate(value):
        project, wrong = _project(raw, index)
        read.append(project)
        found += wrong
    if found:
        raise several(found)
    return read


def _options(value: Any, info: ValidationInfo) -> Any:
    if value is None:
        return None
    if info.data.get("kind") == BUDGET:
        return _projects(value)
    if (not isinstance(value, list) or not 2 <= len(value) <= MAX_OPTIONS
            or not all(isinstance(o, str) and o.strip() and len(o) <= 80 for o in value)):
        raise problem("error.ballot.options", limit=MAX_OPTIONS)
    return [o.strip() for o in value]


def _quorum(value: Any) -> Any:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                              or not 0 < value <= 1):
        raise problem("error.ballot.quorum")
    return None if value is None else float(value)


class BallotItemIn(BudgetFields):
    """One question: `yes_no` (찬반), `choose_one`, `choose_up_to` (`max_choices`), or `budget`
    (주민참여예산: projects with costs, picked within `budget` and/or up to `max_choices`; see
    bot/commands/budget.py)."""

    title: Text(200)
    summary: Text(2000, required=False) = ""
    kind: Annotated[Literal["yes_no", "choose_one", "choose_up_to", "budget"],
                    BeforeValidator(_kind)] = YES_NO
    options: Annotated[Annotated[list[Annotated[str, Field(min_length=1, max_length=80)]],
                                 Field(min_length=2, max_length=MAX_OPTIONS)]
                       | Annotated[list[ProjectIn], Field(min_length=2, max_length=MAX_PROJECTS)]
                       | None, BeforeValidator(_options)] = None
    max_choices: int | None = Field(default=None, ge=1, le=MAX_PROJECTS)
    allow_abstain: Flag = False
    # The resident proposal the item came from (a public proposal of the same community).
    proposal: int | None = Field(default=None, ge=1, le=2_147_483_647)

    @field_validator("options")
    @classmethod
    def _options_fit_the_kind(cls, options: list[str] | None, info: ValidationInfo):
        kind = info.data.get("kind")
        if kind == BUDGET:
            if options is None or not all(isinstance(o, ProjectIn) for o in options):
                raise problem("error.budget.projects", limit=MAX_PROJECTS)
            return options
        if options is not None and not all(isinstance(o, str) for o in options):
            raise problem("error.ballot.options", limit=MAX_OPTIONS)
        if kind == YES_NO:
            if options not in (None, yes_no_options()):
                raise problem("error.ballot.yes_no_options")
            return yes_no_options()
        if kind is not None and options is None:
            raise problem("error.ballot.options", limit=MAX_OPTIONS)
        if options is not None and len(set(options)) != len(options):
            raise problem("error.ballot.options_twice")
        return options

    @model_validator(mode="before")
    @classmethod
    def _max_choices(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("kind") != CHOOSE_UP_TO:
            return data
        k, options = data.get("max_choices"), data.get("options")
        size = len(options) if isinstance(options, list) else MAX_OPTIONS
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= size:
            raise problem("error.ballot.max_choices", "max_choices", limit=size)
        return data

    @model_validator(mode="after")
    def _budget_fields(self):  # noqa: ANN202
        raise_if(budget_problems(self) if self.kind == BUDGET else not_budget_problems(self))
        return self

    def row(self) -> dict[str, Any]:
        """The item as stored."""
        if self.kind == BUDGET:
            return {"title": self.title, "summary": self.summary or "", "kind": self.kind,
                    "options": [p.label for p in self.options],
                    "max_choices": self.max_choices or len(self.options),
                    "allow_abstain": self.allow_abstain, "budget_plan": plan_of(self),
                    "proposal_id": self.proposal}
        return {"title": self.title, "summary": self.summary or "", "kind": self.kind,
                "options": self.options or yes_no_options(),
                "max_choices": self.max_choices if self.kind == CHOOSE_UP_TO else 1,
                "allow_abstain": self.allow_abstain, "proposal_id": self.proposal}


def _trustees(value: Any) -> Any:
    if not isinstance(value, list) or len(value) > MAX_TRUSTEES:
        raise problem("error.ballot.trustees", limit=MAX_TRUSTEES)
    names: list[str] = []
    for index, raw in enumerate(value):
        name = raw.get("name") if isinstance(raw, dict) else None
        name = name.strip() if isinstance(name, str) else ""
        if not name or len(name) > 50:
            raise problem("error.ballot.trustee_name", index, "name")
        if name in names:
            raise problem("error.ballot.trustee_twice", index, "name")
        names.append(name)
    return [{"name": name} for name in names]


class TrusteeIn(Command):
    name: Annotated[str, Field(min_length=1, max_length=50)]


class BallotFields(Command):
    """What a create and an update share."""

    overview: Text(5000, required=False) = ""
    secret: Flag = True
    onsite: Flag = False
    quorum: Annotated[Annotated[float, Field(gt=0, le=1)] | None,
                      BeforeValidator(_quorum)] = None
    trustees: Annotated[Annotated[list[TrusteeIn], Field(max_length=MAX_TRUSTEES)] | None,
                        BeforeValidator(lambda v: None if v is None else _trustees(v))] = None
    reminders: Listed(Time, "error.ballot.reminders", most=MAX_REMINDERS) | None = None

    @field_validator("closes_at", check_fields=False)
    @classmethod
    def _closes_later(cls, closes: datetime | None, info: ValidationInfo):
        now = context(info, "now")
        if closes is not None and now is not None and closes <= now:
            raise problem("error.ballot.closes_passed")
        return closes

    def trustee_names(self) -> list[str]:
        return [trustee.name for trustee in self.trustees or []]


class CreateBallot(BallotFields):
    """A new ballot: a title, the voting window and 1 to 20 items."""

    title: Text(200)
    opens_at: Time
    closes_at: Time
    items: Listed(BallotItemIn, "error.ballot.items", most=MAX_ITEMS, least=1)


class UpdateBallot(BallotFields):
    """A change: only the fields sent change. Once voting is open only `closes_at` may, and only
    to a later time."""

    title: Text(200) = None
    opens_at: Time = None
    closes_at: Time = None
    items: Listed(BallotItemIn, "error.ballot.items", most=MAX_ITEMS, least=1) = None


class CancelBallot(Command):
    reason: Text(500, required=False, key="error.cancel_reason") = ""


class SetTrusteeSecret(Command):
    """A trustee's own secret (8 to 200 characters); only what it derives is stored."""

    secret: Annotated[str, BeforeValidator(lambda v: _secret(v)),
                      Field(min_length=MIN_TRUSTEE_SECRET, max_length=200)]


def _secret(value: Any) -> Any:
    import unicodedata

    text = unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else ""
    if not MIN_TRUSTEE_SECRET <= len(text) <= 200:
        raise problem("error.ballot.secret_short", minimum=MIN_TRUSTEE_SECRET)
    return text


class CountBallot(Command):
    """Every trustee's secret, in the trustees' order (none for a ballot without trustees)."""

    secrets: Annotated[list[Annotated[str, Field(max_length=200)]], Field(
        max_length=MAX_TRUSTEES)] = []


class PublishBallot(Command):
    """`confirm_small`: publish a secret ballot's result of fewer than 5 participants anyway."""

    confirm_small: bool = False


class MarkOnsite(Command):
    """The assembly desk finds a resident by name and birth date (e.g. 1952-03-15, 520315)."""

    name: Text(50, key="error.invalid_lookup")
    birth_date: Text(20, key="error.invalid_lookup")


def _counts(value: Any) -> Any:
    values = list(value.values()) if isinstance(value, dict) else value
    if not isinstance(values, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        raise problem("error.counts.values")
    return value


class ItemCounts(Command):
    """One item's paper counts: a list in option order, or an object by option label."""

    number: Annotated[int, Field(ge=1, le=MAX_ITEMS)]
    counts: Annotated[list[Annotated[int, Field(ge=0)]] | dict[str, Annotated[int, Field(ge=0)]],
                      BeforeValidator(_counts)]


class SetOnsiteCounts(Command):
    """The paper counts of every item, replacing any given before."""

    items: Listed(ItemCounts, "error.field.list", most=MAX_ITEMS)


class CastVote(Command):
    """A resident's whole ballot at once: item number → the option numbers chosen (the
    ballot's abstain number for 기권). Whether they fit the ballot is checked against it."""

    picks: dict[str, list[Annotated[int, Field(ge=1, le=MAX_PROJECTS + 1)]]]


MAX_QUESTION_MINUTES = 60
QUESTION_KINDS = ("yes_no", "choose_one")


def _question_kind(value: Any) -> Any:
    if value not in QUESTION_KINDS:
        raise problem("error.field.one_of", choices=", ".join(QUESTION_KINDS))
    return value


class AskQuestion(BallotItemIn):
    """A quick question at the meeting (bot/live.py): one `yes_no` or `choose_one` item, open at
    once for `minutes` (1 to 60), to residents present only."""

    kind: Annotated[Literal["yes_no", "choose_one"], BeforeValidator(_question_kind)] = YES_NO
    minutes: int = Field(default=5, ge=1, le=MAX_QUESTION_MINUTES)

    @model_validator(mode="before")
    @classmethod
    def _max_choices(cls, data: Any) -> Any:
        return data  # one answer only: the kinds of a question have no `max_choices`
