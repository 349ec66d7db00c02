"""``cab-history``: the methodology's version history, field timeline and snapshots (meta.json).

Each part is a pending :class:`~sphinxcontrib_cab.tables.data_table` (see
:mod:`sphinxcontrib_cab.tables` for how each builder writes it): ``table.cab-history`` (version,
date, what changed, fields introduced), ``table.cab-field-timeline`` (which run-record fields
each version recorded, and how many cells lack each provenance field) and ``table.cab-snapshots``
(the pinned snapshot and every older one, linked to ``<snapshot-pages><snapshot_date>`` when that
page exists).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ..directive_base import SnapshotDirective, checked_words
from ..domain import add_directive, cab_domain
from ..options import Option
from ..render import format_count
from ..snapshot.keys import KEY_FIELD_NAMES, PROVENANCE_FIELDS
from ..tables import (
    Cell,
    DataTable,
    Inline,
    Link,
    Missing,
    Value,
    Words,
    pending_table,
    words,
)
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..snapshot.contract import Meta, VersionEntry
    from ..snapshot.model import Snapshot

PARTS: tuple[str, ...] = ("versions", "fields", "snapshots")


def ordered_versions(meta: Meta) -> tuple[VersionEntry, ...]:
    """The history entries, oldest first."""
    return tuple(sorted(meta.history, key=lambda e: (e.date, e.version)))


def versions_table(meta: Meta) -> DataTable:
    """``table.cab-history``: version, date, what changed, fields introduced."""
    rows = []
    for entry in ordered_versions(meta):
        fields: list[Inline] = []
        for position, name in enumerate(entry.fields_introduced):
            if position:
                fields.append(Words(", "))
            fields.append(Value(name))
        rows.append(
            (
                words(Value(entry.version)),
                words(Value(entry.date.isoformat())),
                words(Words(entry.changes)),
                words(*fields) if fields else words(Missing()),
            )
        )
    return DataTable(
        caption="Methodology versions",
        header=("Version", "Date", "What changed", "Fields introduced"),
        widths=(10, 12, 50, 28),
        classes=("cab-prose", "cab-history"),
        rows=tuple(rows),
    )


def field_timeline(snapshot: Snapshot, meta: Meta) -> DataTable:
    """``table.cab-field-timeline``: one row per canonical-key field and per field added after
    the first version (in the order the history introduces them), one column per version
    ("recorded" from the introducing version on, the missing mark before), then how many cells
    of the snapshot lack the field when it is a provenance field, "required" when the contract
    requires it, and "optional, not counted" otherwise (the snapshot keeps no count of it)."""
    # only here: registering the extension must not import pydantic (tests/test_layers.py)
    from ..snapshot.contract import RunRecord

    versions = ordered_versions(meta)
    introduced: dict[str, int] = {}
    for position, entry in enumerate(versions):
        for name in entry.fields_introduced:
            introduced.setdefault(name, position)
    # the nine key fields always, then any other field a later version added
    shown = [name for name in KEY_FIELD_NAMES if name in introduced]
    shown += [name for name, first in introduced.items() if first > 0 and name not in shown]
    introduced = {name: introduced[name] for name in shown}
    header = (
        "Field",
        *(f"v{entry.version}" for entry in versions),
        "Cells without it",
    )
    rows = []
    for name, first in sorted(introduced.items(), key=lambda item: item[1]):
        cells: list[Cell] = [words(Value(name))]
        for position in range(len(versions)):
            cells.append(words(Words("recorded")) if position >= first else words(Missing()))
        if name in PROVENANCE_FIELDS:
            lacking = sum(1 for cell in snapshot.cells if getattr(cell.key, name) is None)
            total = len(snapshot.cells)
            cells.append(words(Words(f"{format_count(lacking)} of {format_count(total)}")))
        elif (field := RunRecord.model_fields.get(name)) is not None and field.is_required():
            cells.append(words(Words("none: required in every run")))
        else:
            cells.append(words(Words("optional, not counted")))
        rows.append(tuple(cells))
    return DataTable(
        caption="Fields recorded per methodology version",
        header=header,
        widths=(30, *(12 for _ in versions), 18),
        classes=("cab-field-timeline",),
        rows=tuple(rows),
    )


class HistoryDirective(SnapshotDirective):
    """The methodology's history from ``meta.json``: each methodology version with its date and
    what changed (``versions``), which run-record fields each version recorded and how many
    cells lack each one (``fields``), and the pinned and older snapshots, linked to their pages
    (``snapshots``). ``:parts:`` picks some of the three; the default shows all."""

    example: ClassVar[str] = ":::{cab-history}\n:parts: versions snapshots\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "parts": Option(
            "the parts to show, space-separated, in that order",
            PARTS,
            "all three",
            required=False,
        ),
        "snapshot-pages": Option(
            "docname prefix of the pages that render older snapshots, e.g. ``snapshots/``; a "
            "snapshot's date links to ``<prefix><snapshot_date>`` when it exists",
            default="no links",
        ),
    }

    def parts(self) -> tuple[str, ...]:
        """The chosen parts in the given order; unknown words are a located ``cab.option``
        warning and are left out."""
        text = str(self.options.get("parts") or " ".join(PARTS))
        return checked_words(text, "parts", PARTS, self.get_location())

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
                table = versions_table(meta)
            elif part == "fields":
                table = field_timeline(snapshot, meta)
            else:
                table = self._snapshots_table(meta)
            node = pending_table(table)
            self.set_source_info(node)
            result.append(node)
        return result

    def _snapshots_table(self, meta: Meta) -> DataTable:
        rows = [
            (
                words(Value(meta.snapshot_date.isoformat())),
                words(Value(meta.methodology_version)),
                words(Words(format_count(meta.row_count))),
                words(Words("pinned: the snapshot every page renders by default")),
            )
        ]
        for ref in sorted(meta.snapshots, key=lambda r: r.snapshot_date, reverse=True):
            date = ref.snapshot_date.isoformat()
            rows.append(
                (
                    words(self._snapshot_label(date)),
                    words(Value(ref.methodology_version)),
                    words(Words(format_count(ref.row_count))),
                    words(Words(ref.label)) if ref.label else words(Missing()),
                )
            )
        return DataTable(
            caption="Snapshots on this site",
            header=("Snapshot", "Methodology", "Rows", "Label"),
            widths=(25, 15, 15, 45),
            classes=("cab-prose", "cab-snapshots"),
            rows=tuple(rows),
        )

    def _snapshot_label(self, date: str) -> Inline:
        prefix = self.options.get("snapshot-pages")
        if prefix is None:
            return Value(date)
        docname = f"{prefix}{date}".lstrip("/")
        # resolved when the page is written, so a snapshot page added later is linked then
        cab_domain(self.env).note_reference("snapshot", date, docname)
        return Link(date, docname, "snapshot")


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-history", HistoryDirective)
