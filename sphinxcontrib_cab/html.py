"""The HTML-only step: leaderboards (popovers, copy buttons, sort attributes) and data tables.

:class:`HtmlStructure` is a :class:`~sphinx.transforms.post_transforms.SphinxPostTransform` with
``formats = ("html",)``, so html, dirhtml, singlehtml and epub get it and no other builder does.
It

* replaces each pending :class:`~sphinxcontrib_cab.directives.leaderboard.leaderboard` by a
  :class:`cab_html` node holding the finished, escaped markup of the table (written below);
* replaces each pending :class:`~sphinxcontrib_cab.tables.data_table` by the table Sphinx would
  write for its generic tree, as finished HTML, followed by its words in a node only the search
  index reads (:func:`table_nodes`), so a task's summary is still found;
* adds a :class:`cab_copy_button` after each key value and each reproduce command of every other
  ``container.cab-cell-provenance`` (the ``cab-provenance`` directive's cell, for example).

Leaderboard markup, per table::

    div.cab-board
      div.cab-scroll (role=region, labelled by the caption, keyboard scrollable)
        table.cab-table.cab-leaderboard.cab-nerd-<n>.cab-num-<n>
              data-cab-fields / data-cab-argstart / data-cab-missing   (said once per table)
          caption
          thead > tr > th[scope=col].cab-sortable (aria-sort on the sorted one) > button.cab-sort
          tbody > tr > th[scope=row], td*,
                       td > details.cab-popover > summary[title], pre.cab-repro (the command)
      p.cab-legend   (what a dash means, which flags commands leave out and why)

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
from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .directives.leaderboard import Board, BoardRow, leaderboard, legend_text
from .keys import KEY_FIELDS, MISSING_MARK
from .render import SKIP, literal_word, value_literal, visible_text
from .reproduce import UnreproducibleValue, reproduce_command
from .tables import DataTable, Items, Link, Paragraph, Value, Words, data_table, inline_nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.highlighting import PygmentsBridge
    from sphinx.writers.html5 import HTML5Translator

    from .snapshot import CellKey
    from .tables import Block, Inline

EMIT_DATA_SORT = False
"""Whether body cells carry ``data-sort``. Off: every sortable value is the number the cell
starts with (or the text itself), which ``cab.js`` reads; a per-cell copy would add bytes."""


class cab_html(nodes.General, nodes.Element):
    """Finished HTML (attribute ``html``), written as is by the HTML translator only."""


class cab_search_text(nodes.General, nodes.TextElement):
    """The plain text of a table written as :class:`cab_html`, for the search index only: no
    writer outputs it. (Sphinx would index ``raw`` HTML too, but with its tags stripped by regular
    expressions, so ``&amp;`` in a command became the search term "amp".)"""


class cab_copy_button(nodes.Inline, nodes.Element):
    """A copy button for ``copy`` (attribute), named ``label`` for assistive technology."""


def attr(value: str) -> str:
    """Escape an attribute value (``html.escape`` with quotes, and carriage returns, which an
    HTML parser would otherwise turn into newlines)."""
    return escape(value, quote=True).replace("\r", "&#13;")


# -- leaderboard tables --------------------------------------------------------------------------


def text(value: str) -> str:
    """Escape element content: ``&``, ``<``, ``>`` and carriage returns. Quotes need no escaping
    there, and commands are full of them."""
    return escape(value, quote=False).replace("\r", "&#13;")


class _Escaper(dict[str, str]):
    """Memoised :func:`text`: leaderboard values repeat on many rows."""

    def __missing__(self, key: str) -> str:
        value = self[key] = text(key)
        return value


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
        self.esc = _Escaper()

    def row(self, row: BoardRow) -> str:
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
                opening += ' class="cab-missing"'
            sort_value = row.sort_values[index]
            if EMIT_DATA_SORT and sort_value is not None:
                opening += f' data-sort="{sort_value:.6g}"'
            parts.append(f"{opening}>{esc[value]}{closing}")
        key = row.key
        if key is not None:
            parts.append(self.popover(key))
        parts.append("</tr>\n")
        return "".join(parts)

    def popover(self, key: CellKey) -> str:
        try:
            command = reproduce_command(key, self.command)
        except UnreproducibleValue as error:
            return (
                '<td><details class="cab-popover"><summary title="Provenance"></summary>'
                + _value_list(key, self.esc)
                + '<p class="cab-unreproducible">No reproduce command: the value of '
                f"<code>{text(error.field_name)}</code> {text(error.reason)}.</p></details></td>"
            )
        # Which flags a command leaves out is said once, in the legend below the table
        # (cab.js repeats it inside the popover); see legend_text().
        return POPOVER_OPEN + text(command) + POPOVER_CLOSE


def _value_list(key: CellKey, esc: _Escaper) -> str:
    """The nine values as a ``dl`` with copy buttons (used when no command can be shown)."""
    items: list[str] = []
    for field in KEY_FIELDS:
        value = getattr(key, field.name)
        if value is None:
            shown = f'<span class="cab-missing">{MISSING_MARK}</span>'
        else:
            # shown and copied as a shell word when it holds hidden characters (see value_literal)
            word = value_literal(value).astext()
            shown = f"<code>{esc[word]}</code>" + _copy_button_html(word, f"Copy {field.name}")
        items.append(f"<dt>{esc[field.name]}</dt><dd>{shown}</dd>")
    return '<dl class="cab-key-values simple">' + "".join(items) + "</dl>"


@functools.lru_cache(maxsize=8)
def _writer(command: str) -> _RowWriter:
    return _RowWriter(command)


@functools.lru_cache(maxsize=16384)
def row_markup(row: BoardRow, command: str) -> str:
    """The ``<tr>`` of ``row``, kept: a cell shown on several boards (the full leaderboard and
    its task's page) is written once."""
    return _writer(command).row(row)


def board_html(board: Board) -> str:
    """The complete markup of one leaderboard (see the module doc)."""
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
    parts.extend(row_markup(row, board.command) for row in board.rows)
    parts.append("</tbody></table></div>")
    legend = legend_text(board)
    if legend:
        parts.append(f'<p class="cab-legend">{text(legend)}</p>')
    parts.append("</div>\n")
    return "".join(parts)


# -- copy buttons on other provenance containers -------------------------------------------------


def _copy_button_html(text: str, label: str) -> str:
    return (
        f'<button type="button" class="cab-copy" data-cab-copy="{attr(text)}" '
        f'aria-label="{attr(label)}">Copy</button>'
    )


def add_copy_buttons(container: nodes.container) -> None:
    """A :class:`cab_copy_button` after each key value literal and each reproduce command."""
    for field_list in container.findall(nodes.field_list):
        if "cab-key-values" not in field_list["classes"]:
            continue
        for field in field_list.children:
            name = field.children[0].astext() if field.children else "value"
            for literal in list(field.findall(nodes.literal)):
                literal.parent.insert(
                    literal.parent.index(literal) + 1,
                    cab_copy_button(copy=literal.astext(), label=f"Copy {name}"),
                )
    for block in list(container.findall(nodes.literal_block)):
        if "cab-repro" in block["classes"] and block.parent is not None:
            block.parent.insert(
                block.parent.index(block) + 1,
                cab_copy_button(copy=block.astext(), label="Copy the reproduce command"),
            )


# -- data tables ----------------------------------------------------------------------------------

_WORDS_AND_SPACES = re.compile(r"\S+| +")


def code(word: str, escaped: bool) -> str:
    """A literal (see :func:`~sphinxcontrib_cab.render.literal_word`) as Sphinx writes one:
    each word in a ``span.pre`` (no line break inside it), breaks allowed between words;
    ``cab-escaped`` when hidden characters were escaped."""
    classes = "docutils literal notranslate" + (" cab-escaped" if escaped else "")
    parts = []
    for token in _WORDS_AND_SPACES.findall(word):
        if token.strip():
            parts.append(f'<span class="pre">{text(token)}</span>')
        else:  # keep a run of spaces; its last one may break
            parts.append("&#160;" * (len(token) - 1) + " ")
    return f'<code class="{classes}">{"".join(parts)}</code>'


@functools.cache
@functools.cache
def html_highlighter() -> PygmentsBridge:
    """Pygments for code blocks in finished HTML. Its markup (CSS classes, not colours) is what
    the HTML builder's own highlighter writes; the builder's stylesheet colours both. One per
    process: building its formatter renders a whole stylesheet, and nothing in it changes."""
    from sphinx.highlighting import PygmentsBridge

    return PygmentsBridge("html")


class _TableWriter:
    """Writes one :class:`~sphinxcontrib_cab.tables.DataTable` as Sphinx would write its generic
    tree (without the caption's permalink): :class:`cab_html` fragments, between them a real
    ``pending_xref`` (in an ``inline``) for each link, so links resolve like any other, and at
    the end the table's words in a :class:`cab_search_text` for the search index."""

    def __init__(self, location: nodes.Node) -> None:
        self.location = location
        self.markup: list[str] = []
        self.words: list[str] = []
        self.written: list[nodes.Node] = []

    def flush(self) -> None:
        if self.markup:
            fragment = cab_html(html="".join(self.markup))
            fragment.source, fragment.line = self.location.source, self.location.line
            self.written.append(fragment)
            self.markup = []

    def inline(self, part: Inline) -> None:
        if isinstance(part, Value):
            word, escaped = literal_word(part.text)
            self.markup.append(code(word, escaped))
            self.words.append(word)
        elif isinstance(part, Words):
            shown = visible_text(part.text)
            self.markup.append(text(shown))
            self.words.append(shown)
        elif isinstance(part, Link):
            self.flush()
            self.written.append(nodes.inline("", "", *inline_nodes(part)))
        else:
            self.markup.append(f'<span class="cab-missing">{MISSING_MARK}</span>')
            if part.reason:
                self.markup.append(f'<span class="cab-missing-note"> ({text(part.reason)})</span>')
                self.words.append(part.reason)

    def paragraph(self, paragraph: Paragraph) -> None:
        self.markup.append("<p>")
        for part in paragraph.parts:
            self.inline(part)
        self.markup.append("</p>")

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Items):
            self.markup.append(f'<ul class="{attr(" ".join((*block.classes, "simple")))}">\n')
            for item in block.items:
                self.markup.append("<li>")
                self.paragraph(item)
                self.markup.append("</li>\n")
            self.markup.append("</ul>\n")
        else:
            # tab and newline stay, any other hidden character is shown as an escape; Pygments
            # escapes the markup characters
            script = visible_text(block.text)
            highlighted = html_highlighter().highlight_block(
                script, block.language, location=self.location
            )
            self.words.append(script)
            classes = " ".join((*block.classes, f"highlight-{block.language}", "notranslate"))
            self.markup.append(f'<div class="{attr(classes)}">{highlighted}</div>\n')

    def table(self, table: DataTable) -> list[nodes.Node]:
        classes = " ".join(("cab-table", *table.classes, "docutils", "align-default"))
        self.markup.append(
            f'<table class="{attr(classes)}">\n'
            f'<caption><span class="caption-text">{text(visible_text(table.caption))}</span>'
            "</caption>\n"
            '<thead>\n<tr class="row-odd">'
        )
        self.markup.extend(
            f'<th class="head"><p>{text(visible_text(label))}</p></th>\n' for label in table.header
        )
        self.markup.append("</tr>\n</thead>\n<tbody>\n")
        for number, cells in enumerate(table.rows):
            self.markup.append(f'<tr class="row-{"even" if number % 2 == 0 else "odd"}">')
            for cell in cells:
                self.markup.append("<td>")
                for block in cell:
                    self.block(block)
                self.markup.append("</td>\n")
            self.markup.append("</tr>\n")
        self.markup.append("</tbody>\n</table>\n")
        self.flush()
        shown = [visible_text(table.caption), *map(visible_text, table.header), *self.words]
        self.written.append(cab_search_text("", "\n".join(shown)))
        return self.written


def table_nodes(table: DataTable, location: nodes.Node) -> list[nodes.Node]:
    """``table`` as finished HTML: :class:`cab_html` fragments, a ``pending_xref`` per link,
    then its words for the search index."""
    return _TableWriter(location).table(table)


class HtmlStructure(SphinxPostTransform):
    """Leaderboards and data tables to finished HTML; copy buttons on other provenance
    containers."""

    default_priority = 5  # before leaderboard's generic expansion (6)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        pending = list(self.document.findall(leaderboard))
        tables = list(self.document.findall(data_table))
        containers = [
            node
            for node in self.document.findall(nodes.container)
            if "cab-cell-provenance" in node["classes"]
        ]
        if not pending and not tables and not containers:
            return
        for container in containers:
            add_copy_buttons(container)
        for node in pending:
            replacement = cab_html(html=board_html(node["board"]))
            replacement.source, replacement.line = node.source, node.line
            node.replace_self(replacement)
        for table in tables:
            table.replace_self(table_nodes(table["table"], table))


# -- visitors ------------------------------------------------------------------------------------


def visit_cab_html(self: HTML5Translator, node: cab_html) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def visit_copy_button(self: HTML5Translator, node: cab_copy_button) -> None:
    self.body.append(_copy_button_html(node["copy"], node["label"]))
    raise nodes.SkipNode


def setup_html(app: Sphinx) -> None:
    skip = SKIP
    app.add_node(
        cab_html, html=(visit_cab_html, None), text=skip, latex=skip, man=skip, texinfo=skip
    )
    app.add_node(cab_search_text, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_node(
        cab_copy_button,
        html=(visit_copy_button, None),
        text=skip,
        latex=skip,
        man=skip,
        texinfo=skip,
    )
    app.add_post_transform(HtmlStructure)
