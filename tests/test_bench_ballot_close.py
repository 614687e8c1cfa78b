"""The count bench stays runnable: a small run seals votes, counts them (without and with
trustees), and checks the tallies against the votes it cast (the bench raises when they differ or
when an envelope is left)."""

import pytest

from bench.ballot_close import measure


@pytest.mark.parametrize("trustees", [0, 2])
def test_the_count_bench_runs_and_its_tally_is_exact(database_url, trustees):
    figures = measure(database_url, 300, trustees)
    assert figures["voters"] == 300 and figures["envelopes"] == 300
    assert 900 <= figures["choice_rows"] <= 1200  # 3 items, the last picks one or two
    assert figures["close_s"] > 0 and figures["plain_close_s"] > 0


@pytest.mark.parametrize("rule", ["greedy", "equal_shares"])
def test_the_count_bench_runs_a_participatory_budget(database_url, rule):
    figures = measure(database_url, 300, budget=rule)
    assert figures["voters"] == 300 and figures["envelopes"] == 300
    assert figures["funded"], "a budget of 3,000만 원 over 20 projects funds some"
