"""cab-downloads: deterministic CSV and JSON of the cells, sha256 shown, tied to the receipt."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from sphinxcontrib_cab.render import format_count
from sphinxcontrib_cab.snapshot.aggregate import cells_without_failures
from sphinxcontrib_cab.snapshot.export import cell_values, columns, csv_bytes, json_bytes
from sphinxcontrib_cab.snapshot.failures import FAILURE_MODES
from sphinxcontrib_cab.snapshot.load import load_snapshot_cached
from sphinxcontrib_cab.snapshot.metrics import CELL_METRICS, METRICS
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.snapshot.version import extension_version

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    from sphinxcontrib_cab.snapshot.model import Snapshot


@pytest.fixture
def mini(mini_snapshot: Path) -> Snapshot:
    return load_snapshot_cached(SourcePaths.under(mini_snapshot))


def test_json_holds_every_cell_and_the_receipt(mini: Snapshot) -> None:
    document = json.loads(json_bytes(mini))
    assert document["columns"] == list(columns())
    assert len(document["rows"]) == len(mini.cells)
    assert document["receipt"]["snapshot_digest"] == mini.digest.combined
    assert document["receipt"]["row_count"] == mini.rows_read
    assert mini.meta is not None
    assert document["receipt"]["snapshot_date"] == mini.meta.snapshot_date.isoformat()
    assert document["receipt"]["methodology_version"] == mini.meta.methodology_version
    first = dict(zip(document["columns"], document["rows"][0], strict=True))
    cell = mini.cells[0]
    assert [first[name] for name, _ in cell.key.items()] == list(cell.key.values())
    assert first["runs"] == len(cell.runs)


def test_missing_values_are_null_in_json_and_empty_in_csv(mini: Snapshot) -> None:
    lacking = [i for i, cell in enumerate(mini.cells) if cell.key.missing()]
    assert lacking, "the mini snapshot has cells recorded before the provenance fields existed"
    index = lacking[0]
    missing = mini.cells[index].key.missing()
    rows = json.loads(json_bytes(mini))["rows"]
    header = list(columns())
    for name in missing:
        assert rows[index][header.index(name)] is None
    table = list(csv.reader(io.StringIO(csv_bytes(mini).decode())))
    for name in missing:
        assert table[index + 1][header.index(name)] == ""


def test_csv_is_one_header_row_and_rows_that_name_their_snapshot(mini: Snapshot) -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(mini).decode("utf-8"))))
    assert rows[0] == [*columns(), "snapshot", "snapshot_digest", "extension_version", "failures"]
    assert len(rows) == len(mini.cells) + 1
    produced = (mini.name, mini.digest.combined, extension_version(), "include")
    assert {tuple(row[-4:]) for row in rows[1:]} == {produced}


def test_json_receipt_names_the_version_and_each_metric_s_estimator(mini: Snapshot) -> None:
    document = json.loads(json_bytes(mini))
    assert document["receipt"]["extension_version"] == extension_version()
    assert document["receipt"]["estimators"] == {
        name: metric.estimator.name for name, metric in METRICS.items()
    }
    assert set(document["receipt"]["estimators"]) == set(CELL_METRICS)


def test_no_value_can_add_lines_or_formulas_to_the_csv(mini: Snapshot) -> None:
    """A newline in meta.json's source once turned lines of a comment header into data rows,
    and ``=HYPERLINK(...)`` went into the file raw."""
    assert mini.meta is not None
    meta = mini.meta.model_copy(update={"source": "line one\nhttps://x,y,z\n"})
    key = replace(
        mini.cells[0].key,
        tui='=HYPERLINK("https://evil.example","x")',
        model="+1",
        plugin_stack="@SUM(A1)",
        behavior_mode="-2",
    )
    cells = (replace(mini.cells[0], key=key), *mini.cells[1:])
    hostile = replace(mini, meta=meta, cells=cells)
    rows = list(csv.reader(io.StringIO(csv_bytes(hostile).decode("utf-8"))))
    assert len(rows) == len(mini.cells) + 1
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["tui"] == "'" + key.tui
    assert (first["model"], first["plugin_stack"], first["behavior_mode"]) == (
        "'+1",
        "'@SUM(A1)",
        "'-2",
    )
    assert json.loads(json_bytes(hostile))["receipt"]["source"] == meta.source


def test_bytes_are_deterministic(mini: Snapshot) -> None:
    assert csv_bytes(mini) == csv_bytes(mini)
    assert json_bytes(mini) == json_bytes(mini)


def _project(tmp_path: Path, rootdir: Path, mini_snapshot: Path, name: str) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(rootdir / "test-downloads", srcdir)
    shutil.copytree(mini_snapshot, srcdir / "snapshot")
    return srcdir


def _downloads(outdir: Path, docname: str) -> dict[str, tuple[str, bytes]]:
    """File name -> (sha256 shown on the page, bytes behind the link)."""
    soup = BeautifulSoup((outdir / f"{docname}.html").read_text("utf-8"), "html.parser")
    found = {}
    for row in soup.select("table.cab-downloads tbody > tr"):
        link = row.select_one("a.cab-download")
        assert link is not None
        data = (outdir / docname).parent.joinpath(str(link["href"])).read_bytes()
        cells = row.find_all("td")
        assert cells[1].get_text(strip=True) == format_count(len(data))
        found[link.get_text(strip=True)] = (cells[2].get_text(strip=True), data)
    return found


@pytest.mark.sphinx("html", testroot="downloads")
def test_build_links_files_whose_sha256_is_shown(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, rootdir: Path, mini_snapshot: Path
) -> None:
    app = make_app("html", srcdir=_project(tmp_path, rootdir, mini_snapshot, "serial"))
    app.build()
    warnings = app.warning.getvalue().strip().splitlines()
    assert len(warnings) == 1
    assert "bad.rst:4: WARNING: :basename: 'Not/Allowed' must be lowercase" in warnings[0]
    assert warnings[0].endswith("[cab.option]") or "[cab.option]" in warnings[0]

    mini = load_snapshot_cached(SourcePaths.under(mini_snapshot))
    docnames = ("index", "myst", "older", "bad", "again", "more")
    pages = {doc: _downloads(app.outdir, doc) for doc in docnames}
    assert sorted(pages["index"]) == ["leaderboard.csv", "leaderboard.json"]
    assert sorted(pages["myst"]) == ["cells.csv", "cells.json"]
    assert sorted(pages["bad"]) == ["leaderboard.csv", "leaderboard.json"]
    for files in pages.values():
        for shown, data in files.values():
            assert hashlib.sha256(data).hexdigest() == shown
    assert pages["index"]["leaderboard.csv"][1] == csv_bytes(mini)
    assert pages["myst"]["cells.json"][1] == pages["index"]["leaderboard.json"][1]
    older = json.loads(pages["older"]["older.json"][1])
    assert older["receipt"]["snapshot"] == "2026-05-27"
    assert older["receipt"]["snapshot_digest"] != mini.digest.combined
    app.cleanup()

    assert sorted(pages["more"]) == ["more.csv", "more.json"]
    # :failures: exclude: the means without the failed runs, and both files say so
    more = json.loads(pages["more"]["more.json"][1])
    assert more["receipt"]["failed_runs"] == f"exclude: {FAILURE_MODES['exclude']}"
    assert more["rows"] == [cell_values(cell) for cell in cells_without_failures(mini)]
    assert more["rows"] != json.loads(pages["index"]["leaderboard.json"][1])["rows"]
    more_csv = list(csv.reader(io.StringIO(pages["more"]["more.csv"][1].decode("utf-8"))))
    assert {row[-1] for row in more_csv[1:]} == {"exclude"}
    more_page = BeautifulSoup((app.outdir / "more.html").read_text("utf-8"), "html.parser")
    receipt_text = more_page.select_one("p.cab-downloads-receipt")
    assert receipt_text is not None
    assert f"Failed runs: exclude ({FAILURE_MODES['exclude']})." in receipt_text.get_text()

    # a parallel build (six documents, so the readers really fork) gives the same bytes
    parallel = make_app(
        "html", srcdir=_project(tmp_path, rootdir, mini_snapshot, "parallel"), parallel=4
    )
    parallel.build()
    for docname, files in pages.items():
        assert _downloads(parallel.outdir, docname) == files
    parallel.cleanup()


@pytest.mark.sphinx("html", testroot="downloads")
def test_two_different_files_on_one_path_are_a_located_warning(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, rootdir: Path, mini_snapshot: Path
) -> None:
    srcdir = _project(tmp_path, rootdir, mini_snapshot, "clash")
    (srcdir / "clash.rst").write_text(
        "Clash\n=====\n\n.. cab-downloads::\n   :snapshot: 2026-05-27\n\n"
        ".. toctree::\n   :hidden:\n",
        encoding="utf-8",
    )
    with (srcdir / "index.rst").open("a", encoding="utf-8") as index:
        index.write("   clash\n")
    app = make_app("html", srcdir=srcdir)
    app.build()
    clashes = [line for line in app.warning.getvalue().splitlines() if "overwrite" in line]
    # pages are written in name order: 'bad' (the pinned snapshot, like 'index') comes first,
    # so clash's files of the older snapshot are refused, once per file
    assert len(clashes) == 2
    for line, name in zip(clashes, ("leaderboard.csv", "leaderboard.json"), strict=True):
        assert f"clash.rst: WARNING: cab-downloads: {name} would overwrite" in line
        assert "page 'bad'" in line
        assert "[cab.option]" in line
    app.cleanup()


@pytest.mark.parametrize(("builder", "page"), [("dirhtml", "myst/index"), ("singlehtml", "index")])
def test_files_sit_next_to_the_page_in_other_html_builders(
    make_app: Callable[..., SphinxTestApp],
    tmp_path: Path,
    rootdir: Path,
    mini_snapshot: Path,
    builder: str,
    page: str,
) -> None:
    app = make_app(builder, srcdir=_project(tmp_path, rootdir, mini_snapshot, builder))
    app.build()
    files = _downloads(app.outdir, page)
    assert files
    for shown, data in files.values():
        assert hashlib.sha256(data).hexdigest() == shown
    app.cleanup()


@pytest.mark.parametrize(
    ("builder", "output"),
    [("epub", "index.xhtml"), ("text", "index.txt"), ("latex", "*.tex")],
)
def test_builders_without_the_files_name_them_as_text(
    make_app: Callable[..., SphinxTestApp],
    tmp_path: Path,
    rootdir: Path,
    mini_snapshot: Path,
    builder: str,
    output: str,
) -> None:
    """EPUB, text and LaTeX get no files, so the file names are plain text, never a link."""
    app = make_app(builder, srcdir=_project(tmp_path, rootdir, mini_snapshot, builder))
    app.build()
    outdir = app.outdir
    written = sorted(path.name for path in outdir.rglob("*") if path.suffix in {".csv", ".json"})
    assert written == []
    page = next(outdir.glob(output)).read_text("utf-8")
    for name in ("leaderboard.csv", "leaderboard.json"):
        assert name in page
    if builder == "epub":
        soup = BeautifulSoup(page, "html.parser")
        assert soup.select("a.cab-download, a[href$='.csv'], a[href$='.json']") == []
        assert [tag.get_text() for tag in soup.select("code.cab-download")] == [
            "leaderboard.csv",
            "leaderboard.json",
        ]
    elif builder == "latex":
        assert "\\sphinxhref{leaderboard" not in page and "\\href{leaderboard" not in page
    app.cleanup()


@pytest.mark.sphinx("html", testroot="downloads")
def test_rebuild_writes_only_missing_or_changed_files(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, rootdir: Path, mini_snapshot: Path
) -> None:
    srcdir = _project(tmp_path, rootdir, mini_snapshot, "rebuild")
    app = make_app("html", srcdir=srcdir)
    app.build()
    app.cleanup()
    before = _downloads(app.outdir, "index")
    csv_file = app.outdir / "leaderboard.csv"
    json_file = app.outdir / "leaderboard.json"
    json_mtime = json_file.stat().st_mtime_ns
    csv_file.unlink()

    app = make_app("html", srcdir=srcdir)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    app.build()
    app.cleanup()
    assert read == []
    assert _downloads(app.outdir, "index") == before  # the deleted file is back, same bytes
    assert json_file.stat().st_mtime_ns == json_mtime  # the intact one was not rewritten

    json_file.write_bytes(b"tampered")
    app = make_app("html", srcdir=srcdir)
    app.build()
    app.cleanup()
    assert _downloads(app.outdir, "index") == before
