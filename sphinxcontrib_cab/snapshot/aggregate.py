"""Runs -> cells: every rerun of one canonical key, with an estimate per axis and per metric.

Per cell and per score axis the estimate is the one :mod:`.statistics` computes; the headline,
Ships, Stays and Costs follow the definitions in :mod:`.metrics`.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .model import AXES, Cell, CellKey, Estimate
from .statistics import (
    AXIS_RANGES,
    axis_estimate_of_recorded,
    estimate_from_total,
    estimates_of_three,
    stays,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .failures import FailureMode
    from .model import RunTable, Snapshot

_T = TypeVar("_T")

_DISCRETE_AXES = frozenset({"pass", "refusal", "integrity", "blast_radius"})
"""Axes whose per-cell values repeat a lot, so their estimates are computed once per distinct
tuple of values and shared (these include every proportion axis and the refusal "n/a" code)."""


class AxisEstimates(Mapping[str, Estimate | None]):
    """A small read-only mapping axis -> estimate, in :data:`AXES` order."""

    __slots__ = ("_values",)

    def __init__(self, values: Sequence[Estimate | None]) -> None:
        self._values = tuple(values)

    def __getitem__(self, axis: str) -> Estimate | None:
        try:
            return self._values[_AXIS_INDEX[axis]]
        except KeyError:
            raise KeyError(axis) from None

    def __iter__(self) -> Iterator[str]:
        return iter(AXES)

    def __len__(self) -> int:
        return len(AXES)

    def __repr__(self) -> str:
        return f"AxisEstimates({dict(self)!r})"


_AXIS_INDEX = {axis: i for i, axis in enumerate(AXES)}


def key_sort_value(key: CellKey) -> tuple[str, ...]:
    """Sort key of a cell key: field by field, a missing value as the empty string (first)."""
    values = key.values()
    if None in values:
        return tuple([v or "" for v in values])
    return values  # type: ignore[return-value]  # no None in it


def version_sort_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders methodology versions numerically part by part (``0.10`` after ``0.9``)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in version.split("."))


def build_cells(
    table: RunTable,
    rows_by_key: Sequence[Sequence[int]],
    category_of: Callable[[str], str],
) -> tuple[Cell, ...]:
    """One :class:`Cell` per key of ``table``, sorted by key.

    ``rows_by_key[k]`` lists the row indices of key ``k`` (``table.keys[k]``).

    Work is done column by column over groups of cells with the same number of runs (almost
    always three), so the per-cell Python work is only building the :class:`Cell` itself.
    """
    keys = table.keys
    # Cells are built in key-id order, which is the order their first rows were read, so the
    # column gathers below walk memory nearly in sequence; sorting by key comes last and moves
    # only references (gathering in sorted order jumps around memory).
    live = [k for k, rows in enumerate(rows_by_key) if rows]
    groups = [
        _group_rows(table, [rows_by_key[live[p]] for p in positions], size, positions)
        for size, positions in _positions_by_size(live, rows_by_key).items()
    ]
    count = len(live)
    per_axis = [_scatter(groups, count, _axis_estimates(groups, table, axis)) for axis in AXES]
    pass_values = _scatter(groups, count, [g.pass_values for g in groups])
    stays_of = {values: stays(values) for values in dict.fromkeys(pass_values)}
    runs = _scatter(groups, count, [g.rows for g in groups])
    failures = _scatter(groups, count, [_failures(table, g) for g in groups])
    newest = _scatter(groups, count, [_newest_versions(table, g) for g in groups])
    categories: dict[str, str] = {}
    cells = []
    sort_values = []
    for key_index, axes, rows, values, failed, version in zip(
        live, zip(*per_axis, strict=True), runs, pass_values, failures, newest, strict=True
    ):
        key = keys[key_index]
        category = categories.get(key.task)
        if category is None:
            category = categories[key.task] = category_of(key.task)
        sort_values.append(key_sort_value(key))
        # Positional: keyword arguments make each Cell() much slower to build.
        cells.append(
            Cell(
                key,
                category,
                version,
                rows,
                AxisEstimates(axes),
                axes[_COMPOSITE],
                axes[_PASS],
                stays_of[values],
                axes[_WALL],
                failed,
            )
        )
    order = sorted(range(count), key=sort_values.__getitem__)
    return tuple(map(cells.__getitem__, order))


@dataclass(slots=True)
class _SizeGroup:
    """The cells that have ``size`` runs: their positions in key order and rows by rerun."""

    size: int
    positions: list[int]
    rows: list[tuple[int, ...]]
    flat: list[int]
    """``rows`` concatenated: one column gather per axis serves the whole group."""
    pass_values: list[tuple[float, ...]]


def _positions_by_size(
    live: Sequence[int], rows_by_key: Sequence[Sequence[int]]
) -> dict[int, list[int]]:
    by_size: dict[int, list[int]] = {}
    for position, key_index in enumerate(live):
        size = len(rows_by_key[key_index])
        if size in by_size:
            by_size[size].append(position)
        else:
            by_size[size] = [position]
    return by_size


def _group_rows(
    table: RunTable, row_lists: list[Sequence[int]], size: int, positions: list[int]
) -> _SizeGroup:
    flat = list(itertools.chain.from_iterable(row_lists))
    rows = _chunks(flat, size)
    if size > 1:
        reruns = table.rerun
        rerun_rows = _chunks(list(map(reruns.__getitem__, flat)), size)
        unordered = [i for i, found in enumerate(rerun_rows) if list(found) != sorted(found)]
        for i in unordered:
            rows[i] = tuple(sorted(rows[i], key=reruns.__getitem__))
        if unordered:
            flat = list(itertools.chain.from_iterable(rows))
    return _SizeGroup(size, positions, rows, flat, [])


def _chunks(column: list[Any], size: int) -> list[tuple[Any, ...]]:
    """``column`` cut into consecutive tuples of ``size`` items."""
    return list(zip(*[iter(column)] * size, strict=True))


def _recorded(
    groups: list[_SizeGroup], column: Sequence[float]
) -> list[tuple[list[tuple[float, ...]], list[float], list[int]]]:
    """Per group: each cell's recorded values of ``column``, their sums, and the cells filtered.

    NaN is "not recorded" (it makes the sum NaN).
    """
    found = []
    for group in groups:
        values: list[tuple[float, ...]] = _chunks(
            list(map(column.__getitem__, group.flat)), group.size
        )
        totals: list[float] = list(map(sum, values))
        filtered = [i for i, total in enumerate(totals) if total != total]
        for i in filtered:
            kept = tuple([v for v in values[i] if v == v])
            values[i] = kept
            totals[i] = sum(kept)
        found.append((values, totals, filtered))
    return found


def _axis_estimates(
    groups: list[_SizeGroup], table: RunTable, axis: str
) -> list[list[Estimate | None]]:
    if axis in _DISCRETE_AXES:
        # Few distinct value tuples: compute each estimate once and share it.
        column = table.scores[axis]
        shared: dict[tuple[float, ...], Estimate | None] = {}
        found_shared = []
        for group in groups:
            raw = _chunks(list(map(column.__getitem__, group.flat)), group.size)
            if axis == "pass":
                group.pass_values = [tuple([v for v in values if v == v]) for values in raw]
            for distinct in dict.fromkeys(raw):
                if distinct not in shared:
                    shared[distinct] = axis_estimate_of_recorded(axis, distinct)
            found_shared.append(list(map(shared.__getitem__, raw)))
        return found_shared
    low, high = AXIS_RANGES[axis]
    found = []
    for group, (values, totals, filtered) in zip(
        groups, _recorded(groups, table.scores[axis]), strict=True
    ):
        if group.size == 3:
            estimates = estimates_of_three(values, totals, low, high)
            for i in filtered:
                estimates[i] = estimate_from_total(values[i], totals[i], low, high)
        else:
            estimates = [
                estimate_from_total(v, total, low, high)
                for v, total in zip(values, totals, strict=True)
            ]
        found.append(estimates)
    return found


def _failures(table: RunTable, group: _SizeGroup) -> list[tuple[tuple[str, int], ...]]:
    codes = table.failure
    names = table.failure_names
    worst = map(max, _chunks(list(map(codes.__getitem__, group.flat)), group.size))
    found: list[tuple[tuple[str, int], ...]] = []
    for rows, code in zip(group.rows, worst, strict=True):
        if code < 0:
            found.append(())
        else:
            counted = Counter(names[codes[i]] for i in rows if codes[i] >= 0)
            found.append(tuple(sorted(counted.items())))
    return found


def _newest_versions(table: RunTable, group: _SizeGroup) -> list[str]:
    versions = table.versions
    if len(versions) == 1:
        return [versions[0]] * len(group.rows)
    rank_of = _version_ranks(versions)
    by_rank = [""] * len(versions)
    for version_id, rank in enumerate(rank_of):
        by_rank[rank] = versions[version_id]
    ranks = [rank_of[v] for v in map(table.version_id.__getitem__, group.flat)]
    return [by_rank[r] for r in map(max, _chunks(ranks, group.size))]


def _scatter(groups: list[_SizeGroup], count: int, per_group: list[list[_T]]) -> list[_T]:
    """Per-group lists merged back into one list in key order."""
    if len(groups) == 1:
        return per_group[0]
    merged: list[Any] = [None] * count
    for group, items in zip(groups, per_group, strict=True):
        for position, item in zip(group.positions, items, strict=True):
            merged[position] = item
    return merged


ALL_RUNS_FAILED = "every run failed"
"""The gap of a cell whose runs all failed, once failed runs are left out."""


def cells_for_failures(snapshot: Snapshot, mode: FailureMode) -> tuple[Cell, ...]:
    """The snapshot's cells as ``:failures: mode`` counts them, in :attr:`~.model.Snapshot.cells`
    order: as recorded for ``include``, :func:`cells_without_failures` for ``exclude``."""
    return cells_without_failures(snapshot) if mode == "exclude" else snapshot.cells


def cells_without_failures(snapshot: Snapshot) -> tuple[Cell, ...]:
    """The snapshot's cells re-aggregated without their failed runs (``:failures: exclude``),
    in the same order as :attr:`~.model.Snapshot.cells`, made once per snapshot.

    Each cell keeps its own :attr:`~.model.Cell.failures` (now: the runs left out). A cell whose
    runs all failed stays, with no runs and every value a gap saying so, so that it never drops
    out of a table unnoticed.
    """
    return snapshot.view("cells_without_failures", lambda: _without_failures(snapshot))


def _without_failures(snapshot: Snapshot) -> tuple[Cell, ...]:
    table = snapshot.runs
    failed = table.failure
    key_ids = {key: index for index, key in enumerate(table.keys)}
    rows_by_key: list[list[int]] = [[] for _ in table.keys]
    categories: dict[str, str] = {}
    for cell in snapshot.cells:
        if cell.failures:  # only these change; every other cell is reused as it is
            rows_by_key[key_ids[cell.key]] = [i for i in cell.runs if failed[i] < 0]
            categories[cell.key.task] = cell.category
    kept = {cell.key: cell for cell in build_cells(table, rows_by_key, categories.__getitem__)}
    gap = Estimate(math.nan, None, None, 0, ALL_RUNS_FAILED)
    result = []
    for cell in snapshot.cells:
        if not cell.failures:
            result.append(cell)
            continue
        found = kept.get(cell.key)
        if found is None:
            gaps = AxisEstimates([gap] * len(AXES))
            found = Cell(
                cell.key,
                cell.category,
                cell.methodology_version,
                (),
                gaps,
                gap,
                gap,
                gap,
                gap,
                cell.failures,
            )
        else:
            found = dataclasses.replace(found, failures=cell.failures)
        result.append(found)
    return tuple(result)


_COMPOSITE = AXES.index("composite")
_PASS = AXES.index("pass")
_WALL = AXES.index("wall_s")


def _version_ranks(versions: Sequence[str]) -> list[int]:
    """rank[version id] so that a larger rank is a newer methodology version."""
    ranks = [0] * len(versions)
    for rank, version_id in enumerate(
        sorted(range(len(versions)), key=lambda i: version_sort_key(versions[i]))
    ):
        ranks[version_id] = rank
    return ranks
