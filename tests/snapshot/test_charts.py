"""snapshot/charts.py: the marks, the Pareto frontier, the palette and the scales of the charts."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_cab.snapshot import charts
from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.overview import overview
from sphinxcontrib_cab.snapshot.paths import SourcePaths

from .fuzz import MINI


def _beaten(point: tuple[float, float], by: tuple[float, float]) -> bool:
    """``by`` is at least as cheap and as good as ``point``, and better on one of the two."""
    return by[0] <= point[0] and by[1] >= point[1] and (by[0] < point[0] or by[1] > point[1])


points = st.lists(
    st.tuples(st.floats(0.1, 1000, allow_nan=False), st.floats(0, 1, allow_nan=False)),
    max_size=30,
)


@settings(deadline=None)  # a shared machine can stall any one example
@given(points)
def test_the_frontier_is_exactly_the_points_no_other_beats(
    found: list[tuple[float, float]],
) -> None:
    members = charts.pareto(found)
    for i, point in enumerate(found):
        beaten = any(_beaten(point, other) for other in found)
        duplicate_before = any(other == point for other in found[:i])
        assert (i in members) == (not beaten and not duplicate_before)
    costs = [found[i][0] for i in members]
    assert costs == sorted(costs)


def test_the_palette_runs_dark_to_light_and_text_contrasts() -> None:
    shades = [charts.colour(k / 20) for k in range(21)]
    assert shades[0] == "#00224e" and shades[-1] == "#fee838"
    lums = [charts._luminance(shade) for shade in shades]
    assert lums == sorted(lums)  # sequential: lighter as the score grows
    for shade in shades:
        ink = charts.text_colour(shade)
        a, b = sorted((charts._luminance(shade), charts._luminance(ink)))
        assert (b + 0.05) / (a + 0.05) >= 4.5  # WCAG AA for the printed number


def test_log_ticks_cover_the_range() -> None:
    assert charts.log_ticks(17.9, 280.0) == (10.0, 20.0, 50.0, 100.0, 200.0, 500.0)
    ticks = charts.cost_ticks([3.0, 640.0])
    assert ticks[0] <= 3.0 and ticks[-1] >= 640.0
    assert charts.log_share(ticks[0], ticks[0], ticks[-1]) == 0.0
    assert math.isclose(charts.log_share(ticks[-1], ticks[0], ticks[-1]), 1.0)


def test_score_ticks_stay_within_zero_and_one() -> None:
    assert charts.score_ticks([0.55], [0.92]) == (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
    assert charts.score_ticks([0.0], [1.0]) == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def test_pairs_are_the_overview_rows_with_their_failed_runs() -> None:
    snapshot = load_snapshot(SourcePaths.under(MINI))
    pairs = charts.pairs(snapshot.cells)
    rows = overview(snapshot.cells)
    assert [(p.tui, p.model) for p in pairs] == [row.values for row in rows]
    assert [p.headline for p in pairs] == [row.headline for row in rows]
    assert [p.costs for p in pairs] == [row.costs for row in rows]
    for pair in pairs:
        cells = [c for c in snapshot.cells if (c.key.tui, c.key.model) == (pair.tui, pair.model)]
        assert pair.failed == sum(n for c in cells for _, n in c.failures)
        assert pair.runs == sum(len(c.runs) for c in cells)


def test_a_strip_has_every_task_and_every_cell() -> None:
    snapshot = load_snapshot(SourcePaths.under(MINI))
    spreads = charts.strip(snapshot.cells)
    assert [s.task for s in spreads] == sorted({c.key.task for c in snapshot.cells})
    assert sum(s.cells for s in spreads) == len(snapshot.cells)
    for spread in spreads:
        means = sorted(
            c.headline.mean
            for c in snapshot.cells
            if c.key.task == spread.task and c.headline is not None and c.headline.gap is None
        )
        assert list(spread.values) == means
