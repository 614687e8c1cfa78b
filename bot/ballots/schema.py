"""What a ballot may say: one reading of a create or update body, every problem at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.ballots.state import parse_time
from bot.catalogue import t
from bot.errors import Problem
from bot.models import Community
from bot.models.ballot import CHOOSE_UP_TO, KINDS, YES_NO, Ballot

MAX_ITEMS = 20
MAX_TRUSTEES = 5
MAX_OPTIONS = 9  # a chat prompt offers at most 9 numbered options
MAX_REMINDERS = 5
REMINDER_TIME = time(9, 0)
FIELDS = ("title", "overview", "opens_at", "closes_at", "secret", "onsite", "quorum", "items",
          "reminders", "trustees")


def yes_no_options() -> list[str]:
    """The fixed options of a yes/no item, as stored with it."""
    return [t("ballot.option.yes"), t("ballot.option.no")]


@dataclass
class Checker:
    """Collects the problems of one body."""

    problems: list[Problem] = field(default_factory=list)

    def bad(self, field_name: str, key: str, **params: Any) -> None:
        self.problems.append(Problem(field_name, key, params))


def _text(check: Checker, data: dict, name: str, limit: int, required: bool,
          prefix: str = "") -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        check.bad(prefix + name, "error.field.required" if required else "error.field.text",
                  limit=limit)
        return None
    return value.strip()


def _options(check: Checker, raw: dict, kind: str, prefix: str) -> list[str] | None:
    options = raw.get("options")
    if kind == YES_NO:
        fixed = yes_no_options()
        if options not in (None, fixed):
            check.bad(prefix + "options", "error.ballot.yes_no_options")
        return fixed
    if (not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS
            or not all(isinstance(o, str) and o.strip() and len(o) <= 80 for o in options)):
        check.bad(prefix + "options", "error.ballot.options", limit=MAX_OPTIONS)
        return None
    options = [o.strip() for o in options]
    if len(set(options)) != len(options):
        check.bad(prefix + "options", "error.ballot.options_twice")
        return None
    return options


def _item(check: Checker, raw: Any, index: int) -> dict[str, Any] | None:
    prefix = f"items[{index}]."
    if not isinstance(raw, dict):
        check.bad(f"items[{index}]", "error.ballot.item")
        return None
    title = _text(check, raw, "title", 200, True, prefix)
    summary = _text(check, raw, "summary", 2000, False, prefix) or ""
    kind = raw.get("kind", YES_NO)
    if kind not in KINDS:
        check.bad(prefix + "kind", "error.field.one_of", choices=", ".join(KINDS))
        return None
    options = _options(check, raw, kind, prefix)
    if options is None:
        return None
    max_choices = 1
    if kind == CHOOSE_UP_TO:
        k = raw.get("max_choices")
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(options):
            check.bad(prefix + "max_choices", "error.ballot.max_choices", limit=len(options))
            return None
        max_choices = k
    abstain = raw.get("allow_abstain", False)
    if not isinstance(abstain, bool):
        check.bad(prefix + "allow_abstain", "error.field.bool")
        return None
    return {"title": title, "summary": summary, "kind": kind, "options": options,
            "max_choices": max_choices, "allow_abstain": abstain}


def _items(check: Checker, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_ITEMS:
        check.bad("items", "error.ballot.items", limit=MAX_ITEMS)
        return []
    items = [_item(check, raw, index) for index, raw in enumerate(value)]
    return [item for item in items if item is not None]


def _trustees(check: Checker, value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_TRUSTEES:
        check.bad("trustees", "error.ballot.trustees", limit=MAX_TRUSTEES)
        return []
    names: list[str] = []
    for index, raw in enumerate(value):
        name = raw.get("name") if isinstance(raw, dict) else None
        name = name.strip() if isinstance(name, str) else ""
        if not name or len(name) > 50:
            check.bad(f"trustees[{index}].name", "error.ballot.trustee_name")
        elif name in names:
            check.bad(f"trustees[{index}].name", "error.ballot.trustee_twice")
        else:
            names.append(name)
    return names


def _reminders(check: Checker, value: Any, zone: ZoneInfo, opens: datetime | None,
               closes: datetime | None) -> list[datetime] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_REMINDERS:
        check.bad("reminders", "error.ballot.reminders", limit=MAX_REMINDERS)
        return None
    times = []
    for index, raw in enumerate(value):
        moment = parse_time(raw, zone)
        if moment is None:
            check.bad(f"reminders[{index}]", "error.field.time")
        elif opens and closes and not opens < moment < closes:
            check.bad(f"reminders[{index}]", "error.ballot.reminder_outside")
        else:
            times.append(moment)
    return sorted(times)


def default_reminders(opens: datetime, closes: datetime, zone: ZoneInfo) -> list[datetime]:
    """3 days and 1 day before the closing day at 09:00, and 2 hours before the close; those
    that fall inside the voting window."""
    day = closes.astimezone(zone).date()
    candidates = [datetime.combine(day - timedelta(days=n), REMINDER_TIME, zone) for n in (3, 1)]
    candidates.append(closes - timedelta(hours=2))
    return sorted({moment for moment in candidates if opens < moment < closes})


def _times(check: Checker, data: dict, clean: dict, zone: ZoneInfo, creating: bool,
           now: datetime, current: Ballot | None) -> tuple[datetime | None, datetime | None]:
    for name in ("opens_at", "closes_at"):
        if creating or name in data:
            moment = parse_time(data.get(name), zone)
            if moment is None:
                check.bad(name, "error.field.time")
            else:
                clean[name] = moment
    opens = clean.get("opens_at", current.opens_at if current else None)
    closes = clean.get("closes_at", current.closes_at if current else None)
    if opens and closes and closes <= opens:
        check.bad("closes_at", "error.ballot.closes_before_opens")
    if "closes_at" in clean and clean["closes_at"] <= now:
        check.bad("closes_at", "error.ballot.closes_passed")
    return opens, closes


def _flags(check: Checker, data: dict, clean: dict) -> None:
    for name in ("secret", "onsite"):
        if name in data:
            if not isinstance(data[name], bool):
                check.bad(name, "error.field.bool")
            else:
                clean[name] = data[name]
    if data.get("quorum") is not None:
        quorum = data["quorum"]
        if isinstance(quorum, bool) or not isinstance(quorum, int | float) or not 0 < quorum <= 1:
            check.bad("quorum", "error.ballot.quorum")
        else:
            clean["quorum"] = float(quorum)
    elif "quorum" in data:
        clean["quorum"] = None


def check_ballot(data: dict[str, Any], community: Community, now: datetime,
                 current: Ballot | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Read a create (current None) or update body: the clean values and every problem found."""
    check = Checker()
    zone = ZoneInfo(community.timezone)
    creating = current is None
    clean: dict[str, Any] = {}
    for name, limit in (("title", 200), ("overview", 5000)):
        if creating or name in data:
            value = _text(check, data, name, limit, name == "title")
            if value is not None:
                clean[name] = value
    opens, closes = _times(check, data, clean, zone, creating, now, current)
    _flags(check, data, clean)
    if creating or "items" in data:
        clean["items"] = _items(check, data.get("items"))
    if data.get("trustees") is not None:
        clean["trustees"] = _trustees(check, data["trustees"])
    reminders = _reminders(check, data.get("reminders"), zone, opens, closes)
    if reminders is not None:
        clean["reminders"] = reminders
    for name in sorted(set(data) - set(FIELDS)):
        check.bad(name, "error.field.unknown")
    return clean, check.problems
