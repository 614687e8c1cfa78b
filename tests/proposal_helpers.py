"""Proposals for tests: a published proposal, and many residents agreeing with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from bot import proposal_reports, proposals
from bot.commands.proposals import Agree, ScreenProposal, SubmitProposal
from bot.models import ChannelAccount, Community, Outbox, Resident
from bot.models.proposal import Agreement, Proposal
from tests import factories

T0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def published(db, community_id: int, *, at: datetime = T0, title: str = "놀이터 그늘막",
              proposer_account: str = "proposer") -> int:
    """A proposal by a verified resident, approved at `at`; returns its id."""
    with db.session() as session:
        community = session.get(Community, community_id)
        account = factories.verified(session, community, proposer_account)
        proposal = proposals.submit(session, account.resident, SubmitProposal(title=title, content="여름에 아이들이 너무 더워요.", field="welfare"), "kakao", at)
        proposals.screen(session, proposal, ScreenProposal(decision="approve"), "manager:1", at)
        return proposal.id


def residents(db, community_id: int, count: int, *, accounts: bool = False,
              prefix: str = "r") -> list[int]:
    """`count` residents of the community (bulk), optionally each with a bound Kakao account."""
    now = datetime.now(UTC)
    with db.session() as session:
        start = session.scalar(select(Resident.id).order_by(Resident.id.desc()).limit(1)) or 0
        rows = [{"community_id": community_id, "identity_key": f"{prefix}{start}-{n}",
                 "lookup_key": f"{prefix}{start}-{n}", "masked_name": "주*민",
                 "birth_date": datetime(1970, 1, 1).date(), "created_at": now, "updated_at": now}
                for n in range(count)]
        ids = list(session.execute(insert(Resident).returning(Resident.id), rows).scalars())
        if accounts:
            session.execute(insert(ChannelAccount), [
                {"channel": "kakao", "external_id": f"{prefix}-acct-{rid}", "resident_id": rid,
                 "bound_at": now, "lang": "ko", "notifications_enabled": True,
                 "created_at": now} for rid in ids])
    return ids


def bulk_agree(db, proposal_id: int, resident_ids: list[int], at: datetime,
               kind: str = proposals.AGREE) -> None:
    """Agreement rows written directly: the run-up to a threshold, without the checks."""
    with db.session() as session:
        session.execute(insert(Agreement), [
            {"proposal_id": proposal_id, "resident_id": rid, "kind": kind, "channel": "kakao",
             "at": at} for rid in resident_ids])


def agree(db, proposal_id: int, resident_id: int, at: datetime,
          kind: str = proposals.AGREE) -> proposals.AgreeOutcome:
    with db.session() as session:
        return proposals.agree(session, session.get(Proposal, proposal_id),
                               session.get(Resident, resident_id), Agree(kind=kind), "kakao", at)


def state(db, proposal_id: int, now: datetime = T0) -> dict:
    with db.session() as session:
        return proposal_reports.as_json(session, session.get(Proposal, proposal_id), now)


def notices(db, proposal_id: int) -> list[Outbox]:
    with db.session() as session:
        return list(session.scalars(select(Outbox).where(
            Outbox.idempotency_key.like(f"proposal:{proposal_id}:%")).order_by(Outbox.id)))


def later(days: float) -> datetime:
    return T0 + timedelta(days=days)
