"""Generated task pages: one page per task, rewritten only on change, pruned when a task leaves."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import pytest

from sphinxcontrib_cab.snapshot.load import load_snapshot_cached
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.taskpages import MARKER, is_generated, sync_pages, wanted_pages

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    from sphinxcontrib_cab.snapshot.contract import Task

TASKS_JSON = "site/src/data/tasks.json"


@pytest.fixture
def tasks(sample_snapshot: Path) -> tuple[Task, ...]:
    return load_snapshot_cached(SourcePaths.under(sample_snapshot)).tasks


def _pages(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _expected(tasks: tuple[Task, ...], suffix: str = "rst") -> set[str]:
    pages = {f"{t.category}/{t.slug}/index.{suffix}" for t in tasks}
    pages |= {f"{category}/index.{suffix}" for category in {t.category for t in tasks}}
    return pages | {f"index.{suffix}"}


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_one_page_per_task_plus_indexes(
    tmp_path: Path, tasks: tuple[Task, ...], syntax: str
) -> None:
    result = sync_pages(tmp_path, wanted_pages(tasks, syntax))  # type: ignore[arg-type]
    assert _pages(tmp_path) == _expected(tasks, syntax)
    assert set(result.written) == _expected(tasks, syntax)
    assert result.unchanged == () and result.deleted == ()
    for task in tasks:
        page = (tmp_path / task.category / task.slug / f"index.{syntax}").read_text("utf-8")
        assert page.splitlines()[0].endswith(MARKER)
        assert f"cab-task{'}' if syntax == 'md' else '::'} {task.id}" in page
        assert f":task: {task.id}" in page


def test_unchanged_pages_are_not_rewritten(tmp_path: Path, tasks: tuple[Task, ...]) -> None:
    pages = wanted_pages(tasks, "rst")
    sync_pages(tmp_path, pages)
    before = {p: (tmp_path / p).stat().st_mtime_ns for p in pages}
    result = sync_pages(tmp_path, wanted_pages(tasks, "rst"))
    assert result.written == ()
    assert set(result.unchanged) == set(pages)
    assert {p: (tmp_path / p).stat().st_mtime_ns for p in pages} == before


def test_removing_a_task_deletes_only_its_page(tmp_path: Path, tasks: tuple[Task, ...]) -> None:
    sync_pages(tmp_path, wanted_pages(tasks, "rst"))
    handwritten = tmp_path / "integrity" / "notes.rst"
    handwritten.write_text("Notes\n=====\n", encoding="utf-8")
    removed = tasks[0]
    kept = tasks[1:]
    result = sync_pages(tmp_path, wanted_pages(kept, "rst"))
    page = f"{removed.category}/{removed.slug}/index.rst"
    assert result.deleted == (page,)
    assert not (tmp_path / removed.category / removed.slug).exists()
    assert _pages(tmp_path) == _expected(kept) | {"integrity/notes.rst"}
    assert handwritten.read_text(encoding="utf-8") == "Notes\n=====\n"
    # the category index lost the task from its toctree and was rewritten
    assert f"{removed.category}/index.rst" in result.written
    index = (tmp_path / removed.category / "index.rst").read_text("utf-8")
    assert f"{removed.slug}/index" not in index


def test_adding_a_task_adds_its_page(tmp_path: Path, tasks: tuple[Task, ...]) -> None:
    sync_pages(tmp_path, wanted_pages(tasks, "rst"))
    new = tasks[0].model_copy(update={"id": f"{tasks[0].category}/brand-new-task"})
    result = sync_pages(tmp_path, wanted_pages((*tasks, new), "rst"))
    assert set(result.written) == {
        f"{new.category}/brand-new-task/index.rst",
        f"{new.category}/index.rst",
    }
    assert (tmp_path / new.category / "brand-new-task" / "index.rst").is_file()


def test_only_marked_files_count_as_generated(tmp_path: Path) -> None:
    marked = tmp_path / "a.rst"
    marked.write_text(f".. {MARKER}\n\nTitle\n=====\n", encoding="utf-8")
    plain = tmp_path / "b.rst"
    plain.write_text(f"Title\n=====\n\n.. {MARKER}\n", encoding="utf-8")
    binary = tmp_path / "c.rst"
    binary.write_bytes(b"\xff\xfe\x00")
    assert is_generated(marked)
    assert not is_generated(plain)
    assert not is_generated(binary)


def test_a_task_without_cells_gets_no_leaderboard(tmp_path: Path, tasks: tuple[Task, ...]) -> None:
    first, second = tasks[0], tasks[1]
    pages = wanted_pages((first, second), "rst", tasks_with_cells={second.id})
    without = pages[f"{first.category}/{first.slug}/index.rst"]
    with_cells = pages[f"{second.category}/{second.slug}/index.rst"]
    assert f".. cab-task:: {first.id}" in without
    assert "cab-leaderboard" not in without
    assert f"   :task: {second.id}" in with_cells


# -- through Sphinx ---------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, rootdir: Path, mini_snapshot: Path) -> Path:
    """A copy of the test-taskpages root with a writable copy of the mini snapshot in data/."""
    srcdir = tmp_path / "project"
    shutil.copytree(rootdir / "test-taskpages", srcdir)
    shutil.copytree(mini_snapshot, srcdir / "data")
    return srcdir


def _build(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> tuple[SphinxTestApp, list[str]]:
    app = make_app("html", srcdir=srcdir)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
    app.build()
    app.cleanup()  # reset docutils' global registries before the next app of the same test
    return app, sorted(read)


def _task_docnames(srcdir: Path) -> set[str]:
    catalogue = json.loads((srcdir / "data" / TASKS_JSON).read_text("utf-8"))
    return {f"task/{entry['id']}/index" for entry in catalogue}


@pytest.mark.sphinx("html", testroot="taskpages")
def test_build_generates_reads_and_prunes(
    make_app: Callable[..., SphinxTestApp], project: Path
) -> None:
    app, read = _build(make_app, project)
    assert app.warning.getvalue() == ""
    task_docs = _task_docnames(project)
    assert task_docs <= set(read)
    for docname in task_docs:
        assert (app.outdir / f"{docname}.html").is_file()

    # a rebuild with the same catalogue reads no task page again
    app, read = _build(make_app, project)
    assert [d for d in read if d.startswith("task/")] == []

    # adding a task (no runs yet) adds its page; the other task pages keep their source files
    tasks_file = project / "data" / TASKS_JSON
    original = tasks_file.read_text("utf-8")
    catalogue = json.loads(original)
    added = dict(catalogue[0], id=f"{catalogue[0]['category']}/brand-new-task")
    tasks_file.write_text(json.dumps([*catalogue, added], indent=1), encoding="utf-8")
    mtimes = {p: p.stat().st_mtime_ns for p in (project / "task").rglob("*.rst")}
    app, read = _build(make_app, project)
    assert app.warning.getvalue() == ""
    new_doc = f"task/{added['id']}/index"
    assert new_doc in read
    assert (app.outdir / f"{new_doc}.html").is_file()
    rewritten = {p for p, mtime in mtimes.items() if p.stat().st_mtime_ns != mtime}
    assert rewritten == {project / "task" / added["category"] / "index.rst"}

    # removing it again deletes its page and its folder, and the category page is re-read
    tasks_file.write_text(original, encoding="utf-8")
    app, read = _build(make_app, project)
    assert app.warning.getvalue() == ""
    assert not (project / "task" / added["id"]).exists()
    assert new_doc not in app.env.found_docs
    assert f"task/{added['category']}/index" in read
    index = (project / "task" / added["category"] / "index.rst").read_text("utf-8")
    assert "brand-new-task" not in index


@pytest.mark.sphinx("html", testroot="taskpages")
def test_unchanged_data_regenerates_only_missing_pages(
    make_app: Callable[..., SphinxTestApp], project: Path
) -> None:
    from sphinxcontrib_cab import store

    _build(make_app, project)
    pages = sorted((project / "task").rglob("*.rst"))
    mtimes = {p: p.stat().st_mtime_ns for p in pages}

    # same data, pages intact: the snapshot is only hashed, no page is written or read
    app, read = _build(make_app, project)
    assert store._BUILDS[str(project.resolve())].loaded is None
    assert read == []
    assert {p: p.stat().st_mtime_ns for p in pages} == mtimes

    # a generated page deleted or edited by hand: both come back as generated
    original = pages[0].read_text("utf-8")
    pages[0].unlink()
    pages[-1].write_text("edited\n", encoding="utf-8")
    app, read = _build(make_app, project)
    assert app.warning.getvalue() == ""
    assert pages[0].read_text("utf-8") == original
    assert pages[-1].read_text("utf-8").startswith(f".. {MARKER}")
