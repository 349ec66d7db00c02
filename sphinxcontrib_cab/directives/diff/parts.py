"""The nodes of each part of a ``cab-diff`` (see the package doc for the tree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from ...render import OPTIONAL, value_literal, visible_text
from ...snapshot.diff import VERDICTS
from ...snapshot.formats import format_change, format_count
from ...snapshot.index import full_name
from ...snapshot.keys import FIELD_BY_NAME, MISSING_MARK
from ...snapshot.metrics import METRICS
from ...tables import DataTable, Missing, Paragraph, Value, Words, pending_table, words

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...snapshot.diff import Change, SnapshotDiff
    from ...snapshot.model import Cell, CellKey, Estimate
    from ...tables import Cell as TableCell

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
"""What a diff can show, in the default order (each a method of :class:`DiffParts`)."""
METRIC = "headline"
"""The metric a diff compares."""


def _name(values: Sequence[str | None]) -> str:
    return "/".join(value or MISSING_MARK for value in values[:5])


class DiffParts:
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
                _provenance(pair.before, pair.after, pair.fields),
                *self._change_cells(pair.change, "run"),
            )
            for pair in found[:shown]
        )
        table = DataTable(
            caption=caption,
            header=("Cell", "What changed", *self._change_header()),
            # wide enough for a quoted sha256 digest, which the text builder must not cut
            widths=(26, 74, 14, 14, 8, 8),
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


def _provenance(before: CellKey, after: CellKey, fields: Sequence[str]) -> TableCell:
    """One paragraph per changed field: its label, the old value, an arrow, the new value."""
    rows = []
    for name in fields:
        parts: list[Words | Value | Missing] = [Words(f"{FIELD_BY_NAME[name].label}: ")]
        for position, key in enumerate((before, after)):
            if position:
                parts.append(Words(" \u2192 "))
            value = getattr(key, name)
            parts.append(Missing() if value is None else Value(value))
        rows.append(Paragraph(tuple(parts)))
    return tuple(rows)
