"""Which projects a participatory budget funds (bot/budget.py): greedy by votes within the cap,
ties, projects over the cap, and the Method of Equal Shares on an instance worked by hand."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.budget import allocate, equal_shares, greedy

MAN = 10_000  # 만 원


def test_greedy_funds_by_votes_and_skips_what_no_longer_fits():
    # 3,000만 원: 경로당 보수 1,200 (50 votes), 도서관 2,000 (40), 가로등 800 (30), 텃밭 900 (20).
    costs = [1200 * MAN, 2000 * MAN, 800 * MAN, 900 * MAN]
    votes = [50, 40, 30, 20]
    # 경로당 (1,200) fits; 도서관 (2,000) would make 3,200: skipped; 가로등 (800) → 2,000;
    # 텃밭 (900) → 2,900. 100만 원 is left.
    assert greedy(costs, votes, 3000 * MAN) == [1, 3, 4]


def test_ties_go_to_the_cheaper_project_then_the_one_listed_first():
    costs = [600, 500, 500]
    votes = [10, 10, 10]
    assert greedy(costs, votes, 1000) == [2, 3]  # 500 + 500; the 600 no longer fits
    assert greedy([500, 500, 500], [7, 7, 7], 1000) == [1, 2]  # listed first


def test_every_project_over_the_cap_funds_nothing():
    assert greedy([5000, 6000], [9, 3], 4000) == []
    assert allocate("greedy", [5000, 6000], [9, 3], 4000) == []


def test_projects_without_votes_are_never_funded_and_no_budget_funds_nothing_by_money():
    assert greedy([100, 100], [3, 0], 1000) == [1]
    assert allocate("greedy", [100, 100], [3, 1], None) == []


def test_equal_shares_on_an_instance_worked_by_hand():
    """Budget 300; A costs 200, B 100, C 100. Four voters pick {A, B}, two pick {C}.

    Greedy by votes: A (4 votes) fits, B (4) fits, C (2) no longer fits → {A, B}: the two who
    wanted C get nothing though they are a third of the voters.

    Equal Shares: 6 voters, each holds 300/6 = 50.
    - Round 1. A: its 4 supporters can pay 4 × 50 = 200 ≥ 200; each pays ρ = 200/4 = 50.
      B: ρ = 100/4 = 25. C: its 2 supporters pay 2 × 50 = 100 ≥ 100, ρ = 50. The least ρ is B's:
      fund B; each of the four pays 25 and keeps 25.
    - Round 2. A: the four have 4 × 25 = 100 < 200, not affordable. C: ρ = 50, affordable:
      fund C; the two pay 50 each and keep 0.
    - Round 3. A is not affordable; nothing else is left. Spent 200.
    - Completion by votes with the 100 left: A costs 200, does not fit.
    Result {B, C} = projects 2 and 3."""
    costs = [200, 100, 100]
    approvals = {frozenset({1, 2}): 4, frozenset({3}): 2}
    assert greedy(costs, [4, 4, 2], 300) == [1, 2]
    assert equal_shares(costs, 300, approvals) == [2, 3]
    assert allocate("equal_shares", costs, [4, 4, 2], 300, stored=[3, 2]) == [2, 3]


def test_equal_shares_completes_greedily_what_is_left():
    # One voter picks A (cost 60) of a budget of 100 shared with a voter who picks B (cost 60):
    # each holds 50, neither can pay 60 alone; completion by votes funds A (tie: listed first).
    assert equal_shares([60, 60], 100, {frozenset({1}): 1, frozenset({2}): 1}) == [1]


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=8),
       st.lists(st.frozensets(st.integers(1, 8), min_size=1, max_size=4), min_size=1, max_size=12),
       st.integers(1, 3000))
def test_equal_shares_never_spends_more_than_the_budget(costs, ballots, budget):
    approvals: dict = {}
    for picked in ballots:
        picked = frozenset(n for n in picked if n <= len(costs))
        if picked:
            approvals[picked] = approvals.get(picked, 0) + 1
    funded = equal_shares(costs, budget, approvals)
    assert sum(costs[n - 1] for n in funded) <= budget
    assert len(set(funded)) == len(funded)
    voted = {n for picked in approvals for n in picked}
    assert set(funded) <= voted
