"""``cab-diff``: what changed between two snapshots (:mod:`..snapshot.diff` finds it).

Node tree (each table a pending :class:`~..tables.data_table`, written by :mod:`..tables` as
finished HTML for HTML formats and as the generic table for every other builder)::

    container.cab-diff
      paragraph.cab-diff-summary        both snapshots (``{cab:snapshot}`` links to their
                                        receipts), cells added, removed, re-pinned, in both
      table.cab-diff-methodology        version, date, what changed, fields introduced
                                        (or paragraph.cab-diff-none)
      table.cab-diff-pairs              per TUI and model: headline in each, change, verdict
      table.cab-diff-cells              per cell in both: the same columns
      table.cab-diff-added              cells only in the newer snapshot: cell, runs, headline
      table.cab-diff-removed            cells only in the older snapshot
      table.cab-diff-repinned           cells whose key differs only in provenance fields
      paragraph.cab-diff-legend         the verdicts, the estimators and the sort

``:parts:`` picks and orders the parts; an empty list of cells is a sentence, not a table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx import addnodes

from ..config import cab_config
from ..domain import OPTIONAL, add_directive
from ..options import Option
from ..render import (
    SnapshotDirective,
    checked_words,
    filter_options,
    value_literal,
    visible_text,
)
from ..snapshot.diff import VERDICTS, diff
from ..snapshot.formats import format_change, format_count
from ..snapshot.index import full_name
from ..snapshot.keys import FIELD_BY_NAME, MISSING_MARK
from ..snapshot.metrics import METRICS
from ..tables import DataTable, Missing, Value, Words, pending_table, words
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..snapshot.diff import Change, SnapshotDiff
    from ..snapshot.model import Cell, CellKey, Estimate, Snapshot
    from ..tables import Cell as TableCell

PARTS: tuple[str, ...] = (
    "summary",
    "methodology",
    "pairs",
    "cells",
    "added",
    "removed",
    "repinned",
    "legend",
)
METRIC = "headline"


def _name(values: Sequence[str | None]) -> str:
    return "/".join(value or MISSING_MARK for value in values[:5])


class DiffDirective(SnapshotDirective):
    """What changed between two snapshots (by default the newest older snapshot and the pinned
    one): the cells added and removed (by the 9-field key), cells whose key changed only in
    provenance fields, the methodology versions between them, and the headline of every TUI
    and model pair and every cell in both, with its change and whether the two 95% intervals
    separate ("moved"), overlap ("within noise") or one side has none ("no interval"), largest
    change first. Both snapshots link to their receipts. The filters are the leaderboard's."""

    example: ClassVar[str] = (
        ":::{cab-diff}\n:from: 2026-05-27\n:parts: summary methodology pairs\n:tui: aider\n:::"
    )
    """What a page writes to use it (MyST), shown in the reference."""

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "from": Option(
            "the ``snapshot_date`` of the snapshot to compare from",
            default="the newest older snapshot ``meta.json`` lists",
        ),
        "to": Option(
            "the ``snapshot_date`` of the snapshot to compare to", default="the pinned snapshot"
        ),
        "parts": Option(
            "the parts to show, space-separated, in that order",
            PARTS,
            "all of them",
        ),
        "limit": Option(
            "a positive whole number: the most rows each table of cells shows (the table of "
            "TUI and model pairs shows every pair)",
            default="every row",
        ),
        **filter_options("either snapshot"),
    }

    def run(self) -> list[nodes.Node]:
        text = self.options.get("parts")
        parts = checked_words(text, "parts", PARTS, self.get_location()) if text else PARTS
        pair = self._snapshots()
        if pair is None:
            return [nodes.paragraph("", "", *self._marker())]
        before, after = pair
        old_cells, new_cells = self.filtered_cells(before, after)
        found = diff(before, after, old_cells, new_cells, METRIC)
        writer = _Writer(found, cab_config(self.config).digits, self._limit(), self.env.docname)
        container = nodes.container(classes=["cab-diff"])
        self.set_source_info(container)
        for part in parts:
            for node in getattr(writer, part)():
                self.set_source_info(node)
                container += node
        return [container]

    def _marker(self) -> list[nodes.Node]:
        text = "[the snapshot diff is not available]"
        return [nodes.inline(text, text, classes=["cab-problem"])]

    def _snapshots(self) -> tuple[Snapshot, Snapshot] | None:
        """The two snapshots, ``:from:`` then ``:to:``; ``None`` after a located warning when
        either is not one the site has."""
        from ..store import loaded_for, snapshot_for

        # the pinned snapshot's meta.json lists the others: the page depends on it either way
        if snapshot_for(self.env, name=None, location=self.get_location()) is None:
            return None
        loaded = loaded_for(self.env)
        if loaded is None:
            return None
        to_name = (self.options.get("to") or "").strip() or loaded.pinned.name
        from_name = (self.options.get("from") or "").strip()
        if not from_name:
            older = [name for name in loaded.names if name < to_name]
            if not older:
                self._unknown("from", f"no snapshot older than {to_name} is listed")
                return None
            from_name = max(older)
        for option, name in (("to", to_name), ("from", from_name)):
            if loaded.get(name) is None:
                self._unknown(option, f"{name!r} is not a snapshot this site has")
                return None
        location = self.get_location()
        before = snapshot_for(self.env, name=from_name, location=location)
        after = snapshot_for(self.env, name=to_name, location=location)
        if before is None or after is None:
            return None
        return before, after

    def _unknown(self, option: str, problem: str) -> None:
        from ..store import loaded_for

        loaded = loaded_for(self.env)
        known = ", ".join(loaded.names) if loaded is not None else ""
        warn(
            f"{self.name} option :{option}: {problem} (known snapshots: {known}); the diff is "
            "not shown",
            Subtype.snapshot,
            self.get_location(),
        )

    def _limit(self) -> int | None:
        text = self.options.get("limit")
        if text is None:
            return None
        try:
            value = int(text.strip())
        except ValueError:
            value = 0
        if value < 1:
            warn(
                f"{self.name} option :limit: {text!r} is not a positive whole number; showing "
                "every row",
                Subtype.option,
                self.get_location(),
            )
            return None
        return value


class _Writer:
    """The nodes of each part of one diff."""

    def __init__(
        self, found: SnapshotDiff, digits: int | None, limit: int | None, docname: str
    ) -> None:
        self.found = found
        self.digits = digits
        self.limit = limit
        self.docname = docname
        self.metric = METRICS[found.metric]

    # -- prose ---------------------------------------------------------------------------------

    def _receipt_link(self, name: str) -> addnodes.pending_xref:
        return addnodes.pending_xref(
            "",
            value_literal(name),
            refdomain="cab",
            reftype="snapshot",
            reftarget=name,
            refexplicit=True,
            refwarn=False,
            refdoc=self.docname,
            **{OPTIONAL: True},
        )

    def summary(self) -> list[nodes.Node]:
        found = self.found
        paragraph = nodes.paragraph(classes=["cab-diff-summary"])
        paragraph += nodes.Text("From snapshot ")
        paragraph += self._receipt_link(found.before)
        paragraph += nodes.Text(self._version(found.before_version) + " to snapshot ")
        paragraph += self._receipt_link(found.after)
        paragraph += nodes.Text(
            f"{self._version(found.after_version)}: {format_count(len(found.added))} cells "
            f"added, {format_count(len(found.removed))} removed, "
            f"{format_count(len(found.repinned))} whose key changed only in provenance fields, "
            f"{format_count(found.common)} in both."
        )
        return [paragraph]

    @staticmethod
    def _version(version: str | None) -> str:
        return "" if version is None else f" (methodology {visible_text(version)})"

    def legend(self) -> list[nodes.Node]:
        found = self.found
        verdicts = "; ".join(f"{name}: {meaning}" for name, meaning in VERDICTS.items())
        text = (
            f"Change is the {self.metric.label.lower()} in {found.after} minus the one in "
            f"{found.before}; rows are sorted by the size of the change, largest first. "
            f"Verdicts: {verdicts}. Intervals are 95%: per cell, {self.metric.estimator_name()}; "
            f"{self.metric.estimator_name(True)}."
        )
        return [nodes.paragraph(text, text, classes=["cab-diff-legend"])]

    def _none(self, text: str) -> list[nodes.Node]:
        return [nodes.paragraph(text, text, classes=["cab-diff-none"])]

    # -- tables --------------------------------------------------------------------------------

    def _caption(self, text: str, total: int, limited: bool = True) -> tuple[str, int]:
        shown = total if self.limit is None or not limited else min(self.limit, total)
        if shown == total:
            return f"{text} ({format_count(total)})", shown
        return f"{text} ({format_count(shown)} of {format_count(total)})", shown

    def _estimate(self, value: Estimate | None, unit: str) -> TableCell:
        if value is None:
            return words(Missing())
        return words(Words(self.metric.format(value, self.digits, unit)))

    def _change_cells(self, change: Change, unit: str) -> tuple[TableCell, ...]:
        delta = change.delta
        return (
            self._estimate(change.before, unit),
            self._estimate(change.after, unit),
            words(Missing())
            if delta is None
            else words(Words(format_change(delta, self.metric.digits_for(self.digits)))),
            words(Words(change.verdict)),
        )

    def _change_header(self) -> tuple[str, ...]:
        label = self.metric.label
        return (f"{label} {self.found.before}", f"{label} {self.found.after}", "Change", "Verdict")

    def methodology(self) -> list[nodes.Node]:
        found = self.found
        if not found.versions:
            version = found.after_version or found.before_version or MISSING_MARK
            return self._none(
                f"No methodology change between {found.before} and {found.after} "
                f"(methodology {visible_text(version)})."
            )
        rows = tuple(
            (
                words(Value(entry.version)),
                words(Value(entry.date.isoformat())),
                words(Words(entry.changes)),
                words(*_joined(entry.fields_introduced)),
            )
            for entry in found.versions
        )
        table = DataTable(
            caption=f"Methodology changes between {found.before} and {found.after}",
            header=("Version", "Date", "What changed", "Fields introduced"),
            widths=(10, 12, 50, 28),
            classes=("cab-prose", "cab-diff-methodology"),
            rows=rows,
        )
        return [pending_table(table)]

    def pairs(self) -> list[nodes.Node]:
        changes = self.found.pairs
        if not changes:
            return self._none("No TUI and model pair in either snapshot.")
        caption, shown = self._caption(
            f"{self.metric.label} per TUI and model", len(changes), limited=False
        )
        rows = tuple(
            (
                *(words(Value(value or MISSING_MARK)) for value in c.values),
                *self._change_cells(c, "task"),
            )
            for c in changes[:shown]
        )
        table = DataTable(
            caption=caption,
            header=("TUI", "Model", *self._change_header()),
            widths=(12, 22, 20, 20, 10, 16),
            classes=("cab-diff-pairs",),
            rows=rows,
        )
        return [pending_table(table)]

    def cells(self) -> list[nodes.Node]:
        changes = self.found.cells
        if not changes:
            return self._none("No cell is in both snapshots.")
        caption, shown = self._caption(f"{self.metric.label} per cell in both", len(changes))
        rows = tuple(
            (words(Value(_name(c.values))), *self._change_cells(c, "run")) for c in changes[:shown]
        )
        table = DataTable(
            caption=caption,
            header=("Cell", *self._change_header()),
            widths=(40, 18, 18, 10, 14),
            classes=("cab-diff-cells",),
            rows=rows,
        )
        return [pending_table(table)]

    def _cell_list(self, cells: Sequence[Cell], title: str, kind: str) -> list[nodes.Node]:
        if not cells:
            return self._none(f"No cells {kind}.")
        caption, shown = self._caption(title, len(cells))
        rows = tuple(
            (
                words(Value(full_name(cell))),
                words(Words(format_count(len(cell.runs)))),
                self._estimate(self.metric.estimate(cell), "run"),
            )
            for cell in cells[:shown]
        )
        table = DataTable(
            caption=caption,
            header=("Cell", "Runs", self.metric.label),
            widths=(60, 10, 30),
            classes=(f"cab-diff-{kind}",),
            rows=rows,
        )
        return [pending_table(table)]

    def added(self) -> list[nodes.Node]:
        found = self.found
        title = f"Cells added in {found.after} (not in {found.before})"
        return self._cell_list(found.added, title, "added")

    def removed(self) -> list[nodes.Node]:
        found = self.found
        title = f"Cells removed since {found.before} (not in {found.after})"
        return self._cell_list(found.removed, title, "removed")

    def repinned(self) -> list[nodes.Node]:
        found = self.found.repinned
        if not found:
            return self._none("No cell's key changed only in provenance fields.")
        caption, shown = self._caption(
            "Cells whose key changed only in provenance fields", len(found)
        )
        rows = tuple(
            (
                words(Value(_name(pair.before.values()))),
                words(*_joined(pair.fields)),
                _provenance(pair.before, pair.fields),
                _provenance(pair.after, pair.fields),
            )
            for pair in found[:shown]
        )
        table = DataTable(
            caption=caption,
            header=("Cell", "Fields", self.found.before, self.found.after),
            widths=(34, 18, 24, 24),
            classes=("cab-diff-repinned",),
            rows=rows,
        )
        return [pending_table(table)]


def _joined(names: Sequence[str]) -> list[Words | Value | Missing]:
    parts: list[Words | Value | Missing] = []
    for position, name in enumerate(names):
        if position:
            parts.append(Words(", "))
        parts.append(Value(name))
    return parts or [Missing()]


def _provenance(key: CellKey, fields: Sequence[str]) -> TableCell:
    parts: list[Words | Value | Missing] = []
    for position, name in enumerate(fields):
        if position:
            parts.append(Words("; "))
        parts.append(Words(f"{FIELD_BY_NAME[name].label}: "))
        value = getattr(key, name)
        parts.append(Missing() if value is None else Value(value))
    return words(*parts)


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-diff", DiffDirective)
