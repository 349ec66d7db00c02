"""The pinned snapshot and the older snapshots its ``meta.json`` lists, loaded together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .load import load_snapshot_cached
from .paths import SourcePaths
from .positions import json_location
from .problems import Display, Problem, Subtype

if TYPE_CHECKING:
    from pathlib import Path

    from .contract import SnapshotRef
    from .model import Snapshot


@dataclass(frozen=True)
class LoadedSnapshots:
    """The pinned snapshot, the older ones by name, and the problems to report for this build."""

    pinned: Snapshot
    older: dict[str, Snapshot]
    problems: tuple[Problem, ...]

    def get(self, name: str | None) -> Snapshot | None:
        if name is None or name == self.pinned.name:
            return self.pinned
        return self.older.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.pinned.name, *sorted(self.older))

    def digests(self) -> dict[str, str]:
        found = {name: snap.digest.combined for name, snap in self.older.items()}
        found[self.pinned.name] = self.pinned.digest.combined
        return found


def load_all(sources: SourcePaths, display_base: Path | None) -> LoadedSnapshots:
    """Load the pinned snapshot and every older snapshot its meta.json lists."""
    pinned = load_snapshot_cached(sources, display_base=display_base)
    problems = list(pinned.problems)
    older: dict[str, Snapshot] = {}
    meta_shown = Display(display_base)(sources.meta)
    root = sources.root.resolve()
    references = pinned.meta.snapshots if pinned.meta is not None else ()
    for number, reference in enumerate(references):
        name = reference.snapshot_date.isoformat()
        where = json_location(sources.meta, meta_shown, ("snapshots", number, "path"))
        folder = (sources.root / reference.path).resolve()
        if not folder.is_relative_to(root):
            problems.append(
                Problem(
                    Subtype.source,
                    f"older snapshot {name}: path '{reference.path}' leads outside the snapshot "
                    f"folder; it was not read",
                    where,
                )
            )
            continue
        if not folder.is_dir():
            problems.append(
                Problem(
                    Subtype.source,
                    f"older snapshot {name}: folder '{reference.path}' does not exist",
                    where,
                )
            )
            continue
        older_sources = sources.relocated(folder)
        snapshot = load_snapshot_cached(older_sources, display_base=display_base, name=name)
        problems.extend(snapshot.problems)
        problems.extend(_listing_problems(reference, snapshot, meta_shown, sources, number))
        older[name] = snapshot
    return LoadedSnapshots(pinned=pinned, older=older, problems=tuple(problems))


def _listing_problems(
    reference: SnapshotRef, snapshot: Snapshot, meta_shown: str, sources: SourcePaths, number: int
) -> list[Problem]:
    """Where meta.json's entry for an older snapshot disagrees with that snapshot itself."""
    name = reference.snapshot_date.isoformat()
    found = []
    if snapshot.meta is not None and snapshot.name != name:
        found.append(
            Problem(
                Subtype.snapshot,
                f"older snapshot listed as {name} says snapshot_date {snapshot.name} in its own "
                "meta.json",
                json_location(sources.meta, meta_shown, ("snapshots", number, "snapshot_date")),
            )
        )
    runs_unread = snapshot.rows_read == 0 and any(
        problem.subtype is Subtype.source for problem in snapshot.problems
    )
    if reference.row_count != snapshot.rows_read and not runs_unread:
        found.append(
            Problem(
                Subtype.row_count,
                f"older snapshot {name} is listed with row_count {reference.row_count}, but "
                f"{snapshot.rows_read} valid run rows were read from it",
                json_location(sources.meta, meta_shown, ("snapshots", number, "row_count")),
            )
        )
    return found


def check(
    root: Path, sources: SourcePaths | None = None, display_base: Path | None = None
) -> tuple[Problem, ...]:
    """Every problem of the snapshot at ``root`` (laid out with the default paths unless
    ``sources`` says otherwise) and of the older snapshots its ``meta.json`` lists."""
    return load_all(sources or SourcePaths.under(root), display_base).problems
