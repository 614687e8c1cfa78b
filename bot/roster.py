"""The roster (주민 명부) a community centre already keeps, imported from a CSV file.

Parsing and validation are pure (`parse_roster`): the console shows the same problems as a preview
before anything is imported. `apply_roster` is all-or-nothing inside the caller's transaction and
keeps only keyed hashes, the masked name and the birth date: never the full name or the phone.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.birthdate import read_birth_date
from bot.identity import identity_key, lookup_key, mask_name, normalise_name
from bot.models import Community, Resident

# Column names as Excel users write them, in English or Korean.
COLUMNS = {
    "name": {"name", "이름", "성명"},
    "birth_date": {"birth_date", "birthdate", "birth", "생년월일", "생일"},
    "phone": {"phone", "mobile", "전화번호", "휴대전화", "휴대폰", "연락처", "핸드폰"},
    "address": {"address", "주소"},
}
REQUIRED = ("name", "birth_date", "phone")
_NAME = re.compile(r"^[가-힣A-Za-z][가-힣A-Za-z .·-]{0,38}$")
_PHONE_JUNK = re.compile(r"[\s\-().+]")


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class RosterEntry:
    line: int
    name: str
    birth_date: date
    phone_last4: str


@dataclass
class ParsedRoster:
    entries: list[RosterEntry] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

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
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        cell = unicodedata.normalize("NFKC", raw or "").strip().lower().replace(" ", "")
        for column, names in COLUMNS.items():
            if cell in names and column not in found:
                found[column] = index
    return found


def _phone_last4(raw: str) -> str | None:
    digits = _PHONE_JUNK.sub("", unicodedata.normalize("NFKC", raw))
    if not digits.isdigit() or not 9 <= len(digits) <= 11 or not digits.startswith("0"):
        return None
    return digits[-4:]


def parse_roster(data: bytes, today: date) -> ParsedRoster:
    """Every entry, or every problem with its line (the header is line 1) and field."""
    result = ParsedRoster()
    text = decode(data)
    if text is None:
        result.problems.append(RowProblem(1, "file", "파일을 읽을 수 없어요. CSV를 UTF-8이나 "
                                                      "CP949(엑셀 기본)로 저장해 주세요."))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.problems.append(RowProblem(1, "file", "빈 파일이에요. 첫 줄에 name, birth_date, "
                                                      "phone 열 이름이 있어야 해요."))
        return result
    columns = _header_map(header)
    missing = [c for c in REQUIRED if c not in columns]
    for column in missing:
        result.problems.append(RowProblem(1, column, f"'{column}' 열이 없어요."))
    if missing:
        return result
    seen: dict[tuple[str, date, str], int] = {}
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = {c: (row[i].strip() if i < len(row) else "") for c, i in columns.items()}
            problems_before = len(result.problems)
            name = unicodedata.normalize("NFC", cells["name"])
            if not name:
                result.problems.append(RowProblem(line, "name", "이름이 비어 있어요."))
            elif not _NAME.match(name):
                result.problems.append(RowProblem(line, "name", "이름에 쓸 수 없는 글자가 있어요."))
            born = read_birth_date(cells["birth_date"], today) if cells["birth_date"] else None
            if not cells["birth_date"]:
                result.problems.append(RowProblem(line, "birth_date", "생년월일이 비어 있어요."))
            elif born is None:
                future = read_birth_date(cells["birth_date"], date(9999, 12, 31))
                message = ("생년월일이 미래 날짜예요." if future is not None and future > today
                           else "생년월일 형식이 올바르지 않아요 (예: 1952-03-15).")
                result.problems.append(RowProblem(line, "birth_date", message))
            last4 = _phone_last4(cells["phone"])
            if last4 is None:
                result.problems.append(RowProblem(line, "phone",
                                                  "전화번호가 올바르지 않아요 (예: 010-1234-5678)."))
            if len(result.problems) > problems_before:
                continue
            key = (normalise_name(name), born, last4)
            if key in seen:
                result.problems.append(RowProblem(line, "row", f"{seen[key]}번째 줄과 같은 "
                                                                "주민이에요 (중복)."))
                continue
            seen[key] = line
            result.entries.append(RosterEntry(line, name, born, last4))
    except csv.Error as exc:
        result.problems.append(RowProblem(line + 1, "file", f"CSV 형식 오류: {exc}"))
    if not result.problems and not result.entries:
        result.problems.append(RowProblem(2, "file", "주민이 한 명도 없어요."))
    return result


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    updated: int
    unchanged: int
    moved_out: int

    def as_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "moved_out": self.moved_out}


def apply_roster(session: Session, community: Community, entries: Sequence[RosterEntry],
                 pepper: str, now: datetime) -> ImportOutcome:
    """Add new residents, update known ones (matched by identity key), mark the rest moved out."""
    existing = {r.identity_key: r for r in session.scalars(
        select(Resident).where(Resident.community_id == community.id).with_for_update())}
    added = updated = unchanged = 0
    present: set[str] = set()
    for entry in entries:
        key = identity_key(pepper, entry.name, entry.birth_date, entry.phone_last4)
        present.add(key)
        row = existing.get(key)
        masked = mask_name(entry.name)
        if row is None:
            session.add(Resident(community_id=community.id, identity_key=key,
                                 lookup_key=lookup_key(pepper, entry.name, entry.birth_date),
                                 masked_name=masked, birth_date=entry.birth_date))
            added += 1
        elif row.moved_out_at is not None or row.masked_name != masked:
            row.moved_out_at = None
            row.masked_name = masked
            updated += 1
        else:
            unchanged += 1
    moved_out = 0
    for key, row in existing.items():
        if key not in present and row.moved_out_at is None:
            row.moved_out_at = now
            moved_out += 1
    session.flush()
    return ImportOutcome(added, updated, unchanged, moved_out)
