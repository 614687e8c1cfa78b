"""Enrolment: binding a messenger account to one roster entry, once, with lockouts.

Every outcome is audited. A failure never says which detail was wrong, nor whether the person
is already bound: a right and a wrong guess at a bound person get the same answer, and both
count. Failures count three ways: per account (a short lock), per roster person whatever the
account or channel (after ENROLMENT_PERSON_MAX_FAILURES, enrolment by details pauses for that
person; centre codes still work), and per community (a sweep pauses enrolment by details there).
A bound person hears, on every account they have, when someone tries to enrol as them and when
another account is bound to them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import metrics, notices
from bot.audit import record
from bot.config import Settings
from bot.identity import code_key, identity_key_from_lookup
from bot.models import ChannelAccount, Community, Resident
from bot.models.identity import EnrolmentAttempt, EnrolmentCode
from bot.privacy import too_young_to_enrol

BOUND = "bound"
NO_MATCH = "no_match"
LOCKED = "locked"
PAUSED = "paused"  # enrolment by details rests in this community (a sweep); codes still work
TAKEN = "taken"  # the resident already has another account on this channel
CODE_USED = "code_used"
CODE_EXPIRED = "code_expired"
NO_CONSENT = "no_consent"  # the account has not agreed to the consent text (bot/privacy.py)
UNDER_14 = "under_14"  # online enrolment needs 14 full years (a guardian's consent below)


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


def tries_left(session: Session, settings: Settings, account: ChannelAccount,
               now: datetime) -> int:
    """How many more tries by details before the account's lock (after a lock has passed, the
    next failure locks again: one try)."""
    window = now - timedelta(hours=settings["ENROLMENT_FAILURE_WINDOW_HOURS"])
    failed = _failures(session, EnrolmentAttempt.account_id == account.id, window)
    return max(1, settings["ENROLMENT_MAX_FAILURES"] - failed)


def _failures(session: Session, condition, since: datetime) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(EnrolmentAttempt).where(
        condition, EnrolmentAttempt.ok.is_(False), EnrolmentAttempt.at > since)) or 0


def _person_failures(session: Session, settings: Settings, resident_id: int,
                     now: datetime) -> int:
    since = now - timedelta(hours=settings["ENROLMENT_FAILURE_WINDOW_HOURS"])
    return _failures(session, EnrolmentAttempt.resident_id == resident_id, since)


def _community_failures(session: Session, settings: Settings, community_id: int,
                        now: datetime) -> int:
    since = now - timedelta(minutes=settings["ENROLMENT_COMMUNITY_WINDOW_MINUTES"])
    return _failures(session, EnrolmentAttempt.community_id == community_id, since)


def person_paused(session: Session, settings: Settings, resident_id: int, now: datetime) -> bool:
    """Enough failures aimed at this roster person, from any accounts, in the window."""
    return (_person_failures(session, settings, resident_id, now)
            >= settings["ENROLMENT_PERSON_MAX_FAILURES"])


def community_paused(session: Session, settings: Settings, community_id: int,
                     now: datetime) -> bool:
    """A sweep: many failures across a community in a short time."""
    return (_community_failures(session, settings, community_id, now)
            >= settings["ENROLMENT_COMMUNITY_MAX_FAILURES"])


def _fail(session: Session, settings: Settings, account: ChannelAccount, method: str,
          community: Community | None, now: datetime, target: Resident | None = None) -> Outcome:
    community_id = community.id if community else (target.community_id if target else None)
    session.add(EnrolmentAttempt(account_id=account.id, ok=False, method=method, at=now,
                                 resident_id=target.id if target else None,
                                 community_id=community_id))
    session.flush()
    metrics.on_commit(session, metrics.ENROLMENT_FAILURES, method=method)
    record(session, f"account:{account.id}", "enrol.failed", community_id=community_id,
           subject=f"account:{account.id}", method=method)
    if target is not None:
        bound = _bound_accounts(session, target.id, exclude=account.id)
        if bound:
            record(session, f"account:{account.id}", "enrol.attempt_on_bound",
                   community_id=target.community_id, subject=f"resident:{target.id}",
                   channel=account.channel)
            notices.identity_attempt(session, target, bound, now)
        # Audited once, on the failure that reaches the pause.
        if (_person_failures(session, settings, target.id, now)
                == settings["ENROLMENT_PERSON_MAX_FAILURES"]):
            record(session, "system", "enrol.person_paused", community_id=target.community_id,
                   subject=f"resident:{target.id}")
            metrics.on_commit(session, metrics.ENROLMENT_LOCKOUTS, scope="person")
    if (community_id is not None and _community_failures(session, settings, community_id, now)
            == settings["ENROLMENT_COMMUNITY_MAX_FAILURES"]):
        record(session, "system", "enrol.community_paused", community_id=community_id,
               subject=f"community:{community_id}")
        metrics.on_commit(session, metrics.ENROLMENT_LOCKOUTS, scope="community")
    until = locked_until(session, settings, account, now)
    if until is not None:
        record(session, "system", "enrol.locked", community_id=community_id,
               subject=f"account:{account.id}", until=until.isoformat())
        metrics.on_commit(session, metrics.ENROLMENT_LOCKOUTS, scope="account")
        return Outcome(LOCKED, locked_until=until)
    return Outcome(NO_MATCH)


def _bound_accounts(session: Session, resident_id: int, exclude: int | None = None
                    ) -> list[ChannelAccount]:
    query = select(ChannelAccount).where(ChannelAccount.resident_id == resident_id)
    if exclude is not None:
        query = query.where(ChannelAccount.id != exclude)
    return list(session.scalars(query.order_by(ChannelAccount.id)))


def bind(session: Session, account: ChannelAccount, resident: Resident, method: str,
         now: datetime, actor: str | None = None) -> Outcome:
    """Bind `account` to `resident` unless the resident has another account on this channel.

    The unique constraint (resident, channel) decides a race: of two accounts binding the same
    resident at the same moment, exactly one succeeds. The resident's other accounts are told.
    """
    others = _bound_accounts(session, resident.id, exclude=account.id)
    if any(other.channel == account.channel for other in others):
        return _taken(session, account, resident)
    try:
        with session.begin_nested():
            session.execute(update(ChannelAccount).where(ChannelAccount.id == account.id)
                            .values(resident_id=resident.id, bound_at=now,
                                    community_hint_id=resident.community_id))
    except IntegrityError:
        return _taken(session, account, resident)
    session.refresh(account)
    resident.withdrawn_at = None  # back: their proposals show their masked name again
    session.add(EnrolmentAttempt(account_id=account.id, ok=True, method=method, at=now,
                                 resident_id=resident.id, community_id=resident.community_id))
    record(session, actor or f"account:{account.id}", "enrol.bound",
           community_id=resident.community_id, subject=f"resident:{resident.id}",
           channel=account.channel, method=method)
    if others:
        record(session, actor or f"account:{account.id}", "enrol.second_account",
               community_id=resident.community_id, subject=f"resident:{resident.id}",
               channel=account.channel, method=method,
               others=sorted(other.channel for other in others))
        notices.identity_new_account(session, resident, others, account, now)
    return Outcome(BOUND, resident=resident)


def _taken(session: Session, account: ChannelAccount, resident: Resident) -> Outcome:
    record(session, f"account:{account.id}", "enrol.refused_taken",
           community_id=resident.community_id, subject=f"resident:{resident.id}",
           channel=account.channel)
    return Outcome(TAKEN, resident=resident)


def enrol_by_details(session: Session, settings: Settings, account: ChannelAccount,
                     community: Community | None, lookup: str, digits: str,
                     now: datetime) -> Outcome:
    """Match name and birth date (the lookup key) and the last 4 digits in the account's
    community, or in every community when the account has none yet (a unique present match
    only). The person the name and birth date point at carries the failure, whichever account
    or channel made it."""
    if account.consent_version is None:
        return Outcome(NO_CONSENT)
    until = locked_until(session, settings, account, now)
    if until is not None:
        return Outcome(LOCKED, locked_until=until)
    present = [Resident.moved_out_at.is_(None)]
    if community is not None:
        present.append(Resident.community_id == community.id)
    targets = session.scalars(select(Resident).where(Resident.lookup_key == lookup, *present)
                              .limit(2)).all()
    target = targets[0] if len(targets) == 1 else None
    where = community.id if community else (target.community_id if target else None)
    if where is not None and community_paused(session, settings, where, now):
        return Outcome(PAUSED)
    if target is not None and person_paused(session, settings, target.id, now):
        return _fail(session, settings, account, "details", community, now, target)
    identity = identity_key_from_lookup(settings["IDENTITY_PEPPER"], lookup, digits)
    matches = session.scalars(select(Resident).where(Resident.identity_key == identity,
                                                     *present).limit(2)).all()
    if len(matches) != 1:
        return _fail(session, settings, account, "details", community, now, target)
    outcome = bind(session, account, matches[0], "details", now)
    if outcome.status == TAKEN:  # the same answer as a wrong guess, and it counts
        return _fail(session, settings, account, "details", community, now, matches[0])
    return outcome


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
    if account.consent_version is None:
        return Outcome(NO_CONSENT)
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
    today = now.astimezone(ZoneInfo(row.resident.community.timezone)).date()
    if too_young_to_enrol(row.resident.birth_date, today):
        return Outcome(UNDER_14)
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



def bound_on_several(session: Session, community_id: int) -> list[tuple[Resident, list[str]]]:
    """Residents bound on two or more channels (the console lists them to look at)."""
    rows = session.execute(
        select(Resident, ChannelAccount.channel)
        .join(ChannelAccount, ChannelAccount.resident_id == Resident.id)
        .where(Resident.community_id == community_id)
        .order_by(Resident.id, ChannelAccount.channel)).all()
    found: dict[int, tuple[Resident, list[str]]] = {}
    for resident, channel in rows:
        found.setdefault(resident.id, (resident, []))[1].append(channel)
    return [entry for entry in found.values() if len(entry[1]) > 1]


IDENTITY_ACTIONS = ("enrol.second_account", "enrol.attempt_on_bound", "enrol.person_paused",
                    "enrol.community_paused")


def identity_alerts(session: Session, community_id: int, now: datetime, days: int = 7):
    """What a manager should look at from the last week: new accounts bound to an already
    verified person, attempts on bound persons, pauses."""
    from bot.models import AuditEvent

    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.community_id == community_id, AuditEvent.action.in_(IDENTITY_ACTIONS),
        AuditEvent.created_at > now - timedelta(days=days))
        .order_by(AuditEvent.id.desc()).limit(20)))
