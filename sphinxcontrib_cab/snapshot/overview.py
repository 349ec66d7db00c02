"""Overview rows: cells grouped by key fields (TUI and model by default), one estimate per group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .keys import KEY_FIELD_NAMES
from .statistics import axis_estimate, estimate

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
