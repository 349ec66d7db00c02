"""Where a snapshot's four sources live, and how each path was configured.

:class:`SourcePaths` is what every reader, the digest and the CLI are given; the ``DEFAULT_*``
paths are the defaults of the ``cab_*_path`` settings and of the CLI's path options.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


DEFAULT_RUNS = "results/published"
DEFAULT_TASKS = "site/src/data/tasks.json"
DEFAULT_EXPLOITS = "results/exploits/_catalog.yaml"
DEFAULT_META = "site/src/data/meta.json"
"""Where a benchmark repository keeps its four sources, relative to the snapshot root: the
defaults of the ``cab_*_path`` settings and of the CLI's path options."""


SOURCE_NAMES = ("root", "runs", "tasks", "exploits", "meta")
DEFAULT_SETTINGS = ("the snapshot folder", "runs path", "tasks path", "exploits path", "meta path")
"""How problems name what set each path, in :data:`SOURCE_NAMES` order, when the caller does
not say (the Sphinx layer names its ``cab_*`` settings, the CLI its arguments)."""


@dataclass(frozen=True, slots=True)
class SourcePaths:
    """Where the four sources of one snapshot live, and how they were configured."""

    root: Path
    runs: Path
    tasks: Path
    exploits: Path
    meta: Path
    runs_audit: str = DEFAULT_RUNS
    """The paths as configured (shown to readers as audit paths)."""
    tasks_audit: str = DEFAULT_TASKS
    exploits_audit: str = DEFAULT_EXPLOITS
    meta_audit: str = DEFAULT_META
    settings: tuple[str, ...] = DEFAULT_SETTINGS
    """The name of the setting behind each path, in :data:`SOURCE_NAMES` order."""
    base: str = ""
    """The folder a relative snapshot root was resolved from (empty when not known)."""

    @classmethod
    def under(
        cls,
        root: Path,
        runs: str = DEFAULT_RUNS,
        tasks: str = DEFAULT_TASKS,
        exploits: str = DEFAULT_EXPLOITS,
        meta: str = DEFAULT_META,
        *,
        settings: tuple[str, ...] = DEFAULT_SETTINGS,
        base: str = "",
    ) -> SourcePaths:
        """The sources of a snapshot at ``root``, with sub-paths as configured (kept as the
        audit paths readers see)."""
        return cls(
            root=root,
            runs=root / runs,
            tasks=root / tasks,
            exploits=root / exploits,
            meta=root / meta,
            runs_audit=runs,
            tasks_audit=tasks,
            exploits_audit=exploits,
            meta_audit=meta,
            settings=settings,
            base=base,
        )

    def relocated(self, root: Path) -> SourcePaths:
        """The same sub-paths under another root (an older snapshot's folder)."""
        return SourcePaths.under(
            root,
            runs=self.runs_audit,
            tasks=self.tasks_audit,
            exploits=self.exploits_audit,
            meta=self.meta_audit,
            settings=self.settings,
        )

    def setting(self, source: str) -> str:
        """How ``source`` (one of :data:`SOURCE_NAMES`) was configured, for a problem's
        message: ``cab_runs_path = 'results/published'``, or for the root
        ``cab_snapshot_root, resolved from /project/docs``."""
        name = self.settings[SOURCE_NAMES.index(source)]
        if source == "root":
            return f"{name}, resolved from {self.base}" if self.base else name
        value: str = getattr(self, f"{source}_audit")
        return f"{name} {value!r}" if name.startswith("-") else f"{name} = {value!r}"
