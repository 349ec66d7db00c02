"""The immutable, in-memory view of one loaded snapshot that every directive renders from.

The loader (:mod:`sphinxcontrib_cab.loader`) builds a :class:`Snapshot`; directives only read it.
Run rows are kept column-wise in a :class:`RunTable` so a million rows stay small, and cells are
aggregated once at load time (:mod:`sphinxcontrib_cab.aggregate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .keys import KEY_FIELD_NAMES, PROVENANCE_FIELDS

if TYPE_CHECKING:
    from .models import Exploit, Meta, Task
    from .warnings_ import Subtype


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


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the snapshot, emitted as a ``cab`` warning at ``location``."""

    subtype: Subtype
    message: str
    location: str
    """``"path:line"`` (path as shown to the data author) or ``"path"`` for whole-file problems."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """Mean of one axis over a cell's reruns with its 95% interval (``None`` below two values)."""

    mean: float
    low: float | None
    high: float | None
    n: int


@dataclass(frozen=True, slots=True)
class CellKey:
    """The 9-field canonical key. Provenance fields are ``None`` when the runs did not record them."""

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
        return tuple(getattr(self, name) for name in KEY_FIELD_NAMES)

    def items(self) -> tuple[tuple[str, str | None], ...]:
        return tuple((name, getattr(self, name)) for name in KEY_FIELD_NAMES)

    def missing(self) -> tuple[str, ...]:
        """Names of the provenance fields this cell did not record."""
        return tuple(name for name in PROVENANCE_FIELDS if getattr(self, name) is None)


@dataclass(frozen=True, slots=True)
class Cell:
    """One leaderboard row: every rerun of one canonical key, aggregated."""

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
    anchor: str
    """A stable HTML id for the cell, derived from its key."""


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
    prompt_sha256: str
    stdout_sha256: str
    grade_sha256: str
    scores: Mapping[str, float | str | None]
    methodology_version: str
    location: str
    """``"path:line"`` of the row in its JSONL file."""


class RunTable:
    """Column-wise storage of valid run rows (implemented in :mod:`sphinxcontrib_cab.loader`)."""

    def __len__(self) -> int:
        raise NotImplementedError

    def row(self, index: int) -> RunView:
        raise NotImplementedError


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


@dataclass(frozen=True, slots=True)
class SourcePaths:
    """Where the four sources of one snapshot live."""

    root: Path
    runs: Path
    tasks: Path
    exploits: Path
    meta: Path
    runs_audit: str = "results/published"
    """The paths as configured (shown to readers as audit paths)."""
    tasks_audit: str = "site/src/data/tasks.json"
    exploits_audit: str = "results/exploits/_catalog.yaml"
    meta_audit: str = "site/src/data/meta.json"


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
