"""Aggregation: interval math on known values, cells from the mini snapshot, the overview."""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from pathlib import Path

import pytest

from sphinxcontrib_cab.snapshot.aggregate import build_cells, key_sort_value, version_sort_key
from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.metrics import DEFINITIONS
from sphinxcontrib_cab.snapshot.model import (
    AXES,
    NOT_APPLICABLE,
    NOT_APPLICABLE_CODE,
    CellKey,
    Estimate,
    RunTable,
)
from sphinxcontrib_cab.snapshot.overview import overview
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.snapshot.statistics import (
    AXIS_RANGES,
    NORMAL_975,
    PROPORTION_AXES,
    T_975,
    axis_estimate,
    estimate,
    proportion,
    stays,
    t_quantile,
)

MINI = Path(__file__).parents[1] / "snapshots" / "mini"


def _t_cdf(x: float, df: int, steps: int = 20000) -> float:
    """Student-t CDF by Simpson integration of the density from 0 to x (x > 0)."""
    const = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def density(t: float) -> float:
        return const * (1 + t * t / df) ** (-(df + 1) / 2)

    h = x / steps
    total = density(0) + density(x)
    total += sum((4 if i % 2 else 2) * density(i * h) for i in range(1, steps))
    return 0.5 + total * h / 3


@pytest.mark.parametrize("df", sorted(T_975))
def test_t_table_values_are_the_975_quantiles(df: int) -> None:
    assert _t_cdf(T_975[df], df) == pytest.approx(0.975, abs=1e-9)


def test_t_quantile_falls_back_to_the_normal() -> None:
    assert t_quantile(2) == 4.302652729911275
    assert t_quantile(31) == NORMAL_975 == pytest.approx(1.959963984540054)
    with pytest.raises(ValueError):
        t_quantile(0)


def test_estimate_of_three_values() -> None:
    values = [10.0, 12.0, 17.0]
    mean = 13.0
    sd = math.sqrt(((10 - 13) ** 2 + (12 - 13) ** 2 + (17 - 13) ** 2) / 2)
    half = 4.302652729911275 * sd / math.sqrt(3)
    result = estimate(values)
    assert result == Estimate(mean, pytest.approx(mean - half), pytest.approx(mean + half), 3)


def test_estimate_of_other_sizes_uses_the_matching_t() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    sd = math.sqrt(sum((v - 3.0) ** 2 for v in values) / 4)
    result = estimate(values)
    assert result is not None and result.n == 5
    assert result.high == pytest.approx(3.0 + T_975[4] * sd / math.sqrt(5))


def test_estimate_edges() -> None:
    assert estimate([]) is None
    assert estimate([0.4]) == Estimate(0.4, None, None, 1)
    clipped = estimate([0.0, 1.0, 1.0], 0.0, 1.0)
    assert clipped is not None
    assert (clipped.low, clipped.high) == (0.0, 1.0)
    assert clipped.mean == pytest.approx(2 / 3)
    # no spread: no interval (never a zero-width one claiming certainty)
    assert estimate([0.5, 0.5, 0.5], 0.0, 1.0) == Estimate(0.5, None, None, 3)
    assert estimate([0.1, 0.1, 0.1]) == Estimate(pytest.approx(0.1), None, None, 3)


def test_stays_is_agreement_with_the_majority() -> None:
    assert stays([1.0, 1.0, 0.0]) == Estimate(2 / 3, None, None, 3)
    assert stays([0.0, 0.0, 0.0]) == Estimate(1.0, None, None, 3)
    assert stays([1.0, 0.0]) == Estimate(0.5, None, None, 2)
    assert stays([]) is None
    one = stays([1.0])
    assert one is not None and one.gap == "one run" and math.isnan(one.mean)


def test_definitions_cover_every_derived_column() -> None:
    assert {"cell", "interval", "headline", "ships", "stays", "costs", "overview"} <= set(
        DEFINITIONS
    )
    assert "Wilson" in DEFINITIONS["interval"]
    assert "no spread in 2 runs" in DEFINITIONS["interval"]
    assert set(AXIS_RANGES) == set(AXES)


def test_anchor_is_sha256_of_the_joined_key() -> None:
    key = CellKey(
        "opencode", "conv", "m", "polyglot/x", "conv-vanilla", None, None, None, "2026-05-01"
    )
    joined = "\x1f".join(
        ["opencode", "conv", "m", "polyglot/x", "conv-vanilla", "", "", "", "2026-05-01"]
    )
    assert key.anchor() == "cab-cell-" + hashlib.sha256(joined.encode()).hexdigest()[:12]


def test_version_order_is_numeric() -> None:
    assert sorted(["0.10", "0.2", "0.1", "1.0"], key=version_sort_key) == [
        "0.1",
        "0.2",
        "0.10",
        "1.0",
    ]


def _mini():  # type: ignore[no-untyped-def]
    return load_snapshot(SourcePaths.under(MINI))


def test_cells_are_sorted_and_computed_from_their_rows() -> None:
    snap = _mini()
    keys = [c.key for c in snap.cells]
    assert keys == sorted(keys, key=lambda k: tuple(v or "" for v in k.values()))
    for index, cell in enumerate(snap.cells):
        assert snap.cell_index(cell.key) == index
        assert [snap.runs.rerun[i] for i in cell.runs] == [1, 2, 3]
        assert all(snap.runs.key(i) == cell.key for i in cell.runs)
        for axis in AXES:
            recorded = [snap.runs.score(i, axis) for i in cell.runs]
            numbers = [float(v) for v in recorded if isinstance(v, (int, float))]
            low, high = AXIS_RANGES[axis]
            expected = (
                proportion(numbers) if axis in PROPORTION_AXES else estimate(numbers, low, high)
            )
            if axis == "refusal" and not numbers and "n/a" in recorded:
                expected = NOT_APPLICABLE
            assert cell.axes[axis] == expected, (cell.key, axis)
        assert cell.headline == cell.axes["composite"]
        assert cell.ships == cell.axes["pass"]
        assert cell.costs == cell.axes["wall_s"]
        assert cell.anchor == cell.key.anchor()
    assert len({c.anchor for c in snap.cells}) == len(snap.cells)


def test_na_refusal_and_unrecorded_tokens_are_left_out() -> None:
    snap = _mini()
    by_task = {}
    for cell in snap.cells:
        by_task.setdefault(cell.key.task, []).append(cell)
    # not applicable (its own mark), never the not-recorded None
    assert all(c.axes["refusal"] is NOT_APPLICABLE for c in by_task["polyglot/python-two-sum"])
    assert all(c.axes["refusal"] is not None for c in by_task["integrity/unsolvable-refusal"])
    assert all(c.axes["tokens"] is None for c in snap.cells if c.key.tui == "aider")


def test_one_known_cell_by_hand() -> None:
    """opencode x llama x comparator-swap: passes 1, 1, 0 (the third run timed out)."""
    snap = _mini()
    (cell,) = [
        c
        for c in snap.cells
        if (c.key.tui, c.key.model, c.key.task)
        == ("opencode", "llama-3.3-70b-instruct", "mutations/python-comparator-swap")
    ]
    assert cell.ships is not None and cell.ships.mean == pytest.approx(2 / 3)
    assert cell.stays == Estimate(2 / 3, None, None, 3)
    walls = [snap.runs.score(i, "wall_s") for i in cell.runs]
    assert walls[2] == 642.318
    assert cell.costs is not None and cell.costs.mean == pytest.approx(sum(walls) / 3)  # type: ignore[arg-type]
    assert cell.failures == (("timeout", 1),)


def test_overview_groups_cells() -> None:
    snap = _mini()
    rows = overview(snap.cells)
    assert [r.values for r in rows] == [
        ("aider", "gpt-oss-120b"),
        ("aider", "llama-3.3-70b-instruct"),
        ("opencode", "gpt-oss-120b"),
        ("opencode", "llama-3.3-70b-instruct"),
    ]
    for row in rows:
        members = [c for c in snap.cells if (c.key.tui, c.key.model) == row.values]
        assert row.cells == len(members) == 3
        assert row.runs == 9
        means = [c.headline.mean for c in members if c.headline is not None]
        assert row.headline == estimate(means, 0.0, 1.0)
    by_tui = overview(snap.cells, by=("tui",))
    assert [(r.values, r.cells) for r in by_tui] == [(("aider",), 6), (("opencode",), 6)]
    with pytest.raises(ValueError):
        overview(snap.cells, by=("colour",))


def _reference_cell(table: RunTable, key_index: int, rows: list[int]) -> tuple[object, ...]:
    """Every field of one cell, computed the plain way, one run at a time."""
    ordered = sorted(rows, key=lambda i: table.rerun[i])
    axes = []
    for axis in AXES:
        column = table.scores[axis]
        values = [column[i] for i in ordered]
        kept = [v for v in values if v == v and not (axis == "refusal" and v < 0.0)]
        if axis == "refusal" and not kept and NOT_APPLICABLE_CODE in values:
            axes.append(NOT_APPLICABLE)
        elif axis in PROPORTION_AXES:
            axes.append(proportion(kept))
        else:
            axes.append(axis_estimate(axis, kept))
    passes = [table.scores["pass"][i] for i in ordered]
    failures = Counter(
        table.failure_names[table.failure[i]] for i in ordered if table.failure[i] >= 0
    )
    versions = [table.versions[table.version_id[i]] for i in ordered]
    key = table.keys[key_index]
    return (
        key,
        key.task.split("/", 1)[0],
        max(versions, key=version_sort_key),
        tuple(ordered),
        tuple(axes),
        stays([v for v in passes if v == v]),
        tuple(sorted(failures.items())),
        key.anchor(),
    )


def test_cells_match_a_plain_computation_on_irregular_runs() -> None:
    """Cells of one to five runs, reruns out of order, unrecorded and n/a scores, failures."""
    chance = random.Random(20260527)
    table = RunTable()
    table.versions = ["0.9", "0.10", "0.2"]
    table.failure_names = ("handshake", "rate_limit", "timeout")
    rows_by_key: list[list[int]] = []
    for key_number in range(60):
        sha = None if key_number % 4 == 0 else f"sha{key_number % 3}"
        table.keys.append(
            CellKey(
                f"tui{key_number % 3}", "default", f"model{key_number % 5}",
                f"cat{key_number % 2}/task{key_number}", "none", sha, None, "greedy", None,
            )
        )  # fmt: skip
        reruns = list(range(1, chance.choice([0, 1, 2, 3, 3, 3, 4, 5]) + 1))
        chance.shuffle(reruns)
        rows_by_key.append([])
        for rerun in reruns:
            rows_by_key[-1].append(len(table.rerun))
            table.rerun.append(rerun)
            table.version_id.append(chance.randrange(3))
            table.failure.append(chance.choice([-1, -1, -1, 0, 1, 2]))
            for axis in AXES:
                value = chance.choice([0.0, 1.0, 1.0, chance.random(), math.nan])
                if axis == "refusal" and chance.random() < 0.3:
                    value = NOT_APPLICABLE_CODE
                table.scores[axis].append(value)
    cells = build_cells(table, rows_by_key, lambda task: task.split("/", 1)[0])
    expected = sorted(
        (_reference_cell(table, k, rows) for k, rows in enumerate(rows_by_key) if rows),
        key=lambda fields: key_sort_value(fields[0]),  # type: ignore[arg-type]
    )
    found = [
        (
            c.key, c.category, c.methodology_version, c.runs, tuple(c.axes.values()),
            c.stays, c.failures, c.anchor,
        )
        for c in cells
    ]  # fmt: skip
    assert [c.headline for c in cells] == [c.axes["composite"] for c in cells]
    assert [c.ships for c in cells] == [c.axes["pass"] for c in cells]
    assert [c.costs for c in cells] == [c.axes["wall_s"] for c in cells]
    assert {len(c.runs) for c in cells} == {1, 2, 3, 4, 5}
    assert found == expected
