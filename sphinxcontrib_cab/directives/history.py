"""``cab-history``: the methodology's version history, field timeline and snapshots (meta.json)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from ..keys import KEY_FIELD_NAMES, MISSING_MARK, PROVENANCE_FIELDS
from ..render import (
    SnapshotDirective,
    format_count,
    table_frame,
    text_node,
    value_literal,
    visible_text,
    without_smartquotes,
)
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..models import Meta, VersionEntry
    from ..snapshot import Snapshot

PARTS: tuple[str, ...] = ("versions", "fields", "snapshots")


def _paragraph(text: str) -> nodes.paragraph:
    """A paragraph of (possibly data) prose, hidden characters shown as escapes."""
    return nodes.paragraph("", "", text_node(text))


def _literal(text: str) -> nodes.paragraph:
    """A paragraph holding one data value as a ``literal`` (``render.value_literal``)."""
    return nodes.paragraph("", "", value_literal(text))


def _missing() -> nodes.paragraph:
    return nodes.paragraph(
        "", "", nodes.inline(MISSING_MARK, MISSING_MARK, classes=["cab-missing"])
    )


def _table(
    title: str, headers: tuple[str, ...], widths: tuple[int, ...], classes: list[str]
) -> tuple[nodes.table, nodes.tbody]:
    table, body = table_frame(title, headers, widths, classes)
    return without_smartquotes(table), body


def _row(*cells: nodes.Element) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", cell)
    return row


def ordered_versions(meta: Meta) -> tuple[VersionEntry, ...]:
    """The history entries, oldest first."""
    return tuple(sorted(meta.history, key=lambda e: (e.date, e.version)))


def versions_table(meta: Meta) -> nodes.table:
    """``table.cab-history``: version, date, what changed, fields introduced."""
    table, body = _table(
        "Methodology versions",
        ("Version", "Date", "What changed", "Fields introduced"),
        (10, 12, 50, 28),
        ["cab-prose", "cab-history"],
    )
    for entry in ordered_versions(meta):
        if entry.fields_introduced:
            fields = nodes.paragraph()
            for position, name in enumerate(entry.fields_introduced):
                if position:
                    fields += nodes.Text(", ")
                fields += value_literal(name)
        else:
            fields = _missing()
        body += _row(
            _literal(entry.version),
            _literal(entry.date.isoformat()),
            _paragraph(entry.changes),
            fields,
        )
    return table


def field_timeline(snapshot: Snapshot, meta: Meta) -> nodes.table:
    """``table.cab-field-timeline``: one row per canonical-key field and per field added after
    the first version (in the order the history introduces them), one column per version
    ("recorded" from the introducing version on, the missing mark before), then how many cells
    of the snapshot lack the field when it is a provenance field."""
    versions = ordered_versions(meta)
    introduced: dict[str, int] = {}
    for position, entry in enumerate(versions):
        for name in entry.fields_introduced:
            introduced.setdefault(name, position)
    # the nine key fields always, then any other field a later version added
    shown = [name for name in KEY_FIELD_NAMES if name in introduced]
    shown += [name for name, first in introduced.items() if first > 0 and name not in shown]
    introduced = {name: introduced[name] for name in shown}
    headers = (
        "Field",
        *(visible_text(f"v{entry.version}") for entry in versions),
        "Cells without it",
    )
    widths = (30, *(12 for _ in versions), 18)
    table, body = _table(
        "Fields recorded per methodology version", headers, widths, ["cab-field-timeline"]
    )
    for name, first in sorted(introduced.items(), key=lambda item: item[1]):
        cells: list[nodes.Element] = [_literal(name)]
        for position in range(len(versions)):
            cells.append(_paragraph("recorded") if position >= first else _missing())
        if name in PROVENANCE_FIELDS:
            lacking = sum(1 for cell in snapshot.cells if getattr(cell.key, name) is None)
            cells.append(
                _paragraph(f"{format_count(lacking)} of {format_count(len(snapshot.cells))}")
            )
        else:
            cells.append(_paragraph("none: required in every run"))
        body += _row(*cells)
    return table


class HistoryDirective(SnapshotDirective):
    """The methodology history from ``meta.json``.

    ``:parts:`` chooses among ``versions`` (``table.cab-history``: version, date, what changed,
    fields introduced), ``fields`` (``table.cab-field-timeline``: which run-record fields each
    version recorded, and how many cells lack each provenance field) and ``snapshots``
    (``table.cab-snapshots``: the pinned snapshot and every older one, linked to
    ``<snapshot-pages><snapshot_date>`` when that page exists). Default: all three.
    """

    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "parts": directives.unchanged,
        "snapshot-pages": directives.unchanged_required,
    }
    option_choices: ClassVar[dict[str, tuple[str, ...]]] = {"parts": PARTS}
    option_docs: ClassVar[dict[str, str]] = {
        "parts": "space-separated, in the order to show (default: all three)",
        "snapshot-pages": "docname prefix of the pages that render older snapshots, e.g. "
        "``snapshots/``; a snapshot's date links to ``<prefix><snapshot_date>`` when it exists",
    }

    def parts(self) -> tuple[str, ...]:
        """The chosen parts in the given order; unknown words are a located ``cab.option``
        warning and are left out."""
        words = str(self.options.get("parts") or " ".join(PARTS)).split()
        unknown = [word for word in words if word not in PARTS]
        if unknown:
            warn(
                f":parts: {' '.join(unknown)!r} is not among {', '.join(PARTS)}; left out",
                Subtype.option,
                self.get_location(),
            )
        return tuple(word for word in words if word in PARTS)

    def run(self) -> list[nodes.Node]:
        parts = self.parts()
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        meta = snapshot.meta
        if meta is None:
            warn(
                f"cab-history: snapshot {snapshot.name} has no readable meta.json",
                Subtype.source,
                self.get_location(),
            )
            return []
        result: list[nodes.Node] = []
        for part in parts:
            if part == "versions":
                result.append(versions_table(meta))
            elif part == "fields":
                result.append(field_timeline(snapshot, meta))
            else:
                result.append(self._snapshots_table(meta))
        return result

    def _snapshots_table(self, meta: Meta) -> nodes.table:
        table, body = _table(
            "Snapshots on this site",
            ("Snapshot", "Methodology", "Rows", "Label"),
            (25, 15, 15, 45),
            ["cab-prose", "cab-snapshots"],
        )
        body += _row(
            _literal(meta.snapshot_date.isoformat()),
            _literal(meta.methodology_version),
            _paragraph(format_count(meta.row_count)),
            _paragraph("pinned: the snapshot every page renders by default"),
        )
        for ref in sorted(meta.snapshots, key=lambda r: r.snapshot_date, reverse=True):
            date = ref.snapshot_date.isoformat()
            body += _row(
                self._snapshot_link(date),
                _literal(ref.methodology_version),
                _paragraph(format_count(ref.row_count)),
                _paragraph(ref.label) if ref.label else _missing(),
            )
        return table

    def _snapshot_link(self, date: str) -> nodes.paragraph:
        label = value_literal(date)
        prefix = self.options.get("snapshot-pages")
        if prefix is None:
            return nodes.paragraph("", "", label)
        docname = f"{prefix}{date}".lstrip("/")
        if docname not in self.env.found_docs:
            return nodes.paragraph("", "", label)
        reference = addnodes.pending_xref(
            "", label, refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True
        )
        return nodes.paragraph("", "", reference)


def setup(app: Sphinx) -> None:
    app.add_directive("cab-history", HistoryDirective)
