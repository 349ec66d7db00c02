"""Deterministic output: clean, parallel and incremental rebuilds give the same bytes.

- Two clean builds of the docs site, each from its own fresh copy of the project and with a
  different ``PYTHONHASHSEED``, write byte-identical HTML and downloads.
- A ``-j 2`` build writes the same bytes as the serial build.
- ``SOURCE_DATE_EPOCH`` decides every date Sphinx prints; today's date appears nowhere.
- Changing one data file re-reads exactly the pages that depend on it, and the incremental result
  equals a clean build of the changed snapshot.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from typing import TYPE_CHECKING

import pytest
from browser import kit, sites
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow

EPOCH = 1_000_000_000  # 2001-09-09T01:46:40Z
EPOCH_DATE = dt.datetime.fromtimestamp(EPOCH, dt.UTC).date().isoformat()
COMPARED = ("*.html", "*.csv", "*.json", "_downloads/**/*", "_static/cab*")
"""Pages, the cab downloads (written next to their page) and cab's own assets."""


def build_env(seed: int) -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONHASHSEED": str(seed)}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "cab-sites"


class SamePlace:
    """Clean builds of the docs, one after the other, from the same folders: each run copies the
    project afresh to ``project/`` and builds into ``out/``; earlier outputs are moved aside."""

    def __init__(self, workdir: Path) -> None:
        self.base = workdir / "same-place"
        self.builds: dict[str, Path] = {}

    def build(self, name: str, seed: int, extra: tuple[str, ...] = ()) -> Path:
        project, out = self.base / "project", self.base / "out"
        for folder in (project, out, self.base / ".doctrees-out"):
            if folder.exists():
                shutil.rmtree(folder)
        srcdir = sites.copy_project(project)
        kit.require_clean(kit.sphinx_build(srcdir, out, extra=extra, env=build_env(seed)))
        kept = self.base / f"out-{name}"
        out.rename(kept)
        self.builds[name] = kept
        return kept


@pytest.fixture(scope="module")
def same_place(workdir: Path) -> SamePlace:
    place = SamePlace(workdir)
    place.build("serial", seed=1)
    return place


def differing(first: Path, second: Path) -> tuple[list[str], dict[str, bytes]]:
    a = kit.tree_bytes(first, COMPARED)
    b = kit.tree_bytes(second, COMPARED)
    assert a, f"nothing to compare in {first}"
    changed = sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))
    return changed, a


def cab_pages(files: dict[str, bytes]) -> list[str]:
    return [name for name, data in files.items() if name.endswith("html") and b"cab-" in data]


def test_two_clean_builds_are_identical(same_place: SamePlace) -> None:
    again = same_place.build("again", seed=2)
    changed, files = differing(same_place.builds["serial"], again)
    assert cab_pages(files), "no page of the docs uses cab"
    assert changed == []


def test_parallel_build_equals_serial(same_place: SamePlace) -> None:
    parallel = same_place.build("j2", seed=3, extra=("-j", "2"))
    changed, _ = differing(same_place.builds["serial"], parallel)
    assert changed == []


def test_output_does_not_depend_on_the_build_folder(workdir: Path, same_place: SamePlace) -> None:
    elsewhere = sites.docs_build(workdir, name="docs-elsewhere", env=build_env(1))
    changed, _ = differing(same_place.builds["serial"], elsewhere.outdir)
    assert changed == []


def test_downloads_are_compared(same_place: SamePlace) -> None:
    out = same_place.builds["serial"]
    linked = set()
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#?]+\.(?:csv|json))"', page.read_text(encoding="utf-8")):
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{page.name} links to a missing download {href}"
            linked.add(target.relative_to(out.resolve()).as_posix())
    assert linked, "the docs offer no downloads"
    compared = kit.tree_bytes(out, COMPARED)
    assert linked <= compared.keys()


def test_no_build_date_leaks(same_place: SamePlace) -> None:
    today = dt.datetime.now(dt.UTC).date()
    stamps = {today.isoformat(), (today - dt.timedelta(days=1)).isoformat()}
    for name, data in kit.tree_bytes(same_place.builds["serial"], COMPARED).items():
        for stamp in stamps:
            assert stamp.encode() not in data, f"{name} contains the build date {stamp}"


def test_source_date_epoch_sets_last_updated(workdir: Path) -> None:
    project = sites.every_directive_root(workdir, "epoch")
    build = kit.require_clean(
        kit.sphinx_build(
            project,
            workdir / "out-epoch",
            # furo prints "Last updated on <date>" in every page footer
            extra=["-D", "html_last_updated_fmt=%Y-%m-%d", "-D", "html_theme=furo"],
            env={"SOURCE_DATE_EPOCH": str(EPOCH)},
        )
    )
    page = (build.outdir / "directives.html").read_text(encoding="utf-8")
    assert EPOCH_DATE in page
    assert dt.datetime.now(dt.UTC).date().isoformat() not in page


# -- incremental ---------------------------------------------------------------------------------


class RecordingBuild:
    """An in-process Sphinx build of one project that records which documents it re-read."""

    def __init__(self, srcdir: Path, outdir: Path, doctreedir: Path) -> None:
        self.srcdir, self.outdir, self.doctreedir = srcdir, outdir, doctreedir
        self.status = io.StringIO()
        self.warnings = io.StringIO()

    def run(self, *, fresh: bool = False) -> list[str]:
        read: list[str] = []
        with docutils_namespace():
            return self._build(read, fresh)

    def _build(self, read: list[str], fresh: bool) -> list[str]:
        app = Sphinx(
            str(self.srcdir),
            str(self.srcdir),
            str(self.outdir),
            str(self.doctreedir),
            "html",
            status=self.status,
            warning=self.warnings,
            freshenv=fresh,
        )
        app.connect(
            "env-before-read-docs",
            lambda _app, _env, docnames: read.extend(docnames),
            priority=900,
        )
        app.build()
        assert app.statuscode == 0
        assert self.warnings.getvalue() == ""
        return sorted(read)


def change_one_row(jsonl: Path) -> None:
    """Rewrite the first row's composite score (a valid value, different from the old one)."""
    lines = jsonl.read_text(encoding="utf-8").split("\n")
    record = json.loads(lines[0])
    old = record["scores"]["composite"]
    record["scores"]["composite"] = 0.125 if old != 0.125 else 0.25
    lines[0] = json.dumps(record)
    jsonl.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def incremental(workdir: Path) -> Iterator[tuple[Path, RecordingBuild, list[str]]]:
    project = sites.every_directive_root(workdir, "incremental")
    build = RecordingBuild(project, workdir / "out-incremental", workdir / "dt-incremental")
    first = build.run(fresh=True)
    yield project, build, first


def test_incremental_rereads_exactly_dependent_pages(
    incremental: tuple[Path, RecordingBuild, list[str]], workdir: Path
) -> None:
    project, build, first = incremental
    assert "plain" in first and "older" in first
    assert build.run() == [], "an unchanged project re-read documents"

    runs = sorted((project / "data" / kit.SNAPSHOT_LAYOUT["runs"]).glob("*.jsonl"))
    change_one_row(runs[0])
    reread = build.run()
    # Every page reading the pinned snapshot depends on it; the plain page and the page that
    # renders only the older snapshot do not.
    expected = sorted(set(first) - {"plain", "older"})
    assert "older-receipt" in expected
    assert reread == expected

    clean = RecordingBuild(project, workdir / "out-incremental-clean", workdir / "dt-clean")
    clean.run(fresh=True)
    incremental_files = kit.tree_bytes(build.outdir, ("*.html",))
    clean_files = kit.tree_bytes(clean.outdir, ("*.html",))
    assert incremental_files.keys() == clean_files.keys()
    changed = [n for n in clean_files if clean_files[n] != incremental_files[n]]
    assert changed == []


def test_changing_the_older_snapshot_rereads_only_its_pages(
    incremental: tuple[Path, RecordingBuild, list[str]],
) -> None:
    project, build, _ = incremental
    build.run()  # settle whatever an earlier test changed
    older = project / "data" / "snapshots" / "2026-05-27" / kit.SNAPSHOT_LAYOUT["runs"]
    change_one_row(sorted(older.glob("*.jsonl"))[0])
    # the cab-diff on the directives page compares the older snapshot with the pinned one
    assert build.run() == ["directives", "older", "older-receipt"]


def test_moved_data_with_same_content_rereads_nothing(
    incremental: tuple[Path, RecordingBuild, list[str]],
) -> None:
    """Touching a data file without changing its bytes (``cp`` without ``-p``) re-reads nothing
    that a content check can rule out: the output stays identical."""
    project, build, _ = incremental
    build.run()
    before = kit.tree_bytes(build.outdir, ("*.html",))
    runs = sorted((project / "data" / kit.SNAPSHOT_LAYOUT["runs"]).glob("*.jsonl"))
    copy = runs[0].with_suffix(".tmp")
    shutil.copy(runs[0], copy)
    copy.replace(runs[0])
    build.run()
    assert kit.tree_bytes(build.outdir, ("*.html",)) == before
