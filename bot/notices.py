"""What the clock and the managers announce: ballot notices, reminders, results, manager notices.

Each notice is rendered from the catalogue and queued in the outbox with a key made of what it is
about, so running the same job twice queues nothing twice. Pushes to people respect the quiet
hours and expire at the point after which they would be wrong (a reminder after the close).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import ballots, outbox
from bot.audit import record
from bot.catalogue import day, t, when, won
from bot.commands.rooms import QueueNotice
from bot.errors import Conflict
from bot.models import ChannelAccount, Community, Resident
from bot.models.ballot import Ballot, Participation
from bot.models.proposal import Agreement, Proposal, ProposalEvent


def _zone(ballot: Ballot) -> ZoneInfo:
    return ZoneInfo(ballot.community.timezone)


def _room_rows(session: Session, community_id: int, key: str, text: str,
               not_before: datetime | None = None) -> list[dict]:
    return [{"idempotency_key": f"{key}:room:{room.id}", "channel": room.channel,
             "target_kind": "room", "target": room.external_key, "text": text,
             "community_id": community_id, "respect_quiet_hours": False,
             **({"next_attempt_at": not_before} if not_before else {})}
            for room in outbox.reachable_rooms(session, community_id)]


def _eligible_accounts(session: Session, ballot: Ballot, voted: bool | None):
    """Reachable accounts, notices on, of residents who may vote (voted: only voters / only
    non-voters / None for all)."""
    query = (select(ChannelAccount).join(Resident, ChannelAccount.resident_id == Resident.id)
             .where(Resident.community_id == ballot.community_id, *outbox.TAKES_NOTICES))
    voters = select(Participation.resident_id).where(Participation.ballot_id == ballot.id)
    if voted:
        return session.scalars(query.where(Resident.id.in_(voters))).all()
    query = query.where(*ballots.eligible_conditions(ballot))
    if voted is False:
        query = query.where(Resident.id.not_in(voters))
    return session.scalars(query).all()


def _push_rows(accounts, key: str, text: str, community_id: int,
               expires_at: datetime | None, next_step: str | None = None) -> list[dict]:
    return [{"idempotency_key": f"{key}:account:{account.id}", "channel": account.channel,
             "target": account.external_id, "text": text, "community_id": community_id,
             "expires_at": expires_at, "next_step": next_step} for account in accounts]


def ballot_opened(session: Session, ballot: Ballot, now: datetime) -> int:
    """The agenda to every room, and a push to every eligible verified resident."""
    zone = _zone(ballot)
    closes = when(ballots.closing_time(ballot), zone)
    items = "\n".join(f"{item.number}. {item.title}" for item in ballot.items)
    agenda = t("notice.ballot.agenda", title=ballot.title, overview=ballot.overview or "-",
               items=items, closes=closes)
    push = t("notice.ballot.open", title=ballot.title, closes=closes)
    key = f"ballot:{ballot.id}:open"
    rows = _room_rows(session, ballot.community_id, key, agenda)
    rows += _push_rows(_eligible_accounts(session, ballot, None), key, push,
                       ballot.community_id, ballots.closing_time(ballot), t("core.menu.vote"))
    return outbox.enqueue_many(session, rows, now)


def ballot_reminder(session: Session, ballot: Ballot, stamp: str, now: datetime) -> int:
    """A reminder to the eligible residents who have not voted yet."""
    closes = ballots.closing_time(ballot)
    text = t("notice.ballot.remind", title=ballot.title, closes=when(closes, _zone(ballot)))
    rows = _push_rows(_eligible_accounts(session, ballot, False),
                      f"ballot:{ballot.id}:remind:{stamp}", text, ballot.community_id, closes,
                      t("core.menu.vote"))
    return outbox.enqueue_many(session, rows, now)


def ballot_results(session: Session, ballot: Ballot, now: datetime) -> int:
    """The published result to the rooms and to everyone who voted."""
    result = ballots.results(session, ballot)
    lines = []
    for item in result["items"]:
        counts = " · ".join(f"{o['label']} {o['total']}" for o in item["options"])
        if item["abstentions"] is not None:
            counts += f" · {t('ballot.abstain')} {item['abstentions']}"
        outcome = "" if item["passed"] is None else \
            " → " + t(f"ballot.passed.{item['passed']}".lower())
        lines.append(f"{item['number']}. {item['title']}: {counts}{outcome}")
        if "funded_total" in item:  # a budget item: the projects it funds (선정 사업)
            funded = [o["label"] for o in item["options"] if o["funded"]]
            lines.append(t("budget.funded_line", projects=", ".join(funded) or "-",
                           total=won(item["funded_total"])))
    turnout = result["turnout"]
    text = t("notice.ballot.results", title=ballot.title, lines="\n".join(lines),
             participants=turnout["participants"], rate=f"{turnout['rate'] * 100:.1f}")
    key = f"ballot:{ballot.id}:results"
    rows = _room_rows(session, ballot.community_id, key, text)
    rows += _push_rows(_eligible_accounts(session, ballot, True), key, text,
                       ballot.community_id, None)
    return outbox.enqueue_many(session, rows, now)


def manager_notice(session: Session, community_id: int, key: str, text: str,
                   send_at: datetime | None) -> int:
    return outbox.enqueue_many(session, _room_rows(session, community_id, key, text, send_at))


def queue_notice(session: Session, community: Community, command: QueueNotice,
                 actor: str) -> tuple[str, int]:
    """A manager's notice to the community's rooms: its key and how many rooms it goes to, or
    `Conflict("no_rooms")` when none is linked."""
    key = f"notice:{uuid.uuid4().hex}"
    queued = manager_notice(session, community.id, key, command.text, command.send_at)
    if not queued:
        raise Conflict("no_rooms")
    record(session, actor, "notice.queued", community_id=community.id, subject=key,
           rooms=queued)
    return key, queued


def proposal_published(session: Session, proposal, now: datetime) -> int:  # noqa: ANN001
    """A newly public proposal, posted to the community's rooms: neighbours discuss it there."""
    content = proposal.content if len(proposal.content) <= 300 else proposal.content[:300] + "…"
    text = t("notice.proposal", title=proposal.title, content=content)
    return outbox.enqueue_many(session, _room_rows(session, proposal.community_id,
                                                   f"proposal:{proposal.id}:published", text),
                               now)


def _identity_rows(accounts, key: str, community_id: int, text) -> list[dict]:  # noqa: ANN001
    """One push to each reachable account, its text in the account's language."""
    return [{"idempotency_key": f"{key}:account:{account.id}", "channel": account.channel,
             "target": account.external_id, "community_id": community_id,
             "text": text(account.lang or "ko")}
            for account in accounts if account.unreachable_at is None]


def identity_attempt(session: Session, resident: Resident, accounts, now: datetime) -> int:  # noqa: ANN001
    """Someone tried to enrol as this bound person: each of their `accounts` hears it (once an
    hour at most)."""
    phone = resident.community.phone or "-"
    key = f"identity:{resident.id}:attempt:{now.strftime('%Y%m%d%H')}"
    return outbox.enqueue_many(session, _identity_rows(
        accounts, key, resident.community_id,
        lambda lang: t("notice.identity.attempt", lang, phone=phone)), now)


def identity_new_account(session: Session, resident: Resident, others, new_account,
                         now: datetime) -> int:  # noqa: ANN001
    """Another account was bound to this person: the accounts they had hear which one."""
    phone = resident.community.phone or "-"
    key = f"identity:{resident.id}:bound:{new_account.id}:{now.strftime('%Y%m%d%H%M%S')}"
    def text(lang: str) -> str:
        return t("notice.identity.new_account", lang, phone=phone,
                 channel=t(f"ballot.channel.{new_account.channel}", lang))

    return outbox.enqueue_many(session, _identity_rows(others, key, resident.community_id, text),
                               now)


def last_ballot_push(session: Session, account: ChannelAccount, since: datetime,
                     now: datetime) -> Ballot | None:
    """The open ballot of the latest push (opened or reminder) this account was sent after
    `since` (when the resident last wrote), if any: a `네` in answer means that ballot. Looked up
    by the pushes' own idempotency keys (the unique index), never by scanning the outbox."""
    from bot.models import Outbox

    if account.resident_id is None:
        return None
    keys: dict[str, Ballot] = {}
    for ballot in ballots.open_ballots(session, account.resident.community_id, now):
        keys[f"ballot:{ballot.id}:open:account:{account.id}"] = ballot
        for stamp in ballot.reminders:
            keys[f"ballot:{ballot.id}:remind:{stamp}:account:{account.id}"] = ballot
    if not keys:
        return None
    row = session.execute(select(Outbox.idempotency_key).where(
        Outbox.idempotency_key.in_(list(keys)), Outbox.status == "sent",
        Outbox.sent_at > since).order_by(Outbox.sent_at.desc()).limit(1)).first()
    return keys[row.idempotency_key] if row else None


def _proposal_values(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """Codes and dates in a proposal notice as the account's language says them."""
    shown = {}
    for name, value in values.items():
        if name in ("actor", "stage"):
            shown[name] = t(f"proposal.{name}.{value}", lang)
        elif isinstance(value, date):
            shown[name] = day(value, lang)
        else:
            shown[name] = "" if value is None else value
    return shown


def proposal_event(session: Session, proposal: Proposal, event: ProposalEvent, key: str,
                   everyone: bool, **values: Any) -> int:
    """Queue a notice of `event` to the proposer and (everyone=True) every resident who agreed,
    once per account, by a key made of the event: a rerun queues nothing new."""
    residents = [proposal.proposer_id]
    if everyone:
        residents += session.scalars(select(Agreement.resident_id).where(
            Agreement.proposal_id == proposal.id, Agreement.kind == "agree")).all()
    queued = 0
    for account in outbox.reachable_accounts(session, residents):
        text = t(key, account.lang, title=proposal.title,
                 **_proposal_values(values, account.lang)).strip()
        queued += outbox.enqueue(session, key=f"proposal:{proposal.id}:event:{event.id}"
                                 f":account:{account.id}", channel=account.channel,
                                 target=account.external_id, text=text,
                                 community_id=proposal.community_id)
    return queued



def agenda_update(session: Session, ballot: Ballot, label: str, entry: Any,
                  now: datetime) -> int:
    """An adopted item's plan, progress, result or passed due date, to everyone who took part in
    the ballot (never chosen by how they voted), once per account and entry."""
    due = entry.due_date
    rows = []
    for account in _eligible_accounts(session, ballot, True):
        lang = account.lang or "ko"
        text = t(f"agenda.notice.{entry.stage}", lang, title=label, text=entry.text,
                 ballot=ballot.title, due=day(due, lang) if due else "-")
        rows.append({"idempotency_key": f"agenda:{entry.id}:account:{account.id}",
                     "channel": account.channel, "target": account.external_id, "text": text,
                     "community_id": ballot.community_id})
    return outbox.enqueue_many(session, rows, now)


def video_posted(session: Session, ballot: Ballot, material: Any, now: datetime) -> int:
    """A new video of the assembly (YouTube, BAND live), to the community's rooms."""
    text = t("agenda.notice.video", title=material.title, ballot=ballot.title, url=material.url)
    return outbox.enqueue_many(session, _room_rows(session, ballot.community_id,
                                                   f"material:{material.id}", text), now)


def comment_reply(session: Session, where: Any, answered: Any, reply: Any) -> int:
    """Someone answered a resident's comment: its author hears it (`알림 끄기` stops it)."""
    queued = 0
    short = reply.text if len(reply.text) <= 80 else reply.text[:80] + "…"
    for account in outbox.reachable_accounts(session, [answered.resident_id]):
        text = t("comment.notice.reply", account.lang or "ko", author=reply.author,
                 title=where.title, text=short)
        queued += outbox.enqueue(session, key=f"comment:{reply.id}:reply:account:{account.id}",
                                 channel=account.channel, target=account.external_id, text=text,
                                 community_id=where.community_id)
    return queued
