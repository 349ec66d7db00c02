"""``cab-leaderboard``: the directive, which checks its options and returns one pending node."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ...config import cab_config
from ...directive_base import SnapshotDirective
from ...domain import cab_domain, cell_reference_name
from ...filters import comma_list, failures_option, filter_options
from ...options import Option, choice_option
from ...snapshot.aggregate import cells_for_failures
from .board import (
    CELL_COLUMNS,
    CELL_METRICS,
    DEFAULT_COLUMNS,
    LOWER_IS_BETTER,
    ORDERS,
    OVERVIEW_COLUMNS,
    SUMMARY_METRICS,
    ColumnDef,
    Group,
    build_board,
    leaderboard,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes

    from ...snapshot.model import Snapshot


class LeaderboardDirective(SnapshotDirective):
    """A sortable leaderboard with a 95% interval on every score: one row per cell (a TUI and model
    on one task) or, with ``:group: overview``, per TUI and model pair. Rows can be filtered by
    any key field, sorted by any metric and cut to ``:limit:``; in the Nerds view each row
    discloses its nine key values and the command that reruns it. A value outside an option's
    allowed values is a warning, and the default is used; a filter value that matches no cell
    matches nothing."""

    example: ClassVar[str] = (
        ":::{cab-leaderboard}\n:group: cells\n:tui: aider\n:sort: ships\n:limit: 10\n:::"
    )
    """What a page writes to use it (MyST), shown in the reference."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **SnapshotDirective.option_spec,
        "group": choice_option(
            "one row per cell, or per TUI and model pair", ("cells", "overview"), "cells"
        ),
        "sort": Option(
            "the metric the rows are sorted by (the four summaries only for ``overview``)",
            CELL_METRICS,
            "``headline``",
            fallback="headline",
        ),
        "order": Option(
            "the sort direction",
            tuple(ORDERS),
            "best first: ``asc`` for the metrics where lower is better ("
            + ", ".join(f"``{name}``" for name in CELL_METRICS if name in LOWER_IS_BETTER)
            + "), else ``desc``",
        ),
        "limit": Option("a positive whole number of rows to show", default="every row"),
        "columns": Option(
            "a comma list of columns; the sort column is added when missing",
            tuple(CELL_COLUMNS),
            "for ``cells``: "
            + ", ".join(DEFAULT_COLUMNS["cells"])
            + "; for ``overview``: "
            + ", ".join(DEFAULT_COLUMNS["overview"]),
        ),
        "caption": Option("the table caption", default="the snapshot, row count and sort"),
        "failures": failures_option(),
        **filter_options("table"),
    }

    def run(self) -> list[nodes.Node]:
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        group: Group = "overview" if self.choice("group") == "overview" else "cells"
        available = CELL_COLUMNS if group == "cells" else OVERVIEW_COLUMNS
        sortable = CELL_METRICS if group == "cells" else SUMMARY_METRICS
        sort = self.choice("sort", sortable)
        best_first = "asc" if sort in LOWER_IS_BETTER else "desc"
        order = ORDERS[self.choice("order", tuple(ORDERS), best_first)]
        limit = self.row_limit()
        columns = self._columns(group, available, sort)
        failures = self.failure_mode()
        (cells,) = self.filtered_cells(snapshot, pools=(cells_for_failures(snapshot, failures),))
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
            command=cab_config(self.config).command,
            digits=cab_config(self.config).digits,
            failures=failures,
        )
        node = leaderboard(board=board)
        self.set_source_info(node)
        if group == "cells" and self.options.get("snapshot") is None:
            # HTML rows carry no ids, so these cells link to the leaderboard's page
            domain = cab_domain(self.env)
            for row in board.rows:
                if row.key is not None:
                    domain.note_object("cell", cell_reference_name(snapshot, row.key), "", 1)
        if group == "cells":
            # the exploit marks link to the ledger's entries (resolved when pages are written)
            domain = cab_domain(self.env)
            for row in board.rows:
                for mark in row.notes.marks if row.notes else ():
                    if mark.exploit is not None:
                        domain.note_reference("exploit", mark.exploit)
        return [node]

    def _history(self, snapshot: Snapshot) -> Snapshot:
        """The snapshot whose methodology history explains missing fields: the pinned one (the
        newest history), also when an older snapshot is rendered."""
        if self.options.get("snapshot") is None:
            return snapshot
        from ...store import snapshot_for

        pinned = snapshot_for(self.env, name=None, location=self.get_location())
        return snapshot if pinned is None else pinned

    # option checks: each bad value is one located cab.option warning and the default is used

    def _columns(self, group: Group, available: dict[str, ColumnDef], sort: str) -> list[ColumnDef]:
        text = self.options.get("columns")
        names = list(DEFAULT_COLUMNS[group])
        if text is not None:
            asked = comma_list(text)
            known = list(dict.fromkeys(name for name in asked if name in available))
            unknown = [name for name in asked if name not in available]
            if unknown or not known:
                consequence = "leaving it out" if known else "using the default columns"
                self.warn_option(
                    "columns",
                    f"{', '.join(map(repr, unknown)) or repr(text)} is not one of "
                    f"{', '.join(available)} (for :group: {group}); {consequence}",
                )
            if known:
                names = known
        if sort not in names:
            names.append(sort)  # a table is never sorted by a column the reader cannot see
        return [available[name] for name in names]
