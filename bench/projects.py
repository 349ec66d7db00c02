"""The Sphinx projects the benchmark builds: one-page projects and copies of the docs site.

The one-page projects share the default theme and load only the extensions their page needs:
``empty`` (a heading), ``cab`` (``cab-leaderboard``), ``list-table`` (the same visible table as a
MyST list-table) and ``datatemplates`` (the same table from JSON). The visible text comes from
the doctree cab produced, so all three tables show the same text; only cab's provenance
popovers, hidden behind a disclosure, are extra.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

CAB = "sphinxcontrib_cab"
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#{}$~])")
REST_SPECIAL = re.compile(r"([\\`*_|])")
DATATEMPLATE_PAGE = """\
Leaderboard
===========

.. datatemplate:json:: rows.json

   {{ make_list_table(data.header, data.rows, data.title) }}
"""


def project(folder: Path, extensions: list[str], pages: dict[str, str], conf: str = "") -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    head = f'extensions = {extensions!r}\nproject = "bench-{folder.name}"\n'
    (folder / "conf.py").write_text(head + 'exclude_patterns = ["_build"]\n' + conf)
    for filename, text in pages.items():
        (folder / filename).write_text(text, encoding="utf-8")
    return folder


def page_projects(root: Path, snapshot: Path) -> dict[str, Path]:
    """The cab project; the others follow once its build gives the visible table."""
    page = "# Leaderboard\n\n```{cab-leaderboard}\n```\n"
    return {
        "cab": project(
            root / "cab",
            ["myst_parser", CAB],
            {"index.md": page},
            f"cab_snapshot_root = {str(snapshot)!r}\n",
        ),
        "empty": project(root / "empty", ["myst_parser"], {"index.md": "# Leaderboard\n"}),
    }


CHART_PAGES = {
    "leaderboard": "",
    "heatmap": "```{cab-chart}\n:kind: heatmap\n```\n\n",
    "frontier": "```{cab-chart}\n:kind: frontier\n```\n\n",
}


def chart_projects(root: Path, snapshot: Path) -> dict[str, Path]:
    """The leaderboard page alone, with the heatmap, with the frontier, and with both (the docs'
    leaderboard page opens with both)."""
    variants = {
        "leaderboard": ("leaderboard",),
        "heatmap": ("heatmap",),
        "frontier": ("frontier",),
        "both": ("heatmap", "frontier"),
    }
    return {
        name: project(
            root / name,
            ["myst_parser", CAB],
            {
                "index.md": "# Leaderboard\n\n"
                + "".join(CHART_PAGES[c] for c in charts)
                + "```{cab-leaderboard}\n:group: overview\n```\n\n```{cab-leaderboard}\n```\n"
            },
            f"cab_snapshot_root = {str(snapshot)!r}\n",
        )
        for name, charts in variants.items()
    }


def list_table_project(folder: Path, table: dict[str, Any]) -> Path:
    def md(value: str) -> str:
        return MD_SPECIAL.sub(r"\\\1", value) if value else "\u00a0"

    lines = ["# Leaderboard", "", f"```{{list-table}} {md(table['title'])}", ":header-rows: 1", ""]
    for row in [table["header"], *table["rows"]]:
        lines += [f"* - {md(row[0])}", *(f"  - {md(value)}" for value in row[1:])]
    return project(folder, ["myst_parser"], {"index.md": "\n".join([*lines, "```", ""])})


def datatemplates_project(folder: Path, table: dict[str, Any]) -> Path:
    def rest(value: str) -> str:
        # the template inserts values verbatim into reST, so markup characters must be escaped
        return REST_SPECIAL.sub(r"\\\1", value) if value else "\\ "

    data = {
        "title": rest(table["title"]),
        "header": [rest(v) for v in table["header"]],
        "rows": [[rest(v) for v in row] for row in table["rows"]],
    }
    extensions = ["myst_parser", "sphinxcontrib.datatemplates"]
    pages = {"index.rst": DATATEMPLATE_PAGE, "rows.json": json.dumps(data, ensure_ascii=False)}
    return project(folder, extensions, pages)


def with_badges(row: Any) -> list[str]:
    texts = list(row.texts)
    if row.notes is not None and row.notes.marks:
        texts[0] = " ".join([texts[0], *(mark.text for mark in row.notes.marks)])
    return texts


def visible_table(doctree_file: Path) -> dict[str, Any]:
    """The leaderboard's visible text (title, header, rows) from the cab page's pickled doctree,
    read from the pending ``leaderboard`` node whose ``board`` holds the text of every row; a
    row's badges (failures, exploits) are visible words of its first cell."""
    from docutils import nodes

    with doctree_file.open("rb") as handle:
        document = pickle.load(handle)
    for node in document.findall(nodes.Element):
        if type(node).__name__ == "leaderboard" and node.get("board") is not None:
            board = node["board"]
            return {
                "title": board.caption,
                "header": [column.label for column in board.columns],
                "rows": [with_badges(row) for row in board.rows],
            }
    raise RuntimeError(f"no leaderboard node in {doctree_file}")


# -- the docs site without cab ------------------------------------------------------------------

MYST_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})\{cab-[\w-]+\}")
REST_OPEN = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+cab-[\w-]+::")
ROLES = re.compile(r"\{cab-[\w-]+\}(`+)(.*?)\1|:cab-[\w-]+:`([^`]*)`")
TASK_PAGES = re.compile(r"""^\s*cab_task_pages\s*=\s*["']([^"']*)["']""", re.MULTILINE)
CONF_SUFFIX = f"""
# --- appended by bench/projects.py: the same site without sphinxcontrib-cab ---
extensions = [e for e in extensions if not e.startswith({CAB!r})]
cab_task_pages = ""
"""


def task_pages_folder(conf: Path) -> str:
    """The ``cab_task_pages`` folder a conf.py names ('' when off or absent)."""
    match = TASK_PAGES.search(conf.read_text(encoding="utf-8"))
    return match.group(1) if match else ""


def copy_site(repo: Path, dest: Path, task_pages: str) -> Path:
    """A copy of docs/ and data/ (the benchmark edits them) without the generated task pages;
    every other top-level entry is a symlink so relative paths in conf.py keep working."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for entry in sorted(repo.iterdir()):
        if entry.name not in {".git", ".nox", ".venv", "docs", "data"}:
            (dest / entry.name).symlink_to(entry)
    skip = {"_build", task_pages.strip("/").split("/")[0]} - {""}
    shutil.copytree(
        repo / "docs",
        dest / "docs",
        ignore=lambda folder, names: [
            n for n in names if n == "__pycache__" or (folder == str(repo / "docs") and n in skip)
        ],
    )
    shutil.copytree(repo / "data", dest / "data")
    return dest / "docs"


def strip_directives(text: str) -> tuple[str, int]:
    """Remove every cab directive block: MyST backtick and colon fences, reST ``.. cab-x::``
    blocks (also inside ``eval-rst``); return the text and how many blocks went."""
    lines, kept, removed, index = text.splitlines(keepends=True), [], 0, 0
    while index < len(lines):
        myst, rest = MYST_OPEN.match(lines[index]), REST_OPEN.match(lines[index])
        if myst:
            fence = myst.group("fence")
            index += 1
            while index < len(lines) and not (
                len(lines[index].strip()) >= len(fence) and set(lines[index].strip()) == {fence[0]}
            ):
                index += 1
            index, removed = index + 1, removed + 1
        elif rest:
            indent = len(rest.group("indent"))
            index += 1
            while index < len(lines) and (
                not lines[index].strip()
                or len(lines[index]) - len(lines[index].lstrip(" \t")) > indent
            ):
                index += 1
            removed += 1
        else:
            kept.append(lines[index])
            index += 1
    return "".join(kept), removed


def strip_site(docs: Path, *, task_pages_off: str = "") -> dict[str, int]:
    """Strip cab from a docs copy in place: directive blocks go, roles keep their text, the
    extension and task pages are switched off. ``task_pages_off`` names the task-page folder when
    those pages are gone, so toctree entries into it go too."""
    counts = {"directives": 0, "roles": 0, "toctree_entries": 0}
    entry = re.compile(
        rf"^[ \t]*(?:[^<\n]*<)?/?{re.escape(task_pages_off.strip('/'))}/[^\s>]*>?[ \t]*\n",
        re.MULTILINE,
    )
    for path in sorted(docs.rglob("*")):
        if path.suffix not in {".md", ".rst", ".txt"} or not path.is_file() or path.is_symlink():
            continue
        original = path.read_text(encoding="utf-8")
        text, directives = strip_directives(original)
        text, roles = ROLES.subn(lambda m: m.group(2) or m.group(3) or "", text)
        if task_pages_off:
            text, entries = entry.subn("", text)
            counts["toctree_entries"] += entries
        counts["directives"] += directives
        counts["roles"] += roles
        if text != original:
            path.write_text(text, encoding="utf-8")
    conf = docs / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + CONF_SUFFIX, encoding="utf-8")
    return counts
