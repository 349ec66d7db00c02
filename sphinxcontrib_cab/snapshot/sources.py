"""The files of a snapshot: one listing that both reading and hashing use, so they cannot differ.

A file is listed only when it resolves (symbolic links followed) to a regular file inside the
snapshot folder and can be opened. Anything else (a link leading outside, a dangling link, a link
loop, a folder where a file belongs, a device or pipe, a file that cannot be opened) is refused
with a problem that names it, and is neither read nor hashed: every byte behind a page is in the
digest.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .problems import Problem, Subtype

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from .paths import SourcePaths

LABELS = {
    "runs": "run-record folder",
    "tasks": "task catalogue",
    "exploits": "exploit ledger",
    "meta": "methodology pin",
}


@dataclass(frozen=True, slots=True)
class Listing:
    """The readable files of each source and the problems of everything refused."""

    runs: tuple[Path, ...]
    """Run-record files, sorted by name."""
    tasks: Path | None
    exploits: Path | None
    meta: Path | None
    problems: tuple[Problem, ...]
    runs_usable: bool
    """Whether the run-record folder itself could be listed (checks on runs make sense)."""

    @property
    def files(self) -> tuple[Path, ...]:
        """Every listed file: the run files, then the three others that are there."""
        single = tuple(p for p in (self.tasks, self.exploits, self.meta) if p is not None)
        return (*self.runs, *single)


def _refusal(path: Path, root: Path, show: Callable[[Path], str]) -> str | None:
    """Why ``path`` cannot be read as a source file of the snapshot at ``root`` (``None``: it
    can)."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            return "is a symbolic link to something that does not exist"
        return "does not exist"
    except (OSError, RuntimeError):  # a loop raises RuntimeError before Python 3.13
        return "is a symbolic link that loops"
    if not target.is_relative_to(root):
        to = f" (to {show(target)})" if show(target) != show(path) else ""
        return f"leads outside the snapshot folder {show(root)}{to}"
    try:
        mode = target.stat().st_mode
        if stat.S_ISDIR(mode):
            return "is a folder, not a file"
        if not stat.S_ISREG(mode):
            return "is not a regular file"
        with target.open("rb"):
            pass
    except OSError as error:
        return f"cannot be opened: {error.strerror or error}"
    return None


def list_sources(sources: SourcePaths, shown: Callable[[Path], str] | None = None) -> Listing:
    """The snapshot's files that can be read, and a problem for each one refused.

    ``shown`` turns a path into the text a problem shows (default: the path as given).
    """
    show = shown or (lambda path: path.as_posix())
    problems: list[Problem] = []

    def refuse(source: str, path: Path, why: str) -> None:
        consequence = "" if why == "does not exist" else "; it was not read"
        problems.append(
            Problem(
                Subtype.source,
                f"the {LABELS[source]} {show(path)} {why} ({sources.setting(source)})"
                + consequence,
                show(path),
            )
        )

    root = sources.root
    if not root.is_dir():
        problems.append(
            Problem(
                Subtype.source,
                f"the snapshot folder {show(root)} does not exist ({sources.setting('root')})",
                show(root),
            )
        )
        return Listing((), None, None, None, tuple(problems), runs_usable=False)
    base = root.resolve()
    runs: list[Path] = []
    folder_why = _folder_refusal(sources.runs, base, show)
    if folder_why is not None:
        refuse("runs", sources.runs, folder_why)
    else:
        for path in sorted(sources.runs.glob("*.jsonl")):
            why = _refusal(path, base, show)
            if why is None:
                runs.append(path)
            else:
                refuse("runs", path, why)
        if not runs and not problems:
            refuse("runs", sources.runs, "holds no *.jsonl files")
    single: dict[str, Path | None] = {}
    for source in ("tasks", "exploits", "meta"):
        file: Path = getattr(sources, source)
        why = _refusal(file, base, show)
        single[source] = file if why is None else None
        if why is not None:
            refuse(source, file, why)
    return Listing(
        tuple(runs),
        single["tasks"],
        single["exploits"],
        single["meta"],
        tuple(problems),
        runs_usable=folder_why is None,
    )


def _folder_refusal(path: Path, root: Path, show: Callable[[Path], str]) -> str | None:
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "does not exist"
    except (OSError, RuntimeError):
        return "is a symbolic link that loops"
    if not target.is_relative_to(root):
        to = f" (to {show(target)})" if show(target) != show(path) else ""
        return f"leads outside the snapshot folder {show(root)}{to}"
    if not target.is_dir():
        return "is not a folder"
    return None
