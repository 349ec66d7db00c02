"""``cab-leaderboard``: one row per cell (or per TUI x model), sortable, with provenance per cell.

Node tree
---------
The directive returns one pending :class:`leaderboard` node holding a :class:`Board`: plain,
immutable data (caption, columns, the already formatted text of every row, sort values, each
row's canonical key). It does no per-builder work, so the pickled doctree is the same for every
builder. A post-transform then turns the pending node into output:

* HTML formats (html, dirhtml, singlehtml, epub): :mod:`sphinxcontrib_cab.html` writes the table
  directly (popovers, copy buttons, sort attributes) from the :class:`Board`.
* Every other builder: :class:`ExpandLeaderboards` replaces the node with the generic tree::

      table.cab-table.cab-leaderboard
        title                                  (the caption)
        tgroup > thead > row > entry*          (entry.cab-sortable, entry.cab-nerd where so)
               > tbody > row*  > entry*        (paragraph > Text, or inline.cab-missing "—")
                                 entry         (last column, cells only:)
                                   container.cab-cell-provenance (ids: the cell's anchor)
                                     field_list.cab-key-values   (the nine fields)
                                     literal_block.cab-repro     (the reproduce command)
                                     paragraph.cab-unpinned      (when fields are missing)
      paragraph.cab-legend                     (what a dash means, once per table)

Why pending: a leaderboard of 1,155 cells as generic nodes is about 100,000 nodes, and every
Sphinx transform walks every node; measured, that made the page slower to build than the same
table typed out as a MyST list-table. One node per table keeps the read phase near free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..keys import FIELD_BY_NAME, KEY_FIELDS, MISSING_MARK
from ..render import (
    SKIP,
    SnapshotDirective,
    format_count,
    format_estimate,
    missing_explanation,
    value_literal,
    visible_text,
)
from ..snapshot import AXES
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import TypeAlias

    from sphinx.application import Sphinx

    from ..aggregate import OverviewRow
    from ..snapshot import Cell, CellKey, Estimate, Snapshot

    Item: TypeAlias = Cell | OverviewRow
    """What a row is built from: a cell, or an overview row (cells grouped by TUI and model)."""

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


METRIC_LABELS: dict[str, tuple[str, int]] = {
    "headline": ("Headline", 2),
    "ships": ("Ships", 2),
    "stays": ("Stays", 2),
    "costs": ("Costs (s)", 1),
    "pass": ("Pass", 2),
    "blast_radius": ("Blast radius", 2),
    "wall_s": ("Wall clock (s)", 1),
    "refusal": ("Refusal", 2),
    "integrity": ("Integrity", 2),
    "tokens": ("Tokens", 0),
    "composite": ("Composite", 2),
}
"""Metric name -> (header label, decimals shown)."""

SUMMARY_METRICS: tuple[str, ...] = ("headline", "ships", "stays", "costs")
CELL_METRICS: tuple[str, ...] = SUMMARY_METRICS + AXES

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
        name: ColumnDef(name, METRIC_LABELS[name][0], True, False, METRIC_LABELS[name][1])
        for name in names
    }


COUNT_COLUMNS: dict[str, ColumnDef] = {
    "runs": ColumnDef("runs", "Runs", True, False, 0),
    "cells": ColumnDef("cells", "Cells", True, False, 0),
}

CELL_COLUMNS: dict[str, ColumnDef] = {
    **_text_columns(),
    "runs": COUNT_COLUMNS["runs"],
    **_metric_columns(CELL_METRICS),
}
"""Every column a ``:group: cells`` table can show, in the order ``:columns:`` lists them."""

OVERVIEW_COLUMNS: dict[str, ColumnDef] = {
    "tui": CELL_COLUMNS["tui"],
    "model": CELL_COLUMNS["model"],
    **COUNT_COLUMNS,
    **_metric_columns(SUMMARY_METRICS),
}
"""Every column a ``:group: overview`` table can show."""

DEFAULT_COLUMNS: dict[Group, tuple[str, ...]] = {
    "cells": ("tui", "behavior_mode", "model", "task", "plugin_stack", "runs", *SUMMARY_METRICS),
    "overview": ("tui", "model", "cells", "runs", *SUMMARY_METRICS),
}

FILTERS: dict[str, str] = {
    "tui": "tui",
    "model": "model",
    "behavior-mode": "behavior_mode",
    "plugin-stack": "plugin_stack",
    "category": "category",
    "task": "task",
    "methodology": "methodology",
}
"""Filter option -> the column whose value it matches."""

ORDERS: dict[str, Order] = {"desc": "descending", "asc": "ascending"}

LOWER_IS_BETTER: frozenset[str] = frozenset({"costs", "wall_s", "blast_radius", "tokens"})
"""Metrics where a smaller value is better: their default ``:order:`` is ``asc``."""


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

    @property
    def key(self) -> CellKey | None:
        if self.key_values is None:
            return None
        from ..snapshot import CellKey

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

    @property
    def has_provenance(self) -> bool:
        return self.group == "cells"

    def __deepcopy__(self, memo: dict[int, Any]) -> Board:
        return self  # immutable: sharing is safe and keeps doctree copies cheap


class leaderboard(nodes.General, nodes.Element):
    """Pending leaderboard; attribute ``board`` holds the :class:`Board`."""


# -- the directive -----------------------------------------------------------------------------


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class LeaderboardDirective(SnapshotDirective):
    """``cab-leaderboard``: returns one pending :class:`leaderboard` node (see the module doc).

    Options (every one validated; a bad value is a located ``cab.option`` warning naming the
    allowed values, and the default is used):

    ``:group:`` ``cells`` (default, one row per cell) or ``overview`` (one row per TUI and model);
    ``:sort:`` ``headline`` (default), ``ships``, ``stays``, ``costs`` or an axis (cells only);
    ``:order:`` ``desc`` or ``asc`` (default: best first, so ``asc`` for costs, wall time,
    blast radius and tokens); ``:limit:`` a positive number of rows;
    ``:columns:`` a comma list (see :data:`CELL_COLUMNS`, :data:`OVERVIEW_COLUMNS`; the sort
    column is added when missing); filters ``:tui:``, ``:model:``, ``:behavior-mode:``,
    ``:plugin-stack:``, ``:category:``, ``:task:``, ``:methodology:`` (comma lists of values the
    snapshot contains); ``:snapshot:`` an older snapshot's date; ``:caption:`` the table caption.
    """

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **SnapshotDirective.option_spec,
        "group": directives.unchanged_required,
        "sort": directives.unchanged_required,
        "order": directives.unchanged_required,
        "limit": directives.unchanged_required,
        "columns": directives.unchanged_required,
        "caption": directives.unchanged_required,
        **{name: directives.unchanged_required for name in FILTERS},
    }

    def run(self) -> list[nodes.Node]:
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        group: Group = (
            "overview"
            if self.choice("group", ("cells", "overview"), "cells") == "overview"
            else "cells"
        )
        available = CELL_COLUMNS if group == "cells" else OVERVIEW_COLUMNS
        sortable = CELL_METRICS if group == "cells" else SUMMARY_METRICS
        sort = self.choice("sort", sortable, "headline")
        best_first = "asc" if sort in LOWER_IS_BETTER else "desc"
        order = ORDERS[self.choice("order", tuple(ORDERS), best_first)]
        limit = self._limit()
        columns = self._columns(group, available, sort)
        cells = self._filtered_cells(snapshot)
        board = build_board(
            snapshot,
            cells,
            history=self._history(snapshot),
            group=group,
            columns=columns,
            sort=sort,
            order=order,
            limit=limit,
            caption=self.options.get("caption"),
            command=self.config.cab_command,
        )
        node = leaderboard(board=board)
        self.set_source_info(node)
        return [node]

    def _history(self, snapshot: Snapshot) -> Snapshot:
        """The snapshot whose methodology history explains missing fields: the pinned one (the
        newest history), also when an older snapshot is rendered."""
        if self.options.get("snapshot") is None:
            return snapshot
        from ..store import snapshot_for

        pinned = snapshot_for(self.env, name=None, location=self.get_location())
        return snapshot if pinned is None else pinned

    # option checks: each bad value is one located cab.option warning and the default is used

    def _warn(self, option: str, message: str) -> None:
        warn(f"{self.name} option :{option}: {message}", Subtype.option, self.get_location())

    def _limit(self) -> int | None:
        text = self.options.get("limit")
        if text is None:
            return None
        try:
            value = int(text.strip())
        except ValueError:
            value = 0
        if value < 1:
            self._warn("limit", f"{text!r} is not a positive whole number; showing every row")
            return None
        return value

    def _columns(self, group: Group, available: dict[str, ColumnDef], sort: str) -> list[ColumnDef]:
        text = self.options.get("columns")
        names = list(DEFAULT_COLUMNS[group])
        if text is not None:
            asked = _comma_list(text)
            known = list(dict.fromkeys(name for name in asked if name in available))
            unknown = [name for name in asked if name not in available]
            if unknown or not known:
                consequence = "leaving it out" if known else "using the default columns"
                self._warn(
                    "columns",
                    f"{', '.join(map(repr, unknown)) or repr(text)} is not one of "
                    f"{', '.join(available)} (for :group: {group}); {consequence}",
                )
            if known:
                names = known
        if sort not in names:
            names.append(sort)  # a table is never sorted by a column the reader cannot see
        return [available[name] for name in names]

    def _filtered_cells(self, snapshot: Snapshot) -> tuple[Cell, ...]:
        kept: set[int] | None = None  # positions in snapshot.cells
        for option, column in FILTERS.items():
            text = self.options.get(option)
            if text is None:
                continue
            positions = cell_positions(snapshot, column)
            allowed = sorted(positions)
            asked = _comma_list(text)
            wanted = {value for value in asked if value in positions}
            unknown = [value for value in asked if value not in positions]
            if unknown or not wanted:
                consequence = "leaving it out" if wanted else "not filtering on it"
                self._warn(
                    option,
                    f"{', '.join(map(repr, unknown)) or repr(text)} is not one of "
                    f"{', '.join(allowed)} (the values in snapshot {snapshot.name}); {consequence}",
                )
            if wanted:
                matching = {i for value in wanted for i in positions[value]}
                kept = matching if kept is None else kept & matching
        if kept is None:
            return snapshot.cells
        return tuple(snapshot.cells[i] for i in sorted(kept))


# -- building the board ------------------------------------------------------------------------


def cell_positions(snapshot: Snapshot, column: str) -> dict[str, tuple[int, ...]]:
    """Value of ``column`` -> positions in ``snapshot.cells`` of the cells that have it (cells
    without a value are in none); made once per snapshot, since every task page filters."""

    def make() -> dict[str, tuple[int, ...]]:
        found: dict[str, list[int]] = {}
        for position, cell in enumerate(snapshot.cells):
            value = cell_text(cell, column)
            if value is not None:
                found.setdefault(value, []).append(position)
        return {value: tuple(positions) for value, positions in found.items()}

    return snapshot.view(("cell_positions", column), make)


def cell_text(cell: Cell, column: str) -> str | None:
    """The text value of a cell's ``column`` (key field, category or methodology)."""
    if column == "category":
        return cell.category
    if column == "methodology":
        return cell.methodology_version
    value: str | None = getattr(cell.key, column)
    return value


def metric_of(item: Item, name: str) -> Estimate | None:
    """The estimate ``name`` (headline, ships, stays, costs or an axis) of a cell or group."""
    if name in SUMMARY_METRICS:
        value: Estimate | None = getattr(item, name)
        return value
    axes: Mapping[str, Estimate | None] | None = getattr(item, "axes", None)
    return None if axes is None else axes[name]


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

    def __init__(self, columns: Sequence[ColumnDef], group: Group) -> None:
        self.columns = tuple(columns)
        self.group = group
        names = {c.name for c in columns}
        # n is said once per row (Runs or Cells column), and in a score only where it differs
        self.reference = (
            ("runs" if group == "cells" else "cells") if {"runs", "cells"} & names else None
        )
        if self.reference is not None and self.reference not in names:
            self.reference = None
        self.memo: dict[tuple[Estimate, int, int | None], str] = {}

    def metric_text(self, value: Estimate | None, digits: int, reference_n: int | None) -> str:
        if value is None:
            return MISSING_MARK
        memo_key = (value, digits, reference_n)
        text = self.memo.get(memo_key)
        if text is None:
            text = format_estimate(value, digits)
            if reference_n is not None and value.n != reference_n:
                text += f" (n={value.n})"
            self.memo[memo_key] = text
        return text

    def row(self, item: Item) -> BoardRow:
        if self.group == "cells":
            cell: Cell = item  # type: ignore[assignment]
            counts = {"runs": len(cell.runs), "cells": 1}
            text_of: Callable[[str], str | None] = lambda name: cell_text(cell, name)  # noqa: E731
            key_values: tuple[str | None, ...] | None = cell.key.values()
            anchor: str | None = cell.anchor
        else:
            group: OverviewRow = item  # type: ignore[assignment]
            counts = {"runs": group.runs, "cells": group.cells}
            values = dict(zip(group.fields, group.values, strict=True))
            text_of = values.get
            key_values, anchor = None, None
        reference_n = counts[self.reference] if self.reference else None
        texts: list[str] = []
        sort_values: list[float | None] = []
        for column in self.columns:
            if column.name in counts:
                texts.append(format_count(counts[column.name]))
                sort_values.append(float(counts[column.name]))
            elif column.metric:
                value = metric_of(item, column.name)
                texts.append(self.metric_text(value, column.digits, reference_n))
                sort_values.append(_mean(value))
            else:
                text = text_of(column.name)
                texts.append(MISSING_MARK if text is None else visible_text(text))
                sort_values.append(None)
        return BoardRow(tuple(texts), tuple(sort_values), key_values, anchor)


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
) -> Board:
    """The :class:`Board` for ``cells`` (already filtered) of ``snapshot``; missing key fields
    are explained from the methodology history of ``history`` (default: ``snapshot``)."""
    from ..aggregate import overview

    items: list[Item] = list(cells) if group == "cells" else list(overview(cells))
    total = len(items)
    builder = _RowBuilder(columns, group)
    shown = sort_items(items, sort, order)[:limit]
    if group == "cells":
        # a cell's row is the same on every board with these columns (the full leaderboard and
        # each task page show the same cells): format it once
        done: dict[CellKey, BoardRow] = snapshot.view(
            ("board_rows", tuple(column.name for column in columns)), dict
        )
        rows = tuple(_cell_row(builder, item, done) for item in shown)  # type: ignore[arg-type]
    else:
        rows = tuple(builder.row(item) for item in shown)
    missing_fields = [
        field.name
        for index, field in enumerate(KEY_FIELDS)
        if any(row.key_values is not None and row.key_values[index] is None for row in rows)
    ]
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
            (name, missing_explanation(name, history or snapshot)) for name in missing_fields
        ),
        has_missing_scores=any(
            text == MISSING_MARK
            for row in rows
            for text, c in zip(row.texts, columns, strict=True)
            if c.metric
        ),
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


# -- the generic tree for non-HTML builders ----------------------------------------------------


def legend_text(board: Board) -> str:
    """What the dashes of a table mean, said once below it (empty when there are none)."""
    parts: list[str] = []
    if board.has_missing_scores:
        parts.append(f"{MISSING_MARK} in a score: no run of that row recorded the value.")
    if board.missing_notes:
        fields = "; ".join(
            f"{FIELD_BY_NAME[name].label} ({name}, {FIELD_BY_NAME[name].flag}): {why}"
            for name, why in board.missing_notes
        )
        parts.append(
            f"Some cells did not record every key field: they show {MISSING_MARK} for it, and "
            f"their reproduce command leaves its flag out, so a rerun may differ there. {fields}."
        )
    return " ".join(parts)


def _entry(text: str, classes: list[str]) -> nodes.entry:
    if text == MISSING_MARK:
        content: nodes.Node = nodes.inline(text, text, classes=["cab-missing"])
    else:
        content = nodes.Text(text)
    return nodes.entry("", nodes.paragraph("", "", content), classes=classes)


def _key_values(key: CellKey, notes: dict[str, str]) -> nodes.field_list:
    field_list = nodes.field_list(classes=["cab-key-values"])
    for field in KEY_FIELDS:
        value = getattr(key, field.name)
        paragraph = nodes.paragraph()
        if value is None:
            paragraph += nodes.inline(MISSING_MARK, MISSING_MARK, classes=["cab-missing"])
            paragraph += nodes.inline("", f" ({notes[field.name]})", classes=["cab-missing-note"])
        else:
            paragraph += value_literal(value)
        field_list += nodes.field(
            "",
            nodes.field_name(field.name, field.name),
            nodes.field_body("", paragraph),
            classes=[f"cab-key-{field.name}"],
        )
    return field_list


def provenance_container(key: CellKey, anchor: str | None, board: Board) -> nodes.container:
    """``container.cab-cell-provenance``: the nine values and the reproduce command."""
    from ..render import repro_block

    container = nodes.container(classes=["cab-cell-provenance"], ids=[anchor] if anchor else [])
    container += _key_values(key, dict(board.missing_notes))
    container.extend(repro_block(key, board.command))
    return container


def column_widths(board: Board) -> list[int]:
    """Column widths in characters (the text builder uses them as such; LaTeX as proportions)."""
    widths = [
        max(len(column.label), *(len(row.texts[index]) for row in board.rows), 3)
        for index, column in enumerate(board.columns)
    ]
    widths = [min(width, 40) for width in widths]
    if board.has_provenance:
        widths.append(PROVENANCE_WIDTH)
    return widths


PROVENANCE_WIDTH = 60


def generic_table(board: Board, used_ids: set[str], *, inline: bool = True) -> list[nodes.Node]:
    """The generic docutils tree of ``board`` (see the module doc).

    ``inline=False`` (the text and LaTeX builders, see :class:`ExpandLeaderboardsForText`)
    numbers the rows in a first ``#`` column and puts each row's provenance after the table
    instead, headed by that number. Ids already in ``used_ids`` are left out so
    a cell shown twice on a page keeps one anchor.
    """
    provenance_column = board.has_provenance and inline
    numbered = board.has_provenance and not inline
    table = nodes.table(classes=["cab-table", "cab-leaderboard"])
    table += nodes.title(board.caption, board.caption)
    widths = column_widths(board)
    if not provenance_column and board.has_provenance:
        widths.pop()
    if numbered:
        widths.insert(0, max(len(str(len(board.rows))), 1))
    group = nodes.tgroup(cols=len(widths))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    header = nodes.row()
    if numbered:
        header += _entry("#", [])
    for index, column in enumerate(board.columns):
        classes = ["cab-sortable"] + (["cab-nerd"] if column.nerd else [])
        if index == board.sort_column:
            classes.append(f"cab-sorted-{board.order}")
        header += _entry(column.label, classes)
    if provenance_column:
        header += _entry("Provenance", [])
    group += nodes.thead("", header)
    body = nodes.tbody()
    group += body
    nerd = [["cab-nerd"] if c.nerd else [] for c in board.columns]
    after: list[nodes.Node] = []
    for number, board_row in enumerate(board.rows, start=1):
        row = nodes.row()
        if numbered:
            row += _entry(str(number), [])
        for text, sort_value, classes in zip(
            board_row.texts, board_row.sort_values, nerd, strict=True
        ):
            entry = _entry(text, classes)
            if sort_value is not None:
                entry["cab_sort"] = sort_value
            row += entry
        key = board_row.key
        if key is not None:
            anchor = board_row.anchor if board_row.anchor not in used_ids else None
            if anchor:
                used_ids.add(anchor)
            container = provenance_container(key, anchor, board)
            if provenance_column:
                row += nodes.entry("", container)
            else:
                label = f"{number}. " + " ".join(
                    t for t, c in zip(board_row.texts, board.columns, strict=True) if not c.metric
                )
                after.append(nodes.paragraph(label, label, classes=["cab-row-label"]))
                after.append(container)
        body += row
    result: list[nodes.Node] = [table]
    legend = legend_text(board)
    if legend:
        result.append(nodes.paragraph(legend, legend, classes=["cab-legend"]))
    return result + after


def document_ids(document: nodes.document) -> set[str]:
    return {i for node in document.findall(nodes.Element) for i in node["ids"]}


class ExpandLeaderboards(SphinxPostTransform):
    """Replaces each pending :class:`leaderboard` left after the HTML step by its generic tree."""

    default_priority = 6  # after the HTML step (5), before reference resolution (10)
    inline = True

    def run(self, **kwargs: Any) -> None:
        pending = list(self.document.findall(leaderboard))
        if not pending:
            return
        used = document_ids(self.document)
        for node in pending:
            node.replace_self(generic_table(node["board"], used, inline=self.inline))


class ExpandLeaderboardsForText(ExpandLeaderboards):
    """The text and LaTeX variant: provenance after the table (see :func:`generic_table`).

    The text writer re-wraps table cells, which breaks commands; LaTeX sets each cell's content
    in a box, and 1,155 boxes holding a field list and a code block exceed TeX's main memory."""

    default_priority = 5
    formats = ("text", "latex")
    inline = False


def setup(app: Sphinx) -> None:
    app.add_directive("cab-leaderboard", LeaderboardDirective)
    skip = SKIP
    app.add_node(leaderboard, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(ExpandLeaderboardsForText)
    app.add_post_transform(ExpandLeaderboards)
