"""The immutable, in-memory view of one loaded snapshot that every directive renders from.

:mod:`.load` builds a :class:`Snapshot`; everything else only reads it. Run rows are kept
column-wise in a :class:`RunTable` so a million rows stay small, and cells are aggregated once at
load time (:mod:`.aggregate`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import operator
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .keys import KEY_FIELD_NAMES, PROVENANCE_FIELDS

ViewT = TypeVar("ViewT")

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Mapping
    from pathlib import Path

    from .contract import Exploit, Meta, Task
    from .paths import SourcePaths
    from .problems import Problem


AXES: tuple[str, ...] = (
    "pass",
    "blast_radius",
    "wall_s",
    "refusal",
    "integrity",
    "tokens",
    "composite",
)
"""Per-run score axes, in display order."""

INTEGER_AXES: frozenset[str] = frozenset({"pass", "refusal", "integrity", "tokens"})
"""Axes whose recorded values are whole numbers."""


@dataclass(slots=True, unsafe_hash=True)
class Estimate:
    """Mean of one axis over a cell's reruns with its 95% interval, or a gap with its reason.

    ``low`` and ``high`` are ``None`` when the data give no interval: one value, or (for a
    Student-t axis) no spread among the values. ``gap`` is set when the value does not apply
    (refusal on a task that expects none, Stays of a one-run cell): ``mean`` is then NaN and
    ``gap`` says why in a few words (empty when the mark alone says it).

    Never mutated, like every part of a :class:`Snapshot`, but not ``frozen``: a frozen dataclass
    sets each field through ``object.__setattr__``, which is slow to construct, and a large
    snapshot builds one per axis of every cell. Hashed by value, as if frozen.
    """

    mean: float
    low: float | None
    high: float | None
    n: int
    gap: str | None = None


_key_values = operator.attrgetter(*KEY_FIELD_NAMES)


@dataclass(slots=True, unsafe_hash=True)
class CellKey:
    """The 9-field canonical key; a provenance field is ``None`` when the runs did not record it.

    Never mutated; not ``frozen`` for the construction cost explained at :class:`Estimate`.
    """

    tui: str
    behavior_mode: str
    model: str
    task: str
    plugin_stack: str
    tui_image_sha: str | None
    model_endpoint_sha: str | None
    sampling_profile: str | None
    task_added_date: str | None
    """ISO date ``YYYY-MM-DD``."""

    def values(self) -> tuple[str | None, ...]:
        """The nine values in canonical order."""
        values: tuple[str | None, ...] = _key_values(self)
        return values

    def items(self) -> tuple[tuple[str, str | None], ...]:
        return tuple((name, getattr(self, name)) for name in KEY_FIELD_NAMES)

    def anchor(self) -> str:
        """``cab-cell-`` + the first 12 hex digits of sha256 of the values joined by U+001F.

        Computed when a page asks for it, not stored: most cells of a large snapshot are never
        linked, and hashing every key up front slows every load.
        """
        text = "\x1f".join([v or "" for v in _key_values(self)])
        return "cab-cell-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def missing(self) -> tuple[str, ...]:
        """Names of the provenance fields this cell did not record."""
        return tuple(name for name in PROVENANCE_FIELDS if getattr(self, name) is None)


@dataclass(slots=True, unsafe_hash=True)
class Cell:
    """One leaderboard row: every rerun of one canonical key, aggregated.

    Never mutated; not ``frozen`` for the construction cost explained at :class:`Estimate`.
    """

    key: CellKey
    category: str
    methodology_version: str
    """The newest methodology version among the cell's runs."""
    runs: tuple[int, ...]
    """Indices of the cell's runs in :attr:`Snapshot.runs`, ordered by rerun."""
    axes: Mapping[str, Estimate | None]
    """Every name in :data:`AXES`; ``None`` when no run of the cell recorded that axis."""
    headline: Estimate | None
    ships: Estimate | None
    stays: Estimate | None
    costs: Estimate | None
    failures: tuple[tuple[str, int], ...]
    """(failure kind, count) for runs that failed to complete, sorted by kind."""

    @property
    def anchor(self) -> str:
        """A stable HTML id for the cell, derived from its key (:meth:`CellKey.anchor`)."""
        return self.key.anchor()


@dataclass(frozen=True, slots=True)
class RunView:
    """One run row, materialised from the column store on demand."""

    index: int
    key: CellKey
    sweep_id: str
    rerun: int
    started_at: str
    ended_at: str
    exit_code: int
    failure: str | None
    failure_detail: str | None
    prompt_sha256: str
    stdout_sha256: str
    grade_sha256: str
    scores: Mapping[str, float | str | None]
    methodology_version: str
    location: str
    """``"path:line"`` of the row in its JSONL file."""


NOT_RECORDED = math.nan
"""How a score column stores *not recorded*: NaN, never 0."""

NOT_APPLICABLE_CODE = -1.0
"""How the refusal column stores ``"n/a"`` (a task that expects no refusal)."""

NOT_APPLICABLE = Estimate(math.nan, None, None, 0, "")
"""The estimate of an axis that applies to none of a cell's runs (refusal where no run's task
expects a refusal): shown as the not-applicable mark, never as the not-recorded one."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def format_timestamp(microseconds: int) -> str:
    """ISO-8601 UTC with microseconds and a ``Z`` suffix, from microseconds since the epoch."""
    moment = _EPOCH + dt.timedelta(microseconds=microseconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RunTable:
    """Column-wise storage of valid run rows, filled by :mod:`.runs`.

    One row per valid run; every column has one entry per row. Repeated strings (keys, sweeps,
    versions, file names) are stored once and referenced by index, scores are ``array('d')`` with
    NaN for *not recorded*, and the three sha256 digests of a row are 96 packed bytes. Treat it as
    read-only: the loader never changes a table after handing out the :class:`Snapshot`.
    """

    __slots__ = (
        "ended_us",
        "exit_code",
        "failure",
        "failure_detail_id",
        "failure_details",
        "failure_names",
        "file_id",
        "file_names",
        "hashes",
        "key_id",
        "keys",
        "line",
        "rerun",
        "scores",
        "started_us",
        "sweep_id",
        "sweeps",
        "version_id",
        "versions",
    )

    def __init__(self) -> None:
        self.keys: list[CellKey] = []
        """Distinct canonical keys; ``key_id[i]`` indexes this list."""
        self.key_id = array("I")
        self.sweeps: list[str] = []
        self.sweep_id = array("I")
        self.versions: list[str] = []
        """Distinct methodology versions; ``version_id[i]`` indexes this list."""
        self.version_id = array("H")
        self.file_names: list[str] = []
        """Display paths of the JSONL files; ``file_id[i]`` indexes this list."""
        self.file_id = array("H")
        self.line = array("I")
        self.rerun = array("I")
        self.exit_code = array("i")
        self.failure_names: tuple[str, ...] = ()
        self.failure = array("b")
        """Index into :attr:`failure_names`, ``-1`` for a run that completed."""
        self.failure_details: list[str] = [""]
        """Distinct failure details as recorded; entry 0 is "none recorded"."""
        self.failure_detail_id = array("I")
        self.started_us = array("q")
        self.ended_us = array("q")
        self.hashes = bytearray()
        """prompt, stdout, grade sha256 of each row: 96 bytes per row."""
        self.scores: dict[str, array[float]] = {axis: array("d") for axis in AXES}

    def __len__(self) -> int:
        return len(self.key_id)

    def key(self, index: int) -> CellKey:
        return self.keys[self.key_id[index]]

    def location(self, index: int) -> str:
        return f"{self.file_names[self.file_id[index]]}:{self.line[index]}"

    def score(self, index: int, axis: str) -> float | str | None:
        """One score as recorded: a number, ``"n/a"`` or ``None`` when not recorded."""
        value = self.scores[axis][index]
        if math.isnan(value):
            return None
        if axis == "refusal" and value == NOT_APPLICABLE_CODE:
            return "n/a"
        if axis in INTEGER_AXES and value.is_integer():
            return int(value)
        return value

    def row(self, index: int) -> RunView:
        if not 0 <= index < len(self):
            raise IndexError(index)
        digests = self.hashes[index * 96 : index * 96 + 96].hex()
        failure = self.failure[index]
        return RunView(
            index=index,
            key=self.key(index),
            sweep_id=self.sweeps[self.sweep_id[index]],
            rerun=self.rerun[index],
            started_at=format_timestamp(self.started_us[index]),
            ended_at=format_timestamp(self.ended_us[index]),
            exit_code=self.exit_code[index],
            failure=None if failure < 0 else self.failure_names[failure],
            failure_detail=self.failure_details[self.failure_detail_id[index]] or None,
            prompt_sha256=digests[0:64],
            stdout_sha256=digests[64:128],
            grade_sha256=digests[128:192],
            scores={axis: self.score(index, axis) for axis in AXES},
            methodology_version=self.versions[self.version_id[index]],
            location=self.location(index),
        )


@dataclass(frozen=True, slots=True)
class FileDigest:
    path: str
    """Path relative to the snapshot root, with forward slashes."""
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Digest:
    """sha256 of every source file and one combined digest over them (see :mod:`.digest`)."""

    files: tuple[FileDigest, ...]
    combined: str


@dataclass(frozen=True)
class Snapshot:
    """Everything a directive may render, read once per process and never mutated."""

    name: str
    """The snapshot's name: its snapshot_date (``YYYY-MM-DD``)."""
    sources: SourcePaths
    meta: Meta | None
    tasks: tuple[Task, ...]
    exploits: tuple[Exploit, ...]
    runs: RunTable
    cells: tuple[Cell, ...]
    """Sorted by canonical key."""
    exploit_cells: Mapping[str, tuple[int, ...]]
    """Exploit id -> indices into :attr:`cells` that its affected-cell selectors match."""
    digest: Digest
    rows_read: int
    """Valid run rows (the row count every page shows)."""
    rows_rejected: int
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]
    """Every file read, for ``env.note_dependency``."""
    _task_index: dict[str, Task] = field(default_factory=dict, repr=False)
    _cell_index: dict[CellKey, int] = field(default_factory=dict, repr=False)
    _views: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    def view(self, key: Hashable, make: Callable[[], ViewT]) -> ViewT:
        """The view ``key`` of this snapshot (an index, formatted rows), made by ``make`` the
        first time a page asks for it and kept: the snapshot never changes, so neither does a
        view of it. Pages of one build share it (the task pages filter the same cells)."""
        try:
            found: ViewT = self._views[key]
        except KeyError:
            found = self._views[key] = make()
        return found

    def task(self, task_id: str) -> Task | None:
        return self._task_index.get(task_id)

    def cell_index(self, key: CellKey) -> int | None:
        return self._cell_index.get(key)

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({t.category for t in self.tasks}))

    @property
    def live_exploits(self) -> tuple[Exploit, ...]:
        return tuple(e for e in self.exploits if e.status == "live")
