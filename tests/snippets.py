"""The fenced snippets of the README and the user guide, and a temporary project that builds one.

A snippet's language says what the tests do with it: ``md``/``rst`` snippets are pages,
``python`` snippets are lines of ``conf.py`` (or, when they import the package, a script run
from the project's root), ``yaml``/``json``/``toml`` snippets are parsed, and shell commands and
plain text are shown only. A fence with any other language fails :func:`kind`, so a new kind of
snippet is classified here once instead of being skipped silently. MyST directives written as
backtick fences (```` ```{toctree} ````) are part of the page, not snippets.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
DOCUMENTS = (REPO / "README.md", *sorted((REPO / "docs" / "guide").rglob("*.md")))
"""Every file whose snippets a user copies: the README and the user guide with its how-tos."""

PAGE_SUFFIX = {"md": ".md", "markdown": ".md", "rst": ".rst"}
PYTHON = frozenset({"python", "py"})
PARSED = frozenset({"yaml", "json", "toml"})
SHOWN = frozenset({"sh", "bash", "console", "shell", "text", "ini"})
"""Commands and listings a reader runs or reads; the tests do not build them."""

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_SYNTAX = re.compile(r"\{cab[-:]|:cab[-:]|\.\.\s+cab-|^:::|:::\{", re.MULTILINE)
"""Markup of a cab directive or role, or a MyST fence, that leaked into a page as text."""
_USED = re.compile(r"(?:\{|:|\.\.\s)(cab-[a-z-]+)(?:\}|:)")


@dataclass(frozen=True)
class Snippet:
    path: Path
    line: int
    language: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}:{self.language}"

    @property
    def kind(self) -> str:
        """``page``, ``conf``, ``script``, ``parsed`` or ``shown``."""
        if self.language in PAGE_SUFFIX:
            return "page"
        if self.language in PYTHON:
            return (
                "script"
                if re.search(r"^(from|import) sphinxcontrib_cab", self.text, re.M)
                else "conf"
            )
        if self.language in PARSED:
            return "parsed"
        if self.language in SHOWN:
            return "shown"
        raise ValueError(
            f"{self.id}: no rule for snippets in {self.language!r}; add it to snippets.py"
        )

    @property
    def used(self) -> list[str]:
        """The cab directives and roles the snippet uses (``cab-leaderboard``, ``cab-count``)."""
        return sorted(set(_USED.findall(self.text)))


def snippets(path: Path) -> list[Snippet]:
    """The top-level fenced code blocks of a Markdown file, without MyST directive fences."""
    result: list[Snippet] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        fence, info = opening["fence"], opening["info"].strip()
        start = index
        while index < len(lines):
            closing = _FENCE.match(lines[index])
            index += 1
            if (
                closing is not None
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
        if info.startswith("{"):
            continue
        body = "\n".join(line[len(opening["indent"]) :] for line in lines[start : index - 1])
        result.append(Snippet(path, start, info.split()[0] if info else "", body + "\n"))
    return result


def all_snippets() -> list[Snippet]:
    return [snippet for path in DOCUMENTS for snippet in snippets(path)]


def readme_conf() -> str:
    """The README's ``conf.py``: the configuration every guide snippet starts from."""
    return next(s.text for s in snippets(REPO / "README.md") if s.text.startswith("# conf.py"))


def readme_page() -> Snippet:
    return next(s for s in snippets(REPO / "README.md") if s.kind == "page")


@dataclass(frozen=True)
class Project:
    """``<root>/docs`` (the Sphinx project) beside ``<root>/data`` (the sample snapshot), the
    layout ``cab_snapshot_root = "../data"`` in the guide assumes."""

    root: Path

    @classmethod
    def make(cls, root: Path, conf: str, pages: dict[str, str]) -> Project:
        (root / "docs").mkdir(parents=True)
        shutil.copytree(DATA, root / "data")
        (root / "docs" / "conf.py").write_text(conf, encoding="utf-8")
        for name, text in pages.items():
            (root / "docs" / name).write_text(text, encoding="utf-8")
        return cls(root)

    def build(self) -> subprocess.CompletedProcess[str]:
        """``sphinx-build -nW --keep-going -b html docs docs/_build/html``, as the guide says."""
        command = [sys.executable, "-m", "sphinx", "-nW", "--keep-going", "-b", "html"]
        command += ["docs", "docs/_build/html"]
        return subprocess.run(command, cwd=self.root, capture_output=True, text=True, check=False)

    def html(self, docname: str = "index") -> str:
        return (self.root / "docs" / "_build" / "html" / f"{docname}.html").read_text("utf-8")


def leaked_markup(html: str) -> list[str]:
    """Lines of the page's text (code blocks and inline code left out) that still show cab or
    MyST markup: the sign of a directive or role that rendered as text."""
    soup = BeautifulSoup(html, "html.parser")
    body = soup.select_one('[role="main"]') or soup.body or soup
    for code in body.select("pre, code, script, style, .highlight"):
        code.decompose()
    return [line for line in body.get_text("\n").splitlines() if _SYNTAX.search(line.strip())]


def unrendered(html: str, used: list[str]) -> list[str]:
    """The directives and roles of ``used`` with no element of their own class in the page
    (every cab directive and role marks its output with a class that is its name or starts with
    it: ``cab-task-spec``)."""
    soup = BeautifulSoup(html, "html.parser")
    classes = {name for tag in soup.find_all(class_=True) for name in tag.get("class", [])}
    return [
        name
        for name in used
        if name not in classes and not any(c.startswith(f"{name}-") for c in classes)
    ]
