"""The single-page Sphinx projects the leaderboard is compared in, and the docs-site copies.

Four one-page projects share the default theme and differ only in what the page holds:

* ``empty``: a heading and nothing else (what any Sphinx page costs);
* ``cab``: the full leaderboard rendered by ``cab-leaderboard``;
* ``list-table``: the same visible table typed out as a MyST ``list-table``;
* ``datatemplates``: the same table rendered by sphinxcontrib-datatemplates from a JSON file.

Each project loads only the extensions its page needs, so each pays only for its own approach.
The visible values of the list-table and JSON variants are read from the doctree cab produced,
so all three tables show exactly the same text (the provenance popover, which is hidden behind
a disclosure, is the only thing cab has more of).
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

LEADERBOARD_PAGE = """\
# Leaderboard

```{cab-leaderboard}
```
"""
"""The cab page: the full leaderboard (one row per cell) with the directive's defaults."""

_CONF = """\
extensions = {extensions!r}
project = "bench-{name}"
exclude_patterns = ["_build"]
"""


@dataclass(frozen=True)
class VisibleTable:
    """The text a reader sees in a table: caption, header row, body rows."""

    title: str
    header: list[str]
    rows: list[list[str]]


def write_project(
    folder: Path, name: str, extensions: list[str], pages: dict[str, str], extra_conf: str = ""
) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    conf = _CONF.format(extensions=extensions, name=name) + extra_conf
    (folder / "conf.py").write_text(conf, encoding="utf-8")
    for filename, text in pages.items():
        (folder / filename).write_text(text, encoding="utf-8")
    return folder


def empty_project(folder: Path) -> Path:
    return write_project(folder, "empty", ["myst_parser"], {"index.md": "# Leaderboard\n"})


def cab_project(folder: Path, snapshot_root: Path) -> Path:
    extra = f"cab_snapshot_root = {str(snapshot_root)!r}\n"
    return write_project(
        folder, "cab", ["myst_parser", "sphinxcontrib_cab"], {"index.md": LEADERBOARD_PAGE}, extra
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#{}$~])")
_REST_SPECIAL = re.compile(r"([\\`*_|])")


def _md(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", value) if value else "\u00a0"


def list_table_project(folder: Path, table: VisibleTable) -> Path:
    lines = ["# Leaderboard", "", f"```{{list-table}} {_md(table.title)}", ":header-rows: 1", ""]
    for row in [table.header, *table.rows]:
        lines.append(f"* - {_md(row[0])}")
        lines.extend(f"  - {_md(value)}" for value in row[1:])
    lines.extend(["```", ""])
    return write_project(folder, "list-table", ["myst_parser"], {"index.md": "\n".join(lines)})


_DATATEMPLATE_PAGE = """\
Leaderboard
===========

.. datatemplate:json:: rows.json

   {{ make_list_table(data.header, data.rows, data.title) }}
"""


def datatemplates_project(folder: Path, table: VisibleTable) -> Path:
    def rest(value: str) -> str:
        # the template inserts values verbatim into reST, so markup characters must be escaped
        return _REST_SPECIAL.sub(r"\\\1", value) if value else "\\ "

    data = {
        "title": rest(table.title),
        "header": [rest(v) for v in table.header],
        "rows": [[rest(v) for v in row] for row in table.rows],
    }
    project = write_project(
        folder,
        "datatemplates",
        ["myst_parser", "sphinxcontrib.datatemplates"],
        {"index.rst": _DATATEMPLATE_PAGE},
    )
    (project / "rows.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return project


def _visible_text(entry: object) -> str:
    from docutils import nodes

    assert isinstance(entry, nodes.Element)
    copy = entry.deepcopy()
    for hidden in list(copy.findall(nodes.Element)):
        if "cab-cell-provenance" in hidden.get("classes", []) and hidden.parent is not None:
            hidden.parent.remove(hidden)
    return " ".join(copy.astext().split())


def visible_table(doctree_file: Path) -> VisibleTable:
    """The leaderboard table's visible text, read from the pickled doctree of the cab page.

    cab pickles a pending ``leaderboard`` node whose ``board`` holds each row's text; a generic
    ``table.cab-table`` (the form other builders get) is read as a fallback.
    """
    from docutils import nodes

    with doctree_file.open("rb") as handle:
        document = pickle.load(handle)
    for node in document.findall(nodes.Element):
        board = node.get("board") if type(node).__name__ == "leaderboard" else None
        if board is not None:
            # the pending node cab pickles; its rows hold the text every builder shows
            return VisibleTable(
                title=board.caption,
                header=[column.label for column in board.columns],
                rows=[list(row.texts) for row in board.rows],
            )
    tables = [t for t in document.findall(nodes.table) if "cab-table" in t.get("classes", [])]
    if not tables:
        raise RuntimeError(f"no cab-table in {doctree_file}")
    table = max(tables, key=lambda t: len(list(t.findall(nodes.row))))
    titles = list(table.findall(nodes.title))
    title = " ".join(titles[0].astext().split()) if titles else "Leaderboard"
    header: list[str] = []
    rows: list[list[str]] = []
    for thead in table.findall(nodes.thead):
        for row in thead.findall(nodes.row):
            header = [_visible_text(e) for e in row.findall(nodes.entry)]
    for tbody in table.findall(nodes.tbody):
        for row in tbody.children:
            if isinstance(row, nodes.row):
                rows.append([_visible_text(e) for e in row.children if isinstance(e, nodes.entry)])
    return VisibleTable(title=title, header=header, rows=rows)


def copy_site(repo: Path, dest: Path, task_pages: str) -> Path:
    """A private copy of the repo's docs (and data) in ``dest``; returns the docs folder.

    docs/ and data/ are real copies (the benchmark edits them); every other top-level entry is a
    symlink so relative paths in conf.py and includes keep working.
    """
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    skip_in_docs: set[str] = set()
    if task_pages:
        skip_in_docs.add(task_pages.strip("/").split("/")[0])
    for entry in sorted(repo.iterdir()):
        if entry.name in {".git", ".nox", ".venv", "docs", "data"}:
            continue
        (dest / entry.name).symlink_to(entry)
    docs_root = str(repo / "docs")

    def ignore(folder: str, names: list[str]) -> list[str]:
        top_level = {"_build", *skip_in_docs} if folder == docs_root else set()
        return [n for n in names if n in top_level or n == "__pycache__"]

    shutil.copytree(repo / "docs", dest / "docs", ignore=ignore)
    if (repo / "data").exists():
        shutil.copytree(repo / "data", dest / "data")
    return dest / "docs"
