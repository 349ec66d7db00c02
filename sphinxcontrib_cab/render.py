"""Shared node builders and number formats used by every directive and role.

Everything here returns plain docutils nodes (field lists, literal blocks, inlines, containers with
``cab-*`` classes), so every builder can write them; :mod:`sphinxcontrib_cab.html` adds the
HTML-only structure (popovers, copy buttons) afterwards.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from docutils import nodes

from .keys import FIELD_BY_NAME, KEY_FIELDS, MISSING_MARK
from .reproduce import UnreproducibleValue, reproduce_command

if TYPE_CHECKING:
    from .models import VersionEntry
    from .snapshot import Cell, CellKey, Estimate, Snapshot


# -- numbers ---------------------------------------------------------------------------------


def format_count(count: int) -> str:
    """An integer with thousands separators: ``3465`` -> ``"3,465"``."""
    return f"{count:,}"


def format_number(value: float, digits: int = 2) -> str:
    """A float with ``digits`` decimals and thousands separators; never ``-0.00``."""
    if math.isnan(value):
        return MISSING_MARK
    text = f"{value:,.{digits}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        return text[1:]
    return text


def format_estimate(estimate: Estimate | None, digits: int = 2) -> str:
    """``"0.95 [0.90, 0.99]"`` (mean and 95% interval), just the mean when there is no interval,
    or the missing mark when nothing was recorded."""
    if estimate is None:
        return MISSING_MARK
    mean = format_number(estimate.mean, digits)
    if estimate.low is None or estimate.high is None:
        return mean
    return f"{mean} [{format_number(estimate.low, digits)}, {format_number(estimate.high, digits)}]"


# -- missing fields ----------------------------------------------------------------------------


def introducing_version(field_name: str, snapshot: Snapshot) -> VersionEntry | None:
    """The earliest methodology version whose ``fields_introduced`` lists ``field_name``."""
    if snapshot.meta is None:
        return None
    entries = [e for e in snapshot.meta.history if field_name in e.fields_introduced]
    return min(entries, key=lambda e: (e.date, e.version), default=None)


def missing_explanation(field_name: str, snapshot: Snapshot) -> str:
    """Why a cell shows the missing mark for ``field_name``, in one clause."""
    entry = introducing_version(field_name, snapshot)
    if entry is None:
        return "not recorded for this cell; the methodology history names no version introducing it"
    return (
        f"not recorded for this cell; the field was introduced in methodology "
        f"{entry.version} ({entry.date.isoformat()})"
    )


def missing_value_nodes(field_name: str, snapshot: Snapshot) -> list[nodes.Node]:
    """The em dash (``inline.cab-missing``), then its visible explanation
    (``inline.cab-missing-note``)."""
    return [
        nodes.inline(MISSING_MARK, MISSING_MARK, classes=["cab-missing"]),
        nodes.inline(
            "",
            f" ({missing_explanation(field_name, snapshot)})",
            classes=["cab-missing-note"],
        ),
    ]


# -- the canonical key -------------------------------------------------------------------------


def key_value_paragraph(field_name: str, value: str | None, snapshot: Snapshot) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    if value is None:
        paragraph.extend(missing_value_nodes(field_name, snapshot))
    else:
        paragraph += nodes.literal(value, value)
    return paragraph


def key_values_field_list(key: CellKey, snapshot: Snapshot) -> nodes.field_list:
    """``field_list.cab-key-values``: the nine fields in canonical order, each value a ``literal``
    (or the missing mark and its explanation)."""
    field_list = nodes.field_list(classes=["cab-key-values"])
    for field in KEY_FIELDS:
        value = getattr(key, field.name)
        body = nodes.field_body("", key_value_paragraph(field.name, value, snapshot))
        field_list += nodes.field(
            "", nodes.field_name(field.name, field.name), body, classes=[f"cab-key-{field.name}"]
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
        + ", so the flag is left out and a rerun may differ there."
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


def cell_provenance(cell: Cell, snapshot: Snapshot, command: str) -> nodes.container:
    """``container.cab-cell-provenance`` (id = the cell's anchor) holding the key-values field list
    and the reproduce block."""
    container = nodes.container(classes=["cab-cell-provenance"], ids=[cell.anchor])
    container += key_values_field_list(cell.key, snapshot)
    container.extend(repro_block(cell.key, command))
    return container
