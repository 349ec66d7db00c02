"""Snapshot diffs: the verdict on hand-made estimates, and the diff of real snapshot pairs (the
sample in data/ and the mini snapshot), checked against set differences of their keys and the
estimates each snapshot gives on its own."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from sphinxcontrib_cab.snapshot.diff import VERDICTS, Change, change, diff, verdict
from sphinxcontrib_cab.snapshot.formats import format_change
from sphinxcontrib_cab.snapshot.keys import IDENTITY_FIELDS
from sphinxcontrib_cab.snapshot.metrics import METRICS
from sphinxcontrib_cab.snapshot.model import NOT_APPLICABLE, Estimate, Snapshot
from sphinxcontrib_cab.snapshot.older import load_all
from sphinxcontrib_cab.snapshot.overview import overview
from sphinxcontrib_cab.snapshot.paths import SourcePaths

TESTS = Path(__file__).parents[1]
SNAPSHOTS = {"sample": TESTS.parent / "data", "mini": TESTS / "snapshots" / "mini"}


def pair(root: Path) -> tuple[Snapshot, Snapshot]:
    """(the newest older snapshot, the pinned one) of the snapshot folder ``root``."""
    loaded = load_all(SourcePaths.under(root), None)
    assert loaded.older, f"{root} lists no older snapshot"
    return loaded.older[max(loaded.older)], loaded.pinned


# -- the verdict ------------------------------------------------------------------------------


def interval(mean: float, low: float, high: float, n: int = 3) -> Estimate:
    return Estimate(mean, low, high, n)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (interval(0.5, 0.4, 0.6), interval(0.8, 0.7, 0.9), "moved"),
        (interval(0.8, 0.7, 0.9), interval(0.5, 0.4, 0.6), "moved"),
        (interval(0.5, 0.4, 0.6), interval(0.6, 0.55, 0.65), "within noise"),
        # intervals that touch share a value: not separated
        (interval(0.5, 0.4, 0.6), interval(0.7, 0.6, 0.8), "within noise"),
        (interval(0.5, 0.1, 0.9), interval(0.5, 0.45, 0.55), "within noise"),
        (Estimate(0.5, None, None, 1), interval(0.9, 0.85, 0.95), "no interval"),
        (interval(0.1, 0.05, 0.15), Estimate(0.9, None, None, 3), "no interval"),
        (None, interval(0.9, 0.85, 0.95), "no interval"),
        (interval(0.9, 0.85, 0.95), NOT_APPLICABLE, "no interval"),
    ],
)
def test_verdict_on_hand_made_estimates(
    before: Estimate | None, after: Estimate | None, expected: str
) -> None:
    assert verdict(before, after) == expected
    assert expected in VERDICTS


def test_change_is_after_minus_before_and_none_without_two_numbers() -> None:
    assert change(interval(0.5, 0.4, 0.6), interval(0.8, 0.7, 0.9)) == pytest.approx(0.3)
    assert change(Estimate(0.9, None, None, 1), interval(0.5, 0.4, 0.6)) == pytest.approx(-0.4)
    assert change(None, interval(0.5, 0.4, 0.6)) is None
    assert change(NOT_APPLICABLE, interval(0.5, 0.4, 0.6)) is None
    assert change(Estimate(math.nan, None, None, 0), interval(0.5, 0.4, 0.6)) is None


def test_a_change_reads_signed_with_the_metrics_decimals() -> None:
    digits = METRICS["headline"].digits
    assert format_change(0.0123, digits) == "+0.012"
    assert format_change(-0.0123, digits) == "-0.012"
    assert format_change(-0.0001, digits) == "0.000"  # never "-0.000" nor "+0.000"
    assert format_change(1234.56, METRICS["costs"].digits) == "+1,234.6"
    assert format_change(None) == "\u2014"


# -- real snapshot pairs ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_added_and_removed_are_the_set_differences_of_keys(name: str) -> None:
    before, after = pair(SNAPSHOTS[name])
    found = diff(before, after)
    old = {cell.key for cell in before.cells}
    new = {cell.key for cell in after.cells}
    assert [cell.key for cell in found.added] == sorted(
        new - old, key=lambda k: [v or "" for v in k.values()]
    )
    assert {cell.key for cell in found.removed} == old - new
    assert found.common == len(old & new) == len(found.cells)
    assert (found.before, found.after) == (before.name, after.name)


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_each_change_holds_both_snapshots_own_estimates(name: str) -> None:
    before, after = pair(SNAPSHOTS[name])
    found = diff(before, after)
    old = {cell.key.values(): cell for cell in before.cells}
    new = {cell.key.values(): cell for cell in after.cells}
    for row in found.cells:
        assert row.before == old[row.values].headline
        assert row.after == new[row.values].headline
        assert row.verdict == verdict(row.before, row.after)
    old_pairs = {row.values: row.headline for row in overview(before.cells)}
    new_pairs = {row.values: row.headline for row in overview(after.cells)}
    assert {row.values for row in found.pairs} == old_pairs.keys() | new_pairs.keys()
    for row in found.pairs:
        assert row.before == old_pairs.get(row.values)
        assert row.after == new_pairs.get(row.values)
        if row.values not in old_pairs:
            assert row.verdict == "added"
        elif row.values not in new_pairs:
            assert row.verdict == "removed"
        else:
            assert row.verdict == verdict(row.before, row.after)


def sizes(rows: tuple[Change, ...]) -> list[float]:
    return [abs(row.delta) for row in rows if row.delta is not None]


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_changes_are_sorted_by_size_then_the_rows_without_one(name: str) -> None:
    found = diff(*pair(SNAPSHOTS[name]))
    for rows in (found.cells, found.pairs):
        assert sizes(rows) == sorted(sizes(rows), reverse=True)
        firsts = [row.delta is not None for row in rows]
        assert firsts == sorted(firsts, reverse=True)  # no sized row after an unsized one


def test_the_methodology_versions_between_two_snapshots() -> None:
    before, after = pair(SNAPSHOTS["sample"])
    assert after.meta is not None and before.meta is not None
    expected = [
        entry.version
        for entry in after.meta.history
        if entry.version not in {e.version for e in before.meta.history}
    ]
    found = diff(before, after)
    assert [entry.version for entry in found.versions] == expected
    assert found.versions[-1].version == after.meta.methodology_version
    # the same snapshot, either way round: no version between
    assert diff(after, after).versions == ()
    assert [e.version for e in diff(after, before).versions] == expected


def test_a_key_that_changed_only_in_provenance_is_a_repinned_pair() -> None:
    _, after = pair(SNAPSHOTS["mini"])
    cells = list(after.cells)
    pinned = next(i for i, cell in enumerate(cells) if cell.key.tui_image_sha is not None)
    original = cells[pinned]
    moved_key = dataclasses.replace(original.key, tui_image_sha="sha256:" + "0" * 64)
    cells[pinned] = dataclasses.replace(original, key=moved_key)
    found = diff(after, after, after.cells, cells)
    assert [cell.key for cell in found.added] == [moved_key]
    assert [cell.key for cell in found.removed] == [original.key]
    assert [(p.before, p.after, p.fields) for p in found.repinned] == [
        (original.key, moved_key, ("tui_image_sha",))
    ]
    # the same runs under the new key: the same headline on both sides
    repinned = found.repinned[0].change
    assert repinned.before == repinned.after == original.headline
    assert repinned.delta in (None, 0.0)
    identity = [getattr(original.key, name) for name in IDENTITY_FIELDS]
    assert identity == [getattr(moved_key, name) for name in IDENTITY_FIELDS]


def test_filtered_cells_are_compared_alone() -> None:
    before, after = pair(SNAPSHOTS["sample"])
    tui = after.cells[0].key.tui
    found = diff(
        before,
        after,
        [c for c in before.cells if c.key.tui == tui],
        [c for c in after.cells if c.key.tui == tui],
    )
    assert {row.values[0] for row in found.pairs} == {tui}
    assert all(cell.key.tui == tui for cell in (*found.added, *found.removed))
    assert all(row.values[0] == tui for row in found.cells)


def test_only_a_summary_metric_can_be_compared() -> None:
    before, after = pair(SNAPSHOTS["mini"])
    with pytest.raises(ValueError, match="summary"):
        diff(before, after, metric="composite")
    assert diff(before, after, metric="ships").metric == "ships"


# -- the CLI ----------------------------------------------------------------------------------


def test_the_cli_says_what_changed(capsys: pytest.CaptureFixture[str]) -> None:
    from sphinxcontrib_cab.snapshot.cli import main

    before, after = pair(SNAPSHOTS["sample"])
    found = diff(before, after)
    assert main(["diff", str(SNAPSHOTS["sample"])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"from {before.name} to {after.name}"
    assert lines[1].startswith(
        f"cells: {len(found.added):,} added, {len(found.removed):,} removed, "
    )
    metric = METRICS[found.metric]
    pairs = [line for line in lines if line.startswith("  ")]
    assert len(pairs) == len(found.pairs)
    for line, row in zip(pairs, found.pairs, strict=True):
        assert line == (
            f"  {'/'.join(v or '' for v in row.values)}: "
            f"{metric.format(row.before, unit='task')} -> {metric.format(row.after, unit='task')}"
            f", {format_change(row.delta, metric.digits)}, {row.verdict}"
        )
    for entry in found.versions:
        assert f"methodology {entry.version} ({entry.date}): {entry.changes}" in lines


def test_the_cli_refuses_an_unknown_date(capsys: pytest.CaptureFixture[str]) -> None:
    from sphinxcontrib_cab.snapshot.cli import main

    assert main(["diff", str(SNAPSHOTS["mini"]), "--from", "2026-13-45"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: 2026-13-45 is not a snapshot of ")
