"""Birth dates in the forms people type: `520315`, `19520315`, `1952-03-15`, `1952.3.15`,
`52년 3월 15일`, `1952/3/15`, `1952 3 15`.

A two-digit year is the most recent year that does not put the date in the future (`05` is 2005
in 2026, `52` is 1952). Anything that is not one real, past date is None: the caller asks again.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from bot.catalogue import lexicon

OLDEST_AGE = 130
_COMPACT = re.compile(r"^(\d{2}|\d{4})(\d{2})(\d{2})$")
_PARTS = re.compile(lexicon.BIRTH_PARTS_PATTERN)
_POLITE = re.compile(lexicon.BIRTH_POLITE_PATTERN)


def _century(two_digits: int, month: int, day: int, today: date) -> int | None:
    for year in (2000 + two_digits, 1900 + two_digits):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= today:
            return year
    return None


def read_birth_date(text: str, today: date) -> date | None:
    """The date `text` names, if it is a real date in the past 130 years; else None."""
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    text = _POLITE.sub("", text, count=1).strip()
    match = _COMPACT.match(text) or _PARTS.match(text)
    if match is None:
        return None
    year_text, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    if len(year_text) == 2:
        year = _century(int(year_text), month, day, today)
        if year is None:
            return None
    else:
        year = int(year_text)
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    if born > today or today.year - born.year > OLDEST_AGE:
        return None
    return born
