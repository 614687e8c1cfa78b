"""The close bench stays runnable: a small run seeds votes, closes, and checks the frozen tally
against the votes it cast (the bench raises when they differ)."""

from bench.ballot_close import measure


def test_the_close_bench_runs_and_its_tally_is_exact(database_url):
    figures = measure(database_url, 300)
    assert figures["voters"] == 300
    assert 900 <= figures["choice_rows"] <= 1200  # 3 items, the last picks one or two
    assert figures["close_s"] > 0 and figures["close_over_scan"] > 0
