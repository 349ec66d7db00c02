"""The HTML writer of leaderboards (html, dirhtml, singlehtml, epub).

Leaderboard markup, per table::

    div.cab-board
      div.cab-scroll (role=region, labelled by the caption, keyboard scrollable)
        table.cab-table.cab-leaderboard.cab-nerd-<n>.cab-num-<n>
              data-cab-fields / data-cab-argstart / data-cab-missing   (said once per table)
          caption
          thead > tr > th[scope=col].cab-sortable (aria-sort on the sorted one) > button.cab-sort
          tbody > tr > th[scope=row] (then the row's marks: span.cab-mark.cab-failure.cab-failure-
                                      <kind>, a > span.cab-mark.cab-exploit to the ledger entry),
                       td* (td.cab-na / td.cab-missing carry a title saying what the mark means;
                       td[data-tie]: the place of the value behind a rounded score among the
                       values shown as the same number; a score's interval in a small, shown
                       under its mean),
                       td > details.cab-popover > summary[title], ul.cab-row-notes (failed runs'
                                      details, exploits), pre.cab-repro (the command)
      p.cab-legend   (what a dash means, the failure mode and kinds shown, the exploit marks,
                      which flags commands leave out and why)

Page weight: a row carries its visible values and its reproduce command once, and nothing else.
The command already holds all nine values, so ``cab.js`` builds the copyable list of the nine
values (with copy buttons and the dashes of missing fields) from the command when a popover first
opens, names each popover after its row, and reads column roles (Nerds-only, numeric) from the
table's classes. Row ids, per-cell classes and per-row labels would repeat on every row and made
up about a third of the gzipped page. Without JavaScript the disclosure still opens and shows the
command, so every value stays readable; the legend says once what a missing flag means.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ...design import design_badge_classes, design_loaded
from ...html import Escaper, attr, cab_html, copy_button_html, missing_html, text
from ...render import exploit_reference, value_literal
from ...snapshot.keys import (
    KEY_FIELDS,
    MISSING_MARK,
    NOT_APPLICABLE_MARK,
    NOT_APPLICABLE_WHY,
    NOT_RECORDED_WHY,
)
from ...snapshot.reproduce import UnreproducibleValue, reproduce_command
from .board import Board, BoardRow, leaderboard
from .marks import legend_text
from .sorting import row_sorting, sort_columns

if TYPE_CHECKING:
    from ...snapshot.model import CellKey
    from .marks import RowNotes


def column_classes(board: Board) -> list[str]:
    """Table classes naming the 1-based positions of Nerds-only and numeric columns.

    ``cab.css`` hides ``cab-nerd-<n>`` columns in the Normal view and right-aligns ``cab-num-<n>``
    columns with ``:nth-child`` rules, so no body cell needs a class of its own.
    """
    classes: list[str] = []
    for position, column in enumerate(board.columns, start=1):
        if column.nerd:
            classes.append(f"cab-nerd-{position}")
        if column.metric:
            classes.append(f"cab-num-{position}")
    return classes


def _header(board: Board) -> str:
    cells: list[str] = []
    for index, column in enumerate(board.columns):
        classes = ["cab-sortable"]
        if column.metric:
            classes.append("cab-num")
        if column.nerd:
            classes.append("cab-nerd")
        sort = f' aria-sort="{board.order}"' if index == board.sort_column else ""
        cells.append(
            f'<th scope="col" class="{" ".join(classes)}"{sort}>'
            f'<button type="button" class="cab-sort">{text(column.label)}</button></th>'
        )
    if board.has_provenance:
        cells.append('<th scope="col" class="cab-prov"><span class="cab-sr">Provenance</span></th>')
    return "<thead><tr>" + "".join(cells) + "</tr></thead>"


def _table_data(board: Board) -> str:
    """The table attributes ``cab.js`` builds the popover lists from (said once per table)."""
    if not board.has_provenance:
        return ""
    fields = [[f.name, f.label, f.flag] for f in KEY_FIELDS]
    try:
        argstart = len(shlex.split(board.command))
    except ValueError:
        argstart = len(board.command.split())
    missing = dict(board.missing_notes)
    return (
        f' data-cab-fields="{attr(json.dumps(fields, ensure_ascii=False))}"'
        f' data-cab-argstart="{argstart}"'
        f' data-cab-missing="{attr(json.dumps(missing, ensure_ascii=False, sort_keys=True))}"'
    )


def score_html(value: str, esc: Escaper) -> str:
    """A score cell's escaped text, its interval ``[low, high]`` in a ``small`` that ``cab.css``
    sets on a line of its own (never broken), so score columns stay narrow."""
    mean, bracket, interval = value.partition(" [")
    if not bracket:
        return esc[value]
    inside, closed, after = interval.partition("]")
    # a note after the bracket, such as "(n=14)", stays outside it, free to wrap
    return f"{esc[mean]} <small>[{esc[inside + closed]}</small>{esc[after]}"


POPOVER_OPEN = (
    '<td><details class="cab-popover"><summary title="Provenance"></summary>'
    '<pre class="cab-repro" tabindex="0">'
)
POPOVER_CLOSE = "</pre></details></td>"
"""Every row repeats these, so they are as short as the contract allows: no wrapper, no cell
class (CSS finds the last column through the table), and the popover's accessible name comes from
``title`` until ``cab.js`` replaces it by one naming the row."""


class _RowWriter:
    """Writes the ``<tr>`` of each row; keeps the per-table lookups in one place.

    Body cells carry no id and no class (except ``cab-missing`` on a dash): the column classes
    sit on the table, and ``cab.js`` names each popover after its row's visible values when the
    page loads. Both would otherwise repeat per row and weigh about a third of the page.
    """

    def __init__(self, command: str) -> None:
        self.command = command
        self.esc = Escaper()

    def row(
        self,
        row: BoardRow,
        names: tuple[str, ...],
        sorting: tuple[str, ...],
        design: bool,
    ) -> str:
        esc = self.esc
        parts = ["<tr>"]
        for index, value in enumerate(row.texts):
            if index == 0:
                opening = '<th scope="row"'
                closing = "</th>"
            else:
                opening = "<td"
                closing = "</td>"
            if value == MISSING_MARK:
                opening += f' class="cab-missing" title="{NOT_RECORDED_WHY}"'
            elif value.startswith(NOT_APPLICABLE_MARK):
                why = NOT_APPLICABLE_WHY.get(names[index]) if index < len(names) else None
                opening += ' class="cab-na"' + (f' title="{why}"' if why and value == "n/a" else "")
            opening += sorting[index]
            shown = esc[value] if row.sort_values[index] is None else score_html(value, esc)
            marks = marks_html(row.notes, design) if index == 0 and row.notes else ""
            parts.append(f"{opening}>{shown}{marks}{closing}")
        key = row.key
        if key is not None:
            parts.append(self.popover(key, row.notes))
        parts.append("</tr>\n")
        return "".join(parts)

    def popover(self, key: CellKey, notes: RowNotes | None = None) -> str:
        lines = notes_html(notes)
        try:
            command = reproduce_command(key, self.command)
        except UnreproducibleValue as error:
            return (
                '<td><details class="cab-popover"><summary title="Provenance"></summary>'
                + lines
                + _value_list(key, self.esc)
                + '<p class="cab-unreproducible">No reproduce command: the value of '
                f"<code>{text(error.field_name)}</code> {text(error.reason)}.</p></details></td>"
            )
        # Which flags a command leaves out is said once, in the legend below the table
        # (cab.js repeats it inside the popover); see legend_text().
        if lines:
            opening, pre = POPOVER_OPEN.split("<pre", 1)
            return opening + lines + "<pre" + pre + text(command) + POPOVER_CLOSE
        return POPOVER_OPEN + text(command) + POPOVER_CLOSE


EXPLOIT_LINK = re.compile("\x00cab-exploit:([0-9a-f]+)\x00")
"""Stands for an exploit mark in a row's markup until :class:`WriteLeaderboards` turns it into
a link the cab domain resolves: the mark's exploit id, classes and words as hex of their JSON,
so no exploit id, however hostile, can break out of it."""


def marks_html(notes: RowNotes, design: bool = False) -> str:
    """A row's badges: ``span.cab-mark.cab-failure.cab-failure-<kind>`` (with sphinx-design's
    badge classes when ``design``) and, bracketed for :class:`WriteLeaderboards`, each exploit
    mark (a node, which :mod:`...design` styles like any badge)."""
    parts = []
    for mark in notes.marks:
        if mark.exploit is None:
            classes = mark.classes.split()
            shown = " ".join(design_badge_classes(classes) if design else classes)
            parts.append(f' <span class="{attr(shown)}">{text(mark.text)}</span>')
        else:
            spec = json.dumps([mark.exploit, mark.classes, mark.text]).encode("utf-8").hex()
            parts.append(f" \x00cab-exploit:{spec}\x00")
    return "".join(parts)


def notes_html(notes: RowNotes | None) -> str:
    """``ul.cab-row-notes`` in a popover: each failed run's detail as recorded, each exploit."""
    if notes is None or not notes.details:
        return ""
    items = "".join(f"<li>{text(line)}</li>" for line in notes.details)
    return f'<ul class="cab-row-notes">{items}</ul>'


def exploit_link(spec: str) -> nodes.inline:
    """The node of one bracketed exploit mark: a ``pending_xref`` to the exploit's ledger entry
    (plain words when no page lists the ledger)."""
    exploit, classes, words = json.loads(bytes.fromhex(spec))
    return nodes.inline("", "", exploit_reference(exploit, words, classes.split()))


def _value_list(key: CellKey, esc: Escaper) -> str:
    """The nine values as a ``dl`` with copy buttons (used when no command can be shown)."""
    items: list[str] = []
    for field in KEY_FIELDS:
        value = getattr(key, field.name)
        if value is None:
            shown = missing_html()
        else:
            # shown and copied as a shell word when it holds hidden characters (see value_literal)
            word = value_literal(value).astext()
            shown = f"<code>{esc[word]}</code>" + copy_button_html(word, f"Copy {field.name}")
        items.append(f"<dt>{esc[field.name]}</dt><dd>{shown}</dd>")
    return '<dl class="cab-key-values simple">' + "".join(items) + "</dl>"


@functools.lru_cache(maxsize=8)
def _writer(command: str) -> _RowWriter:
    return _RowWriter(command)


@functools.lru_cache(maxsize=16384)
def row_markup(
    row: BoardRow,
    command: str,
    names: tuple[str, ...],
    sorting: tuple[str, ...],
    design: bool = False,
) -> str:
    """The ``<tr>`` of ``row`` (``names``: the board's column names; ``sorting``: each cell's
    :func:`sort_attribute`; ``design``: sphinx-design is loaded), kept: a cell shown on several
    boards alike is written once."""
    return _writer(command).row(row, names, sorting, design)


def board_html(board: Board, design: bool = False) -> str:
    """The complete markup of one leaderboard (see the module doc); ``design``: give its badges
    sphinx-design's classes."""
    caption = text(board.caption)
    table_classes = " ".join(["cab-table", "cab-leaderboard", *column_classes(board)])
    parts = [
        '<div class="cab-board">',
        f'<div class="cab-scroll" role="region" aria-label="{attr(board.caption)}" tabindex="0">',
        f'<table class="{table_classes}"{_table_data(board)}>',
        f"<caption>{caption}</caption>",
        _header(board),
        "<tbody>\n",
    ]
    names = tuple(column.name for column in board.columns)
    sorts = sort_columns(board)
    parts.extend(
        row_markup(row, board.command, names, row_sorting(row, sorts), design) for row in board.rows
    )
    parts.append("</tbody></table></div>")
    legend = legend_text(board)
    if legend:
        parts.append(f'<p class="cab-legend">{text(legend)}</p>')
    parts.append("</div>\n")
    return "".join(parts)


class WriteLeaderboards(SphinxPostTransform):
    """Replaces each pending leaderboard by a :class:`~sphinxcontrib_cab.html.cab_html` node
    holding its finished, escaped markup."""

    default_priority = 5  # before the generic expansion (6)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(leaderboard)):
            markup = board_html(node["board"], design_loaded(self.config))
            pieces = EXPLOIT_LINK.split(markup)
            replacement: list[nodes.Node] = []
            for number, piece in enumerate(pieces):
                if number % 2:
                    replacement.append(exploit_link(piece))
                    continue
                fragment = cab_html(html=piece)
                fragment.source, fragment.line = node.source, node.line
                replacement.append(fragment)
            node.replace_self(replacement)
