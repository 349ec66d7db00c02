"""Lookups over a snapshot's cells, each made once per snapshot and kept as a
:meth:`~.model.Snapshot.view` (a snapshot never changes, so neither do they)."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from .keys import KEY_FIELD_NAMES

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .model import Cell, Snapshot


FILTERS: dict[str, str] = {
    "tui": "tui",
    "model": "model",
    "behavior-mode": "behavior_mode",
    "plugin-stack": "plugin_stack",
    "category": "category",
    "task": "task",
    "methodology": "methodology",
}
"""Filter option (of the directives that select cells) -> the column whose value it matches."""


def comma_list(text: str) -> list[str]:
    """The items of a comma (or line) separated option value, stripped, empty ones left out."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def cell_text(cell: Cell, column: str) -> str | None:
    """The text value of a cell's ``column`` (key field, category or methodology)."""
    if column == "category":
        return cell.category
    if column == "methodology":
        return cell.methodology_version
    value: str | None = getattr(cell.key, column)
    return value


def positions_by_value(cells: Sequence[Cell], column: str) -> dict[str, tuple[int, ...]]:
    """Value of ``column`` -> positions in ``cells`` of the cells that have it (cells without a
    value are in none)."""
    if column in KEY_FIELD_NAMES:  # gathered in C: a large snapshot has a third of a million cells
        values: Iterable[str | None] = map(attrgetter(column), map(attrgetter("key"), cells))
    else:
        values = (cell_text(cell, column) for cell in cells)
    found: dict[str, list[int]] = {}
    for position, value in enumerate(values):
        if value is not None:
            found.setdefault(value, []).append(position)
    return {value: tuple(positions) for value, positions in found.items()}


def cell_positions(snapshot: Snapshot, column: str) -> dict[str, tuple[int, ...]]:
    """:func:`positions_by_value` of the snapshot's cells, made once per snapshot."""
    return snapshot.view(
        ("cell_positions", column), lambda: positions_by_value(snapshot.cells, column)
    )


def full_name(cell: Cell) -> str:
    """``tui/behavior_mode/model/task/plugin_stack``: how prose names one cell in full."""
    key = cell.key
    return f"{key.tui}/{key.behavior_mode}/{key.model}/{key.task}/{key.plugin_stack}"


def cell_names(snapshot: Snapshot) -> dict[str, tuple[int, ...]]:
    """Both written forms of every cell (``tui/model/task`` and :func:`full_name`) -> positions
    of the cells written that way."""

    def make() -> dict[str, tuple[int, ...]]:
        collected: dict[str, list[int]] = {}
        for position, cell in enumerate(snapshot.cells):
            key = cell.key
            for name in {f"{key.tui}/{key.model}/{key.task}", full_name(cell)}:
                collected.setdefault(name, []).append(position)
        return {name: tuple(positions) for name, positions in collected.items()}

    return snapshot.view("cell_names", make)
