"""The data behind the charts: which marks a chart draws, the Pareto frontier, scales, colours.

Charts are drawn from the same cells and estimators as the leaderboard: a heatmap square and a
frontier point are one overview row (TUI and model, tasks as the sample, ``DEFINITIONS
["overview"]``), a strip is the spread of the cells' headline means on each task. Writers (SVG,
TikZ, tables) only place and print what is computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .keys import MISSING_MARK
from .overview import overview

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .model import Cell, Estimate


# -- colour ------------------------------------------------------------------------------------

CIVIDIS: tuple[tuple[int, int, int], ...] = (
    (0, 34, 78),
    (59, 73, 108),
    (123, 123, 120),
    (188, 175, 111),
    (254, 232, 56),
)
"""Evenly spaced stops of cividis (Nuñez, Anderton and Renslow, 2018), a sequential palette
that reads the same to readers with the common colour-vision deficiencies and in grey."""


def colour(value: float, low: float = 0.0, high: float = 1.0) -> str:
    """``#rrggbb`` of ``value`` on the palette, from ``low`` (darkest) to ``high`` (lightest)."""
    share = 0.0 if high <= low else min(1.0, max(0.0, (value - low) / (high - low)))
    place = share * (len(CIVIDIS) - 1)
    index = min(int(place), len(CIVIDIS) - 2)
    rest = place - index
    start, end = CIVIDIS[index], CIVIDIS[index + 1]
    rgb = (round(a + (b - a) * rest) for a, b in zip(start, end, strict=True))
    return "#" + "".join(f"{part:02x}" for part in rgb)


def _luminance(hex_colour: str) -> float:
    def linear(part: int) -> float:
        c = part / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def text_colour(fill: str) -> str:
    """Black or white, whichever has the higher WCAG contrast ratio on ``fill``."""
    lum = _luminance(fill)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


# -- marks -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pair:
    """One TUI and model pair: an overview row with its failed runs, a square or a point."""

    tui: str
    model: str
    headline: Estimate | None
    costs: Estimate | None
    tasks: int
    cells: int
    runs: int
    failures: tuple[tuple[str, int], ...]
    """(failure kind, runs) summed over the pair's cells, sorted by kind."""

    @property
    def failed(self) -> int:
        return sum(count for _, count in self.failures)

    @property
    def name(self) -> str:
        return f"{self.tui} \N{MULTIPLICATION SIGN} {self.model}"


def pairs(cells: Sequence[Cell]) -> tuple[Pair, ...]:
    """One :class:`Pair` per TUI and model among ``cells``, sorted by TUI then model."""
    failures: dict[tuple[str | None, str | None], dict[str, int]] = {}
    for cell in cells:
        counts = failures.setdefault((cell.key.tui, cell.key.model), {})
        for kind, count in cell.failures:
            counts[kind] = counts.get(kind, 0) + count
    return tuple(
        Pair(
            tui=row.values[0] or MISSING_MARK,
            model=row.values[1] or MISSING_MARK,
            headline=row.headline,
            costs=row.costs,
            tasks=row.tasks,
            cells=row.cells,
            runs=row.runs,
            failures=tuple(sorted(failures[(row.values[0], row.values[1])].items())),
        )
        for row in overview(cells)
    )


def drawn(value: Estimate | None) -> float | None:
    """The mean a chart can place, or ``None`` (not recorded, not applicable)."""
    if value is None or value.gap is not None or math.isnan(value.mean):
        return None
    return value.mean


@dataclass(frozen=True, slots=True)
class Heatmap:
    """TUI rows by model columns; ``squares[(tui, model)]`` for the pairs that have cells."""

    tuis: tuple[str, ...]
    models: tuple[str, ...]
    squares: tuple[Pair, ...]


def heatmap(cells: Sequence[Cell]) -> Heatmap:
    found = pairs(cells)
    return Heatmap(
        tuis=tuple(sorted({p.tui for p in found})),
        models=tuple(sorted({p.model for p in found})),
        squares=found,
    )


def pareto(points: Sequence[tuple[float, float]]) -> tuple[int, ...]:
    """Positions of the points ``(cost, score)`` no other point beats: none has a lower or
    equal cost with a higher score, or a lower cost with an equal score. Ordered by cost."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -points[i][1], i))
    members: list[int] = []
    best = -math.inf
    for i in order:
        if points[i][1] > best:
            members.append(i)
            best = points[i][1]
    return tuple(members)


@dataclass(frozen=True, slots=True)
class Frontier:
    """Every pair; ``placed`` the positions of those with a headline and Costs to draw;
    ``members`` the Pareto frontier among them (higher headline, lower Costs), by Costs."""

    points: tuple[Pair, ...]
    placed: tuple[int, ...]
    members: tuple[int, ...]


def frontier(cells: Sequence[Cell]) -> Frontier:
    found = pairs(cells)
    placed = tuple(
        i
        for i, p in enumerate(found)
        if drawn(p.headline) is not None and drawn(p.costs) is not None
    )
    coords = [(drawn(found[i].costs) or 0.0, drawn(found[i].headline) or 0.0) for i in placed]
    return Frontier(found, placed, tuple(placed[j] for j in pareto(coords)))


@dataclass(frozen=True, slots=True)
class Spread:
    """The headline means of one task's cells (those with one), lowest first."""

    task: str
    category: str
    values: tuple[float, ...]
    cells: int
    """Every cell of the task, drawn or not."""

    @property
    def median(self) -> float | None:
        n = len(self.values)
        if not n:
            return None
        middle = n // 2
        return self.values[middle] if n % 2 else (self.values[middle - 1] + self.values[middle]) / 2


def strip(cells: Sequence[Cell]) -> tuple[Spread, ...]:
    """One :class:`Spread` per task among ``cells``, sorted by task."""
    by_task: dict[str, list[Cell]] = {}
    for cell in cells:
        by_task.setdefault(cell.key.task or MISSING_MARK, []).append(cell)
    spreads = []
    for task in sorted(by_task):
        members = by_task[task]
        means = sorted(m for m in (drawn(c.headline) for c in members) if m is not None)
        spreads.append(Spread(task, members[0].category, tuple(means), len(members)))
    return tuple(spreads)


# -- scales ------------------------------------------------------------------------------------


def log_ticks(low: float, high: float) -> tuple[float, ...]:
    """1, 2 and 5 times powers of ten covering ``[low, high]`` (both positive), from the tick
    at or below ``low`` to the one at or above ``high``."""
    candidates = [step * 10.0**power for power in range(-3, 7) for step in (1.0, 2.0, 5.0)]
    below = [t for t in candidates if t <= low] or [candidates[0]]
    above = [t for t in candidates if t >= high] or [candidates[-1]]
    return tuple(t for t in candidates if below[-1] <= t <= above[0])


def log_share(value: float, low: float, high: float) -> float:
    """Where ``value`` sits between ``low`` and ``high`` on a log scale (0 to 1, clipped)."""
    value = min(max(value, low), high)
    return (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))


def cost_ticks(means: Sequence[float]) -> tuple[float, ...]:
    """The log axis of Costs: :func:`log_ticks` around the means (intervals reaching beyond it,
    down to 0 s for instance, are cut at its ends); 1 to 10 s when there is no mean."""
    positive = [m for m in means if m > 0] or [1.0, 10.0]
    return log_ticks(max(min(positive), 0.01), max(max(positive), 0.02))


def score_ticks(lows: Sequence[float], highs: Sequence[float]) -> tuple[float, ...]:
    """A score axis (within 0 to 1) in tenths, from the tenth at or below the lowest value to
    the one at or above the highest; every fifth when that spans more than half the range."""
    low = math.floor(min(lows, default=0.0) * 10) / 10
    high = math.ceil(max(highs, default=1.0) * 10) / 10
    low, high = max(0.0, min(low, high - 0.1)), min(1.0, max(high, low + 0.1))
    step = 2 if high - low > 0.5 else 1
    tenths = range(round(low * 10), round(high * 10) + 1)
    return tuple(t / 10 for t in tenths if (t - round(low * 10)) % step == 0 or t == tenths[-1])
