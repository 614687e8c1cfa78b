"""The message catalogue: every sentence a resident reads, Korean first, English second.

Each domain keeps its sentences in a module of this package as `MESSAGES = {key: {"ko", "en"}}`;
keys are prefixed by the domain (`core.`, `enrol.`, `ballot.`, ...). Wording changes here only.
`lexicon` holds the other half: the words residents say that the bot understands.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_LANG = "ko"
_CATALOGUE: dict[str, dict[str, str]] = {}


def _load() -> dict[str, dict[str, str]]:
    if not _CATALOGUE:
        from bot.catalogue import (
            agenda,
            ballot,
            ballot_errors,
            budget,
            cli,
            console,
            core,
            demo,
            enrol,
            errors,
            live,
            notice,
            privacy,
            proposal,
            roster,
        )

        for module in (core, enrol, privacy, ballot, ballot_errors, budget, live, proposal, notice,
                       roster, errors, console, cli, demo, agenda):
            for key, texts in module.MESSAGES.items():
                if key in _CATALOGUE:
                    raise RuntimeError(f"message key {key!r} is defined twice")
                _CATALOGUE[key] = texts
    return _CATALOGUE


def t(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    """The sentence for `key` in `lang` (Korean when missing), filled with `values`."""
    texts = _load()[key]
    template = texts.get(lang) or texts[DEFAULT_LANG]
    return template.format(**values) if values else template


WEEKDAYS = "월화수목금토일"


def when(moment: datetime, zone: ZoneInfo, lang: str = DEFAULT_LANG) -> str:
    """A moment as residents read it: `12월 1일(화) 18:00` in the given time zone."""
    local = moment.astimezone(zone)
    if lang == "ko":
        return f"{local.month}월 {local.day}일({WEEKDAYS[local.weekday()]}) {local:%H:%M}"
    return local.strftime("%a %d %b %H:%M")


def day(moment: date, lang: str = DEFAULT_LANG) -> str:
    """A date as residents read it: `12월 31일`."""
    if lang == "ko":
        return f"{moment.month}월 {moment.day}일"
    return moment.strftime("%d %b")


def won(amount: int, lang: str = DEFAULT_LANG) -> str:
    """Money as residents say it: `1,200만 원`, `1억 2,000만 원`, `12,500원` (English: `KRW
    12,000,000`)."""
    if lang != "ko":
        return f"KRW {amount:,}"
    if amount and amount % 10_000 == 0:
        eok, man = divmod(amount // 10_000, 10_000)
        parts = ([f"{eok:,}억"] if eok else []) + ([f"{man:,}만"] if man else [])
        return " ".join(parts) + " 원"
    return f"{amount:,}원"


def labels(prefix: str, codes, lang: str = DEFAULT_LANG) -> dict[str, str]:  # noqa: ANN001
    """Stable codes and what people read for them: `labels("proposal.status", STATUSES)`."""
    return {code: t(f"{prefix}.{code}", lang) for code in codes}


def keys() -> set[str]:
    return set(_load())
