"""Shared node builders used by every directive and role.

Everything here returns plain docutils nodes (field lists, literal blocks, inlines, containers with
``cab-*`` classes), so every builder can write them; :mod:`sphinxcontrib_cab.html` adds the
HTML-only structure (popovers, copy buttons) afterwards. Number formats live in
:mod:`.snapshot.formats` (re-exported here), so a number reads the same everywhere.
The directives' base class and their option checks are in :mod:`.directive_base`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

from docutils import nodes
from sphinx import addnodes

from .snapshot.aggregate import version_sort_key
from .snapshot.failures import exploit_marks, failure_details
from .snapshot.formats import format_count as format_count
from .snapshot.formats import format_estimate as format_estimate
from .snapshot.formats import format_number as format_number
from .snapshot.keys import FIELD_BY_NAME, KEY_FIELDS, MISSING_MARK
from .snapshot.reproduce import UnreproducibleValue, is_hidden, reproduce_command, shell_quote

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .snapshot.contract import VersionEntry
    from .snapshot.model import Cell, CellKey, Snapshot


ElementT = TypeVar("ElementT", bound=nodes.Element)


# -- data strings on the page -----------------------------------------------------------------

PROSE_KEPT = frozenset("\t\n\u200c\u200d")
"""Hidden characters prose keeps as they are: tab, newline, and the joiners emoji and many
scripts need."""
INLINE_KEPT = frozenset("\u200c\u200d")
"""Hidden characters a value inside a line of prose keeps: only the joiners."""


def visible_text(text: str, kept: frozenset[str] = PROSE_KEPT) -> str:
    """Data prose with every other hidden character (controls, bidi overrides, separators,
    unassigned code points) shown as a ``\\u{...}`` escape, so no data string can reorder the
    page, hide text from readers, or make an XHTML (epub) file invalid. ``kept`` names the hidden
    characters left as they are (tab, newline and the zero-width joiners in prose)."""
    # isprintable() is the is_hidden() test over the whole string, done in C (see shell_quote)
    if text.isprintable() or not any(is_hidden(c) and c not in kept for c in text):
        return text
    return "".join(
        f"\\u{{{ord(char):x}}}" if is_hidden(char) and char not in kept else char for char in text
    )


def visible_inline(text: str) -> str:
    """:func:`visible_text` for a value set inside a line of prose (a role): tabs and newlines
    are escaped too, since a line break there would split the sentence (and a blank line inside
    an inline element ends LaTeX's macro argument)."""
    return visible_text(text, INLINE_KEPT)


def table_frame(
    title: str, headers: Sequence[str], widths: Sequence[int], classes: Sequence[str]
) -> tuple[nodes.table, nodes.tbody]:
    """An empty ``table.cab-table`` (plus ``classes``) with its caption, column widths and one
    header row; returns the table and the ``tbody`` to append rows to."""
    table = nodes.table(classes=["cab-table", *classes])
    table += nodes.title(title, title)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += nodes.row("", *(nodes.entry("", nodes.paragraph(h, h)) for h in headers))
    group += head
    body = nodes.tbody()
    group += body
    return table, body


def skip_node(self: object, node: nodes.Node) -> None:
    """A visitor that writes nothing: for nodes a post-transform replaces, or that only the
    search index reads."""
    raise nodes.SkipNode


SKIP = (skip_node, None)
"""``(visit, depart)`` for :meth:`~sphinx.application.Sphinx.add_node` that writes nothing."""


def without_smartquotes(node: ElementT) -> ElementT:
    """Mark ``node`` so Sphinx's SmartQuotes leaves the text inside it alone: on data prose it
    would curl quotes and drop the backslash of ``\\\\`` and ``\\"``, so the page would not
    show the data as recorded. The attribute is read by Sphinx only; no writer emits it."""
    node["support_smartquotes"] = False
    return node


def text_node(text: str) -> nodes.Text:
    return nodes.Text(visible_text(text))


def literal_word(value: str) -> tuple[str, bool]:
    """How a data value reads as a literal, and whether it had to be escaped: the value itself
    when every character is visible, else the shell word the reproduce command uses
    (``$'...'``), so what a reader sees and copies is unambiguous."""
    if value.isprintable():  # no hidden character (the is_hidden() test, done in C)
        return value, False
    try:
        return shell_quote(value), True
    except UnicodeEncodeError:  # a lone surrogate: no shell word exists
        return visible_text(value), True


def value_literal(value: str) -> nodes.literal:
    """``literal`` of a data value (see :func:`literal_word`); class ``cab-escaped`` when the
    value had to be escaped."""
    word, escaped = literal_word(value)
    return nodes.literal(word, word, classes=["cab-escaped"] if escaped else [])


# -- missing fields ----------------------------------------------------------------------------


def introducing_version(field_name: str, snapshot: Snapshot) -> VersionEntry | None:
    """The earliest methodology version whose ``fields_introduced`` lists ``field_name``."""
    if snapshot.meta is None:
        return None
    entries = [e for e in snapshot.meta.history if field_name in e.fields_introduced]
    return min(entries, key=lambda e: (e.date, e.version), default=None)


def missing_explanation(field_name: str, snapshot: Snapshot, version: str | None = None) -> str:
    """Why a cell of methodology ``version`` shows the missing mark for ``field_name``, in one
    clause: the cell predates the methodology that introduced the field, or (its methodology
    already had the field, or its version is not known) the field was simply not published.
    Kept per snapshot: every row of a large leaderboard asks."""
    return snapshot.view(
        ("missing_explanation", field_name, version),
        lambda: _missing_explanation(field_name, snapshot, version),
    )


def _missing_explanation(field_name: str, snapshot: Snapshot, version: str | None) -> str:
    entry = introducing_version(field_name, snapshot)
    if entry is None:
        return "not published for this cell; the methodology history names no version for it"
    if version is not None and version_sort_key(version) < version_sort_key(entry.version):
        return (
            f"this cell predates methodology {entry.version} ({entry.date.isoformat()}), "
            "which introduced it"
        )
    return "not published for this cell"


def missing_mark() -> nodes.inline:
    """The one missing-value mark: the em dash as ``inline.cab-missing``."""
    return nodes.inline(MISSING_MARK, MISSING_MARK, classes=["cab-missing"])


def missing_nodes(reason: str | None) -> list[nodes.Node]:
    """:func:`missing_mark`, then, when ``reason`` is given, its visible explanation
    (``inline.cab-missing-note``)."""
    if not reason:
        return [missing_mark()]
    return [missing_mark(), nodes.inline("", f" ({reason})", classes=["cab-missing-note"])]


def missing_value_nodes(
    field_name: str, snapshot: Snapshot, version: str | None = None
) -> list[nodes.Node]:
    """:func:`missing_nodes` explained by :func:`missing_explanation`."""
    return missing_nodes(missing_explanation(field_name, snapshot, version))


# -- the canonical key -------------------------------------------------------------------------


def key_values_field_list(
    key: CellKey, why_missing: Snapshot | Mapping[str, str], version: str | None = None
) -> nodes.field_list:
    """``field_list.cab-key-values``: the nine fields in canonical order, each value a ``literal``
    (or the missing mark and why: from the snapshot's methodology history for a cell of
    methodology ``version``, or the given field name -> reason)."""
    field_list = nodes.field_list(classes=["cab-key-values"])
    for field in KEY_FIELDS:
        value = getattr(key, field.name)
        paragraph = nodes.paragraph()
        if value is None:
            reason = (
                why_missing[field.name]
                if isinstance(why_missing, Mapping)
                else missing_explanation(field.name, why_missing, version)
            )
            paragraph.extend(missing_nodes(reason))
        else:
            paragraph += value_literal(value)
        field_list += nodes.field(
            "",
            nodes.field_name(field.name, field.name),
            nodes.field_body("", paragraph),
            classes=[f"cab-key-{field.name}"],
        )
    return field_list


def unpinned_paragraph(missing: tuple[str, ...]) -> nodes.paragraph:
    """``paragraph.cab-unpinned`` naming the dimensions a command cannot pin."""
    paragraph = nodes.paragraph(classes=["cab-unpinned"])
    paragraph += nodes.Text("This command cannot pin ")
    for position, name in enumerate(missing):
        if position:
            paragraph += nodes.Text(", ")
        paragraph += nodes.literal(name, name)
        paragraph += nodes.Text(f" ({FIELD_BY_NAME[name].label})")
    paragraph += nodes.Text(
        ": the cell did not record "
        + ("it" if len(missing) == 1 else "them")
        + (
            ", so its flag is left out and a rerun may differ there."
            if len(missing) == 1
            else ", so their flags are left out and a rerun may differ there."
        )
    )
    return paragraph


def unreproducible_paragraph(error: UnreproducibleValue) -> nodes.paragraph:
    """``paragraph.cab-unreproducible``: why no command is shown for a cell."""
    paragraph = nodes.paragraph(classes=["cab-unreproducible"])
    paragraph += nodes.Text("No reproduce command: the value of ")
    paragraph += nodes.literal(error.field_name, error.field_name)
    paragraph += nodes.Text(f" {error.reason}.")
    return paragraph


def repro_block(key: CellKey, command: str) -> list[nodes.Node]:
    """``literal_block.cab-repro`` (language ``shell``) holding the reproduce command, then
    ``paragraph.cab-unpinned`` when fields are missing. A value no command line can carry gives
    ``paragraph.cab-unreproducible`` instead of the block."""
    try:
        text = reproduce_command(key, command)
    except UnreproducibleValue as error:
        return [unreproducible_paragraph(error)]
    block = nodes.literal_block(text, text, classes=["cab-repro"], language="shell")
    result: list[nodes.Node] = [block]
    missing = key.missing()
    if missing:
        result.append(unpinned_paragraph(missing))
    return result


OPTIONAL = "cab_optional"
"""``pending_xref`` attribute: a reference shown as its text, silently, when no page renders its
target (a ``cab-diff`` links to receipts, an exploit mark to a ledger entry, that a site may not
show); the cab domain reads it."""


def exploit_reference(exploit: str, words: str, classes: Sequence[str]) -> addnodes.pending_xref:
    """``words`` (an ``inline`` with ``classes``) linked to exploit ``exploit``'s ledger entry,
    resolved by the cab domain when pages are written (plain words when no page lists it)."""
    return addnodes.pending_xref(
        "",
        nodes.inline(words, words, classes=list(classes)),
        refdomain="cab",
        reftype="exploit",
        reftarget=exploit,
        refexplicit=True,
        refwarn=False,
        **{OPTIONAL: True},
    )


def cell_notes(cell: Cell, snapshot: Snapshot) -> list[nodes.Node]:
    """``bullet_list.cab-row-notes``: each failed run of the cell with its detail as recorded,
    and each exploit mark linked to its ledger entry; nothing when there are none."""
    items = nodes.bullet_list(classes=["cab-row-notes"])
    for line in failure_details(snapshot, cell):
        paragraph = without_smartquotes(nodes.paragraph("", "", text_node(line)))
        items += nodes.list_item("", paragraph)
    position = snapshot.cell_index(cell.key)
    for mark in exploit_marks(snapshot).get(position, ()) if position is not None else ():
        kind = "cab-exploit-live" if mark.live else "cab-exploit-patched"
        words = visible_inline(mark.text)
        link = exploit_reference(mark.exploit, words, ["cab-mark", "cab-exploit", kind])
        items += nodes.list_item("", nodes.paragraph("", "", link))
    return [items] if len(items) else []


def cell_provenance(cell: Cell, snapshot: Snapshot, command: str) -> nodes.container:
    """``container.cab-cell-provenance`` (id = the cell's anchor) holding the cell's failed runs
    and exploit marks (:func:`cell_notes`), the key-values field list and the reproduce block."""
    container = nodes.container(classes=["cab-cell-provenance"], ids=[cell.anchor])
    container.extend(cell_notes(cell, snapshot))
    container += key_values_field_list(cell.key, snapshot, cell.methodology_version)
    container.extend(repro_block(cell.key, command))
    return container


# -- problems ----------------------------------------------------------------------------------


def problem_marker(text: str) -> nodes.inline:
    """A visible ``inline.cab-problem`` standing in for a value that could not be rendered."""
    return nodes.inline(text, text, classes=["cab-problem"])
