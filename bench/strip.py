"""Turn a copy of the docs site into the same site without cab: the bare-Sphinx baseline.

Every ``cab-*`` directive block is removed (MyST backtick and colon fences, reST ``.. cab-x::``
blocks, also inside ``eval-rst``), every ``cab-*`` role is replaced by its literal content, the
extension is dropped from ``extensions`` and ``cab_task_pages`` is switched off. Everything else
(theme, other extensions, prose, toctrees) stays, so the difference between the two builds is
what cab costs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

CAB_EXTENSION = "sphinxcontrib_cab"

_MYST_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})\{cab-[\w-]+\}")
_REST_OPEN = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+cab-[\w-]+::")
_MYST_ROLE = re.compile(r"\{cab-[\w-]+\}(?P<ticks>`+)(?P<body>.*?)(?P=ticks)")
_REST_ROLE = re.compile(r":cab-[\w-]+:`(?P<body>[^`]*)`")
_TASK_PAGES = re.compile(r"""^\s*cab_task_pages\s*=\s*["']([^"']*)["']""", re.MULTILINE)

CONF_SUFFIX = f"""

# --- appended by bench/strip.py: the same site without sphinxcontrib-cab ---
extensions = [e for e in extensions if not e.startswith({CAB_EXTENSION!r})]
cab_task_pages = ""
"""


def _closes_myst(line: str, fence: str) -> bool:
    stripped = line.strip()
    char = fence[0]
    return len(stripped) >= len(fence) and set(stripped) == {char}


def _indent_width(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def strip_directives(text: str) -> tuple[str, int]:
    """Remove every cab directive block; return the new text and how many blocks went."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    removed = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        myst = _MYST_OPEN.match(line)
        rest = _REST_OPEN.match(line)
        if myst:
            fence = myst.group("fence")
            index += 1
            while index < len(lines) and not _closes_myst(lines[index], fence):
                index += 1
            index += 1  # the closing fence
            removed += 1
            continue
        if rest:
            own_indent = _indent_width(line)
            index += 1
            while index < len(lines) and (
                not lines[index].strip() or _indent_width(lines[index]) > own_indent
            ):
                index += 1
            removed += 1
            continue
        kept.append(line)
        index += 1
    return "".join(kept), removed


def strip_roles(text: str) -> tuple[str, int]:
    """Replace every cab role by its plain content (so the prose keeps its length)."""
    text, myst = _MYST_ROLE.subn(lambda m: m.group("body"), text)
    text, rest = _REST_ROLE.subn(lambda m: m.group("body"), text)
    return text, myst + rest


def task_pages_folder(conf_text: str) -> str:
    """The ``cab_task_pages`` folder a conf.py names ('' when off or absent)."""
    match = _TASK_PAGES.search(conf_text)
    return match.group(1) if match else ""


def drop_toctree_entries(text: str, folder: str) -> tuple[str, int]:
    """Remove toctree entries that point into ``folder`` (pages that no longer exist)."""
    entry = re.compile(
        rf"^[ \t]*(?:[^<\n]*<)?/?{re.escape(folder.strip('/'))}/[^\s>]*>?[ \t]*\n", re.MULTILINE
    )
    return entry.subn("", text)


def strip_site(srcdir: Path, *, task_pages_off: str = "") -> dict[str, int]:
    """Strip cab from the docs copy at ``srcdir`` in place; return counts of what went.

    ``task_pages_off`` names the task-page folder when those pages are gone: toctree entries
    into it are dropped too, so the bare site has no dangling references.
    """
    counts = {"directives": 0, "roles": 0, "files": 0, "toctree_entries": 0}
    for path in sorted(srcdir.rglob("*")):
        if path.suffix not in {".md", ".rst", ".txt"} or not path.is_file() or path.is_symlink():
            continue
        original = path.read_text(encoding="utf-8")
        text, directives = strip_directives(original)
        text, roles = strip_roles(text)
        if task_pages_off:
            text, entries = drop_toctree_entries(text, task_pages_off)
            counts["toctree_entries"] += entries
        if text != original:
            path.write_text(text, encoding="utf-8")
            counts["files"] += 1
        counts["directives"] += directives
        counts["roles"] += roles
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + CONF_SUFFIX, encoding="utf-8")
    return counts
