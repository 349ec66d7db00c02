"""Overview rows: cells grouped by key fields (TUI and model by default), tasks as the sample.

Each task's cell mean is one observation (the mean of the task's cells when several share it):
the interval of a row comes from the spread of its per-task means (``DEFINITIONS["overview"]``),
and the rows' upper-bound ranks from those intervals (``DEFINITIONS["rank"]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .keys import KEY_FIELD_NAMES
from .model import NOT_APPLICABLE
from .statistics import AXIS_RANGES, estimate, upper_bound_ranks

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .model import Cell, Estimate


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """Cells grouped by some key fields (by default TUI and model); ``DEFINITIONS["overview"]``."""

    fields: tuple[str, ...]
    values: tuple[str | None, ...]
    cells: int
    runs: int
    tasks: int
    headline: Estimate | None
    ships: Estimate | None
    stays: Estimate | None
    costs: Estimate | None
    rank: int | None = None
    """The upper-bound rank by headline among the rows built together; ``None`` without an
    interval."""


_SUMMARY_AXES: dict[str, str | None] = {
    "headline": "composite",
    "ships": "pass",
    "stays": None,
    "costs": "wall_s",
}


def over_tasks(cells: Sequence[Cell], name: str) -> Estimate | None:
    """The mean of summary ``name`` over the tasks of ``cells`` (each task's cell mean one
    observation) with a Student-t interval over those task means, clipped to the axis range.

    ``None`` when no cell recorded it; not applicable when it applies to no cell (Stays of
    one-run cells)."""
    by_task: dict[str, list[float]] = {}
    gaps = 0
    for cell in cells:
        value: Estimate | None = getattr(cell, name)
        if value is None:
            continue
        if value.gap is not None:
            gaps += 1
            continue
        by_task.setdefault(cell.key.task, []).append(value.mean)
    if not by_task:
        return NOT_APPLICABLE if gaps else None
    axis = _SUMMARY_AXES[name]
    low, high = AXIS_RANGES[axis] if axis else (0.0, 1.0)
    return estimate([sum(means) / len(means) for means in by_task.values()], low, high)


def overview(
    cells: Sequence[Cell], by: Sequence[str] = ("tui", "model")
) -> tuple[OverviewRow, ...]:
    """Rows aggregated over cells grouped by the key fields ``by``, sorted by those values,
    each with its upper-bound rank among them."""
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
                tasks=len({c.key.task for c in members}),
                **{name: over_tasks(members, name) for name in _SUMMARY_AXES},  # type: ignore[arg-type]
            )
        )
    ranks = upper_bound_ranks([_interval(row.headline) for row in rows])
    return tuple(
        OverviewRow(
            row.fields,
            row.values,
            row.cells,
            row.runs,
            row.tasks,
            row.headline,
            row.ships,
            row.stays,
            row.costs,
            rank,
        )
        for row, rank in zip(rows, ranks, strict=True)
    )


def _interval(value: Estimate | None) -> tuple[float, float] | None:
    if value is None or value.low is None or value.high is None:
        return None
    return value.low, value.high
