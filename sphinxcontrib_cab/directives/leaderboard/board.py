"""The leaderboard's view model: its columns, and the :class:`Board` a directive builds.

A :class:`Board` is plain, immutable data (caption, columns, the already formatted text of every
row, sort values, each row's canonical key), held by one pending :class:`leaderboard` node; the
writers in :mod:`.html` and :mod:`.generic` turn it into output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from docutils import nodes

from ...render import visible_text
from ...snapshot.formats import format_count
from ...snapshot.index import cell_text
from ...snapshot.keys import KEY_FIELDS, MISSING_MARK, NOT_APPLICABLE_MARK
from ...snapshot.metrics import CELL_METRICS as CELL_METRICS
from ...snapshot.metrics import METRICS
from ...snapshot.metrics import SUMMARY_METRICS as SUMMARY_METRICS
from .marks import RowNotes, group_marks, missing_reasons, row_notes, with_cell_reasons

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from ...snapshot.failures import FailureMode
    from ...snapshot.metrics import Item
    from ...snapshot.model import Cell, CellKey, Estimate, Snapshot
    from ...snapshot.overview import OverviewRow

Group = Literal["cells", "overview"]
Order = Literal["descending", "ascending"]

# -- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnDef:
    """One column a leaderboard can show."""

    name: str
    """The name used in ``:columns:`` and ``:sort:``."""
    label: str
    metric: bool
    """A score column (mean and interval, sorted numerically)."""
    nerd: bool
    """Only shown in the Nerds view."""
    digits: int = 2
    """Decimals shown: a metric's own (:data:`.metrics.METRICS`), 0 for counts."""


_PLAIN_KEY_FIELDS = frozenset({"tui", "model", "task"})


def _text_columns() -> dict[str, ColumnDef]:
    columns = {
        field.name: ColumnDef(field.name, field.label, False, field.name not in _PLAIN_KEY_FIELDS)
        for field in KEY_FIELDS
    }
    columns["category"] = ColumnDef("category", "Category", False, False)
    columns["methodology"] = ColumnDef("methodology", "Methodology", False, True)
    return columns


def _metric_columns(names: Iterable[str]) -> dict[str, ColumnDef]:
    return {
        name: ColumnDef(name, METRICS[name].label, True, False, METRICS[name].digits)
        for name in names
    }


COUNT_COLUMNS: dict[str, ColumnDef] = {
    "runs": ColumnDef("runs", "Runs", True, False, 0),
    "cells": ColumnDef("cells", "Cells", True, False, 0),
    "tasks": ColumnDef("tasks", "Tasks", True, False, 0),
    "rank": ColumnDef("rank", "Rank", True, False, 0),
}
"""Whole-number columns (rank: the overview's upper-bound rank, ``DEFINITIONS["rank"]``)."""

CELL_COLUMNS: dict[str, ColumnDef] = {
    **_text_columns(),
    "runs": COUNT_COLUMNS["runs"],
    **_metric_columns(CELL_METRICS),
}
"""Every column a ``:group: cells`` table can show, in the order ``:columns:`` lists them."""

OVERVIEW_COLUMNS: dict[str, ColumnDef] = {
    "tui": CELL_COLUMNS["tui"],
    "model": CELL_COLUMNS["model"],
    "rank": COUNT_COLUMNS["rank"],
    "tasks": COUNT_COLUMNS["tasks"],
    "cells": COUNT_COLUMNS["cells"],
    "runs": COUNT_COLUMNS["runs"],
    **_metric_columns(SUMMARY_METRICS),
}
"""Every column a ``:group: overview`` table can show."""

DEFAULT_COLUMNS: dict[Group, tuple[str, ...]] = {
    "cells": ("tui", "behavior_mode", "model", "task", "plugin_stack", "runs", *SUMMARY_METRICS),
    "overview": ("tui", "model", "rank", "tasks", "cells", "runs", *SUMMARY_METRICS),
}

ORDERS: dict[str, Order] = {"desc": "descending", "asc": "ascending"}

LOWER_IS_BETTER: frozenset[str] = frozenset(
    name for name, metric in METRICS.items() if metric.lower_is_better
)
"""Metrics where a smaller value is better (from the registry): their default ``:order:`` is
``asc``."""


# -- the pending node and its data -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoardColumn:
    name: str
    label: str
    metric: bool
    nerd: bool


class BoardRow(NamedTuple):
    """One row; a plain tuple so a page of a thousand rows pickles in milliseconds."""

    texts: tuple[str, ...]
    """The text of each column; :data:`MISSING_MARK` where nothing was recorded."""
    sort_values: tuple[float | None, ...]
    """The unrounded number behind each metric column; ``None`` for text or missing values."""
    key_values: tuple[str | None, ...] | None
    """The cell's nine key values (``None`` for overview rows, which have no provenance)."""
    anchor: str | None
    notes: RowNotes | None = None
    """A cell row's failure and exploit marks, provenance lines and methodology version."""

    @property
    def key(self) -> CellKey | None:
        if self.key_values is None:
            return None
        from ...snapshot.model import CellKey

        return CellKey(*self.key_values)  # type: ignore[arg-type]  # the loader's own order


@dataclass(frozen=True, slots=True)
class Board:
    """Everything needed to write one leaderboard table, for any builder."""

    caption: str
    group: Group
    columns: tuple[BoardColumn, ...]
    sort_column: int
    """Index of the column the rows are sorted by."""
    order: Order
    rows: tuple[BoardRow, ...]
    command: str
    """``cab_command``: the program and subcommand of each reproduce command."""
    missing_notes: tuple[tuple[str, str], ...]
    """(key field, why it is missing) for each key field some row did not record."""
    has_missing_scores: bool
    failures: FailureMode = "include"
    """``:failures:``: whether failed runs count in the means."""

    @property
    def has_provenance(self) -> bool:
        return self.group == "cells"

    def __deepcopy__(self, memo: dict[int, Any]) -> Board:
        return self  # immutable: sharing is safe and keeps doctree copies cheap


class leaderboard(nodes.General, nodes.Element):
    """Pending leaderboard; attribute ``board`` holds the :class:`Board`."""


# -- building the board ------------------------------------------------------------------------


def metric_of(item: Item, name: str) -> Estimate | None:
    """The estimate ``name`` (headline, ships, stays, costs or an axis) of a cell or group."""
    return METRICS[name].estimate(item)


def _mean(value: Estimate | None) -> float | None:
    if value is None or math.isnan(value.mean):
        return None
    return value.mean


def sort_items(items: Sequence[Item], metric: str, order: Order) -> list[Item]:
    """Rows by ``metric`` in ``order``; rows without a value last; ties keep the given order."""
    means = [_mean(metric_of(item, metric)) for item in items]
    present = [(mean, item) for mean, item in zip(means, items, strict=True) if mean is not None]
    absent = [item for mean, item in zip(means, items, strict=True) if mean is None]
    present.sort(key=lambda pair: pair[0], reverse=order == "descending")
    return [item for _, item in present] + absent


class _RowBuilder:
    """Formats rows for fixed columns; estimates repeat a lot, so their text is memoised."""

    def __init__(
        self,
        columns: Sequence[ColumnDef],
        group: Group,
        digits: int | None,
        snapshot: Snapshot | None = None,
        left_out: bool = False,
        history: Snapshot | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.history = history or snapshot
        self.left_out = left_out
        self.columns = tuple(columns)
        self.group = group
        self.digits = digits
        # what a score's n counts: a cell's runs, an overview row's tasks (its sample)
        self.unit = "run" if group == "cells" else "task"
        names = {c.name for c in columns}
        # n is said once per row (Runs or Tasks column), and in a score only where it differs
        self.reference = f"{self.unit}s" if f"{self.unit}s" in names else None
        self.memo: dict[tuple[str, Estimate, int | None], str] = {}

    def metric_text(self, name: str, value: Estimate | None, reference_n: int | None) -> str:
        if value is None:
            return MISSING_MARK
        memo_key = (name, value, reference_n)
        text = self.memo.get(memo_key)
        if text is None:
            text = METRICS[name].format(value, self.digits, self.unit)
            # an estimate without an interval already says its n ("no spread in 2 runs")
            if reference_n is not None and value.n != reference_n and value.low is not None:
                text += f" (n={value.n})"
            self.memo[memo_key] = text
        return text

    def row(self, item: Item) -> BoardRow:
        counts: dict[str, int | None]
        if self.group == "cells":
            cell: Cell = item  # type: ignore[assignment]
            counts = {"runs": len(cell.runs), "cells": 1, "tasks": 1, "rank": None}
            text_of: Callable[[str], str | None] = lambda name: cell_text(cell, name)  # noqa: E731
            key_values: tuple[str | None, ...] | None = cell.key.values()
            anchor: str | None = cell.anchor
            notes = None
            if self.snapshot is not None and self.history is not None:
                notes = row_notes(self.snapshot, cell, self.left_out, self.history)
        else:
            group: OverviewRow = item  # type: ignore[assignment]
            counts = {
                "runs": group.runs,
                "cells": group.cells,
                "tasks": group.tasks,
                "rank": group.rank,
            }
            values = dict(zip(group.fields, group.values, strict=True))
            text_of = values.get
            key_values, anchor, notes = None, None, None
        reference_n = counts[self.reference] if self.reference else None
        texts: list[str] = []
        sort_values: list[float | None] = []
        for column in self.columns:
            if column.name in counts:
                count = counts[column.name]
                texts.append(NOT_APPLICABLE_MARK if count is None else format_count(count))
                sort_values.append(None if count is None else float(count))
            elif column.metric:
                value = metric_of(item, column.name)
                texts.append(self.metric_text(column.name, value, reference_n))
                sort_values.append(_mean(value))
            else:
                text = text_of(column.name)
                texts.append(MISSING_MARK if text is None else visible_text(text))
                sort_values.append(None)
        return BoardRow(tuple(texts), tuple(sort_values), key_values, anchor, notes)


def _cell_row(builder: _RowBuilder, cell: Cell, done: dict[CellKey, BoardRow]) -> BoardRow:
    row = done.get(cell.key)
    if row is None:
        row = done[cell.key] = builder.row(cell)
    return row


def build_board(
    snapshot: Snapshot,
    cells: Sequence[Cell],
    *,
    history: Snapshot | None = None,
    group: Group,
    columns: Sequence[ColumnDef],
    sort: str,
    order: Order,
    limit: int | None,
    caption: str | None,
    command: str,
    digits: int | None = None,
    failures: FailureMode = "include",
) -> Board:
    """The :class:`Board` for ``cells`` (already filtered; with ``failures="exclude"``, taken
    from :func:`~...snapshot.aggregate.cells_without_failures`) of ``snapshot``; missing key
    fields are explained from the methodology history of ``history`` (default: ``snapshot``)."""
    from ...snapshot.overview import overview

    items: list[Item] = list(cells) if group == "cells" else list(overview(cells))
    total = len(items)
    builder = _RowBuilder(columns, group, digits, snapshot, failures == "exclude", history)
    shown = sort_items(items, sort, order)[:limit]
    if group == "cells":
        # a cell's row is the same on every board with these columns (the full leaderboard and
        # each task page show the same cells): format it once
        done: dict[CellKey, BoardRow] = snapshot.view(
            ("board_rows", tuple(column.name for column in columns), digits, failures), dict
        )
        rows = tuple(_cell_row(builder, item, done) for item in shown)  # type: ignore[arg-type]
    else:
        failed = group_marks(snapshot, cells, failures == "exclude")
        rows = tuple(
            builder.row(item)._replace(notes=failed.get(item.values))  # type: ignore[union-attr]
            for item in shown
        )
    missing_fields = {
        field.name: [
            row.notes.version if row.notes else ""
            for row in rows
            if row.key_values is not None and row.key_values[index] is None
        ]
        for index, field in enumerate(KEY_FIELDS)
    }
    rows = with_cell_reasons(rows, history or snapshot, missing_fields)
    sort_index = next(i for i, c in enumerate(columns) if c.name == sort)
    return Board(
        caption=caption.strip()
        if caption
        else _default_caption(snapshot, group, len(rows), total, columns[sort_index], order),
        group=group,
        columns=tuple(BoardColumn(c.name, c.label, c.metric, c.nerd) for c in columns),
        sort_column=sort_index,
        order=order,
        rows=rows,
        command=command,
        missing_notes=tuple(
            (name, missing_reasons(history or snapshot, name, versions))
            for name, versions in missing_fields.items()
            if versions
        ),
        has_missing_scores=any(
            text == MISSING_MARK
            for row in rows
            for text, c in zip(row.texts, columns, strict=True)
            if c.metric
        ),
        failures=failures,
    )


def _default_caption(
    snapshot: Snapshot, group: Group, shown: int, total: int, sort: ColumnDef, order: Order
) -> str:
    unit = "cells" if group == "cells" else "TUI and model pairs"
    count = (
        format_count(shown) if shown == total else f"{format_count(shown)} of {format_count(total)}"
    )
    direction = "highest first" if order == "descending" else "lowest first"
    return f"Snapshot {snapshot.name}: {count} {unit}, by {sort.label.lower()} ({direction})"
