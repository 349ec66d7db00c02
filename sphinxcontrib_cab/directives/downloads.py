"""``cab-downloads``: the leaderboard as CSV and JSON files, with their sha256 tied to the receipt.

The directive serialises every cell of the snapshot to deterministic bytes while the page is read,
stores each file content-addressed under the doctree folder (``cab-downloads/<sha256 prefix>/``)
and references it with a ``download_reference``; Sphinx's own download collector then records it
per document (purged and merged under ``-j``) and the HTML builders copy it into ``_downloads/``.
Nothing is collected in the write phase.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from ..keys import KEY_FIELD_NAMES
from ..render import SnapshotDirective, format_count
from ..snapshot import AXES
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..snapshot import Cell, Estimate, Snapshot

SUMMARIES: tuple[str, ...] = ("headline", "ships", "stays", "costs")
"""The derived scores exported next to the per-axis estimates."""

BASENAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_BASENAME = "leaderboard"


# -- content ----------------------------------------------------------------------------------


def columns() -> tuple[str, ...]:
    """The exported columns, in order."""
    estimate_columns = [
        f"{name}_{part}" for name in (*SUMMARIES, *AXES) for part in ("mean", "low", "high")
    ]
    return (
        *KEY_FIELD_NAMES,
        "category",
        "methodology_version",
        "runs",
        "failed_runs",
        *estimate_columns,
    )


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _estimate_values(estimate: Estimate | None) -> tuple[float | None, ...]:
    if estimate is None:
        return (None, None, None)
    return (_number(estimate.mean), _number(estimate.low), _number(estimate.high))


def cell_record(cell: Cell) -> dict[str, Any]:
    """One exported row: key values, category, version, run counts and every estimate."""
    values: list[Any] = list(cell.key.values())
    values += [
        cell.category,
        cell.methodology_version,
        len(cell.runs),
        sum(count for _kind, count in cell.failures),
    ]
    for name in SUMMARIES:
        values += _estimate_values(getattr(cell, name))
    for axis in AXES:
        values += _estimate_values(cell.axes.get(axis))
    return dict(zip(columns(), values, strict=True))


def receipt(snapshot: Snapshot) -> dict[str, Any]:
    """The receipt fields every download embeds, so a file can be matched to its snapshot."""
    meta = snapshot.meta
    return {
        "snapshot": snapshot.name,
        "methodology_version": meta.methodology_version if meta else None,
        "snapshot_date": meta.snapshot_date.isoformat() if meta else None,
        "source": meta.source if meta else None,
        "row_count": snapshot.rows_read,
        "snapshot_digest": snapshot.digest.combined,
    }


def json_bytes(snapshot: Snapshot) -> bytes:
    """The leaderboard as JSON: ``{"receipt": {...}, "columns": [...], "rows": [[...], ...]}``,
    one row per cell with its values in the order of ``columns``, one row per line."""
    head = json.dumps(
        {"receipt": receipt(snapshot), "columns": list(columns())}, ensure_ascii=False
    )
    rows = ",\n".join(
        json.dumps(list(cell_record(cell).values()), ensure_ascii=False) for cell in snapshot.cells
    )
    return (head[:-1] + ',\n"rows": [\n' + rows + "\n]}\n").encode("utf-8")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_bytes(snapshot: Snapshot) -> bytes:
    """The leaderboard as CSV, after ``#`` comment lines carrying the receipt."""
    buffer = io.StringIO()
    for key, value in receipt(snapshot).items():
        buffer.write(f"# {key}: {_csv_value(value)}\n")
    buffer.write("# an empty value means the cell did not record it\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns())
    for cell in snapshot.cells:
        writer.writerow([_csv_value(value) for value in cell_record(cell).values()])
    return buffer.getvalue().encode("utf-8")


# -- files ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DownloadFile:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def store_file(folder: Path, file: DownloadFile) -> Path:
    """Write ``file`` under ``folder/<sha256 prefix>/<name>`` unless it is already there.

    Content addressing makes concurrent readers under ``-j`` write identical bytes, and the
    rename makes each write atomic.
    """
    target = folder / file.sha256[:16] / file.name
    if target.is_file() and target.stat().st_size == len(file.data):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{file.name}.{os.getpid()}.tmp")
    temporary.write_bytes(file.data)
    os.replace(temporary, target)
    return target


class DownloadsDirective(SnapshotDirective):
    """The leaderboard of the snapshot as ``<basename>.csv`` and ``<basename>.json`` downloads.

    Produces ``table.cab-downloads`` (file as a ``download_reference``, size in bytes, sha256),
    ``paragraph.cab-downloads-receipt`` naming the snapshot digest, methodology version and
    snapshot date both files embed, and ``literal_block.cab-downloads-check``: what
    ``sha256sum`` prints for the two files.
    """

    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "basename": directives.unchanged,
    }
    option_docs: ClassVar[dict[str, str]] = {
        "basename": "the file name stem, lowercase letters, digits and dashes "
        "(default ``leaderboard``)",
    }

    def stem(self) -> str:
        """``:basename:`` (lowercase letters, digits, dashes) or ``leaderboard``; anything else
        is a located ``cab.option`` warning."""
        value = str(self.options.get("basename") or DEFAULT_BASENAME).strip()
        if BASENAME.match(value):
            return value
        warn(
            f":basename: {value!r} must be lowercase letters, digits and dashes; "
            f"using {DEFAULT_BASENAME!r}",
            Subtype.option,
            self.get_location(),
        )
        return DEFAULT_BASENAME

    def run(self) -> list[nodes.Node]:
        stem = self.stem()
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        files = (
            DownloadFile(f"{stem}.csv", csv_bytes(snapshot)),
            DownloadFile(f"{stem}.json", json_bytes(snapshot)),
        )
        folder = Path(self.env.doctreedir) / "cab-downloads"
        table = self._table()
        body = table.next_node(nodes.tbody)
        assert body is not None
        for file in files:
            path = store_file(folder, file)
            body += self._row(file, path)
        return [table, self._receipt(snapshot), self._check(files)]

    def _table(self) -> nodes.table:
        table = nodes.table(classes=["cab-table", "cab-downloads"])
        table += nodes.title("Downloads", "Downloads")
        group = nodes.tgroup(cols=3)
        table += group
        for width in (25, 15, 60):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        row = nodes.row()
        for header in ("File", "Bytes", "sha256"):
            row += nodes.entry("", nodes.paragraph(header, header))
        head += row
        group += head
        group += nodes.tbody()
        return table

    def _row(self, file: DownloadFile, path: Path) -> nodes.row:
        target = "/" + Path(os.path.relpath(path, self.env.srcdir)).as_posix()
        reference = addnodes.download_reference(
            "",
            "",
            nodes.literal(file.name, file.name),
            reftarget=target,
            refdoc=self.env.docname,
            refexplicit=True,
        )
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph("", "", reference))
        size = format_count(len(file.data))
        row += nodes.entry("", nodes.paragraph(size, size))
        row += nodes.entry("", nodes.paragraph("", "", nodes.literal(file.sha256, file.sha256)))
        return row

    def _receipt(self, snapshot: Snapshot) -> nodes.paragraph:
        fields = receipt(snapshot)
        paragraph = nodes.paragraph(classes=["cab-downloads-receipt"])
        paragraph += nodes.Text("Both files embed the receipt of snapshot ")
        paragraph += nodes.literal(snapshot.name, snapshot.name)
        if fields["methodology_version"] is not None:
            paragraph += nodes.Text(" (methodology ")
            paragraph += nodes.literal(fields["methodology_version"], fields["methodology_version"])
            paragraph += nodes.Text(")")
        paragraph += nodes.Text(": its snapshot digest ")
        digest = str(fields["snapshot_digest"])
        paragraph += nodes.literal(digest, digest)
        paragraph += nodes.Text(
            f" and its {format_count(snapshot.rows_read)} rows, in the CSV's comment lines and "
            "under the JSON's receipt key."
        )
        return paragraph

    def _check(self, files: tuple[DownloadFile, ...]) -> nodes.literal_block:
        text = "\n".join(f"{file.sha256}  {file.name}" for file in files)
        return nodes.literal_block(text, text, classes=["cab-downloads-check"], language="text")


def setup(app: Sphinx) -> None:
    app.add_directive("cab-downloads", DownloadsDirective)
