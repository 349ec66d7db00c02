"""The generic tree of a leaderboard, for every builder but the HTML ones.

:class:`ExpandLeaderboards` replaces each pending node left after the HTML step with::

      table.cab-table.cab-leaderboard
        title                                  (the caption)
        tgroup > thead > row > entry*          (entry.cab-sortable, entry.cab-nerd where so)
               > tbody > row*  > entry*        (paragraph > Text, or inline.cab-missing "—")
                                 (the first entry also holds each mark of the row:
                                  inline.cab-mark.cab-failure.cab-failure-<kind>, and
                                  pending_xref > inline.cab-mark.cab-exploit to the ledger)
                                 entry         (last column, cells only:)
                                   container.cab-cell-provenance (ids: the cell's anchor)
                                     bullet_list.cab-row-notes   (failed runs, exploits)
                                     field_list.cab-key-values   (the nine fields)
                                     literal_block.cab-repro     (the reproduce command)
                                     paragraph.cab-unpinned      (when fields are missing)
      paragraph.cab-legend                     (what a dash means, once per table)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ...render import exploit_reference, key_values_field_list, missing_mark, repro_block
from ...snapshot.keys import MISSING_MARK
from .board import Board, BoardRow, leaderboard
from .marks import legend_text

if TYPE_CHECKING:
    from ...snapshot.model import CellKey
    from .marks import RowNotes


def _entry(text: str, classes: list[str]) -> nodes.entry:
    content = missing_mark() if text == MISSING_MARK else nodes.Text(text)
    return nodes.entry("", nodes.paragraph("", "", content), classes=classes)


def mark_nodes(notes: RowNotes) -> list[nodes.Node]:
    """A row's marks after its first value: failure badges, and exploit marks as references the
    cab domain resolves to the ledger entry."""
    found: list[nodes.Node] = []
    for mark in notes.marks:
        found.append(nodes.Text(" "))
        if mark.exploit is None:
            found.append(nodes.inline(mark.text, mark.text, classes=mark.classes.split()))
        else:
            found.append(exploit_reference(mark.exploit, mark.text, mark.classes.split()))
    return found


def provenance_container(
    key: CellKey, anchor: str | None, board: Board, notes: RowNotes | None = None
) -> nodes.container:
    """``container.cab-cell-provenance``: the failed runs' details and exploits, the nine values
    (a missing one explained for this cell's methodology) and the reproduce command."""
    container = nodes.container(classes=["cab-cell-provenance"], ids=[anchor] if anchor else [])
    if notes is not None and notes.details:
        items = nodes.bullet_list(classes=["cab-row-notes"])
        for line in notes.details:
            items += nodes.list_item("", nodes.paragraph(line, line))
        container += items
    container += key_values_field_list(key, dict(notes.missing if notes else board.missing_notes))
    container.extend(repro_block(key, board.command))
    return container


def column_widths(board: Board) -> list[int]:
    """Column widths in characters (the text builder uses them as such; LaTeX as proportions)."""
    widths = [
        max(len(column.label), *(len(row.texts[index]) for row in board.rows), 3)
        for index, column in enumerate(board.columns)
    ]
    if widths and board.rows:  # the first column also holds each row's marks
        widths[0] = max(widths[0], *(len(_shown_first(row)) for row in board.rows))
    widths = [min(width, 40) for width in widths]
    if board.has_provenance:
        widths.append(PROVENANCE_WIDTH)
    return widths


PROVENANCE_WIDTH = 60


def _shown_first(row: BoardRow) -> str:
    marks = row.notes.marks if row.notes else ()
    return " ".join([row.texts[0], *(mark.text for mark in marks)])


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
        for index, (text, sort_value, classes) in enumerate(
            zip(board_row.texts, board_row.sort_values, nerd, strict=True)
        ):
            entry = _entry(text, classes)
            if sort_value is not None:
                entry["cab_sort"] = sort_value
            if index == 0 and board_row.notes and board_row.notes.marks:
                paragraph = entry[0]
                assert isinstance(paragraph, nodes.paragraph)
                paragraph.extend(mark_nodes(board_row.notes))
            row += entry
        key = board_row.key
        if key is not None:
            anchor = board_row.anchor if board_row.anchor not in used_ids else None
            if anchor:
                used_ids.add(anchor)
            container = provenance_container(key, anchor, board, board_row.notes)
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
    in a box, and a thousand boxes holding a field list and a code block exceed TeX's main
    memory."""

    default_priority = 5
    formats = ("text", "latex")
    inline = False
