"""The sites the browser, theme, hostile and determinism tests build, each once per session.

A site is built into a temporary folder from a copy of its sources, so a test run never writes
into the working tree and never sees another build's leftovers.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from . import kit

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

DOCS = kit.REPO / "docs"
DATA = kit.REPO / "data"

THEMES: dict[str, str] = {
    "alabaster": "alabaster",
    "furo": "furo",
    "pydata": "pydata_sphinx_theme",
    "rtd": "sphinx_rtd_theme",
    "book": "sphinx_book_theme",
}
"""Short name -> ``html_theme`` value."""

# Part of the repository the docs may refer to (conf.py, data, README includes, the package's
# source for autodoc); tests, benchmarks and build output are left behind.
_PROJECT_IGNORE = shutil.ignore_patterns(
    ".git",
    ".nox",
    ".venv",
    "_build",
    "test-artifacts",
    "tests",
    "bench",
    "__pycache__",
    ".*_cache",
    "*.egg-info",
)

_CACHE: dict[tuple[object, ...], kit.Build] = {}


_PRISTINE: list[Path] = []


def pristine_project(workdir: Path) -> Path:
    """One copy of the repository taken at the first call of the session: every docs build copies
    from it, so builds compared with each other read the same bytes even while the working tree
    changes under the test run."""
    if not _PRISTINE:
        target = workdir / "pristine"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(kit.REPO, target, ignore=_PROJECT_IGNORE)
        _PRISTINE.append(target)
    return _PRISTINE[0]


def copy_project(target: Path) -> Path:
    """Copy the project (docs, data, package) to ``target``; return the copied docs folder."""
    source = pristine_project(target.parent)
    shutil.copytree(source, target, dirs_exist_ok=True)
    generated = target / "docs" / "task"
    if generated.exists():  # generated task pages: the build writes its own
        shutil.rmtree(generated)
    return target / "docs"


def docs_build(
    workdir: Path,
    *,
    builder: str = "html",
    name: str = "docs",
    extra: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> kit.Build:
    """Build the documentation site from a fresh copy of the project (clean, ``-nW``)."""
    key = ("docs", builder, name, tuple(extra), tuple(sorted((env or {}).items())))
    if key not in _CACHE:
        project = workdir / f"project-{name}"
        if project.exists():
            shutil.rmtree(project)
        srcdir = copy_project(project)
        build = kit.sphinx_build(srcdir, workdir / f"out-{name}", builder, extra=extra, env=env)
        _CACHE[key] = kit.require_clean(build)
    return _CACHE[key]


def every_directive_root(workdir: Path, name: str, snapshot: Path = kit.MINI_SNAPSHOT) -> Path:
    """A copy of ``tests/roots/test-themes`` with ``snapshot`` installed as its ``data`` folder."""
    project = workdir / name
    if project.exists():
        shutil.rmtree(project)
    kit.copy_tree(kit.ROOTS / "test-themes", project)
    kit.install_snapshot(snapshot, project)
    return project


def theme_build(workdir: Path, theme: str) -> kit.Build:
    """The every-directive root built with ``theme`` (short name from :data:`THEMES`)."""
    key = ("theme", theme)
    if key not in _CACHE:
        project = every_directive_root(workdir, f"theme-{theme}")
        build = kit.sphinx_build(
            project,
            workdir / f"out-theme-{theme}",
            "html",
            extra=["-D", f"html_theme={THEMES[theme]}"],
        )
        _CACHE[key] = kit.require_clean(build)
    return _CACHE[key]
