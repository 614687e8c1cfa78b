"""Participatory budgeting (주민참여예산): which projects a budget item funds, by a stated rule.

- `greedy` (the default, as most 주민총회 decide): projects in order of votes, each funded if it
  still fits in what is left of the budget (a project that no longer fits is skipped, and a
  cheaper one after it may still be funded). Ties in votes go to the cheaper project, then to the
  one listed first.
- `equal_shares` (the Method of Equal Shares, Peters & Skowron 2020, equalshares.net): every voter
  holds an equal share of the budget; a project is funded when its supporters can pay for it
  together, the project that asks the least of each supporter (ρ) first; then what is left is
  completed greedily by votes. It needs each voter's whole set of picks, so it is computed when the
  sealed envelopes are opened (bot/ballots/counting.py) and only the funded list is kept.

Amounts are whole won.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

GREEDY = "greedy"
EQUAL_SHARES = "equal_shares"
RULES = (GREEDY, EQUAL_SHARES)


def _order(costs: Sequence[int], votes: Sequence[int]) -> list[int]:
    """Project numbers (from 1) by votes, then the cheaper first, then the one listed first."""
    return sorted(range(1, len(costs) + 1), key=lambda n: (-votes[n - 1], costs[n - 1], n))


def greedy(costs: Sequence[int], votes: Sequence[int], budget: int,
           funded: Sequence[int] = ()) -> list[int]:
    """The projects funded greedily by votes within `budget` (after those already `funded`);
    projects without a vote are never funded."""
    chosen = list(funded)
    left = budget - sum(costs[n - 1] for n in chosen)
    for n in _order(costs, votes):
        if n in chosen or votes[n - 1] == 0:
            continue
        if costs[n - 1] <= left:
            chosen.append(n)
            left -= costs[n - 1]
    return sorted(chosen)


def equal_shares(costs: Sequence[int], budget: int,
                 approvals: Mapping[frozenset[int], int]) -> list[int]:
    """The Method of Equal Shares for approval ballots, completed greedily by votes.

    `approvals`: each distinct set of projects a voter picked → how many voters picked exactly it.
    Exact arithmetic (fractions): a supporter pays min(what they have left, ρ) for a project, and
    the project with the smallest ρ is funded next (ties: more votes, cheaper, listed first)."""
    groups = [(picked, count) for picked, count in approvals.items() if count > 0]
    voters = sum(count for _, count in groups)
    if voters == 0:
        return []
    projects = range(1, len(costs) + 1)
    backers = {n: [g for g, (picked, _) in enumerate(groups) if n in picked] for n in projects}
    votes = [sum(groups[g][1] for g in backers[n]) for n in projects]
    left = [Fraction(budget, voters)] * len(groups)  # each voter's share, per group of voters
    funded: list[int] = []
    while True:
        best: tuple | None = None
        for n in projects:
            if n in funded or votes[n - 1] == 0:
                continue
            have: dict[Fraction, int] = {}  # supporters by what they have left: few values
            for g in backers[n]:
                have[left[g]] = have.get(left[g], 0) + groups[g][1]
            rho = _rho(costs[n - 1], list(have.items()))
            if rho is not None and (best is None or (rho, -votes[n - 1], costs[n - 1], n) < best):
                best = (rho, -votes[n - 1], costs[n - 1], n)
        if best is None:
            break
        rho, n = best[0], best[3]
        funded.append(n)
        for g in backers[n]:
            left[g] -= min(left[g], rho)
    return greedy(costs, votes, budget, funded)


def _rho(cost: int, supporters: list[tuple[Fraction, int]]) -> Fraction | None:
    """The least ρ with Σ count·min(left, ρ) = cost, or None when the supporters cannot pay."""
    if sum(have * count for have, count in supporters) < cost:
        return None
    if cost == 0:
        return Fraction(0)
    paid, heads = Fraction(0), sum(count for _, count in supporters)
    for have, count in sorted(supporters):
        # Everyone still paying pays ρ; those with less than ρ pay all they have.
        rho = (cost - paid) / heads
        if rho <= have:
            return rho
        paid += have * count
        heads -= count
    return None  # unreachable: the supporters can pay, so some ρ fits


def allocate(rule: str, costs: Sequence[int], votes: Sequence[int], budget: int | None,
             stored: Sequence[int] | None = None) -> list[int]:
    """The funded projects of an item: greedy from the totals, or the list the count stored for
    the Method of Equal Shares. Without a budget (only a number of picks) nothing is funded by
    money: the projects with the most votes are the result, and `funded` is empty."""
    if budget is None:
        return []
    if rule == EQUAL_SHARES and stored is not None:
        return sorted(stored)
    return greedy(costs, votes, budget)



def spent(costs: Sequence[int], chosen: Sequence[int]) -> int:
    return sum(costs[n - 1] for n in chosen)


def over(plan: Mapping, max_choices: int, chosen: Sequence[int]) -> tuple[str, dict] | None:
    """Why picks `chosen` break a limit (too dear, too many, a group full), or None."""
    costs = plan["costs"]
    total = spent(costs, chosen)
    if plan["budget"] is not None and total > plan["budget"]:
        return "over_cap", {"over": total - plan["budget"]}
    if len(chosen) > max_choices:
        return "too_many", {"k": max_choices}
    for group, most in (plan.get("group_max") or {}).items():
        if sum(1 for n in chosen if plan["groups"][n - 1] == group) > most:
            return "group_full", {"group": group, "k": most}
    return None


def short(plan: Mapping, chosen: Sequence[int]) -> tuple[str, dict] | None:
    """Why picks `chosen` are not yet enough to finish (too few, too little spent), or None."""
    if len(chosen) < (plan.get("min_choices") or 1):
        return "too_few", {"k": plan.get("min_choices") or 1}
    if plan.get("min_spend") and plan["budget"] is not None:
        least = math.ceil(round(plan["min_spend"] * plan["budget"], 3))
        if spent(plan["costs"], chosen) < least:
            return "spend_more", {"least": least}
    return None
