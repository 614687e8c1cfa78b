"""Who may vote, how many took part, and the published result."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot import budget
from bot.ballots.state import SMALL_GROUP, closing_day
from bot.models import Resident
from bot.models.ballot import (
    CHOOSE_UP_TO,
    ONSITE,
    ONSITE_APP,
    YES_NO,
    Ballot,
    OnsiteCount,
    Participation,
    Tally,
)


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
    onsite_app = by_channel.pop(ONSITE_APP, 0)
    online = sum(by_channel.values())
    participants = online + onsite_app + onsite
    rate = round(participants / eligible, 4) if eligible else 0.0
    return {"eligible": eligible, "participants": participants, "online": online,
            "onsite_app": onsite_app, "onsite": onsite, "rate": rate}


def _ranks(totals: list[int]) -> list[int]:
    """Competition ranking: 1, 2, 2, 4."""
    return [1 + sum(1 for other in totals if other > total) for total in totals]


def _item_result(item, online: dict, onsite: dict, split_hidden: bool) -> dict[str, Any]:  # noqa: ANN001
    options = []
    for number, label in enumerate(item.options, start=1):
        a, b = online.get((item.id, number), 0), onsite.get((item.id, number), 0)
        options.append({"label": label, "online": None if split_hidden else a,
                        "onsite": None if split_hidden else b, "total": a + b})
    ranks = _ranks([o["total"] for o in options])
    for option, rank in zip(options, ranks, strict=True):
        option["rank"] = rank if item.kind == CHOOSE_UP_TO else None
    passed = options[0]["total"] > options[1]["total"] if item.kind == YES_NO else None
    abstained = (online.get((item.id, item.abstain_number), 0)
                 if item.abstain_number is not None else None)
    result = {"number": item.number, "title": item.title, "kind": item.kind, "passed": passed,
              "options": options, "abstentions": abstained}
    if item.budget_plan is not None:
        _funding(item, result)
    return result


def _funding(item, result: dict[str, Any]) -> None:  # noqa: ANN001
    """A budget item's result: each project's cost and whether it is funded, by the item's rule
    (bot/budget.py), and the funded total; projects ranked by votes."""
    plan = item.budget_plan
    options = result["options"]
    funded = set(budget.allocate(plan["rule"], plan["costs"], [o["total"] for o in options],
                                 plan["budget"], item.funded))
    for number, (option, cost) in enumerate(zip(options, plan["costs"], strict=True), start=1):
        option["cost"] = cost
        option["funded"] = number in funded
    for option, rank in zip(options, _ranks([o["total"] for o in options]), strict=True):
        option["rank"] = rank
    result.update({"budget": plan["budget"], "rule": plan["rule"],
                   "funded_total": budget.spent(plan["costs"], sorted(funded))})


def results(session: Session, ballot: Ballot) -> dict[str, Any]:
    """Per item and option: online (frozen tally), on-site, total; turnout; quorum; outcome."""
    online = {(t.item_id, t.option): t.count for t in session.scalars(
        select(Tally).where(Tally.ballot_id == ballot.id))}
    onsite = {(c.item_id, c.option): c.count for c in session.scalars(
        select(OnsiteCount).where(OnsiteCount.ballot_id == ballot.id))}
    counted = turnout(session, ballot)
    # A secret ballot never shows a group of fewer than SMALL_GROUP apart from the rest (in the
    # app, whether online or on-site / on paper): only the total. (When everyone voted one way,
    # that group is the total anyway.)
    in_app = counted["online"] + counted["onsite_app"]
    split_hidden = (ballot.secret and in_app > 0 and counted["onsite"] > 0
                    and min(in_app, counted["onsite"]) < SMALL_GROUP)
    items = [_item_result(item, online, onsite, split_hidden) for item in ballot.items]
    quorum_met = None if ballot.quorum is None else counted["rate"] >= ballot.quorum
    return {"ballot_id": ballot.id,
            "published_at": ballot.published_at.isoformat() if ballot.published_at else None,
            "turnout": counted, "quorum": ballot.quorum, "quorum_met": quorum_met,
            "split_hidden": split_hidden, "items": items}
