"""What can be wrong with a snapshot, and how it is reported: the registry of problem kinds.

Every problem names one :class:`Subtype`. Inside Sphinx it becomes a ``cab`` warning whose subtype
is the kind's name (``suppress_warnings = ["cab.<subtype>"]`` silences one kind); the ``check`` CLI
prints it. The docs render this table, so adding a kind here documents it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class Subtype(Enum):
    """Warning subtypes, each with the description shown in the docs."""

    json = "a line or file is not valid JSON, or a JSONL file is empty or truncated"
    yaml = "the exploit ledger is not valid YAML, or uses a tag the safe loader refuses"
    encoding = "a data file is not UTF-8 text, or starts with a byte-order mark"
    record = "a record does not match the data contract (missing field, wrong type, unknown field)"
    date = "a date or timestamp is not ISO-8601, or dates are out of order"
    sha256 = "a sha256 or image digest is malformed"
    duplicate = "the same run (canonical key and rerun) or the same task/exploit id appears twice"
    row_count = "meta.json's row_count differs from the number of valid run rows read"
    unknown_task = "a run names a task that is not in the task catalogue"
    task_date = "a run's task_added_date disagrees with the task catalogue"
    exploit_cells = "an exploit's affected cells match no run in the snapshot"
    methodology = "a row's methodology version is newer than the pin in meta.json"
    source = "a configured data file or folder is missing or outside the project"
    config = "a cab_* configuration value is invalid"
    option = "a directive or role option has a value outside its allowed values"
    snapshot = "a directive names a snapshot that meta.json does not list"
    cell = "a directive or role names a cell or value that the snapshot does not contain"
    signature = (
        "a snapshot's signature is damaged, made by a key allowed_signers does not list, made for "
        "another namespace, or does not match the snapshot's digest (an error)"
    )

    @property
    def description(self) -> str:
        return str(self.value)

    @property
    def qualified(self) -> str:
        """The name as used in ``suppress_warnings``."""
        return f"cab.{self.name.replace('_', '-')}"

    @property
    def tag(self) -> str:
        """The subtype string passed to Sphinx's logger."""
        return self.name.replace("_", "-")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the snapshot, reported at ``location``."""

    subtype: Subtype
    message: str
    location: str
    """``"path:line"`` (path as shown to the data author) or ``"path"`` for whole-file problems."""


MAX_PROBLEMS_PER_FILE = 50
"""Further problems of one file are summed up in one last problem instead of listed."""


class ProblemLog:
    """Collects problems, at most :data:`MAX_PROBLEMS_PER_FILE` listed per file."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._per_file: dict[str, int] = {}
        self._held_back: dict[str, int] = {}

    def add(self, subtype: Subtype, message: str, path: str, line: int | None = None) -> None:
        count = self._per_file.get(path, 0) + 1
        self._per_file[path] = count
        if count > MAX_PROBLEMS_PER_FILE:
            self._held_back[path] = self._held_back.get(path, 0) + 1
            return
        location = path if line is None else f"{path}:{line}"
        self.problems.append(Problem(subtype, message, location))

    def finish(self) -> tuple[Problem, ...]:
        for path in sorted(self._held_back):
            count = self._held_back[path]
            self.problems.append(
                Problem(
                    Subtype.record,
                    f"{count} more problem{'s' if count != 1 else ''} in this file "
                    f"{'are' if count != 1 else 'is'} not listed; "
                    "fix the ones above and check again",
                    path,
                )
            )
        self._held_back.clear()
        return tuple(self.problems)


def split_location(location: str) -> tuple[str, int | None]:
    """``"path:12"`` -> ``("path", 12)``; a location without a line -> ``(location, None)``."""
    path, _, line = location.rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return location, None


class Display:
    """Shows paths relative to a base folder (conf.py's folder or the working directory).

    Paths are made absolute and ``..`` folded, but symbolic links are not followed: a problem
    names the link it is about, and a link loop cannot stop the naming."""

    def __init__(self, base: Path | None) -> None:
        self.base = PurePath(os.path.abspath(base)) if base is not None else None

    def __call__(self, path: Path) -> str:
        absolute = PurePath(os.path.abspath(path))
        if self.base is not None and absolute.is_relative_to(self.base):
            return absolute.relative_to(self.base).as_posix()
        return absolute.as_posix()
