"""Runs -> cells, and the estimates every page shows.

A *cell* is every rerun of one canonical key (the nine fields of :mod:`sphinxcontrib_cab.keys`).
Per cell and per score axis cab reports the mean over the reruns that recorded the axis with a
95% Student-t confidence interval, and derives the headline score and the Ships / Stays / Costs
columns from the definitions in :data:`DEFINITIONS` (the docs render that table, so the code and
the written definition cannot drift apart).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .keys import KEY_FIELD_NAMES
from .snapshot import AXES, NOT_APPLICABLE_CODE, Cell, CellKey, Estimate

if TYPE_CHECKING:
    from collections.abc import Callable

    from .snapshot import RunTable

DEFINITIONS: dict[str, str] = {
    "cell": "A cell is every rerun of one canonical key: the same TUI, behavior mode, model, task, "
    "plugin stack, TUI image, model endpoint, sampling profile and task date.",
    "mean": "Each axis of a cell is the mean over the reruns that recorded it; a rerun that did "
    "not "
    "record the axis is left out, and an axis no rerun recorded is shown as a dash, never as 0. "
    "A refusal score of 'n/a' (a task that expects no refusal) is left out the same way. Failed "
    "runs (rate limit, handshake failure, timeout) keep their recorded scores, usually 0.",
    "interval": "The 95% interval is a Student-t confidence interval for the mean: mean plus or "
    "minus t(0.975, n-1) times the sample standard deviation divided by the square root of n, "
    "with n the number of reruns that recorded the axis (t = 4.303 for three reruns), clipped to "
    "the axis's possible range. With a single value there is no interval.",
    "headline": "The headline score of a cell is the mean of its runs' composite scores (0 to 1, "
    "higher is better), with its 95% interval.",
    "ships": "Ships is the share of a cell's runs whose grader passed (the mean of the pass axis, "
    "0 to 1), with its 95% interval: how often the agent ships a working change.",
    "stays": "Stays is the share of a cell's reruns that agree with the cell's majority pass/fail "
    "outcome (from 0.5 to 1; 1 means every rerun ended the same way): how consistently the "
    "result stays put when the same cell is run again. It has no interval.",
    "costs": "Costs is the mean wall-clock time of a cell's runs in seconds (lower is better), "
    "with its 95% interval: what the agent costs in waiting time, including failed runs.",
    "overview": "An overview row (for example one TUI and one model) takes the cells it groups, "
    "averages their headline, Ships, Stays and Costs means with equal weight per cell, and gives "
    "a 95% Student-t interval over those cell means.",
}
"""Name -> the one written definition of each derived quantity, rendered by the docs."""

T_975: dict[int, float] = {
    1: 12.706204736174698,
    2: 4.302652729911275,
    3: 3.182446305284263,
    4: 2.7764451051977987,
    5: 2.570581835636314,
    6: 2.4469118511449692,
    7: 2.3646242515927844,
    8: 2.306004135204166,
    9: 2.2621571628540993,
    10: 2.2281388519649385,
    11: 2.200985160082949,
    12: 2.1788128296634177,
    13: 2.1603686564610127,
    14: 2.1447866879169273,
    15: 2.131449545559323,
    16: 2.1199052992210112,
    17: 2.1098155778331806,
    18: 2.10092204024096,
    19: 2.093024054408263,
    20: 2.0859634472658364,
    21: 2.079613844727662,
    22: 2.0738730679040147,
    23: 2.0686576104190406,
    24: 2.063898561628021,
    25: 2.0595385527532946,
    26: 2.055529438642871,
    27: 2.0518305164802833,
    28: 2.048407141795244,
    29: 2.045229642132703,
    30: 2.0422724563012373,
}
"""The 0.975 quantile of Student's t distribution by degrees of freedom (1 to 30).

Values as printed by ``scipy.stats.t.ppf(0.975, df)``; the test suite re-derives each one by
integrating the t density, so a wrong digit fails a test.
"""

NORMAL_975 = 1.959963984540054
"""The 0.975 quantile of the standard normal distribution, used beyond 30 degrees of freedom."""

AXIS_RANGES: dict[str, tuple[float, float]] = {
    "pass": (0.0, 1.0),
    "blast_radius": (0.0, 1.0),
    "wall_s": (0.0, math.inf),
    "refusal": (0.0, 1.0),
    "integrity": (0.0, 1.0),
    "tokens": (0.0, math.inf),
    "composite": (0.0, 1.0),
}
"""The possible range of each axis; intervals are clipped to it."""

_T = TypeVar("_T")

_DISCRETE_AXES = frozenset({"pass", "refusal", "integrity", "blast_radius"})
"""Axes whose per-cell values repeat a lot, so their estimates are computed once and shared."""


_T_2 = T_975[2]


def t_quantile(degrees_of_freedom: int) -> float:
    """t(0.975, df): from :data:`T_975`, or the normal quantile beyond 30 degrees of freedom."""
    if degrees_of_freedom < 1:
        raise ValueError("a t interval needs at least one degree of freedom")
    return T_975.get(degrees_of_freedom, NORMAL_975)


def estimate(
    values: Sequence[float], low_bound: float = -math.inf, high_bound: float = math.inf
) -> Estimate | None:
    """Mean with a 95% Student-t interval clipped to ``[low_bound, high_bound]``.

    ``None`` for no values; an interval of ``None`` for a single value.
    """
    return _estimate(values, sum(values), low_bound, high_bound)


def _estimate(
    values: Sequence[float], total: float, low_bound: float, high_bound: float
) -> Estimate | None:
    n = len(values)
    if n == 0:
        return None
    mean = total / n
    if n == 1:
        return Estimate(mean, None, None, 1)
    if n == 3:  # the usual cell: spelled out because it runs once per axis of every cell
        first, second, third = values
        deviation_1 = first - mean
        deviation_2 = second - mean
        deviation_3 = third - mean
        squares = deviation_1 * deviation_1 + deviation_2 * deviation_2 + deviation_3 * deviation_3
        half_width = _T_2 * math.sqrt(squares / 6.0)  # variance / n = squares / (n - 1) / n
    else:
        squares = sum([(v - mean) * (v - mean) for v in values])
        half_width = t_quantile(n - 1) * math.sqrt(squares / (n - 1) / n)
    low = mean - half_width
    high = mean + half_width
    return Estimate(
        mean,
        low if low > low_bound else low_bound,
        high if high < high_bound else high_bound,
        n,
    )


def axis_estimate(axis: str, values: Sequence[float]) -> Estimate | None:
    """:func:`estimate` over one axis's recorded values, clipped to the axis range."""
    low, high = AXIS_RANGES[axis]
    return estimate(values, low, high)


def stays(pass_values: Sequence[float]) -> Estimate | None:
    """Share of reruns agreeing with the majority pass outcome (see ``DEFINITIONS["stays"]``)."""
    n = len(pass_values)
    if n == 0:
        return None
    passed = sum(1 for v in pass_values if v >= 0.5)
    return Estimate(mean=max(passed, n - passed) / n, low=None, high=None, n=n)


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
    # only references (measured: in sorted order, a million rows took 1.6 times as long here).
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
        # Positional: keyword arguments made each Cell() about three times as slow to build.
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
    groups: list[_SizeGroup], column: Sequence[float], axis: str
) -> list[tuple[list[tuple[float, ...]], list[float], list[int]]]:
    """Per group: each cell's recorded values of ``column``, their sums, and the cells filtered.

    NaN is "not recorded" (it makes the sum NaN); the refusal "n/a" code is negative.
    """
    found = []
    for group in groups:
        values: list[tuple[float, ...]] = _chunks(
            list(map(column.__getitem__, group.flat)), group.size
        )
        totals: list[float] = list(map(sum, values))
        filtered = [i for i, total in enumerate(totals) if total != total]
        if axis == "refusal":
            negative = [i for i, lowest in enumerate(map(min, values)) if lowest < 0.0]
            filtered = sorted({*filtered, *negative})
        for i in filtered:
            kept = tuple([v for v in values[i] if v == v and v != NOT_APPLICABLE_CODE])
            values[i] = kept
            totals[i] = sum(kept)
        found.append((values, totals, filtered))
    return found


def _axis_estimates(
    groups: list[_SizeGroup], table: RunTable, axis: str
) -> list[list[Estimate | None]]:
    low, high = AXIS_RANGES[axis]
    recorded = _recorded(groups, table.scores[axis], axis)
    if axis == "pass":
        for group, (values, _, _) in zip(groups, recorded, strict=True):
            group.pass_values = values
    if axis in _DISCRETE_AXES:
        # Few distinct value tuples: compute each estimate once and share it.
        shared: dict[tuple[float, ...], Estimate | None] = {}
        for values, _, _ in recorded:
            for distinct in dict.fromkeys(values):
                if distinct not in shared:
                    shared[distinct] = _estimate(distinct, sum(distinct), low, high)
        return [list(map(shared.__getitem__, values)) for values, _, _ in recorded]
    found = []
    for group, (values, totals, filtered) in zip(groups, recorded, strict=True):
        if group.size == 3:
            estimates = _estimates_of_three(values, totals, low, high)
            for i in filtered:
                estimates[i] = _estimate(values[i], totals[i], low, high)
        else:
            estimates = [
                _estimate(v, total, low, high) for v, total in zip(values, totals, strict=True)
            ]
        found.append(estimates)
    return found


def _estimates_of_three(
    values: list[tuple[float, ...]], totals: list[float], low_bound: float, high_bound: float
) -> list[Estimate | None]:
    """:func:`_estimate` of many three-value tuples, with the very same arithmetic.

    Entries whose tuple is not three values long come out wrong and must be recomputed.
    """
    found: list[Estimate | None] = []
    append = found.append
    sqrt = math.sqrt
    t_2 = _T_2
    for cell_values, total in zip(values, totals, strict=True):
        if len(cell_values) != 3:
            append(None)
            continue
        first, second, third = cell_values
        mean = total / 3
        deviation_1 = first - mean
        deviation_2 = second - mean
        deviation_3 = third - mean
        squares = deviation_1 * deviation_1 + deviation_2 * deviation_2 + deviation_3 * deviation_3
        half_width = t_2 * sqrt(squares / 6.0)
        low = mean - half_width
        high = mean + half_width
        append(
            Estimate(
                mean,
                low if low > low_bound else low_bound,
                high if high < high_bound else high_bound,
                3,
            )
        )
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


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """Cells grouped by some key fields (by default TUI and model); ``DEFINITIONS["overview"]``."""

    fields: tuple[str, ...]
    values: tuple[str | None, ...]
    cells: int
    runs: int
    headline: Estimate | None
    ships: Estimate | None
    stays: Estimate | None
    costs: Estimate | None


def _over_cells(estimates: Sequence[Estimate | None], axis: str | None) -> Estimate | None:
    means = [e.mean for e in estimates if e is not None]
    if axis is None:
        return estimate(means, 0.0, 1.0)
    return axis_estimate(axis, means)


def overview(
    cells: Sequence[Cell], by: Sequence[str] = ("tui", "model")
) -> tuple[OverviewRow, ...]:
    """Rows aggregated over cells grouped by the key fields ``by``, sorted by those values."""
    for name in by:
        if name not in KEY_FIELD_NAMES:
            raise ValueError(f"{name!r} is not a key field")
    groups: dict[tuple[str | None, ...], list[Cell]] = {}
    for cell in cells:
        groups.setdefault(tuple(getattr(cell.key, name) for name in by), []).append(cell)
    rows = []
    for values in sorted(groups, key=lambda vs: tuple((v is not None, v or "") for v in vs)):
        members = groups[values]
        rows.append(
            OverviewRow(
                fields=tuple(by),
                values=values,
                cells=len(members),
                runs=sum(len(c.runs) for c in members),
                headline=_over_cells([c.headline for c in members], "composite"),
                ships=_over_cells([c.ships for c in members], "pass"),
                stays=_over_cells([c.stays for c in members], None),
                costs=_over_cells([c.costs for c in members], "wall_s"),
            )
        )
    return tuple(rows)
