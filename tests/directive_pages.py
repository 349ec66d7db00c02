"""The pages of the directive test roots, written from one table in each syntax.

Every case is one directive with its options under a title. :func:`write_pages` writes it three
times into a test root (``<case>_rst.rst``, and MyST with ``` and ``:::`` fences) with an index
that lists them, so the parity tests compare the three renderings of one source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

SYNTAXES = ("rst", "backtick", "colon")


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    directive: str
    options: tuple[tuple[str, str], ...] = ()
    argument: str = ""

    def text(self, syntax: str) -> str:
        options = "".join(f":{name}: {value}\n" for name, value in self.options)
        argument = f" {self.argument}" if self.argument else ""
        if syntax == "rst":
            indented = "".join(f"   {line}\n" for line in options.splitlines())
            heading = f"{self.title}\n{'=' * len(self.title)}\n\n"
            return f"{heading}.. {self.directive}::{argument}\n{indented}"
        fence = "```" if syntax == "backtick" else ":::"
        return f"# {self.title}\n\n{fence}{{{self.directive}}}{argument}\n{options}{fence}\n"


CELL = (("tui", "aider"), ("model", "gpt-oss-120b"), ("task", "polyglot/python-two-sum"))
OLDER = ("snapshot", "2026-05-27")

PAGES: dict[str, tuple[str, tuple[Page, ...]]] = {
    "directives": (
        "Directives",
        (
            Page("receipt", "Receipt", "cab-receipt"),
            Page("receipt_older", "Older receipt", "cab-receipt", (OLDER,)),
            Page("ledger", "Trust ledger", "cab-ledger"),
            Page("ledger_older", "Older trust ledger", "cab-ledger", (OLDER,)),
            Page("exploits", "Exploits", "cab-exploits"),
            Page("exploits_live", "Live exploits", "cab-exploits", (("status", "live"),)),
            Page("exploits_patched", "Patched exploits", "cab-exploits", (("status", "patched"),)),
            Page("provenance", "Provenance", "cab-provenance"),
            Page("provenance_fields", "Key fields", "cab-provenance", (("show", "fields"),)),
            Page("provenance_cell", "One cell", "cab-provenance", (("show", "cell"), *CELL)),
            Page("provenance_older", "Older cell", "cab-provenance", (("show", "cell"), OLDER)),
        ),
    ),
    "leaderboard": (
        "Leaderboards",
        (
            Page("default", "Every cell", "cab-leaderboard"),
            Page(
                "overview",
                "Per TUI and model",
                "cab-leaderboard",
                (("group", "overview"), ("sort", "costs")),
            ),
            Page(
                "filtered",
                "Aider on two tasks",
                "cab-leaderboard",
                (
                    ("tui", "aider"),
                    ("task", "polyglot/python-two-sum, mutations/python-comparator-swap"),
                    ("sort", "ships"),
                    ("order", "asc"),
                    ("limit", "3"),
                    ("columns", "task, model, pass, tui_image_sha"),
                    ("caption", "Aider on two tasks"),
                ),
            ),
            Page(
                "older",
                "An older snapshot",
                "cab-leaderboard",
                (OLDER, ("columns", "tui, model, task, sampling_profile, headline")),
            ),
        ),
    ),
    "chart": (
        "Charts",
        (
            Page("heatmap", "Heatmap", "cab-chart"),
            Page("overview", "The same numbers", "cab-leaderboard", (("group", "overview"),)),
            Page("frontier", "Frontier", "cab-chart", (("kind", "frontier"),)),
            Page("strip", "Strip", "cab-chart", (("kind", "strip"),)),
            Page(
                "heatmap_task",
                "Heatmap of one task",
                "cab-chart",
                (("task", "polyglot/python-two-sum"), ("title", "Two-sum by TUI and model")),
            ),
            Page(
                "overview_task",
                "Its numbers",
                "cab-leaderboard",
                (("group", "overview"), ("task", "polyglot/python-two-sum")),
            ),
            Page("strip_older", "Older strip", "cab-chart", (("kind", "strip"), OLDER)),
        ),
    ),
    "parity": (
        "The other directives",
        (
            Page("task", "One task", "cab-task", argument="polyglot/python-two-sum"),
            Page("task_index", "The catalogue", "cab-task-index"),
            Page("history", "History", "cab-history"),
            Page("downloads", "Downloads", "cab-downloads"),
            Page("reference", "Definitions", "cab-reference", argument="definitions"),
            Page("cite", "Citing the snapshot", "cab-cite"),
            Page(
                "cite_older", "Citing an older one", "cab-cite", (OLDER, ("formats", "apa, ieee"))
            ),
            Page("diff", "What changed", "cab-diff", (("from", "2026-05-27"),)),
            Page(
                "diff_filtered",
                "What changed for aider",
                "cab-diff",
                (("tui", "aider"), ("parts", "summary pairs cells added"), ("limit", "2")),
            ),
        ),
    ),
}
"""Test root name -> (index title, its pages)."""


def write_pages(srcdir: Path, root: str) -> None:
    """Write the pages of ``root`` (a key of :data:`PAGES`) and their index into ``srcdir``."""
    title, pages = PAGES[root]
    entries = []
    for page in pages:
        for syntax in SYNTAXES:
            suffix = ".rst" if syntax == "rst" else ".md"
            docname = f"{page.name}_{syntax}"
            (srcdir / f"{docname}{suffix}").write_text(page.text(syntax), encoding="utf-8")
            entries.append(docname)
    toctree = "".join(f"   {entry}\n" for entry in entries)
    index = f"{title}\n{'=' * len(title)}\n\n.. toctree::\n\n{toctree}"
    (srcdir / "index.rst").write_text(index, encoding="utf-8")
