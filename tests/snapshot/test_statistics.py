"""The interval for proportions and the rank under uncertainty, against published values."""

from __future__ import annotations

import pytest

from sphinxcontrib_cab.snapshot.statistics import upper_bound_ranks, wilson


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (3, 3, 0.439, 1.0),
        (2, 3, 0.208, 0.939),
        (1, 1, 0.207, 1.0),
        (2, 2, 0.342, 1.0),
        (0, 3, 0.0, 0.561),
        (1, 2, 0.095, 0.905),
    ],
)
def test_wilson_matches_the_statistics_guide(
    successes: int, n: int, low: float, high: float
) -> None:
    found = wilson(successes, n)
    assert found == pytest.approx((low, high), abs=5e-4)
    assert found[1] - found[0] > 0


def test_a_partial_refusal_counts_half() -> None:
    """Scores 1 and 0.5 over two runs: a share of 0.75, with an interval around it."""
    low, high = wilson(1.5, 2)
    assert (low, high) == pytest.approx((0.1979, 0.9733), abs=5e-4)  # worked by hand


def test_upper_bound_rank_shares_ranks_between_overlapping_rows() -> None:
    intervals = [(0.90, 0.99), (0.88, 0.97), (0.50, 0.60), (0.10, 0.55), None]
    assert upper_bound_ranks(intervals) == [1, 1, 3, 3, None]


def test_upper_bound_rank_orders_rows_that_separate() -> None:
    assert upper_bound_ranks([(0.1, 0.2), (0.3, 0.4), (0.5, 0.6)]) == [3, 2, 1]
