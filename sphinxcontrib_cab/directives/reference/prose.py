"""Prose of the reference: docstrings and descriptions as paragraphs and table cells, with
``code``, `code` and ``:role:`target``` written as literals."""

from __future__ import annotations

import inspect
import re
from typing import TYPE_CHECKING

from ...tables import (
    Cell,
    DataTable,
    Inline,
    Paragraph,
    Value,
    Words,
    data_table,
    paragraph_node,
    pending_table,
    words,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from docutils import nodes

_INLINE = re.compile(r"``(.+?)``|:[\w:-]+:`~?\.?(.+?)`|`([^`]+?)`")


def paragraph(text: str) -> nodes.paragraph:
    """Prose (whitespace squeezed) with ``literal`` nodes for ````code````, `code` and
    ``:role:`target```."""
    return paragraph_node(Paragraph(inline_parts(" ".join(text.split()))))


def doc_paragraphs(obj: object) -> list[nodes.paragraph]:
    """The docstring of ``obj`` (class, function or instance) as paragraphs."""
    if inspect.isclass(obj):
        # the class's own docstring: inspect.getdoc would fall back to a base class's
        doc = inspect.cleandoc(obj.__dict__.get("__doc__") or "")
    else:
        doc = inspect.getdoc(obj) or ""
    if not doc and not inspect.isclass(obj) and not inspect.isfunction(obj):
        doc = inspect.getdoc(type(obj)) or ""
    blocks = [block for block in re.split(r"\n\s*\n", doc) if block.strip()]
    return [paragraph(block) for block in blocks] or [paragraph("(not documented)")]


def inline_parts(text: str) -> tuple[Inline, ...]:
    """``text`` as parts: words, and a value for each piece of code (````code````, `code`,
    ``:role:`target```)."""
    result: list[Inline] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            result.append(Words(text[position : match.start()]))
        result.append(Value(next(group for group in match.groups() if group is not None)))
        position = match.end()
    if position < len(text):
        result.append(Words(text[position:]))
    return tuple(result)


def prose(text: str) -> Cell:
    """A table cell of prose (whitespace squeezed, code as literals)."""
    return words(*inline_parts(" ".join(text.split())))


def code(text: str) -> Cell:
    return words(Value(text))


def plain(text: str) -> Cell:
    return words(Words(text))


def table(
    title: str,
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    rows: Iterable[Sequence[Cell]],
) -> data_table:
    """A pending ``table.cab-table.cab-prose.cab-reference`` (see :mod:`.tables`)."""
    return pending_table(
        DataTable(
            caption=title,
            header=headers,
            widths=widths,
            classes=("cab-prose", "cab-reference"),
            rows=tuple(tuple(cells) for cells in rows),
        )
    )
