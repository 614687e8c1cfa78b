"""A roster file read: the columns found by their names, every row checked, every problem with
its line (the header is line 1) and field. Pure: nothing is stored here (bot/roster.py plans and
applies an import)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.birthdate import read_birth_date
from bot.catalogue import lexicon, t
from bot.errors import Problem
from bot.identity import normalise_name
from bot.text import clean

COLUMNS = lexicon.ROSTER_COLUMNS
REQUIRED = ("name", "birth_date", "phone")
_NAME = re.compile(lexicon.ROSTER_NAME_PATTERN)
_PHONE_JUNK = re.compile(r"[\s\-().+]")
_HEADER_JUNK = re.compile(r"[\s_()\[\]{}.:/-]")



def RowProblem(line: int, field_name: str, key: str, **params: Any) -> Problem:  # noqa: N802
    """A problem on one line of the file (the header is line 1)."""
    return Problem(field_name, key, params, line)


@dataclass(frozen=True)
class RosterEntry:
    line: int
    name: str
    birth_date: date
    phone_last4: str


@dataclass
class ParsedRoster:
    entries: list[RosterEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) or CP949, as Excel saves them; None when neither."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _header_map(header: Sequence[str]) -> dict[str, int]:
    cells = [_HEADER_JUNK.sub("", unicodedata.normalize("NFKC", raw or "").lower())
             for raw in header]
    found: dict[str, int] = {}
    for exact in (True, False):
        for column, words in COLUMNS.items():
            if column in found:
                continue
            for index, cell in enumerate(cells):
                if index in found.values() or not cell:
                    continue
                if cell in words if exact else any(word in cell for word in words):
                    found[column] = index
                    break
    return found


def _phone_last4(raw: str) -> str | None:
    digits = _PHONE_JUNK.sub("", unicodedata.normalize("NFKC", raw))
    if digits.isdigit() and len(digits) == 10 and digits.startswith("10"):
        digits = "0" + digits  # a mobile number whose leading 0 Excel dropped (1023456789)
    if not digits.isdigit() or not 9 <= len(digits) <= 11 or not digits.startswith("0"):
        return None
    return digits[-4:]


def _birth_problem(text: str, today: date) -> str | None:
    if not text:
        return "error.roster.birth_empty"
    if read_birth_date(text, today) is not None:
        return None
    future = read_birth_date(text, date(9999, 12, 31))
    return "error.roster.birth_future" if future is not None and future > today \
        else "error.roster.birth_format"


def _read_row(line: int, cells: dict[str, str], today: date) -> RosterEntry | list[RowProblem]:
    """One row as an entry, or its problems."""
    problems = []
    name = unicodedata.normalize("NFC", cells["name"])
    if not name:
        problems.append(RowProblem(line, "name", "error.roster.name_empty"))
    elif not _NAME.match(name):
        problems.append(RowProblem(line, "name", "error.roster.name_chars"))
    wrong_birth = _birth_problem(cells["birth_date"], today)
    if wrong_birth:
        problems.append(RowProblem(line, "birth_date", wrong_birth))
    last4 = _phone_last4(cells["phone"])
    if last4 is None:
        problems.append(RowProblem(line, "phone", "error.roster.phone"))
    if problems:
        return problems
    return RosterEntry(line, name, read_birth_date(cells["birth_date"], today), last4)


def _read_header(reader, result: ParsedRoster) -> dict[str, int] | None:  # noqa: ANN001
    """The columns by name, or None with the problem noted."""
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.problems.append(RowProblem(1, "file", "error.roster.empty_file"))
        return None
    columns = _header_map(header)
    own = ", ".join(cell.strip() for cell in header if cell.strip()) or "-"
    missing = [c for c in REQUIRED if c not in columns]
    result.problems += [RowProblem(1, column, "error.roster.column",
                                   column=t(f"roster.column.{column}"), own=own)
                        for column in missing]
    return None if missing else columns


def _read_rows(reader, columns: dict[str, int], today: date,  # noqa: ANN001
               result: ParsedRoster) -> None:
    seen: dict[tuple[str, date, str], int] = {}
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = {c: (row[i].strip() if i < len(row) else "") for c, i in columns.items()}
            entry = _read_row(line, cells, today)
            if isinstance(entry, list):
                result.problems += entry
                continue
            key = (normalise_name(entry.name), entry.birth_date, entry.phone_last4)
            if key in seen:
                result.problems.append(RowProblem(line, "row", "error.roster.duplicate",
                                                  first=seen[key]))
                continue
            seen[key] = line
            result.entries.append(entry)
    except csv.Error as exc:
        result.problems.append(RowProblem(line + 1, "file", "error.roster.csv", reason=exc))


def parse_roster(data: bytes, today: date) -> ParsedRoster:
    """Every entry, or every problem with its line (the header is line 1) and field."""
    result = ParsedRoster()
    text = decode(data)
    if text is None:
        result.problems.append(RowProblem(1, "file", "error.roster.encoding"))
        return result
    # Invisible direction controls and zero-width characters go, as from every chat message, so
    # a name pasted from a web page keys the same as the name the resident types.
    reader = csv.reader(io.StringIO(clean(text), newline=""))
    columns = _read_header(reader, result)
    if columns is None:
        return result
    _read_rows(reader, columns, today, result)
    if not result.problems and not result.entries:
        result.problems.append(RowProblem(2, "file", "error.roster.nobody"))
    return result
