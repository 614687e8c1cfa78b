"""Personal data (개인정보 보호법): consent before enrolment, a resident's own data, withdrawal,
erasure at the centre, and the daily destruction of what no longer serves its purpose.

What Maeul holds about whom, why and for how long is listed in docs/architecture.md ("Personal
data"); the periods are the RETAIN_* settings. Votes are anonymous (sealed envelopes and counts,
see bot/sealing.py), so withdrawing or erasing a resident never takes a vote back: the resident's
row stays without identity data, and the counts stay right.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from bot.audit import record
from bot.catalogue import t
from bot.config import Settings
from bot.eligibility import age_on
from bot.models import AuditEvent, ChannelAccount, Community, Conversation, Outbox, Resident
from bot.models.ballot import Ballot, Participation
from bot.models.channels import ProcessedMessage
from bot.models.identity import EnrolmentAttempt, EnrolmentCode
from bot.models.proposal import Agreement, Proposal

# Under 14 a legal guardian must consent (PIPA art. 22-2): such residents enrol at the centre.
MIN_ONLINE_AGE = 14
# What a proposal shows as its author once the author has withdrawn or been erased.
WITHDRAWN_NAME = t("privacy.withdrawn_name")
# An erased row keeps no birth date: the column holds this day, which no roster can hold (a
# roster refuses births before 1900), and erased rows are left out of every list.
ERASED_BIRTH = date(1900, 1, 1)
# Proposals in these statuses need nobody any more (no answer will be pushed to anyone).
SETTLED = ("answered_rejected", "done", "expired", "complaint", "hidden")
MAX_CONSENT_TEXT = 1000
RETENTION_RUN = "privacy.retention"


def consent_text(community: Community | None, settings: Settings, lang: str = "ko") -> str:
    """The consent text residents of `community` read before enrolment."""
    if community is not None and community.consent_text.strip():
        return community.consent_text.strip()
    return t("privacy.consent", lang, days=settings["RETAIN_MOVED_OUT_DAYS"])


def consent_version(community: Community | None, settings: Settings) -> str:
    """A short fingerprint of the Korean text in force: a new wording asks everyone again."""
    text = consent_text(community, settings, "ko")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def has_consent(account: ChannelAccount, community: Community | None,
                settings: Settings) -> bool:
    return account.consent_version == consent_version(community, settings)


def give_consent(session: Session, account: ChannelAccount, community: Community | None,
                 settings: Settings, now: datetime) -> None:
    account.consent_version = consent_version(community, settings)
    account.consented_at = now
    record(session, f"account:{account.id}", "privacy.consent",
           community_id=community.id if community else None,
           subject=f"account:{account.id}", version=account.consent_version)


def too_young_to_enrol(born: date, today: date) -> bool:
    return age_on(born, today) < MIN_ONLINE_AGE


def author_name(resident: Resident) -> str:
    """How a proposal names its author: the masked name, or `탈퇴한 주민`."""
    if resident.erased_at is not None or resident.withdrawn_at is not None:
        return WITHDRAWN_NAME
    return resident.masked_name


@dataclass(frozen=True)
class MyData:
    """What Maeul holds about one account's resident (내 정보): never a choice."""

    masked_name: str | None
    community: str | None
    channels: list[str]
    notifications: bool
    consented_at: datetime | None
    votes: int
    agreements: int
    proposals: int


def my_data(session: Session, account: ChannelAccount) -> MyData:
    resident = account.resident
    if resident is None:
        return MyData(None, None, [], account.notifications_enabled, account.consented_at, 0, 0,
                      0)
    channels = sorted(session.scalars(select(ChannelAccount.channel).where(
        ChannelAccount.resident_id == resident.id)))
    count = (lambda model, column: session.scalar(  # noqa: E731
        select(func.count()).select_from(model).where(column == resident.id)) or 0)
    return MyData(resident.masked_name, resident.community.name, channels,
                  account.notifications_enabled, account.consented_at,
                  count(Participation, Participation.resident_id),
                  count(Agreement, Agreement.resident_id),
                  count(Proposal, Proposal.proposer_id))


def _forget_account(session: Session, account: ChannelAccount) -> None:
    """The account's binding, consent, notice setting and conversation data go."""
    account.resident_id = None
    account.bound_at = None
    account.community_hint_id = None
    account.consent_version = None
    account.consented_at = None
    account.notifications_enabled = True
    session.execute(delete(Conversation).where(Conversation.account_id == account.id))


def withdraw(session: Session, account: ChannelAccount, now: datetime) -> Resident | None:
    """인증 해제 by the resident: this account is unbound and forgets its consent, notice
    setting and conversation. Votes and agreements stay counted; when no other account of the
    resident remains, their proposals show `탈퇴한 주민`."""
    resident = account.resident
    if resident is None:
        return None
    channel = account.channel
    _forget_account(session, account)
    session.flush()
    others = session.scalar(select(func.count()).select_from(ChannelAccount).where(
        ChannelAccount.resident_id == resident.id)) or 0
    if not others:
        resident.withdrawn_at = now
    record(session, f"account:{account.id}", "privacy.withdrawn",
           community_id=resident.community_id, subject=f"resident:{resident.id}",
           channel=channel)
    return resident


def _needed(resident_id_column):  # noqa: ANN001, ANN202
    """A resident an unpublished ballot or an unsettled proposal still needs (to keep one vote
    per person, or to hear an answer)."""
    return or_(
        exists().where(Participation.resident_id == resident_id_column,
                       Participation.ballot_id == Ballot.id, Ballot.published_at.is_(None)),
        exists().where(Proposal.proposer_id == resident_id_column,
                       Proposal.status.not_in(SETTLED)),
        exists().where(Agreement.resident_id == resident_id_column,
                       Agreement.proposal_id == Proposal.id, Proposal.status.not_in(SETTLED)))


def erase_resident(session: Session, resident: Resident, actor: str, now: datetime) -> int:
    """Delete everything that identifies `resident` (the centre's action on a request to delete,
    and the retention of moved-out residents): keys, name and birth date, every account's
    binding and conversation, enrolment codes and attempts. The row stays, anonymous, so that
    votes and agreements stay counted. Returns how many accounts were unbound."""
    accounts = session.scalars(select(ChannelAccount).where(
        ChannelAccount.resident_id == resident.id)).all()
    for account in accounts:
        _forget_account(session, account)
    session.execute(delete(EnrolmentCode).where(EnrolmentCode.resident_id == resident.id))
    from bot.comments import erase_text_of

    erase_text_of(session, resident.id, now)
    session.execute(update(EnrolmentAttempt).where(EnrolmentAttempt.resident_id == resident.id)
                    .values(resident_id=None))
    marker = f"erased:{resident.id}:{secrets.token_hex(8)}"
    resident.identity_key = marker
    resident.lookup_key = marker
    resident.np_key = None
    resident.bp_key = None
    resident.masked_name = WITHDRAWN_NAME
    resident.birth_date = ERASED_BIRTH
    resident.moved_out_at = resident.moved_out_at or now
    resident.withdrawn_at = resident.withdrawn_at or now
    resident.erased_at = now
    record(session, actor, "privacy.erased", community_id=resident.community_id,
           subject=f"resident:{resident.id}", accounts=len(accounts))
    return len(accounts)


def still_needed(session: Session, resident: Resident) -> bool:
    return bool(session.scalar(select(_needed(Resident.id)).where(Resident.id == resident.id)))


def retention(session: Session, settings: Settings, now: datetime) -> dict[str, int]:
    """Destroy what has outlived its period (PIPA art. 21); the run is audited as counts only."""

    def before(key: str) -> datetime:
        return now - timedelta(days=settings[key])

    counts: dict[str, int] = {}
    attempts = before("RETAIN_ENROLMENT_ATTEMPTS_DAYS")
    counts["enrolment_attempts"] = session.execute(delete(EnrolmentAttempt).where(
        EnrolmentAttempt.at < attempts)).rowcount
    counts["enrolment_codes"] = session.execute(delete(EnrolmentCode).where(
        or_(EnrolmentCode.used_at < attempts, EnrolmentCode.expires_at < attempts))).rowcount
    counts["processed_messages"] = session.execute(delete(ProcessedMessage).where(
        ProcessedMessage.at < before("RETAIN_PROCESSED_MESSAGES_DAYS"))).rowcount

    # Moved-out residents first: their accounts, unbound here, may go below in the same run.
    gone = session.scalars(select(Resident).where(
        Resident.moved_out_at < before("RETAIN_MOVED_OUT_DAYS"), Resident.erased_at.is_(None),
        ~_needed(Resident.id))).all()
    for resident in gone:
        erase_resident(session, resident, "system:retention", now)
    counts["moved_out_residents"] = len(gone)

    session.flush()
    idle = before("RETAIN_IDLE_CONVERSATION_DAYS")
    counts["conversations"] = session.execute(delete(Conversation).where(
        Conversation.updated_at < idle)).rowcount
    # An account bound to nobody, silent for the period and named by no record left: its
    # messenger id is all it holds.
    silent = select(ChannelAccount.id).where(
        ChannelAccount.resident_id.is_(None), ChannelAccount.created_at < idle,
        ~exists().where(Conversation.account_id == ChannelAccount.id),
        ~exists().where(EnrolmentAttempt.account_id == ChannelAccount.id),
        ~exists().where(EnrolmentCode.used_by_account_id == ChannelAccount.id))
    counts["accounts"] = session.execute(delete(ChannelAccount).where(
        ChannelAccount.id.in_(silent))).rowcount

    counts["outbox"] = session.execute(delete(Outbox).where(
        Outbox.status.in_(("sent", "failed", "dropped", "void")),
        Outbox.created_at < before("RETAIN_OUTBOX_DAYS"))).rowcount
    old = before("RETAIN_AUDIT_DETAIL_DAYS")
    counts["audit_details"] = session.execute(update(AuditEvent).where(
        AuditEvent.created_at < old, AuditEvent.action != RETENTION_RUN,
        or_(AuditEvent.subject != "", cast(AuditEvent.details, String) != "{}"))
        .values(details={}, subject="")).rowcount
    record(session, "system:retention", RETENTION_RUN, **counts).created_at = now
    return counts
