"""The store in real Sphinx builds: loading, warnings, env, cache, incremental and parallel."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from sphinxcontrib_cab import store
from sphinxcontrib_cab.snapshot import load as loader
from sphinxcontrib_cab.snapshot.digest import snapshot_digest
from sphinxcontrib_cab.snapshot.model import Snapshot
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.store import document_digests

TESTS = Path(__file__).parent
ROOT = TESTS / "roots" / "test-store"
MINI = TESTS / "snapshots" / "mini"
BAD = TESTS / "bad_inputs"
DOCS_USING_DATA = ["index", "older", "page1", "page2", "page3", "page4"]

MakeApp = Callable[..., SphinxTestApp]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the test-store root with the mini snapshot as its data/ folder."""
    srcdir = tmp_path / "project"
    shutil.copytree(ROOT, srcdir)
    shutil.copytree(MINI, srcdir / "data")
    return srcdir


def build(make_app: MakeApp, srcdir: Path, **kwargs: Any) -> tuple[SphinxTestApp, list[str]]:
    """Build once; return the app and the documents Sphinx read in this build."""
    app = make_app("html", srcdir=srcdir, **kwargs)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(sorted(docnames)))
    app.build()
    return app, read


def warnings_of(app: SphinxTestApp) -> list[str]:
    """The cab warnings of a build (a second app in one process repeats Sphinx's own node notes)."""
    return [w for w in strip_colors(app.warning.getvalue()).splitlines() if "[cab." in w]


def page_text(app: SphinxTestApp, docname: str) -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


def test_build_reads_pinned_and_older_snapshots(make_app: MakeApp, project: Path) -> None:
    app, read = build(make_app, project, freshenv=True)
    assert read == sorted([*DOCS_USING_DATA, "plain"])
    assert "rows: 36, cells: 12, snapshot: 2026-06-20" in page_text(app, "index")
    assert "rows: 6, cells: 2, snapshot: 2026-05-27" in page_text(app, "older")
    assert warnings_of(app) == [
        f"{project / 'older.rst'}:6: WARNING: unknown snapshot '1999-01-01'; known snapshots: "
        "2026-06-20, 2026-05-27 [cab.snapshot]"
    ]


def test_data_problems_are_warned_once_at_file_and_line(make_app: MakeApp, project: Path) -> None:
    shutil.copyfile(BAD / "bad-hash.jsonl", project / "data/results/published/bad-hash.jsonl")
    app, _ = build(make_app, project, freshenv=True)
    data_warnings = [w for w in warnings_of(app) if w.startswith("data/")]
    assert data_warnings == [
        "data/results/published/bad-hash.jsonl:1: WARNING: row left out: 'grade_sha256' is not a "
        'sha256 digest (64 lowercase hex digits): got "89beb1aa725ff27450818a2dd1ab3b039d122009" '
        "[cab.sha256]"
    ]


def test_env_holds_only_digests(make_app: MakeApp, project: Path) -> None:
    app, _ = build(make_app, project, freshenv=True)
    pinned = loader.load_snapshot(SourcePaths.under(project / "data")).digest.combined
    older = loader.load_snapshot(
        SourcePaths.under(project / "data/snapshots/2026-05-27")
    ).digest.combined
    # beside each digest, the state of the snapshot's signature (unsigned here: no files, no key)
    unsigned = store.current_digests(app.env)["2026-06-20#signature"]
    expected = {
        doc: {"2026-06-20": pinned, "2026-06-20#signature": unsigned}
        for doc in DOCS_USING_DATA
        if doc != "older"
    }
    expected["older"] = {"2026-05-27": older, "2026-05-27#signature": unsigned}
    assert document_digests(app.env) == expected
    assert not any(isinstance(value, Snapshot) for value in vars(app.env).values())
    dependencies = {Path(p).name for p in app.env.dependencies["index"]}
    assert {"free-20260527.jsonl", "tasks.json", "_catalog.yaml", "meta.json"} <= dependencies


def test_noop_rebuild_reads_nothing_and_does_not_reparse(make_app: MakeApp, project: Path) -> None:
    build(make_app, project, freshenv=True)
    parses = loader.parse_count()
    _, read = build(make_app, project)
    assert read == []
    assert loader.parse_count() == parses


def test_changed_data_rereads_its_pages_even_with_an_old_mtime(
    make_app: MakeApp, project: Path
) -> None:
    build(make_app, project, freshenv=True)
    runs = project / "data/results/published/free-20260527.jsonl"
    stat = runs.stat()
    lines = runs.read_text().splitlines(keepends=True)
    runs.write_text("".join(lines[:-1]))
    os.utime(runs, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    meta = project / "data/site/src/data/meta.json"
    meta_stat = meta.stat()
    meta.write_text(meta.read_text().replace('"row_count": 36', '"row_count": 35'))
    os.utime(meta, ns=(meta_stat.st_atime_ns, meta_stat.st_mtime_ns))
    app, read = build(make_app, project)
    # older.rst uses only the older snapshot, which did not change; plain.rst uses no data.
    assert read == ["index", "page1", "page2", "page3", "page4"]
    assert "rows: 35, cells: 12, snapshot: 2026-06-20" in page_text(app, "index")
    assert warnings_of(app) == []


def test_removed_document_is_purged(make_app: MakeApp, project: Path) -> None:
    build(make_app, project, freshenv=True)
    (project / "page4.rst").unlink()
    index = project / "index.rst"
    index.write_text(index.read_text().replace("   page4\n", ""))
    app, _ = build(make_app, project)
    assert "page4" not in document_digests(app.env)


def test_parallel_build_merges_digests(make_app: MakeApp, project: Path, tmp_path: Path) -> None:
    serial_app, _ = build(make_app, project, freshenv=True)
    serial = dict(document_digests(serial_app.env))
    parallel_project = tmp_path / "parallel"
    shutil.copytree(project, parallel_project, ignore=shutil.ignore_patterns("_build"))
    app, read = build(make_app, parallel_project, freshenv=True, parallel=4)
    assert read == sorted([*DOCS_USING_DATA, "plain"])
    assert document_digests(app.env) == serial
    assert page_text(app, "index").count("rows: 36") == 1


def _parsed_this_build(app: SphinxTestApp) -> bool:
    """Whether this build parsed the snapshots (rather than only hashing their files)."""
    return store._BUILDS[str(Path(app.srcdir).resolve())].loaded is not None


def test_hashed_digest_is_the_loaders_digest(project: Path) -> None:
    """What the store hashes without parsing equals the digest a parsed snapshot carries."""
    for root in (project / "data", project / "data/snapshots/2026-05-27", project / "missing"):
        sources = SourcePaths.under(root)
        expected = loader.load_snapshot(sources).digest
        assert snapshot_digest(sources).combined == expected.combined


def test_noop_rebuild_hashes_but_does_not_parse(make_app: MakeApp, project: Path) -> None:
    first, _ = build(make_app, project, freshenv=True)
    assert _parsed_this_build(first)
    app, read = build(make_app, project)
    assert read == []
    assert not _parsed_this_build(app)
    recorded = document_digests(app.env)
    assert store.current_digests(app.env) == {**recorded["index"], **recorded["older"]}
    assert len(store.current_digests(app.env)) == 4  # two digests, two signature states
    # a change to a page that uses no data reads the data again before reading that page
    (project / "plain.rst").write_text((project / "plain.rst").read_text() + "\nMore text.\n")
    app, read = build(make_app, project)
    assert read == ["plain"]
    assert _parsed_this_build(app)


def test_data_warnings_once_per_build_that_reads(
    make_app: MakeApp, project: Path, tmp_path: Path
) -> None:
    shutil.copyfile(BAD / "bad-hash.jsonl", project / "data/results/published/bad-hash.jsonl")
    expected = [
        "data/results/published/bad-hash.jsonl:1: WARNING: row left out: 'grade_sha256' is not a "
        'sha256 digest (64 lowercase hex digits): got "89beb1aa725ff27450818a2dd1ab3b039d122009" '
        "[cab.sha256]"
    ]
    parallel_project = tmp_path / "parallel"
    shutil.copytree(project, parallel_project)
    app, _ = build(make_app, project, freshenv=True)
    assert [w for w in warnings_of(app) if w.startswith("data/")] == expected
    # nothing re-read: no page's warnings are repeated, nor the data's
    app, read = build(make_app, project)
    assert read == []
    assert warnings_of(app) == []
    # a page re-read: the data is read again and its problems reported again, once
    (project / "plain.rst").write_text((project / "plain.rst").read_text() + "\nMore text.\n")
    app, read = build(make_app, project)
    assert read == ["plain"]
    assert warnings_of(app) == expected
    # under -j the main process reads the data before the readers fork: one warning, not one
    # per reader
    app, _ = build(make_app, parallel_project, freshenv=True, parallel=4)
    assert [w for w in warnings_of(app) if w.startswith("data/")] == expected


def test_a_wrong_runs_path_is_one_warning_per_snapshot_at_the_real_folder(
    make_app: MakeApp, project: Path
) -> None:
    """Once 24 warnings from one cause; and a whole-file warning named ``published.rst``."""
    app, _ = build(make_app, project, freshenv=True, confoverrides={"cab_runs_path": "results/x"})
    older_rst_asks_for_an_unknown_snapshot = "[cab.snapshot]"
    data_warnings = [w for w in warnings_of(app) if older_rst_asks_for_an_unknown_snapshot not in w]
    assert data_warnings == [
        "data/results/x:: WARNING: the run-record folder data/results/x does not "
        "exist (cab_runs_path = 'results/x') [cab.source]",
        "data/snapshots/2026-05-27/results/x:: WARNING: the run-record folder "
        "data/snapshots/2026-05-27/results/x does not exist (cab_runs_path = 'results/x') "
        "[cab.source]",
    ]


def test_a_missing_task_catalogue_points_at_the_file(make_app: MakeApp, project: Path) -> None:
    (project / "data/site/src/data/tasks.json").unlink()
    app, _ = build(make_app, project, freshenv=True)
    found = [w for w in warnings_of(app) if "task catalogue" in w]
    assert found == [
        "data/site/src/data/tasks.json:: WARNING: the task catalogue "
        "data/site/src/data/tasks.json does not exist (cab_tasks_path = "
        "'site/src/data/tasks.json') [cab.source]"
    ]
