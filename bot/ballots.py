"""Assembly ballots: validation, the life cycle, voting, on-site marks and counts, tallies, results.

The life cycle is read off the times: a ballot is `scheduled` before `opens_at`, `open` until it
closes (at `closes_at`, or earlier when a manager closes it), then `closed`; `published` once the
manager publishes the result; `cancelled` at any point before that. Nothing needs the clock to flip
a ballot open: a ballot created with `opens_at` in the past is open at once.

A vote is sealed into one envelope at once (bot/sealing.py, docs/architecture.md "Ballot
secrecy"). Without trustees the close counts: it opens the envelopes in random order, keeps only
the tallies in `ballot_tallies` and deletes the envelopes. With trustees the close only ends
voting; `count` opens the box when every trustee gives their secret. The ballot row is locked for
share by each submission and for update by the close, so no vote can slip in beside a count.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import outbox, sealing
from bot.audit import record
from bot.birthdate import read_birth_date
from bot.eligibility import ineligibility
from bot.identity import lookup_key
from bot.models import Community, Resident
from bot.models.ballot import (
    CHOOSE_ONE,
    CHOOSE_UP_TO,
    KINDS,
    ONSITE,
    YES_NO,
    Ballot,
    BallotItem,
    Envelope,
    OnsiteCount,
    Participation,
    Tally,
    Trustee,
)
from bot.refusals import Refused
from bot.sealing import Keyring

SCHEDULED = "scheduled"
OPEN = "open"
CLOSED = "closed"
PUBLISHED = "published"
CANCELLED = "cancelled"

YES_NO_OPTIONS = ["찬성", "반대"]
MAX_ITEMS = 20
MAX_TRUSTEES = 5
MIN_TRUSTEE_SECRET = 8
# A secret ballot never shows a group smaller than this apart (online / on-site), and asks
# before publishing a result of fewer participants.
SMALL_GROUP = 5
MAX_OPTIONS = 9  # a chat prompt offers at most 9 numbered options
REMINDER_TIME = time(9, 0)

# Submission outcomes.
RECORDED = "recorded"
ALREADY_VOTED = "already_voted"
NOT_OPEN = "not_open"
INELIGIBLE = "ineligible"
INVALID = "invalid"


# --- reading times and the state -------------------------------------------------------------

def parse_time(value: Any, zone: ZoneInfo) -> datetime | None:
    """An ISO 8601 time; one without an offset is read in the community's time zone."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def closing_time(ballot: Ballot) -> datetime:
    """When voting ends: the closing time, or the moment a manager closed it early."""
    if ballot.closed_at is not None and ballot.closed_at < ballot.closes_at:
        return ballot.closed_at
    return ballot.closes_at


def ready(ballot: Ballot) -> bool:
    """Whether votes can be sealed: a ballot with trustees waits until all gave their secret."""
    return ballot.trustee_count == 0 or ballot.box_public_key is not None


def status(ballot: Ballot, now: datetime) -> str:
    if ballot.cancelled_at is not None:
        return CANCELLED
    if ballot.published_at is not None:
        return PUBLISHED
    if now >= closing_time(ballot):
        return CLOSED
    if now >= ballot.opens_at and ready(ballot):
        return OPEN
    return SCHEDULED


def missing_trustees(ballot: Ballot) -> list[Trustee]:
    return [t for t in ballot.trustees if t.public_key is None]


def closing_day(ballot: Ballot) -> date:
    """The local date voting ends: ages are counted on this day."""
    return closing_time(ballot).astimezone(ZoneInfo(ballot.community.timezone)).date()


def due_times(ballot: Ballot) -> list[tuple[str, datetime]]:
    """What the scheduler acts on: the opening, each reminder, the closing."""
    times = [("open", ballot.opens_at)]
    times += [("remind", datetime.fromisoformat(r)) for r in ballot.reminders]
    times.append(("close", closing_time(ballot)))
    return times


# --- validation ------------------------------------------------------------------------------

@dataclass
class _Checker:
    problems: list[dict[str, str]] = field(default_factory=list)

    def bad(self, field_name: str, message: str) -> None:
        self.problems.append({"field": field_name, "message": message})


def _text(check: _Checker, data: dict, name: str, limit: int, required: bool,
          prefix: str = "") -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        what = "필요해요" if required else "글자여야 해요"
        check.bad(prefix + name, f"{what} ({limit}자 이내).")
        return None
    return value.strip()


def _items(check: _Checker, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_ITEMS:
        check.bad("items", f"안건이 1~{MAX_ITEMS}개 필요해요.")
        return []
    items = []
    for index, raw in enumerate(value):
        prefix = f"items[{index}]."
        if not isinstance(raw, dict):
            check.bad(f"items[{index}]", "안건은 객체여야 해요.")
            continue
        title = _text(check, raw, "title", 200, True, prefix)
        summary = _text(check, raw, "summary", 2000, False, prefix) or ""
        kind = raw.get("kind", YES_NO)
        if kind not in KINDS:
            check.bad(prefix + "kind", "yes_no, choose_one, choose_up_to 중 하나여야 해요.")
            continue
        options = raw.get("options")
        max_choices = 1
        if kind == YES_NO:
            if options not in (None, YES_NO_OPTIONS):
                check.bad(prefix + "options", "찬반 안건의 선택지는 찬성, 반대로 정해져 있어요.")
            options = list(YES_NO_OPTIONS)
        else:
            if (not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS
                    or not all(isinstance(o, str) and o.strip() and len(o) <= 80
                               for o in options)):
                check.bad(prefix + "options",
                          f"선택지가 2~{MAX_OPTIONS}개 필요해요 (각 80자 이내 글자).")
                continue
            options = [o.strip() for o in options]
            if len(set(options)) != len(options):
                check.bad(prefix + "options", "같은 선택지가 두 번 있어요.")
                continue
        if kind == CHOOSE_UP_TO:
            k = raw.get("max_choices")
            if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(options):
                check.bad(prefix + "max_choices",
                          f"고를 수 있는 개수는 1~{len(options)} 사이 정수여야 해요.")
                continue
            max_choices = k
        abstain = raw.get("allow_abstain", False)
        if not isinstance(abstain, bool):
            check.bad(prefix + "allow_abstain", "기권 허용은 true 또는 false예요.")
            continue
        items.append({"title": title, "summary": summary, "kind": kind, "options": options,
                      "max_choices": max_choices, "allow_abstain": abstain})
    return items


def _trustees(check: _Checker, value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_TRUSTEES:
        check.bad("trustees", f"개표 관리인은 {MAX_TRUSTEES}명까지의 목록이에요.")
        return []
    names = []
    for index, raw in enumerate(value):
        name = raw.get("name") if isinstance(raw, dict) else None
        name = name.strip() if isinstance(name, str) else ""
        if not name or len(name) > 50:
            check.bad(f"trustees[{index}].name", "관리인 이름이 필요해요 (50자 이내).")
        elif name in names:
            check.bad(f"trustees[{index}].name", "같은 이름의 관리인이 두 번 있어요.")
        else:
            names.append(name)
    return names


def _reminders(check: _Checker, value: Any, zone: ZoneInfo, opens: datetime | None,
               closes: datetime | None) -> list[datetime] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > 5:
        check.bad("reminders", "알림 시간은 5개까지의 목록이에요.")
        return None
    times = []
    for index, raw in enumerate(value):
        moment = parse_time(raw, zone)
        if moment is None:
            check.bad(f"reminders[{index}]", "시간을 읽지 못했어요 (예: 2026-12-01T10:00+09:00).")
        elif opens and closes and not opens < moment < closes:
            check.bad(f"reminders[{index}]", "알림은 투표 기간 안이어야 해요.")
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


def check_ballot(data: dict[str, Any], community: Community, now: datetime,
                 current: Ballot | None = None) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Read a create (current None) or update body: the clean values and every problem found."""
    check = _Checker()
    zone = ZoneInfo(community.timezone)
    creating = current is None
    clean: dict[str, Any] = {}
    for name, limit in (("title", 200), ("overview", 5000)):
        if creating or name in data:
            value = _text(check, data, name, limit, name == "title")
            if value is not None:
                clean[name] = value
    for name in ("opens_at", "closes_at"):
        if creating or name in data:
            moment = parse_time(data.get(name), zone)
            if moment is None:
                check.bad(name, "시간이 필요해요 (예: 2026-12-01T09:00+09:00).")
            else:
                clean[name] = moment
    opens = clean.get("opens_at", current.opens_at if current else None)
    closes = clean.get("closes_at", current.closes_at if current else None)
    if opens and closes and closes <= opens:
        check.bad("closes_at", "마감 시간은 시작 시간보다 뒤여야 해요.")
    if "closes_at" in clean and clean["closes_at"] <= now:
        check.bad("closes_at", "마감 시간이 이미 지났어요.")
    for name in ("secret", "onsite"):
        if name in data:
            if not isinstance(data[name], bool):
                check.bad(name, "true 또는 false 여야 해요.")
            else:
                clean[name] = data[name]
    if data.get("quorum") is not None:
        quorum = data["quorum"]
        if isinstance(quorum, bool) or not isinstance(quorum, int | float) or not 0 < quorum <= 1:
            check.bad("quorum", "최소 투표율은 0보다 크고 1 이하인 비율이에요 (예: 0.1은 10%).")
        else:
            clean["quorum"] = float(quorum)
    elif "quorum" in data:
        clean["quorum"] = None
    if creating or "items" in data:
        clean["items"] = _items(check, data.get("items"))
    if data.get("trustees") is not None:
        clean["trustees"] = _trustees(check, data["trustees"])
    reminders = _reminders(check, data.get("reminders"), zone, opens, closes)
    if reminders is not None:
        clean["reminders"] = reminders
    unknown = set(data) - {"title", "overview", "opens_at", "closes_at", "secret", "onsite",
                           "quorum", "items", "reminders", "trustees"}
    for name in sorted(unknown):
        check.bad(name, "알 수 없는 항목이에요.")
    return clean, check.problems


def _set_items(session: Session, ballot: Ballot, items: list[dict[str, Any]]) -> None:
    if ballot.id is not None and ballot.items:
        ballot.items.clear()
        session.flush()  # the old numbers go before the new ones arrive
    ballot.items = [BallotItem(number=n, **item) for n, item in enumerate(items, start=1)]


def _not_ready(names: list[str]) -> Refused:
    return Refused(409, "trustees_not_ready",
                   f"개표 관리인 {len(names)}명의 비밀번호가 아직 없어서 투표를 열 수 없어요: "
                   f"{', '.join(names)}. 시작 시간을 뒤로 정하고, 관리인마다 비밀번호를 먼저 "
                   "정해 주세요.", {"missing": names})


def _make_box(keys: Keyring, ballot: Ballot) -> None:
    """A fresh box for the ballot, its key wrapped under the app's key and every trustee's."""
    if ballot.seal_salt is None:
        ballot.seal_salt = sealing.new_salt()
    ballot.box_public_key, ballot.box_secret = sealing.new_box(
        keys, ballot.id, ballot.seal_salt, [t.public_key for t in ballot.trustees])


def _set_trustees(session: Session, keys: Keyring, ballot: Ballot, names: list[str]) -> None:
    if ballot.trustees:
        ballot.trustees.clear()
        session.flush()
    ballot.trustees = [Trustee(number=n, name=name) for n, name in enumerate(names, start=1)]
    ballot.trustee_count = len(names)
    ballot.box_public_key = ballot.box_secret = None
    if not names:
        _make_box(keys, ballot)


def create(session: Session, keys: Keyring, community: Community, data: dict[str, Any],
           actor: str, now: datetime) -> Ballot:
    clean, problems = check_ballot(data, community, now)
    if problems:
        raise Refused(422, "invalid_ballot", f"고칠 곳이 {len(problems)}군데 있어요.",
                            {"problems": problems})
    trustees = clean.get("trustees", [])
    if trustees and clean["opens_at"] <= now:
        raise _not_ready(trustees)
    reminders = clean.get("reminders")
    if reminders is None:
        reminders = default_reminders(clean["opens_at"], clean["closes_at"],
                                      ZoneInfo(community.timezone))
    ballot = Ballot(community_id=community.id, title=clean["title"],
                    overview=clean.get("overview", ""), opens_at=clean["opens_at"],
                    closes_at=clean["closes_at"], secret=clean.get("secret", True),
                    quorum=clean.get("quorum"), onsite=clean.get("onsite", False),
                    reminders=[r.isoformat() for r in reminders], created_by=actor,
                    created_at=now, seal_salt=sealing.new_salt())
    ballot.community = community
    _set_items(session, ballot, clean["items"])
    session.add(ballot)
    session.flush()
    _set_trustees(session, keys, ballot, trustees)
    record(session, actor, "ballot.created", community_id=community.id,
           subject=f"ballot:{ballot.id}", title=ballot.title)
    return ballot


def update(session: Session, keys: Keyring, ballot: Ballot, data: dict[str, Any], actor: str,
           now: datetime) -> Ballot:
    """Before opening anything may change; once open only the closing time, and only later."""
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED, CLOSED):
        raise Refused(409, f"ballot_{state}", _STATE_REFUSAL[state])
    if state == OPEN:
        others = sorted(set(data) - {"closes_at"})
        if others:
            raise Refused(409, "ballot_open",
                                "투표가 시작된 뒤에는 마감 시간을 늦추는 것만 할 수 있어요.",
                                {"fields": others})
    clean, problems = check_ballot(data, ballot.community, now, current=ballot)
    if state == OPEN and "closes_at" in clean and clean["closes_at"] <= ballot.closes_at:
        problems.append({"field": "closes_at",
                         "message": "진행 중인 투표의 마감은 늦추기만 할 수 있어요."})
    if problems:
        raise Refused(422, "invalid_ballot", f"고칠 곳이 {len(problems)}군데 있어요.",
                            {"problems": problems})
    if {"opens_at", "trustees"} & set(clean):
        missing = clean.get("trustees", [t.name for t in missing_trustees(ballot)])
        if missing and clean.get("opens_at", ballot.opens_at) <= now:
            raise _not_ready(missing)
    for name in ("title", "overview", "opens_at", "closes_at", "secret", "quorum", "onsite"):
        if name in clean:
            setattr(ballot, name, clean[name])
    if "items" in clean:
        _set_items(session, ballot, clean["items"])
    if "trustees" in clean:
        _set_trustees(session, keys, ballot, clean["trustees"])
    if "reminders" in clean:
        ballot.reminders = [r.isoformat() for r in clean["reminders"]]
    elif "opens_at" in clean or "closes_at" in clean:
        ballot.reminders = [r.isoformat() for r in default_reminders(
            ballot.opens_at, ballot.closes_at, ZoneInfo(ballot.community.timezone))]
    if {"opens_at", "closes_at", "reminders"} & set(clean):
        # Reminders queued for the old times are wrong now; the clock queues the new ones, but
        # not those whose moment had already passed when the times changed.
        outbox.void(session, f"ballot:{ballot.id}:remind:", "the ballot's times changed")
        passed = [r for r in ballot.reminders if datetime.fromisoformat(r) <= now]
        ballot.reminders_done = sorted(set(ballot.reminders_done) | set(passed))
    record(session, actor, "ballot.updated", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", fields=sorted(data))
    return ballot


_STATE_REFUSAL = {
    CANCELLED: "취소된 투표예요.",
    PUBLISHED: "결과가 이미 공개된 투표예요.",
    CLOSED: "이미 마감된 투표예요.",
    SCHEDULED: "아직 시작하지 않은 투표예요.",
    OPEN: "아직 진행 중인 투표예요.",
}


def cancel(session: Session, ballot: Ballot, reason: str, actor: str, now: datetime) -> None:
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED):
        raise Refused(409, f"ballot_{state}", _STATE_REFUSAL[state])
    ballot.cancelled_at = now
    ballot.cancel_reason = reason
    outbox.void(session, f"ballot:{ballot.id}:", "the ballot was cancelled")
    record(session, actor, "ballot.cancelled", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", reason=reason)


# --- trustees and the count ------------------------------------------------------------------

def _secret_text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFC", value).strip()


def set_trustee_secret(session: Session, keys: Keyring, ballot: Ballot, number: int,
                       secret: object, actor: str, now: datetime) -> Trustee:
    """A trustee chooses their secret before voting opens; the box is made when all have."""
    _lock(session, ballot, read=False)
    state = status(ballot, now)
    if state != SCHEDULED:
        raise Refused(409, f"ballot_{state}",
                      "투표가 시작된 뒤에는 관리인 비밀번호를 정하거나 바꿀 수 없어요.")
    trustee = next((t for t in ballot.trustees if t.number == number), None)
    if trustee is None:
        raise Refused(404, "trustee_not_found", f"{number}번 개표 관리인이 없어요.")
    text = _secret_text(secret)
    if text is None or not MIN_TRUSTEE_SECRET <= len(text) <= 200:
        raise Refused(422, "invalid_secret",
                      f"비밀번호는 {MIN_TRUSTEE_SECRET}자 이상(200자 이내)이어야 해요. 남이 짐작할 수 "
                      "없는 긴 문장이 좋아요.",
                      {"problems": [{"field": "secret", "message": "너무 짧거나 글자가 아니에요."}]})
    trustee.salt = sealing.new_salt()
    trustee.public_key = bytes(keys.trustee_key(ballot.id, number, text, trustee.salt)
                               .public_key)
    trustee.set_at = now
    if missing_trustees(ballot):
        ballot.box_public_key = ballot.box_secret = None
    else:
        _make_box(keys, ballot)
    record(session, actor, "ballot.trustee_secret_set", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", trustee=number, name=trustee.name)
    return trustee


def count(session: Session, keys: Keyring, ballot: Ballot, secrets: object, actor: str,
          now: datetime) -> None:
    """Open a closed ballot's box with every trustee's secret, keep the tallies, destroy the
    envelopes. A wrong secret changes nothing."""
    _lock(session, ballot, read=False)
    state = status(ballot, now)
    if state in (SCHEDULED, OPEN):
        raise Refused(409, f"ballot_{state}", "투표가 끝난 뒤에 개표할 수 있어요.")
    if state == CANCELLED:
        raise Refused(409, "ballot_cancelled", _STATE_REFUSAL[CANCELLED])
    if ballot.counted_at is not None:
        raise Refused(409, "already_counted", "이미 개표한 투표예요.")
    if ballot.closed_at is None:  # voting ended by time before the clock got to it
        close(session, keys, ballot, actor, now)
        if ballot.counted_at is not None:
            return
    if ballot.box_secret is None:  # never opened, so nothing was sealed
        _count(session, keys, ballot, [], actor, now)
        return
    trustees = ballot.trustees
    if not isinstance(secrets, list) or len(secrets) != len(trustees):
        raise Refused(422, "invalid_secrets",
                      f"개표 관리인 {len(trustees)}명의 비밀번호가 모두, 순서대로 필요해요.",
                      {"problems": [{"field": "secrets",
                                     "message": f"{len(trustees)}개의 목록이 필요해요."}]})
    problems, trustee_keys = [], []
    for index, (trustee, given) in enumerate(zip(trustees, secrets, strict=True)):
        text = _secret_text(given)
        key = None if text is None else keys.trustee_key(ballot.id, trustee.number, text,
                                                          trustee.salt)
        if key is None or bytes(key.public_key) != trustee.public_key:
            problems.append({"field": f"secrets[{index}]",
                             "message": f"{trustee.number}번 관리인({trustee.name})의 비밀번호가 "
                                        "맞지 않아요."})
        trustee_keys.append(key)
    if problems:
        raise Refused(422, "wrong_secret", "비밀번호가 맞지 않아 개표하지 않았어요. "
                      + " ".join(p["message"] for p in problems), {"problems": problems})
    _count(session, keys, ballot, trustee_keys, actor, now)


_ENVELOPES = select(Envelope.sealed).where(Envelope.ballot_id == bindparam("ballot"))


def option_counts(ballot: Ballot) -> list[int]:
    """The slots of each item in a sealed vote: its options, and 기권 where it is allowed."""
    return [len(item.options) + (1 if item.allow_abstain else 0) for item in ballot.items]


def open_envelopes(keys: Keyring, ballot: Ballot, envelopes: list[bytes],
                   trustee_keys: list) -> tuple[Counter[tuple[int, int]], int]:
    """Open the envelopes in an order unrelated to their arrival: (item id, option) → how many
    chose it, and how many envelopes were not a genuine vote of this ballot."""
    if ballot.box_secret is None:  # no box was ever made: nothing can be genuine
        return Counter(), len(envelopes)
    opener = sealing.open_box(keys, ballot.id, ballot.seal_salt, ballot.box_secret, trustee_keys)
    envelopes = list(envelopes)
    random.SystemRandom().shuffle(envelopes)
    plaintexts: Counter[bytes] = Counter()
    invalid = 0
    for sealed in envelopes:
        try:
            plaintexts[opener.decrypt(sealed)] += 1
        except sealing.CryptoError:
            invalid += 1
    counted: Counter[tuple[int, int]] = Counter()
    sizes = option_counts(ballot)
    for plaintext, times in plaintexts.items():
        try:
            picks, _ = sealing.decode(sizes, plaintext)
        except ValueError:
            picks = {}
        if not valid_picks(ballot, picks):
            invalid += times
            continue
        for item in ballot.items:
            for option in picks[str(item.number)]:
                counted[(item.id, option)] += times
    return counted, invalid


def _count(session: Session, keys: Keyring, ballot: Ballot, trustee_keys: list, actor: str,
           now: datetime) -> None:
    """Open every envelope, add up, keep only the tallies (with any counts carried from before
    sealing), and destroy the envelopes and the box's key."""
    session.flush()
    envelopes = list(session.scalars(_ENVELOPES, {"ballot": ballot.id}))
    counted, invalid = open_envelopes(keys, ballot, envelopes, trustee_keys)
    carried = Counter({(t.item_id, t.option): t.count for t in session.scalars(
        select(Tally).where(Tally.ballot_id == ballot.id))})
    session.execute(delete(Tally).where(Tally.ballot_id == ballot.id))
    totals = carried + counted
    if totals:
        session.execute(insert(Tally), [
            {"ballot_id": ballot.id, "item_id": item_id, "option": option, "count": n}
            for (item_id, option), n in sorted(totals.items())])
    session.execute(delete(Envelope).where(Envelope.ballot_id == ballot.id))
    ballot.box_secret = None
    ballot.counted_at = now
    online = session.scalar(select(func.count()).where(Participation.ballot_id == ballot.id,
                                                       Participation.channel != ONSITE))
    record(session, actor, "ballot.counted", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", envelopes=len(envelopes), invalid=invalid,
           online_participants=online, trustees=len(trustee_keys))


# The statements of a resident's vote, built once (building them each time cost more than
# running them on SQLite; see bench/RESULTS.md).
_LOCKED = {read: select(Ballot).where(Ballot.id == bindparam("id")).with_for_update(read=read)
           .execution_options(populate_existing=True) for read in (True, False)}
_PARTICIPATION = select(Participation).where(Participation.ballot_id == bindparam("ballot"),
                                             Participation.resident_id == bindparam("resident"))
_OPEN = (select(Ballot)
         .where(Ballot.community_id == bindparam("community"), Ballot.cancelled_at.is_(None),
                Ballot.published_at.is_(None), Ballot.opens_at <= bindparam("now"),
                Ballot.closes_at > bindparam("now"))
         .order_by(Ballot.closes_at, Ballot.id))
_PARTICIPATE = {
    name: insert_for(Participation)
    .values(ballot_id=bindparam("ballot"), resident_id=bindparam("resident"),
            channel=bindparam("channel"), at=bindparam("at"), marked_by="")
    .on_conflict_do_nothing(index_elements=["ballot_id", "resident_id"])
    .returning(Participation.id)
    for name, insert_for in (("postgresql", pg_insert), ("sqlite", sqlite_insert))}


def _lock(session: Session, ballot: Ballot, read: bool) -> None:
    """Share lock for a vote, exclusive for a close (PostgreSQL; SQLite writers queue anyway),
    reading the row afresh in the same statement."""
    session.execute(_LOCKED[read], {"id": ballot.id})


def close(session: Session, keys: Keyring, ballot: Ballot, actor: str, now: datetime) -> None:
    """End voting (early, for an open ballot). Without trustees this counts at once; with
    trustees the box stays sealed until they count it."""
    _lock(session, ballot, read=False)
    state = status(ballot, now)
    if state == SCHEDULED:
        raise Refused(409, "ballot_scheduled",
                            "아직 시작하지 않은 투표는 마감할 수 없어요. 취소를 써 주세요.")
    if state in (CANCELLED, PUBLISHED):
        raise Refused(409, f"ballot_{state}", _STATE_REFUSAL[state])
    if ballot.closed_at is None:
        ballot.closed_at = min(now, ballot.closes_at)
        outbox.void(session, f"ballot:{ballot.id}:", "the ballot closed")
        record(session, actor, "ballot.closed", community_id=ballot.community_id,
               subject=f"ballot:{ballot.id}", early=now < ballot.closes_at)
        if ballot.trustee_count == 0:
            _count(session, keys, ballot, [], actor, now)


def close_due(session: Session, keys: Keyring, now: datetime) -> int:
    """The clock's job: close every ballot whose time is up. Returns how many it closed."""
    due = session.scalars(select(Ballot).where(Ballot.closed_at.is_(None),
                                               Ballot.cancelled_at.is_(None),
                                               Ballot.closes_at <= now)).all()
    for ballot in due:
        close(session, keys, ballot, "system", now)
    return len(due)


def publish(session: Session, keys: Keyring, ballot: Ballot, actor: str, now: datetime,
            confirm_small: bool = False) -> None:
    state = status(ballot, now)
    if state in (SCHEDULED, OPEN):
        raise Refused(409, f"ballot_{state}",
                            "투표가 끝난 뒤에 결과를 공개할 수 있어요. 마감 시간은 "
                            f"{closing_time(ballot).isoformat()} 이에요.")
    if state in (CANCELLED, PUBLISHED):
        raise Refused(409, f"ballot_{state}", _STATE_REFUSAL[state])
    if ballot.onsite and ballot.onsite_counted_at is None:
        raise Refused(409, "onsite_counts_missing",
                            "현장 투표 결과를 먼저 입력해 주세요 (PUT …/onsite-counts).")
    if ballot.closed_at is None:
        close(session, keys, ballot, actor, now)
    if ballot.counted_at is None:
        raise Refused(409, "not_counted",
                      "개표 관리인들이 비밀번호로 개표한 뒤에 공개할 수 있어요 (POST …/count).",
                      {"trustees": [t.name for t in ballot.trustees]})
    participants = turnout(session, ballot)["participants"]
    if ballot.secret and 0 < participants < SMALL_GROUP and not confirm_small:
        raise Refused(409, "too_few_participants",
                      f"참여자가 {participants}명뿐이라 결과를 공개하면 누가 어떻게 투표했는지 "
                      "짐작할 수 있어요. 그래도 공개하려면 한 번 더 확인해 주세요 "
                      "(confirm_small).", {"participants": participants,
                                           "minimum": SMALL_GROUP})
    ballot.published_at = now
    record(session, actor, "ballot.published", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}")
    from bot import notices

    notices.ballot_results(session, ballot, now)


# --- voting ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Submission:
    status: str
    participation: Participation | None = None
    reason: str | None = None


def participation_of(session: Session, ballot_id: int, resident_id: int) -> Participation | None:
    return session.scalars(_PARTICIPATION, {"ballot": ballot_id, "resident": resident_id}).first()


def open_ballots(session: Session, community_id: int, now: datetime) -> list[Ballot]:
    rows = session.scalars(_OPEN, {"community": community_id, "now": now}).all()
    return [b for b in rows if status(b, now) == OPEN]


def next_ballot(session: Session, community_id: int, now: datetime) -> Ballot | None:
    return session.scalars(select(Ballot).where(
        Ballot.community_id == community_id, Ballot.cancelled_at.is_(None),
        Ballot.opens_at > now).order_by(Ballot.opens_at).limit(1)).first()


def valid_picks(ballot: Ballot, picks: dict[str, list[int]]) -> bool:
    """One answer per item, each within its options and its limit, no repeats."""
    if set(picks) != {str(item.number) for item in ballot.items}:
        return False
    for item in ballot.items:
        chosen = picks[str(item.number)]
        if item.abstain_number is not None and chosen == [item.abstain_number]:
            continue  # 기권, alone
        if (not isinstance(chosen, list) or not 1 <= len(chosen) <= item.max_choices
                or len(set(chosen)) != len(chosen)
                or not all(isinstance(c, int) and 1 <= c <= len(item.options) for c in chosen)):
            return False
    return True


def _ensure_box(session: Session, keys: Keyring, ballot: Ballot) -> None:
    """A ballot made before sealing has no box yet: make it once, under the row lock."""
    _lock(session, ballot, read=False)
    if ballot.box_public_key is None and ballot.trustee_count == 0:
        _make_box(keys, ballot)
        session.flush()


def submit(session: Session, keys: Keyring, ballot: Ballot, resident: Resident, channel: str,
           picks: dict[str, list[int]], now: datetime) -> Submission:
    """Record a whole ballot at once, or nothing: one participation, then one sealed envelope
    that nothing ties to it."""
    if ballot.box_public_key is None and ballot.trustee_count == 0:
        _ensure_box(session, keys, ballot)
    _lock(session, ballot, read=True)
    if status(ballot, now) != OPEN:
        return Submission(NOT_OPEN)
    reason = ineligibility(resident, ballot.community, closing_day(ballot))
    if reason is not None:
        return Submission(INELIGIBLE, reason=reason)
    if not valid_picks(ballot, picks):
        return Submission(INVALID)
    # One statement that either records the participation or finds the resident already in:
    # the unique key decides, even for two requests at the same instant (the second waits for the
    # first to commit, then inserts nothing).
    inserted = session.execute(_PARTICIPATE[session.get_bind().dialect.name], {
        "ballot": ballot.id, "resident": resident.id, "channel": channel, "at": now}).scalar()
    if inserted is None:
        return Submission(ALREADY_VOTED, participation_of(session, ballot.id, resident.id))
    participation = Participation(id=inserted, ballot_id=ballot.id, resident_id=resident.id,
                                  channel=channel, at=now, marked_by="")
    sealed = sealing.seal(ballot.box_public_key, sealing.encode(option_counts(ballot), picks))
    session.execute(insert(Envelope), [{"id": str(uuid.uuid4()), "ballot_id": ballot.id,
                                        "sealed": sealed}])
    return Submission(RECORDED, participation)


def desk_lookup(session: Session, ballot: Ballot, pepper: str, name: object, birth: object,
                now: datetime) -> Resident:
    """The assembly desk finds a resident of the ballot's community by name and birth date."""
    today = now.astimezone(ZoneInfo(ballot.community.timezone)).date()
    born = read_birth_date(birth, today) if isinstance(birth, str) else None
    if not isinstance(name, str) or not name.strip() or born is None:
        raise Refused(422, "invalid_lookup", "이름과 생년월일(예: 1952-03-15)이 필요해요.",
                      {"problems": [{"field": "name/birth_date",
                                     "message": "이름과 생년월일을 확인해 주세요."}]})
    found = session.scalars(select(Resident).where(
        Resident.community_id == ballot.community_id,
        Resident.lookup_key == lookup_key(pepper, name, born))).all()
    if not found:
        raise Refused(404, "resident_not_found",
                      "명부에서 찾지 못했어요. 이름과 생년월일을 다시 확인해 주세요.")
    if len(found) > 1:
        raise Refused(409, "ambiguous_resident",
                      "이름과 생년월일이 같은 주민이 여러 명이에요. 주민센터 명부로 확인해 주세요.",
                      {"count": len(found)})
    return found[0]


def mark_onsite(session: Session, ballot: Ballot, resident: Resident, actor: str,
                now: datetime) -> Participation:
    """The assembly desk: this resident votes on paper, so no online vote after this."""
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED):
        raise Refused(409, f"ballot_{state}", _STATE_REFUSAL[state])
    if not ballot.onsite:
        raise Refused(409, "no_onsite", "현장 투표가 없는 투표예요.")
    if ballot.onsite_counted_at is not None:
        raise Refused(409, "onsite_counted", "현장 개표가 이미 입력되어 표시를 더할 수 없어요.")
    reason = ineligibility(resident, ballot.community, closing_day(ballot))
    if reason is not None:
        raise Refused(409, f"ineligible_{reason}", INELIGIBLE_MESSAGES[reason],
                            {"masked_name": resident.masked_name})
    participation = Participation(ballot_id=ballot.id, resident_id=resident.id, channel=ONSITE,
                                  at=now, marked_by=actor)
    _lock(session, ballot, read=True)
    try:
        with session.begin_nested():
            session.add(participation)
            session.flush()
    except IntegrityError:
        earlier = participation_of(session, ballot.id, resident.id)
        how = "현장에서" if earlier.channel == ONSITE else "온라인으로"
        raise Refused(409, "already_voted", f"이미 {how} 투표했어요.", {
            "masked_name": resident.masked_name, "channel": earlier.channel,
            "at": earlier.at.isoformat()}) from None
    record(session, actor, "ballot.onsite_marked", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", resident_id=resident.id)
    return participation


INELIGIBLE_MESSAGES = {
    "not_verified": "본인 인증이 필요해요.",
    "other_community": "다른 공동체의 주민이에요.",
    "moved_out": "전출로 표시된 주민이에요.",
    "too_young": "투표할 수 있는 나이가 아니에요.",
}


def set_onsite_counts(session: Session, ballot: Ballot, data: Any, actor: str,
                      now: datetime) -> None:
    """Replace the on-site counts: `{"items": [{"number": 1, "counts": [12, 3]}]}` (counts in
    option order, or an object by option label). Every item must be given."""
    state = status(ballot, now)
    if state in (CANCELLED, PUBLISHED):
        raise Refused(409, f"ballot_{state}", _STATE_REFUSAL[state])
    if not ballot.onsite:
        raise Refused(409, "no_onsite", "현장 투표가 없는 투표예요.")
    check = _Checker()
    given = data.get("items") if isinstance(data, dict) else None
    if not isinstance(given, list):
        raise Refused(422, "invalid_counts", "items 목록이 필요해요.",
                            {"problems": [{"field": "items", "message": "목록이 필요해요."}]})
    marks = session.scalar(select(func.count()).where(Participation.ballot_id == ballot.id,
                                                      Participation.channel == ONSITE))
    by_number = {item.number: item for item in ballot.items}
    counts: dict[int, list[int]] = {}
    for index, raw in enumerate(given):
        number = raw.get("number") if isinstance(raw, dict) else None
        item = by_number.get(number) if isinstance(number, int) else None
        if item is None or number in counts:
            check.bad(f"items[{index}].number", "없는 안건 번호이거나 두 번 나왔어요.")
            continue
        values = raw.get("counts")
        if isinstance(values, dict):
            unknown = set(values) - set(item.options)
            if unknown:
                check.bad(f"items[{index}].counts", f"없는 선택지예요: {', '.join(sorted(unknown))}")
                continue
            values = [values.get(label, 0) for label in item.options]
        if (not isinstance(values, list) or len(values) != len(item.options)
                or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                           for v in values)):
            check.bad(f"items[{index}].counts",
                      f"선택지 {len(item.options)}개의 0 이상 정수가 필요해요.")
            continue
        if sum(values) > marks * item.max_choices:
            check.bad(f"items[{index}].counts",
                      f"현장 투표자 {marks}명보다 표가 많아요 ({sum(values)}표).")
            continue
        counts[number] = values
    missing = sorted(set(by_number) - set(counts))
    if missing and not check.problems:
        check.bad("items", f"안건 {', '.join(map(str, missing))}번의 결과가 없어요.")
    if check.problems:
        raise Refused(422, "invalid_counts", f"고칠 곳이 {len(check.problems)}군데 있어요.",
                            {"problems": check.problems})
    session.execute(delete(OnsiteCount).where(OnsiteCount.ballot_id == ballot.id))
    session.add_all(OnsiteCount(ballot_id=ballot.id, item_id=by_number[n].id, option=o, count=c)
                    for n, values in counts.items() for o, c in enumerate(values, start=1))
    ballot.onsite_counted_at = now
    record(session, actor, "ballot.onsite_counted", community_id=ballot.community_id,
           subject=f"ballot:{ballot.id}", marks=marks)


# --- turnout and results ---------------------------------------------------------------------

def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def eligible_conditions(ballot: Ballot) -> list:
    """Who may vote, as SQL: on the roster, not moved out, old enough on the closing day."""
    latest_birth = _years_before(closing_day(ballot), ballot.community.min_voting_age)
    return [Resident.community_id == ballot.community_id, Resident.moved_out_at.is_(None),
            Resident.birth_date <= latest_birth]


def eligible_query(ballot: Ballot) -> Select:
    return select(func.count()).where(*eligible_conditions(ballot))


def turnout(session: Session, ballot: Ballot) -> dict[str, Any]:
    eligible = session.scalar(eligible_query(ballot)) or 0
    by_channel = dict(session.execute(
        select(Participation.channel, func.count())
        .where(Participation.ballot_id == ballot.id)
        .group_by(Participation.channel)).all())
    onsite = by_channel.pop(ONSITE, 0)
    online = sum(by_channel.values())
    participants = online + onsite
    rate = round(participants / eligible, 4) if eligible else 0.0
    return {"eligible": eligible, "participants": participants, "online": online,
            "onsite": onsite, "rate": rate}


def _ranks(totals: list[int]) -> list[int]:
    """Competition ranking: 1, 2, 2, 4."""
    return [1 + sum(1 for other in totals if other > total) for total in totals]


def results(session: Session, ballot: Ballot) -> dict[str, Any]:
    """Per item and option: online (frozen tally), on-site, total; turnout; quorum; outcome."""
    online = {(t.item_id, t.option): t.count for t in session.scalars(
        select(Tally).where(Tally.ballot_id == ballot.id))}
    onsite = {(c.item_id, c.option): c.count for c in session.scalars(
        select(OnsiteCount).where(OnsiteCount.ballot_id == ballot.id))}
    counted = turnout(session, ballot)
    # A secret ballot never shows a group of fewer than SMALL_GROUP apart from the rest (online /
    # on-site): only the total. (When everyone voted one way, that group is the total anyway.)
    split_hidden = (ballot.secret and counted["online"] > 0 and counted["onsite"] > 0
                    and min(counted["online"], counted["onsite"]) < SMALL_GROUP)
    items = []
    for item in ballot.items:
        options = []
        for number, label in enumerate(item.options, start=1):
            a, b = online.get((item.id, number), 0), onsite.get((item.id, number), 0)
            options.append({"label": label, "online": None if split_hidden else a,
                            "onsite": None if split_hidden else b, "total": a + b})
        ranks = _ranks([o["total"] for o in options])
        for option, rank in zip(options, ranks, strict=True):
            option["rank"] = rank if item.kind == CHOOSE_UP_TO else None
        passed = None
        if item.kind == YES_NO:
            passed = options[0]["total"] > options[1]["total"]
        abstained = (online.get((item.id, item.abstain_number), 0)
                     if item.abstain_number is not None else None)
        items.append({"number": item.number, "title": item.title, "kind": item.kind,
                      "passed": passed, "options": options, "abstentions": abstained})
    quorum_met = None if ballot.quorum is None else counted["rate"] >= ballot.quorum
    return {"ballot_id": ballot.id,
            "published_at": ballot.published_at.isoformat() if ballot.published_at else None,
            "turnout": counted, "quorum": ballot.quorum, "quorum_met": quorum_met,
            "split_hidden": split_hidden, "items": items}


def voted_ballots(session: Session, resident_id: int) -> list[tuple[Ballot, Participation]]:
    """The ballots a resident took part in, newest first (the fact only, never the choices)."""
    rows = session.execute(select(Ballot, Participation)
                           .join(Participation, Participation.ballot_id == Ballot.id)
                           .where(Participation.resident_id == resident_id)
                           .order_by(Participation.at.desc())).all()
    return [(b, p) for b, p in rows]


KIND_LABELS = {YES_NO: "찬반", CHOOSE_ONE: "하나 고르기", CHOOSE_UP_TO: "여러 개 고르기"}
