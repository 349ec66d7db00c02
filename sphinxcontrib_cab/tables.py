"""Data tables: one builder-neutral description, written as finished HTML or as docutils nodes.

A directive that shows a table of data (a task's spec, the task catalogue, the reference) builds
a :class:`DataTable` (caption, header, rows of cells, each cell a few :data:`Block` values made of
:data:`Inline` parts) and returns it in one pending :class:`data_table` node. Nothing in it is
builder-specific, so the pickled doctree is the same for every builder. Post-transforms write it:

* HTML formats (html, dirhtml, singlehtml, epub): :class:`WriteDataTables` writes the table
  Sphinx would write for the generic tree as finished HTML, with a real ``pending_xref`` for
  each :class:`Link` (resolved like any other) and the table's words in a node only the search
  index reads;
* every other builder: :class:`ExpandDataTables` replaces the node with the generic tree::

      table.cab-table.<classes>                 (smart quotes off: the data is shown as recorded)
        title                                   (the caption)
        tgroup > colspec*
               > thead > row > entry*           (entry > paragraph: the header)
               > tbody > row*  > entry*         (paragraph | literal_block | bullet_list, each)

Why pending: see "Generic doctree" in ARCHITECTURE.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .html import attr, cab_html, cab_search_text, code, html_highlighter, missing_html, text
from .render import (
    SKIP,
    literal_word,
    missing_nodes,
    table_frame,
    text_node,
    value_literal,
    visible_text,
    without_smartquotes,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


# -- parts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Words:
    """Prose (from data or code); hidden characters are shown as escapes when written."""

    text: str


@dataclass(frozen=True, slots=True)
class Value:
    """One value, written as a literal (see :func:`~sphinxcontrib_cab.render.literal_word`)."""

    text: str


@dataclass(frozen=True, slots=True)
class Missing:
    """The missing mark, and why nothing is shown (when the table does not say it elsewhere)."""

    reason: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """``label`` (a literal) linking to the document ``docname`` (absolute, without suffix).

    With ``objtype`` (a :mod:`~sphinxcontrib_cab.domain` object type) the link is a ``cab``
    reference to the object ``label`` hinted to ``docname``: resolved when the page is written,
    it links to ``docname`` if that page exists then and is the label's text otherwise."""

    label: str
    docname: str
    objtype: str = ""


Inline: TypeAlias = "Words | Value | Missing | Link"


@dataclass(frozen=True, slots=True)
class Paragraph:
    parts: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Script:
    """A code block: tab and newline kept, any other hidden character shown as an escape."""

    text: str
    language: str
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Items:
    """A bullet list of one-paragraph items."""

    items: tuple[Paragraph, ...]
    classes: tuple[str, ...] = ()


Block: TypeAlias = "Paragraph | Script | Items"
Cell: TypeAlias = "tuple[Block, ...]"


@dataclass(frozen=True, slots=True)
class DataTable:
    """Everything one table shows, for any builder. Every string may come from data: both
    writers show hidden characters as escapes and escape what their format needs."""

    caption: str
    header: tuple[str, ...]
    widths: tuple[int, ...]
    """Relative column widths (the text builder reads them as characters)."""
    classes: tuple[str, ...]
    """Classes after ``cab-table``."""
    rows: tuple[tuple[Cell, ...], ...]
    anchor: str = ""
    """The table's id, when something links to it."""


def words(*parts: Inline) -> Cell:
    """A cell holding one paragraph."""
    return (Paragraph(parts),)


def pending_table(table: DataTable) -> data_table:
    return data_table(table=table)


class data_table(nodes.General, nodes.Element):
    """Pending table; attribute ``table`` holds the :class:`DataTable`."""


# -- the generic tree -----------------------------------------------------------------------------


def inline_nodes(part: Inline) -> list[nodes.Node]:
    if isinstance(part, Value):
        return [value_literal(part.text)]
    if isinstance(part, Words):
        return [text_node(part.text)]
    if isinstance(part, Link) and part.objtype:
        return [
            addnodes.pending_xref(
                "",
                value_literal(part.label),
                refdomain="cab",
                reftype=part.objtype,
                reftarget=part.label,
                refexplicit=True,
                refwarn=False,
                cab_page=part.docname,
            )
        ]
    if isinstance(part, Link):
        return [
            addnodes.pending_xref(
                "",
                value_literal(part.label),
                refdomain="std",
                reftype="doc",
                reftarget=f"/{part.docname}",
                refexplicit=True,
                refwarn=True,
            )
        ]
    return missing_nodes(part.reason)


def paragraph_node(paragraph: Paragraph) -> nodes.paragraph:
    node = nodes.paragraph()
    for part in paragraph.parts:
        node.extend(inline_nodes(part))
    return node


def block_node(block: Block) -> nodes.Element:
    """The docutils node of one block."""
    if isinstance(block, Paragraph):
        return paragraph_node(block)
    if isinstance(block, Script):
        script = visible_text(block.text)
        return nodes.literal_block(
            script, script, language=block.language, classes=list(block.classes)
        )
    items = nodes.bullet_list(classes=list(block.classes))
    for item in block.items:
        items += nodes.list_item("", paragraph_node(item))
    return items


def generic_table(table: DataTable) -> nodes.table:
    """The generic tree of ``table`` (see the module doc)."""
    result, body = table_frame(
        visible_text(table.caption),
        [visible_text(label) for label in table.header],
        table.widths,
        table.classes,
    )
    for cells in table.rows:
        body += nodes.row(
            "", *(nodes.entry("", *(block_node(block) for block in cell)) for cell in cells)
        )
    if table.anchor:
        result["ids"].append(table.anchor)
    return without_smartquotes(result)


class ExpandDataTables(SphinxPostTransform):
    """Replaces each pending :class:`data_table` left after the HTML step by its generic tree."""

    default_priority = 6  # after the HTML step (5), before reference resolution (10)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(data_table)):
            table = generic_table(node["table"])
            table.source, table.line = node.source, node.line
            node.replace_self(table)


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
            self.markup.append(missing_html(part.reason))
            if part.reason:
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
        anchor = f' id="{attr(table.anchor)}"' if table.anchor else ""
        self.markup.append(
            f'<table class="{attr(classes)}"{anchor}>\n'
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


class WriteDataTables(SphinxPostTransform):
    """HTML formats: each pending data table becomes finished HTML (:func:`table_nodes`)."""

    default_priority = 5  # before the generic expansion (6)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(data_table)):
            table.replace_self(table_nodes(table["table"], table))


def setup_tables(app: Sphinx) -> None:
    skip = SKIP
    app.add_node(data_table, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(WriteDataTables)
    app.add_post_transform(ExpandDataTables)
