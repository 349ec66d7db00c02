"""What a leaderboard's cells carry, beyond their text, so ``cab.js`` sorts rows exactly.

Scores are shown rounded, and on a page of a thousand rows many cells read the same number though
their means differ. Rounding never swaps two values, so rows are in exact order when sorted by the
shown number and then, among cells showing the same number, by the place of their exact value
among that number's values. That place, ``data-tie``, is a small integer, far lighter on the page
than the value itself.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .board import Board, BoardRow

_LEADING_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_SAME = 1e-9
"""Exact values closer than this (relative) are one value: means of the same scores summed in
another order differ in their last bits, and no reader can tell them apart."""


def shown_number(text: str) -> float | None:
    """The number a cell's text starts with, as ``cab.js`` reads it (commas removed)."""
    match = _LEADING_NUMBER.match(text.replace(",", ""))
    return float(match.group()) if match else None


def _distinct(values: Iterable[float]) -> list[float]:
    ordered = sorted(values)
    kept: list[float] = []
    for value in ordered:
        if not kept or value - kept[-1] > _SAME * max(1.0, abs(value)):
            kept.append(value)
    return kept


class ColumnSort(NamedTuple):
    """What one column's cells need, beyond their text, to order its rows exactly."""

    ties: dict[float, list[float]]
    """Shown number -> the different exact values it stands for, ascending (only numbers that
    stand for more than one)."""
    unshown: bool
    """Some exact value is shown without a leading number (the cell carries the value itself)."""


def column_sort(cells: Sequence[tuple[str, float | None]]) -> ColumnSort | None:
    """The :class:`ColumnSort` of one column of (text, exact value) cells; ``None`` when the
    numbers the texts show already order the values exactly.

    Rounding never swaps two values, so rows are in exact order when they are sorted by the
    shown number and then, among cells showing the same number, by the place of their exact
    value among that number's values: ``data-tie``, a small integer, is far lighter than the
    value itself on a page of a thousand rows.
    """
    groups: dict[float | None, list[float]] = {}
    for shown_text, value in cells:
        if value is not None:
            groups.setdefault(shown_number(shown_text), []).append(value)
    ties: dict[float, list[float]] = {}
    for shown, values in groups.items():
        distinct = _distinct(values)
        if shown is not None and len(distinct) > 1:
            ties[shown] = distinct
    if not ties and None not in groups:
        return None
    return ColumnSort(ties, None in groups)


def sort_columns(board: Board) -> tuple[ColumnSort | None, ...]:
    """:func:`column_sort` of each column of ``board``."""
    return tuple(
        column_sort([(row.texts[index], row.sort_values[index]) for row in board.rows])
        for index in range(len(board.columns))
    )


def row_sorting(row: BoardRow, sorts: tuple[ColumnSort | None, ...]) -> tuple[str, ...]:
    """:func:`sort_attribute` of each cell of ``row`` (``sorts``: its board's columns)."""
    if not any(sorts):
        return ("",) * len(sorts)
    return tuple(
        sort_attribute(text, value, column)
        for text, value, column in zip(row.texts, row.sort_values, sorts, strict=True)
    )


def sort_attribute(text: str, value: float | None, column: ColumnSort | None) -> str:
    """What one body cell carries to be sorted exactly: ``data-tie`` (the place of its value
    among the values its shown number stands for; left out for the lowest, 0) when that number
    is tied, ``data-sort`` (the value) when the text shows no number; else nothing, and
    ``cab.js`` sorts the cell on the number its text starts with."""
    if value is None or column is None:
        return ""
    shown = shown_number(text)
    if shown is None:
        return f' data-sort="{value!r}"'
    distinct = column.ties.get(shown)
    if distinct is None:
        return ""
    place = bisect.bisect_left(distinct, value - _SAME * max(1.0, abs(value)))
    return f' data-tie="{place}"' if place else ""
