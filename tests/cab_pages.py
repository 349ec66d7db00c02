"""Helpers for the directive and role tests: build a test root against a snapshot, read pages.

A test root is copied into a fresh folder together with the snapshot it renders (as
``<srcdir>/snapshot``), so ``cab_snapshot_root = "snapshot"`` stays inside the project whatever
temporary folder the build runs in.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from directive_pages import PAGES, SYNTAXES, write_pages
from sphinx.testing.util import SphinxTestApp

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinxcontrib_cab.snapshot.model import Snapshot

TESTS = Path(__file__).parent
ROOTS = TESTS / "roots"
MINI = TESTS / "snapshots" / "mini"
REPO_DATA = TESTS.parent / "data"
"""The committed sample snapshot (its meta.json gives the row count)."""
REGRESSIONS = TESTS / "regressions"
REGENERATE = os.environ.get("CAB_REGENERATE") == "1"
"""Set ``CAB_REGENERATE=1`` to rewrite regression files instead of comparing against them."""

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Built:
    app: SphinxTestApp
    srcdir: Path
    outdir: Path
    warnings: list[str]

    def page(self, docname: str, suffix: str = ".html") -> str:
        return (self.outdir / f"{docname}{suffix}").read_text(encoding="utf-8")

    def body(self, docname: str) -> str:
        """The main content of an HTML page, normalised for comparison."""
        return page_body(self.page(docname))


def prepare(root: str, workdir: Path, snapshot: Path = MINI) -> Path:
    """A copy of ``tests/roots/test-<root>`` with its pages (:mod:`directive_pages`) and the
    snapshot it renders."""
    srcdir = workdir / root
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    if root in PAGES:
        write_pages(srcdir, root)
    shutil.copytree(snapshot, srcdir / "snapshot")
    return srcdir


def build(
    root: str,
    workdir: Path,
    builder: str = "html",
    *,
    snapshot: Path = MINI,
    confoverrides: dict[str, object] | None = None,
    parallel: int = 0,
    srcdir: Path | None = None,
    on_app: Callable[[SphinxTestApp], object] | None = None,
) -> Built:
    """Build ``tests/roots/test-<root>`` with ``builder`` and return the app and its warnings."""
    if srcdir is None:
        srcdir = prepare(root, workdir, snapshot)
    warning = StringIO()
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=srcdir / "_build",
        confoverrides=confoverrides,
        status=StringIO(),
        warning=warning,
        parallel=parallel,
    )
    if on_app is not None:
        on_app(app)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(app, srcdir, Path(app.outdir), warning_lines(warning.getvalue(), srcdir))


def warning_lines(text: str, srcdir: Path) -> list[str]:
    """Warnings one per entry, with the temporary source folder shown as ``<src>``."""
    cleaned = ANSI.sub("", text).replace(str(srcdir), "<src>")
    return [line for line in cleaned.splitlines() if line.strip()]


def page_body(html: str) -> str:
    """The ``div.body`` of an alabaster page, pretty-printed so diffs are readable."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.select_one("div.body")
    assert body is not None, "page has no div.body"
    return str(body.prettify())


def check_regression(name: str, actual: str) -> None:
    """Compare ``actual`` with ``tests/regressions/<name>``; ``CAB_REGENERATE=1`` rewrites it."""
    path = REGRESSIONS / name
    if REGENERATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        assert not REGENERATE or path.exists()
        if not REGENERATE:
            raise AssertionError(f"{path} did not exist; written now, check it and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs (CAB_REGENERATE=1 rewrites it)"


def same_body_in_every_syntax(built: Built, case: str) -> str:
    """The page body of ``case``, after checking that all :data:`SYNTAXES` render it alike."""
    bodies = {syntax: built.body(f"{case}_{syntax}") for syntax in SYNTAXES}
    assert bodies["backtick"] == bodies["rst"]
    assert bodies["colon"] == bodies["rst"]
    return bodies["rst"]


_BUILDS: dict[tuple[str, str], Built] = {}
_WORKDIR: list[Path] = []


def shared_build(root: str, builder: str = "html") -> Built:
    """One build of ``root`` per test session, shared by every module that reads its pages."""
    if (root, builder) not in _BUILDS:
        if not _WORKDIR:
            _WORKDIR.append(Path(tempfile.mkdtemp(prefix="cab-pages-")))
            atexit.register(shutil.rmtree, _WORKDIR[0], True)
        workdir = _WORKDIR[0] / f"{root}-{builder}"
        workdir.mkdir()
        _BUILDS[root, builder] = build(root, workdir, builder)
    return _BUILDS[root, builder]


def pinned_snapshot(built: Built, name: str | None = None) -> Snapshot:
    """The snapshot the build rendered, as the store hands it to directives."""
    from sphinxcontrib_cab.store import snapshot_for

    snapshot = snapshot_for(built.app.env, name=name, location=None)
    assert snapshot is not None
    return snapshot


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


LATEX_TOOLS = ("latexmk", "xelatex", "make")


def make_pdf(outdir: Path, *, halt_on_error: bool = False) -> subprocess.CompletedProcess[str]:
    """Runs the LaTeX builder's own ``make all-pdf`` in ``outdir`` (nonstop); skips the test when
    a tool it needs is not installed (``.ci/run`` installs them all)."""
    missing = [tool for tool in LATEX_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"cannot compile the LaTeX output to PDF: {', '.join(missing)} not installed")
    options = "-interaction=nonstopmode" + (" -halt-on-error" if halt_on_error else "")
    return subprocess.run(
        ["make", "-C", str(outdir), "all-pdf", f"LATEXMKOPTS={options}"],
        capture_output=True,
        text=True,
        check=False,
    )


def tex_errors(outdir: Path) -> list[str]:
    """The TeX error lines (``! ...``) of every log in ``outdir``."""
    log = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in outdir.glob("*.log"))
    return [line for line in log.splitlines() if line.startswith("! ")]
