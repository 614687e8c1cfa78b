"""Enrolment: binding a messenger account to one roster entry, once, with a lockout.

Every outcome is audited. A failure never says which detail was wrong.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.audit import record
from bot.config import Settings
from bot.identity import code_key
from bot.models import ChannelAccount, Community, Resident
from bot.models.identity import EnrolmentAttempt, EnrolmentCode

BOUND = "bound"
NO_MATCH = "no_match"
LOCKED = "locked"
TAKEN = "taken"  # the resident already has another account on this channel
CODE_USED = "code_used"
CODE_EXPIRED = "code_expired"


@dataclass(frozen=True)
class Outcome:
    status: str
    resident: Resident | None = None
    locked_until: datetime | None = None


def locked_until(session: Session, settings: Settings, account: ChannelAccount,
                 now: datetime) -> datetime | None:
    """When the account's lock ends, if it is locked now.

    Locked for ENROLMENT_LOCK_MINUTES after the failure that made ENROLMENT_MAX_FAILURES in the
    last ENROLMENT_FAILURE_WINDOW_HOURS.
    """
    window = now - timedelta(hours=settings["ENROLMENT_FAILURE_WINDOW_HOURS"])
    failures = session.scalars(
        select(EnrolmentAttempt.at).where(EnrolmentAttempt.account_id == account.id,
                                          EnrolmentAttempt.ok.is_(False),
                                          EnrolmentAttempt.at > window)
        .order_by(EnrolmentAttempt.at.desc())).all()
    if len(failures) < settings["ENROLMENT_MAX_FAILURES"]:
        return None
    until = failures[0] + timedelta(minutes=settings["ENROLMENT_LOCK_MINUTES"])
    return until if until > now else None


def _fail(session: Session, settings: Settings, account: ChannelAccount, method: str,
          community: Community | None, now: datetime) -> Outcome:
    session.add(EnrolmentAttempt(account_id=account.id, ok=False, method=method, at=now))
    session.flush()
    community_id = community.id if community else None
    record(session, f"account:{account.id}", "enrol.failed", community_id=community_id,
           subject=f"account:{account.id}", method=method)
    until = locked_until(session, settings, account, now)
    if until is not None:
        record(session, "system", "enrol.locked", community_id=community_id,
               subject=f"account:{account.id}", until=until.isoformat())
        return Outcome(LOCKED, locked_until=until)
    return Outcome(NO_MATCH)


def bind(session: Session, account: ChannelAccount, resident: Resident, method: str,
         now: datetime, actor: str | None = None) -> Outcome:
    """Bind `account` to `resident` unless the resident has another account on this channel.

    The unique constraint (resident, channel) decides a race: of two accounts binding the same
    resident at the same moment, exactly one succeeds.
    """
    other = session.scalars(select(ChannelAccount.id).where(
        ChannelAccount.resident_id == resident.id, ChannelAccount.channel == account.channel,
        ChannelAccount.id != account.id)).first()
    if other is not None:
        return _taken(session, account, resident)
    try:
        with session.begin_nested():
            session.execute(update(ChannelAccount).where(ChannelAccount.id == account.id)
                            .values(resident_id=resident.id, bound_at=now,
                                    community_hint_id=resident.community_id))
    except IntegrityError:
        return _taken(session, account, resident)
    session.refresh(account)
    session.add(EnrolmentAttempt(account_id=account.id, ok=True, method=method, at=now))
    record(session, actor or f"account:{account.id}", "enrol.bound",
           community_id=resident.community_id, subject=f"resident:{resident.id}",
           channel=account.channel, method=method)
    return Outcome(BOUND, resident=resident)


def _taken(session: Session, account: ChannelAccount, resident: Resident) -> Outcome:
    record(session, f"account:{account.id}", "enrol.refused_taken",
           community_id=resident.community_id, subject=f"resident:{resident.id}",
           channel=account.channel)
    return Outcome(TAKEN, resident=resident)


def enrol_by_details(session: Session, settings: Settings, account: ChannelAccount,
                     community: Community | None, identity: str, now: datetime) -> Outcome:
    """Match the identity key (name, birth date, last 4 digits) in the account's community, or
    in every community when the account has none yet (a unique present match only)."""
    until = locked_until(session, settings, account, now)
    if until is not None:
        return Outcome(LOCKED, locked_until=until)
    query = select(Resident).where(Resident.identity_key == identity,
                                   Resident.moved_out_at.is_(None))
    if community is not None:
        query = query.where(Resident.community_id == community.id)
    matches = session.scalars(query.limit(2)).all()
    if len(matches) != 1:
        return _fail(session, settings, account, "details", community, now)
    return bind(session, account, matches[0], "details", now)


def issue_code(session: Session, settings: Settings, resident: Resident, actor: str,
               now: datetime) -> tuple[str, datetime]:
    """A new 8-digit single-use code for one roster entry; the plain code is returned once."""
    expires = now + timedelta(days=settings["ENROLMENT_CODE_DAYS"])
    pepper = settings["IDENTITY_PEPPER"]
    while True:
        code = f"{secrets.randbelow(10**8):08d}"
        if session.scalars(select(EnrolmentCode.id).where(
                EnrolmentCode.code_hash == code_key(pepper, code))).first() is None:
            break
    session.add(EnrolmentCode(resident_id=resident.id, code_hash=code_key(pepper, code),
                              expires_at=expires, issued_by=actor, created_at=now))
    record(session, actor, "enrol.code_issued", community_id=resident.community_id,
           subject=f"resident:{resident.id}", expires_at=expires.isoformat())
    return code, expires


def enrol_by_code(session: Session, settings: Settings, account: ChannelAccount,
                  community: Community | None, code: str, now: datetime) -> Outcome:
    until = locked_until(session, settings, account, now)
    if until is not None:
        return Outcome(LOCKED, locked_until=until)
    row = session.scalars(select(EnrolmentCode).where(
        EnrolmentCode.code_hash == code_key(settings["IDENTITY_PEPPER"], code))
        .with_for_update()).first()
    if row is None or row.resident.moved_out_at is not None:
        return _fail(session, settings, account, "code", community, now)
    if row.used_at is not None:
        return Outcome(CODE_USED)
    if row.expires_at <= now:
        return Outcome(CODE_EXPIRED)
    outcome = bind(session, account, row.resident, "code", now)
    if outcome.status == BOUND:
        row.used_at = now
        row.used_by_account_id = account.id
    return outcome


def unbind(session: Session, resident: Resident, channel: str, actor: str) -> bool:
    account = session.scalars(select(ChannelAccount).where(
        ChannelAccount.resident_id == resident.id, ChannelAccount.channel == channel)).first()
    if account is None:
        return False
    account.resident_id = None
    account.bound_at = None
    record(session, actor, "enrol.unbound", community_id=resident.community_id,
           subject=f"resident:{resident.id}", channel=channel)
    return True


def verified_channels(session: Session, resident_ids: list[int]) -> dict[int, list[str]]:
    rows = session.execute(select(ChannelAccount.resident_id, ChannelAccount.channel).where(
        ChannelAccount.resident_id.in_(resident_ids))).all() if resident_ids else []
    channels: dict[int, list[str]] = {}
    for resident_id, channel in rows:
        channels.setdefault(resident_id, []).append(channel)
    return {k: sorted(v) for k, v in channels.items()}

