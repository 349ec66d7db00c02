"""Generated task pages: one source page per task of the pinned snapshot's catalogue.

When ``cab_task_pages`` names a folder (relative to the source folder), ``builder-inited`` writes

- ``<folder>/index`` (the catalogue by category, a ``cab-task-index`` and a toctree),
- ``<folder>/<category>/index`` (one category: its table and a toctree of its tasks),
- ``<folder>/<category>/<slug>/index`` (one task: ``cab-task``, then, when it has cells, a
  ``cab-chart`` strip of their spread and ``cab-leaderboard``, both filtered to the task), so
  ``html`` and ``dirhtml`` both serve ``<folder>/<category>/<slug>/``.

The catalogue is the one the store loaded for this build (the handler runs after the store's).

A page is written only when its text changed, so Sphinx does not re-read unchanged pages. The
environment keeps the pinned snapshot's digest the pages were made from and each page's sha256:
while both still hold, the snapshot is not parsed just to regenerate the same pages. Every
generated file starts with :data:`MARKER`; a generated file whose task left the catalogue is
deleted, and files without the marker are never touched. Task ids are validated by the data contract
(``<category>/<slug>`` of lowercase letters, digits and dashes), which is what lets them appear in
generated source text; every other task value is rendered by the directives from the data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .config import cab_config
from .files import write_if_changed
from .store import loaded_for, pinned_digest
from .warnings_ import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from sphinx.application import Sphinx

    from .snapshot.contract import Task

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


def task_page(task: Task, syntax: Syntax, *, has_cells: bool = True) -> str:
    """The source text of one task's page; the strip and leaderboard only when the task has
    cells."""
    lines = _marker(syntax)
    lines += _heading(task.id, syntax)
    lines += _directive("cab-task", task.id, {}, syntax)
    if has_cells:
        lines += _subheading("Cells of this task", syntax)
        lines += _directive("cab-chart", "", {"kind": "strip", "task": task.id}, syntax)
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


def wanted_pages(
    tasks: Iterable[Task], syntax: Syntax, tasks_with_cells: Collection[str] | None = None
) -> dict[str, str]:
    """Relative path (forward slashes, with suffix) -> text of every page the catalogue needs.

    ``tasks_with_cells`` names the tasks the snapshot has cells for (``None``: all of them)."""
    suffix = f".{syntax}"
    by_category: dict[str, list[str]] = {}
    pages: dict[str, str] = {}
    for task in sorted(tasks, key=lambda t: t.id):
        by_category.setdefault(task.category, []).append(task.slug)
        has_cells = tasks_with_cells is None or task.id in tasks_with_cells
        pages[f"{task.category}/{task.slug}/index{suffix}"] = task_page(
            task, syntax, has_cells=has_cells
        )
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
        if write_if_changed(folder / relative, text.encode("utf-8")):
            written.append(relative)
        else:
            unchanged.append(relative)
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


# -- Sphinx ---------------------------------------------------------------------------------


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
    configured = cab_config(app).task_pages
    setting = configured.strip().strip("/")
    if not setting:
        return None
    srcdir = Path(app.srcdir).resolve()
    folder = (srcdir / setting).resolve()
    if folder == srcdir or srcdir not in folder.parents:
        warn(
            f"cab_task_pages = {configured!r} must name a folder inside the "
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
    digest = pinned_digest(app.env)
    made_from = (digest, str(folder), syntax)
    recorded: tuple[tuple[str | None, str, str], dict[str, str]] | None = getattr(
        app.env, ENV_ATTRIBUTE, None
    )
    if recorded is not None and recorded[0] == made_from and _unchanged(folder, recorded[1]):
        return
    loaded = loaded_for(app.env)
    if loaded is None or not loaded.pinned.tasks:
        # An empty or unreadable catalogue is reported by the store; keep the old pages rather
        # than delete the whole catalogue because of one bad file.
        return
    snapshot = loaded.pinned
    with_cells = {cell.key.task for cell in snapshot.cells}
    pages = wanted_pages(snapshot.tasks, syntax, with_cells)
    sync_pages(folder, pages)
    hashes = {relative: _sha256(text.encode("utf-8")) for relative, text in pages.items()}
    setattr(app.env, ENV_ATTRIBUTE, (made_from, hashes))


ENV_ATTRIBUTE = "cab_task_pages"
"""``env`` attribute: ((pinned digest, folder, syntax), {page: sha256}) of the last generation."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unchanged(folder: Path, hashes: dict[str, str]) -> bool:
    """True when every recorded page is on disk with the recorded bytes."""
    for relative, expected in hashes.items():
        try:
            if _sha256((folder / relative).read_bytes()) != expected:
                return False
        except OSError:
            return False
    return True


def setup_task_pages(app: Sphinx) -> None:
    # after the store's own builder-inited handler (priority 500) has loaded the snapshot
    app.connect("builder-inited", generate_task_pages, priority=600)
