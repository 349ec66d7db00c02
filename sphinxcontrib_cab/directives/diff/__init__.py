"""``cab-diff``: what changed between two snapshots (:mod:`...snapshot.diff` finds it).

Node tree (each table a pending :class:`~...tables.data_table`, written by :mod:`...tables` as
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
      table.cab-diff-repinned           cells whose key differs only in provenance fields:
                                        each changed field (old -> new), the headline columns
      paragraph.cab-diff-legend         the verdicts, the estimators and the sort

``:parts:`` picks and orders the parts; an empty list of cells is a sentence, not a table.
:mod:`.directive` checks the options and finds the two snapshots, :mod:`.parts` builds the nodes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain import add_directive
from .directive import DiffDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-diff", DiffDirective)
