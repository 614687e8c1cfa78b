"""Discussion (토론): short comments residents leave on an agenda item or a published proposal,
and the BAND comments under a proposal's post, in one list.

A target is named the same way everywhere: `ballot_item:<ballot id>:<item number>` or
`proposal:<id>`. Leaving a comment needs a verified resident of that community, while the ballot
is open (or its results are published) or the proposal is public; at most `DAILY_LIMIT` a day.
A comment holds its author's masked name and nothing about how they voted. Its author may
delete it (the text goes); a manager may hide it with a reason (kept, audited; residents read
the reason in its place). A reply is pushed to the author of the comment it answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import ballots, proposals
from bot.audit import record
from bot.commands.agenda import HideComment, PostComment
from bot.eligibility import MOVED_OUT, NOT_VERIFIED, OTHER_COMMUNITY, ineligibility
from bot.errors import Conflict
from bot.models import Resident
from bot.models.agenda import Comment
from bot.models.ballot import Ballot, BallotItem
from bot.models.proposal import Proposal
from bot.privacy import author_name

TARGET = re.compile(r"^(?:ballot_item:([0-9]{1,9}):([0-9]{1,2})|proposal:([0-9]{1,9}))$")
DAILY_LIMIT = 10
CLOSED = "closed"
TOO_MANY = "too_many"


@dataclass(frozen=True)
class Where:
    """What a comment is about: an agenda item of a ballot, or a proposal."""

    community_id: int
    item: BallotItem | None = None
    proposal: Proposal | None = None

    @property
    def key(self) -> str:
        if self.item is not None:
            return f"ballot_item:{self.item.ballot_id}:{self.item.number}"
        return f"proposal:{self.proposal.id}"

    @property
    def title(self) -> str:
        return self.item.title if self.item is not None else self.proposal.title

    def open(self, now: datetime) -> bool:
        if self.item is not None:
            ballot = self.item.ballot
            return ballots.status(ballot, now) in (ballots.OPEN, ballots.PUBLISHED)
        return self.proposal.status in proposals.PUBLIC

    def holds(self, comment: Comment) -> bool:
        if self.item is not None:
            return comment.item_id == self.item.id
        return comment.proposal_id == self.proposal.id

    def condition(self) -> Any:
        if self.item is not None:
            return Comment.item_id == self.item.id
        return Comment.proposal_id == self.proposal.id


def find(session: Session, target: str | None) -> Where | None:
    """The target a `ballot_item:…` / `proposal:…` string names, if it exists and is shown to
    residents (a quick question's ballot and an unpublished proposal are not)."""
    found = TARGET.match(target or "")
    if found is None:
        return None
    if found.group(3):
        proposal = session.get(Proposal, int(found.group(3)))
        if proposal is None or proposal.status not in proposals.PUBLIC:
            return None
        return Where(proposal.community_id, proposal=proposal)
    ballot = session.get(Ballot, int(found.group(1)))
    number = int(found.group(2))
    if ballot is None or ballot.present_only or not 1 <= number <= len(ballot.items):
        return None
    return Where(ballot.community_id, item=ballot.items[number - 1])


def listing(session: Session, where: Where) -> list[Comment]:
    """Comments not deleted, newest first (hidden ones too: they show their reason)."""
    return list(session.scalars(select(Comment).where(where.condition(),
                                                      Comment.deleted_at.is_(None))
                                .order_by(Comment.at.desc(), Comment.id.desc())))


def count(session: Session, where: Where) -> int:
    return session.scalar(select(func.count()).where(where.condition(),
                                                     Comment.deleted_at.is_(None))) or 0


def refusal(session: Session, where: Where, resident: Resident | None,
            now: datetime) -> str | None:
    """Why this resident may not comment here now (None when they may)."""
    community = (where.item.ballot.community if where.item is not None
                 else where.proposal.community)
    reason = ineligibility(resident, community, now.date())
    if reason in (NOT_VERIFIED, OTHER_COMMUNITY, MOVED_OUT):
        return reason
    if not where.open(now):
        return CLOSED
    today = session.scalar(select(func.count()).where(
        Comment.resident_id == resident.id, Comment.at > now - timedelta(days=1))) or 0
    return TOO_MANY if today >= DAILY_LIMIT else None


def post(session: Session, where: Where, resident: Resident, command: PostComment,
         channel: str, now: datetime) -> Comment:
    """The resident's comment (the chat checked `refusal` and asked `1. 예` first)."""
    refused = refusal(session, where, resident, now)
    if refused is not None:
        raise Conflict(f"comment_{refused}")
    answered = None
    if command.reply_to is not None:
        answered = session.get(Comment, command.reply_to)
        if answered is None or answered.deleted_at is not None or not where.holds(answered):
            raise Conflict("comment_gone")
    comment = Comment(community_id=where.community_id, resident_id=resident.id,
                      item_id=where.item.id if where.item is not None else None,
                      ballot_id=where.item.ballot_id if where.item is not None else None,
                      proposal_id=where.proposal.id if where.proposal is not None else None,
                      reply_to_id=answered.id if answered is not None else None,
                      channel=channel, author=author_name(resident), text=command.text, at=now)
    session.add(comment)
    session.flush()
    record(session, f"resident:{resident.id}", "comment.posted",
           community_id=where.community_id, subject=f"comment:{comment.id}", target=where.key)
    if answered is not None and answered.resident_id not in (None, resident.id):
        from bot import notices

        notices.comment_reply(session, where, answered, comment)
    return comment


def delete(session: Session, comment: Comment, resident: Resident, now: datetime) -> None:
    """The author takes their comment back: the text goes, replies stay."""
    if comment.resident_id != resident.id:
        raise Conflict("comment_not_yours")
    if comment.deleted_at is None:
        comment.deleted_at = now
        comment.text = ""
        record(session, f"resident:{resident.id}", "comment.deleted",
               community_id=comment.community_id, subject=f"comment:{comment.id}")
        session.flush()  # the chat lists the comments again in the same message


def hide(session: Session, comment: Comment, command: HideComment, actor: str,
         now: datetime) -> None:
    """A manager hides a comment (abuse, personal data): kept, its reason shown instead."""
    if comment.deleted_at is not None:
        raise Conflict("comment_deleted")
    if comment.hidden_at is not None:
        raise Conflict("comment_hidden")
    comment.hidden_at = now
    comment.hidden_by = actor
    comment.hidden_reason = command.reason
    record(session, actor, "comment.hidden", community_id=comment.community_id,
           subject=f"comment:{comment.id}", reason=command.reason)


def erase_text_of(session: Session, resident_id: int, now: datetime) -> int:
    """A resident erased on request: their comments' texts go too."""
    rows = session.scalars(select(Comment).where(Comment.resident_id == resident_id,
                                                 Comment.deleted_at.is_(None))).all()
    for comment in rows:
        comment.deleted_at = now
        comment.text = ""
    return len(rows)


def latest_reply_target(session: Session, resident_id: int, now: datetime) -> str | None:
    """The thread of the latest reply (in the last week) to one of this resident's comments:
    `의견 보기` right after the push opens it."""
    mine = select(Comment.id).where(Comment.resident_id == resident_id)
    reply = session.scalars(select(Comment).where(
        Comment.reply_to_id.in_(mine), Comment.deleted_at.is_(None),
        Comment.at > now - timedelta(days=7)).order_by(Comment.at.desc()).limit(1)).first()
    if reply is None:
        return None
    return comment_json(reply)["target"]


def shown_author(comment: Comment) -> str:
    return author_name(comment.resident) if comment.resident is not None else comment.author


def comment_json(comment: Comment, where: Where | None = None) -> dict[str, Any]:
    """A comment as managers read it (the REST API): hidden ones keep their text."""
    if where is None:
        target = (f"proposal:{comment.proposal_id}" if comment.proposal_id is not None
                  else f"ballot_item:{comment.ballot_id}:{comment.item.number}")
    else:
        target = where.key
    return {"id": comment.id, "target": target, "author": shown_author(comment),
            "channel": comment.channel, "text": comment.text, "at": comment.at.isoformat(),
            "reply_to": comment.reply_to_id, "hidden": comment.hidden_at is not None,
            "hidden_reason": comment.hidden_reason or None,
            "hidden_at": comment.hidden_at.isoformat() if comment.hidden_at else None}
