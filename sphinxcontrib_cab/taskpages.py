"""Generated task pages: one source page per task of the pinned snapshot's catalogue.

When ``cab_task_pages`` names a folder (relative to the source folder), ``builder-inited`` writes

- ``<folder>/index`` (the catalogue by category, a ``cab-task-index`` and a toctree),
- ``<folder>/<category>/index`` (one category: its table and a toctree of its tasks),
- ``<folder>/<category>/<slug>/index`` (one task: ``cab-task`` and ``cab-leaderboard`` filtered
  to the task), so the ``html`` and ``dirhtml`` builders both serve ``<folder>/<category>/<slug>/``.

A page is written only when its text changed, so Sphinx does not re-read unchanged pages. Every
generated file starts with :data:`MARKER`; a generated file whose task left the catalogue is
deleted, and files without the marker are never touched. Task ids are validated by the data contract
(``<category>/<slug>`` of lowercase letters, digits and dashes), which is what lets them appear in
generated source text; every other task value is rendered by the directives from the data.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from .models import Task
from .warnings_ import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

MARKER = "sphinxcontrib-cab generated page (cab_task_pages): edits are overwritten"
"""The first line of every generated page (inside a comment); only files carrying it are deleted."""

Syntax = Literal["rst", "md"]


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one synchronisation did, as paths relative to the task-page folder."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]


# -- page text --------------------------------------------------------------------------------


def _heading(title: str, syntax: Syntax) -> list[str]:
    if syntax == "md":
        return [f"# {title}", ""]
    return [title, "=" * len(title), ""]


def _subheading(title: str, syntax: Syntax) -> list[str]:
    if syntax == "md":
        return [f"## {title}", ""]
    return [title, "-" * len(title), ""]


def _directive(name: str, argument: str, options: dict[str, str], syntax: Syntax) -> list[str]:
    if syntax == "md":
        lines = [f"```{{{name}}} {argument}".rstrip()]
        lines.extend(f":{key}: {value}" for key, value in options.items())
        return [*lines, "```", ""]
    lines = [f".. {name}:: {argument}".rstrip()]
    lines.extend(f"   :{key}: {value}" for key, value in options.items())
    return [*lines, ""]


def _toctree(entries: Iterable[str], syntax: Syntax) -> list[str]:
    if syntax == "md":
        return ["```{toctree}", ":hidden:", "", *entries, "```", ""]
    return [".. toctree::", "   :hidden:", "", *(f"   {entry}" for entry in entries), ""]


def _marker(syntax: Syntax) -> list[str]:
    return [f"% {MARKER}" if syntax == "md" else f".. {MARKER}", ""]


def task_page(task: Task, syntax: Syntax) -> str:
    """The source text of one task's page."""
    lines = _marker(syntax)
    lines += _heading(task.id, syntax)
    lines += _directive("cab-task", task.id, {}, syntax)
    lines += _subheading("Cells of this task", syntax)
    lines += _directive("cab-leaderboard", "", {"task": task.id}, syntax)
    return "\n".join(lines)


def category_page(category: str, slugs: Iterable[str], syntax: Syntax) -> str:
    """The source text of one category's index page."""
    lines = _marker(syntax)
    lines += _heading(f"Tasks: {category}", syntax)
    lines += _directive("cab-task-index", "", {"category": category}, syntax)
    lines += _toctree((f"{slug}/index" for slug in slugs), syntax)
    return "\n".join(lines)


def catalogue_page(categories: Iterable[str], syntax: Syntax) -> str:
    """The source text of the catalogue's index page."""
    lines = _marker(syntax)
    lines += _heading("Task catalogue", syntax)
    lines += _directive("cab-task-index", "", {}, syntax)
    lines += _toctree((f"{category}/index" for category in categories), syntax)
    return "\n".join(lines)


def wanted_pages(tasks: Iterable[Task], syntax: Syntax) -> dict[str, str]:
    """Relative path (forward slashes, with suffix) -> text of every page the catalogue needs."""
    suffix = f".{syntax}"
    by_category: dict[str, list[str]] = {}
    pages: dict[str, str] = {}
    for task in sorted(tasks, key=lambda t: t.id):
        by_category.setdefault(task.category, []).append(task.slug)
        pages[f"{task.category}/{task.slug}/index{suffix}"] = task_page(task, syntax)
    for category, slugs in sorted(by_category.items()):
        pages[f"{category}/index{suffix}"] = category_page(category, slugs, syntax)
    pages[f"index{suffix}"] = catalogue_page(sorted(by_category), syntax)
    return pages


# -- the file system ---------------------------------------------------------------------------


def is_generated(path: Path) -> bool:
    """True when ``path`` starts with the generated-page marker."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return MARKER in first


def sync_pages(folder: Path, pages: dict[str, str]) -> SyncResult:
    """Make ``folder`` hold exactly the generated ``pages``.

    Writes a page only when its text differs from the file on disk, deletes generated pages
    (and then empty folders) that are no longer wanted, and leaves every other file alone.
    """
    written: list[str] = []
    unchanged: list[str] = []
    for relative, text in sorted(pages.items()):
        target = folder / relative
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            unchanged.append(relative)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".cab-tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written.append(relative)
    deleted = _delete_stale(folder, set(pages))
    return SyncResult(tuple(written), tuple(unchanged), tuple(deleted))


def _delete_stale(folder: Path, keep: set[str]) -> list[str]:
    deleted: list[str] = []
    if not folder.is_dir():
        return deleted
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in {".rst", ".md"}:
            continue
        relative = path.relative_to(folder).as_posix()
        if relative not in keep and is_generated(path):
            path.unlink()
            deleted.append(relative)
    for directory in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    return deleted


# -- reading the catalogue ---------------------------------------------------------------------


def read_tasks(path: Path) -> tuple[Task, ...]:
    """The valid, unique tasks of ``tasks.json``; anything invalid is left out silently because the
    snapshot store reports it (with its location) when it loads the same file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return ()
    if not isinstance(raw, list):
        return ()
    tasks: dict[str, Task] = {}
    for entry in raw:
        try:
            task = Task.model_validate(entry)
        except ValidationError:
            continue
        tasks.setdefault(task.id, task)
    return tuple(sorted(tasks.values(), key=lambda t: t.id))


def tasks_path(app: Sphinx) -> Path:
    """The configured task catalogue of the pinned snapshot."""
    root = Path(app.confdir) / app.config.cab_snapshot_root
    return root / app.config.cab_tasks_path


def page_syntax(app: Sphinx) -> Syntax | None:
    """reST when the project reads ``.rst``, else MyST when it reads ``.md``, else ``None``."""
    suffixes = app.config.source_suffix
    if ".rst" in suffixes:
        return "rst"
    if ".md" in suffixes:
        return "md"
    return None


def task_pages_folder(app: Sphinx) -> Path | None:
    """The configured folder inside the source folder, or ``None`` when task pages are off."""
    setting = str(app.config.cab_task_pages).strip().strip("/")
    if not setting:
        return None
    srcdir = Path(app.srcdir).resolve()
    folder = (srcdir / setting).resolve()
    if folder == srcdir or srcdir not in folder.parents:
        warn(
            f"cab_task_pages = {app.config.cab_task_pages!r} must name a folder inside the "
            "source folder; task pages are off",
            Subtype.config,
        )
        return None
    return folder


def generate_task_pages(app: Sphinx) -> None:
    """``builder-inited``: write, refresh and prune the generated task pages."""
    folder = task_pages_folder(app)
    if folder is None:
        return
    syntax = page_syntax(app)
    if syntax is None:
        warn(
            "cab_task_pages needs '.rst' or '.md' in source_suffix; task pages are off",
            Subtype.config,
        )
        return
    catalogue = tasks_path(app)
    tasks = read_tasks(catalogue)
    if not tasks:
        # An empty or unreadable catalogue is reported by the store; keep the old pages rather
        # than delete the whole catalogue because of one bad file.
        return
    sync_pages(folder, wanted_pages(tasks, syntax))


def setup_task_pages(app: Sphinx) -> None:
    app.connect("builder-inited", generate_task_pages)
