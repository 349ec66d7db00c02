"""Generated task pages: one page per task, rewritten only on change, pruned when a task leaves."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import pytest

from sphinxcontrib_cab.taskpages import (
    MARKER,
    is_generated,
    read_tasks,
    sync_pages,
    wanted_pages,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    from sphinxcontrib_cab.models import Task

TASKS_JSON = "site/src/data/tasks.json"


@pytest.fixture
def tasks(sample_snapshot: Path) -> tuple[Task, ...]:
    return read_tasks(sample_snapshot / TASKS_JSON)


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


def test_read_tasks_skips_invalid_and_duplicate_entries(
    tmp_path: Path, tasks: tuple[Task, ...]
) -> None:
    entries = [t.model_dump(mode="json", by_alias=True) for t in tasks[:2]]
    broken = dict(entries[0], id="not a valid id")
    duplicate = dict(entries[1], summary="a second entry with the same id")
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([*entries, broken, duplicate]), encoding="utf-8")
    assert [t.id for t in read_tasks(path)] == sorted(t.id for t in tasks[:2])
    assert read_tasks(tmp_path / "missing.json") == ()


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

    # dropping a task from the catalogue deletes its page and re-reads only the catalogue pages
    tasks_file = project / "data" / TASKS_JSON
    catalogue = json.loads(tasks_file.read_text("utf-8"))
    removed = catalogue.pop()
    tasks_file.write_text(json.dumps(catalogue, indent=1), encoding="utf-8")
    app, read = _build(make_app, project)
    slug_dir = project / "task" / removed["id"]
    assert not slug_dir.exists()
    assert f"task/{removed['id']}/index" not in app.env.found_docs
    assert f"task/{removed['category']}/index" in read
    assert app.warning.getvalue() == ""
