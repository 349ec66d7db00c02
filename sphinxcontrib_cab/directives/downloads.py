"""``cab-downloads``: the leaderboard as CSV and JSON files, with their sha256 tied to the receipt.

While a page is read, the directive serialises every cell of the snapshot to deterministic bytes
(built once per snapshot), shows each file's size and sha256, links
``<basename>.csv`` and ``<basename>.json`` relative to the page, and records (docname -> snapshot
name, basename and the two files' sha256) in the ``cab`` domain's data, which purges and
merges it under ``-j``. At ``build-finished`` the main process writes the files next to
each page's HTML output (``html``, ``dirhtml``; the site root for ``singlehtml``), in sorted page
order, only when the file on disk lacks the recorded sha256; two pages whose different files
would land on the same path get a ``cab.option`` warning instead. Nothing is collected in the
write phase, and the bytes do not depend on where the source, doctree or output folders are.
EPUB gets no files (readers cannot open them, and unknown media types make the EPUB builder
warn), and neither do latex, text or man: for every builder that does not write the files a
post-transform turns each file link into its plain file name, so no output carries a dead link.

Node tree: ``table.cab-downloads`` (file as a ``reference.cab-download`` relative to the page, or
the file name as ``literal.cab-download`` where no files are written; size in bytes; sha256),
``paragraph.cab-downloads-receipt`` (what both files embed) and
``literal_block.cab-downloads-check`` (what ``sha256sum`` prints for the two files).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..directive_base import SnapshotDirective
from ..domain import add_directive, cab_domain
from ..files import write_if_changed
from ..filters import failures_option
from ..options import Option
from ..render import value_literal, without_smartquotes
from ..snapshot.aggregate import cells_for_failures
from ..snapshot.export import cell_values, csv_from_rows, json_from_rows, receipt
from ..snapshot.failures import FAILURE_MODES
from ..snapshot.formats import format_count
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

    from ..snapshot.failures import FailureMode
    from ..snapshot.model import Snapshot

BASENAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_BASENAME = "leaderboard"


# -- files ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DownloadFile:
    name: str
    data: bytes
    sha256: str


def _contents(
    snapshot: Snapshot, failures: FailureMode
) -> tuple[tuple[bytes, str], tuple[bytes, str]]:
    """(CSV bytes, sha256) and (JSON bytes, sha256) of ``snapshot``'s cells as the ``failures``
    mode counts them, kept as its view."""

    def make() -> tuple[tuple[bytes, str], tuple[bytes, str]]:
        rows = [cell_values(cell) for cell in cells_for_failures(snapshot, failures)]
        csv_data = csv_from_rows(snapshot, rows, failures)
        json_data = json_from_rows(snapshot, rows, failures)
        return (
            (csv_data, hashlib.sha256(csv_data).hexdigest()),
            (json_data, hashlib.sha256(json_data).hexdigest()),
        )

    return snapshot.view(("downloads", failures), make)


def download_files(
    snapshot: Snapshot, stem: str, failures: FailureMode = "include"
) -> tuple[DownloadFile, DownloadFile]:
    """The two files of one ``cab-downloads``: ``<stem>.csv`` and ``<stem>.json`` (their bytes
    are built once per snapshot and mode, as a :meth:`~.model.Snapshot.view`)."""
    (csv_data, csv_sha), (json_data, json_sha) = _contents(snapshot, failures)
    return (
        DownloadFile(f"{stem}.csv", csv_data, csv_sha),
        DownloadFile(f"{stem}.json", json_data, json_sha),
    )


def _recorded(env: BuildEnvironment) -> dict[str, list[tuple[str, str, str, str, str]]]:
    """docname -> [(snapshot name, basename, failures mode, CSV sha256, JSON sha256)] of the
    downloads the page links (kept in the ``cab`` domain's data)."""
    return cab_domain(env).downloads


_WRITES: dict[str, bool] = {}
"""Per process: source folder -> whether this build's builder writes the files."""


def _note_builder(app: Sphinx) -> None:
    # decided once from the public app.builder; forked writers inherit it
    _WRITES[str(Path(app.srcdir).resolve())] = writes_downloads(type(app.builder))


def page_folder(builder: StandaloneHTMLBuilder, docname: str) -> Path:
    """Where a link relative to the page ``docname`` points in this builder's output."""
    if builder.name == "singlehtml":
        return Path(builder.outdir)
    return Path(builder.get_outfilename(docname)).parent


def writes_downloads(builder_class: type[Builder]) -> bool:
    """True for the builders that get the files: the HTML site builders, not EPUB."""
    return (
        issubclass(builder_class, StandaloneHTMLBuilder)
        and builder_class.name != "epub"
        and builder_class.format == "html"
    )


def _on_disk(path: Path, sha256: str) -> bool:
    """True when ``path`` holds bytes with this sha256."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write every recorded download next to its page (HTML builders).

    A file already on disk with the recorded sha256 is left alone, so a rebuild that changed
    nothing neither parses the snapshot nor serialises it again."""
    builder = app.builder
    if exception is not None or not isinstance(builder, StandaloneHTMLBuilder):
        return
    if not writes_downloads(type(builder)):
        return
    from ..store import loaded_for

    found = app.env.found_docs
    written: dict[Path, tuple[str, str]] = {}
    for docname, wanted in sorted(_recorded(app.env).items()):
        if docname not in found:
            continue
        folder = page_folder(builder, docname)
        for snapshot_name, stem, failures, *hashes in wanted:
            for suffix, sha256 in zip(("csv", "json"), hashes, strict=True):
                name = f"{stem}.{suffix}"
                target = folder / name
                earlier = written.get(target)
                if earlier is not None and earlier[1] != sha256:
                    warn(
                        f"cab-downloads: {name} would overwrite the different file of "
                        f"page {earlier[0]!r} in the same output folder; give one of them "
                        "another :basename:",
                        Subtype.option,
                        (docname, None),
                    )
                    continue
                written[target] = (docname, sha256)
                if earlier is not None or _on_disk(target, sha256):
                    continue
                loaded = loaded_for(app.env)
                snapshot = loaded.get(snapshot_name) if loaded is not None else None
                if snapshot is None:
                    continue
                mode: FailureMode = "exclude" if failures == "exclude" else "include"
                files = {file.name: file for file in download_files(snapshot, stem, mode)}
                write_if_changed(target, files[name].data)


class DownloadsDirective(SnapshotDirective):
    """The pinned snapshot's leaderboard (every cell, every metric with its interval) as a CSV and
    a JSON file a reader can download, each with its size and sha256, and the receipt both files
    carry: the snapshot, its digest, the version of sphinxcontrib-cab that computed the numbers.

    The files are written next to the page in HTML builds; other builders name them without a
    link."""

    example: ClassVar[str] = ":::{cab-downloads}\n:basename: leaderboard\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "basename": Option(
            "the file name stem: lowercase letters, digits and dashes",
            default=f"``{DEFAULT_BASENAME}``",
            required=False,
        ),
        "failures": failures_option(),
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
        failures = self.failure_mode()
        files = download_files(snapshot, stem, failures)
        _recorded(self.env).setdefault(self.env.docname, []).append(
            (snapshot.name, stem, failures, files[0].sha256, files[1].sha256)
        )
        table = self._table()
        body = table.next_node(nodes.tbody)
        assert body is not None
        for file in files:
            body += self._row(file)
        return [table, self._receipt(snapshot, failures), self._check(files)]

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

    def _row(self, file: DownloadFile) -> nodes.row:
        reference = nodes.reference(
            "", "", nodes.literal(file.name, file.name), refuri=file.name, classes=["cab-download"]
        )
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph("", "", reference))
        size = format_count(len(file.data))
        row += nodes.entry("", nodes.paragraph(size, size))
        row += nodes.entry("", nodes.paragraph("", "", nodes.literal(file.sha256, file.sha256)))
        return row

    def _receipt(self, snapshot: Snapshot, failures: FailureMode) -> nodes.paragraph:
        fields = receipt(snapshot, failures)
        paragraph = without_smartquotes(nodes.paragraph(classes=["cab-downloads-receipt"]))
        paragraph += nodes.Text("Both files name snapshot ")
        paragraph += value_literal(snapshot.name)
        if fields["methodology_version"] is not None:
            paragraph += nodes.Text(" (methodology ")
            paragraph += value_literal(fields["methodology_version"])
            paragraph += nodes.Text(")")
        paragraph += nodes.Text(", its snapshot digest ")
        paragraph += value_literal(str(fields["snapshot_digest"]))
        paragraph += nodes.Text(" and the version of sphinxcontrib-cab that computed them, ")
        paragraph += value_literal(str(fields["extension_version"]))
        paragraph += nodes.Text(
            f": the JSON under its receipt key, with the {format_count(snapshot.rows_read)} "
            "rows read and the estimator of each metric; the CSV in the last four columns of "
            "every row. Failed runs: "
        )
        paragraph += value_literal(failures)
        paragraph += nodes.Text(f" ({FAILURE_MODES[failures]}).")
        return paragraph

    def _check(self, files: tuple[DownloadFile, ...]) -> nodes.literal_block:
        text = "\n".join(f"{file.sha256}  {file.name}" for file in files)
        return nodes.literal_block(text, text, classes=["cab-downloads-check"], language="text")


class UnlinkDownloads(SphinxPostTransform):
    """In builders that get no files, replace each ``reference.cab-download`` by its
    ``literal`` file name (class ``cab-download`` kept), so the name reads as text."""

    default_priority = 400

    def run(self, **kwargs: Any) -> None:
        if _WRITES.get(str(Path(self.env.srcdir).resolve()), False):
            return
        for reference in list(self.document.findall(nodes.reference)):
            if "cab-download" in reference["classes"]:
                for child in reference.children:
                    if isinstance(child, nodes.Element):
                        child["classes"].append("cab-download")
                reference.replace_self(reference.children)


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-downloads", DownloadsDirective)
    app.add_post_transform(UnlinkDownloads)
    app.connect("builder-inited", _note_builder)
    app.connect("build-finished", write_downloads)
