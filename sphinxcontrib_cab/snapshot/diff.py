"""What changed between two snapshots: cells added and removed, methodology versions between
them, and the headline of each cell and of each TUI and model pair in both, with whether the two
95% intervals separate.

Cells are matched by the 9-field canonical key, so :attr:`SnapshotDiff.added` and
:attr:`SnapshotDiff.removed` are the two set differences of the snapshots' keys. A removed and an
added cell whose five identity fields agree (they differ only in provenance fields: a new image,
endpoint, sampling profile or task date) are also listed as a :class:`Repinned` pair, since a
reader may take them for one cell. Changes are compared on the same estimates the leaderboards
show (:data:`.metrics.METRICS`), computed from each snapshot's own cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .aggregate import key_sort_value, version_sort_key
from .keys import IDENTITY_FIELDS, PROVENANCE_FIELDS
from .metrics import METRICS
from .overview import overview

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .contract import VersionEntry
    from .metrics import Item
    from .model import Cell, CellKey, Estimate, Snapshot

Verdict = Literal["moved", "within noise", "no interval", "added", "removed"]

VERDICTS: dict[Verdict, str] = {
    "moved": "the two 95% intervals do not overlap",
    "within noise": "the two 95% intervals overlap",
    "no interval": "one side has no interval (one run, no spread, or not recorded)",
    "added": "only the newer snapshot has this row",
    "removed": "only the older snapshot has this row",
}
"""Each verdict a change can have, and what it means (the legend under a diff says it)."""


def verdict(before: Estimate | None, after: Estimate | None) -> Verdict:
    """``moved`` when both estimates have an interval and the intervals do not overlap,
    ``within noise`` when they overlap, ``no interval`` when either side has none."""
    if before is None or after is None:
        return "no interval"
    if before.low is None or before.high is None or after.low is None or after.high is None:
        return "no interval"
    if before.high < after.low or after.high < before.low:
        return "moved"
    return "within noise"


def change(before: Estimate | None, after: Estimate | None) -> float | None:
    """``after - before`` of the two means; ``None`` when either side has no number."""
    if before is None or after is None or before.gap is not None or after.gap is not None:
        return None
    if math.isnan(before.mean) or math.isnan(after.mean):
        return None
    return after.mean - before.mean


@dataclass(frozen=True, slots=True)
class Change:
    """One row (a cell, or a TUI and model pair) in both snapshots."""

    values: tuple[str | None, ...]
    """The cell's nine key values, or the pair's TUI and model."""
    before: Estimate | None
    after: Estimate | None
    verdict: Verdict

    @property
    def delta(self) -> float | None:
        return change(self.before, self.after)


@dataclass(frozen=True, slots=True)
class Repinned:
    """A removed cell and an added one that agree on the five identity fields, with the
    metric of each."""

    before: CellKey
    after: CellKey
    change: Change

    @property
    def fields(self) -> tuple[str, ...]:
        """The provenance fields whose values differ."""
        return tuple(
            name
            for name in PROVENANCE_FIELDS
            if getattr(self.before, name) != getattr(self.after, name)
        )


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """Everything :func:`diff` found, each part in a fixed order."""

    before: str
    after: str
    """The two snapshots' names (their dates)."""
    metric: str
    added: tuple[Cell, ...]
    """Cells of the newer snapshot whose key the older one lacks, in key order."""
    removed: tuple[Cell, ...]
    repinned: tuple[Repinned, ...]
    common: int
    """How many keys both snapshots have."""
    versions: tuple[VersionEntry, ...]
    """Methodology versions after the older snapshot's, up to the newer one's, oldest first."""
    before_version: str | None
    after_version: str | None
    cells: tuple[Change, ...]
    """Cells in both snapshots, largest change first."""
    pairs: tuple[Change, ...]
    """TUI and model pairs in either snapshot, largest change first, then added and removed."""


def versions_between(before: Snapshot, after: Snapshot) -> tuple[VersionEntry, ...]:
    """History entries newer than ``before``'s methodology version, up to ``after``'s, read from
    the history of the newer snapshot (which carries every earlier entry), oldest first."""
    if before.meta is None or after.meta is None:
        return ()
    low, high = sorted(
        (before.meta.methodology_version, after.meta.methodology_version), key=version_sort_key
    )
    newest = max(before.meta, after.meta, key=lambda meta: meta.snapshot_date)
    return tuple(
        entry
        for entry in sorted(newest.history, key=lambda e: (version_sort_key(e.version), e.date))
        if version_sort_key(low) < version_sort_key(entry.version) <= version_sort_key(high)
    )


def _sorted_changes(changes: Sequence[Change]) -> tuple[Change, ...]:
    """Largest absolute change first; rows without a change after them, in their given order."""
    sized = [c for c in changes if c.delta is not None]
    unsized = [c for c in changes if c.delta is None]
    sized.sort(key=lambda c: -abs(c.delta or 0.0))
    return tuple(sized + unsized)


def _estimate(item: Item | None, metric: str) -> Estimate | None:
    return None if item is None else METRICS[metric].estimate(item)


def _change(before: Cell, after: Cell, metric: str) -> Change:
    """``metric`` of one cell in both snapshots (named by the older cell's key)."""
    first, second = _estimate(before, metric), _estimate(after, metric)
    return Change(before.key.values(), first, second, verdict(first, second))


def diff(
    before: Snapshot,
    after: Snapshot,
    before_cells: Sequence[Cell] | None = None,
    after_cells: Sequence[Cell] | None = None,
    metric: str = "headline",
) -> SnapshotDiff:
    """The differences from ``before`` to ``after``, over the given cells of each (default:
    every cell), comparing ``metric`` (a summary metric of :data:`.metrics.METRICS`)."""
    if not METRICS[metric].summary:
        raise ValueError(f"{metric!r} is not a summary metric")
    old = {cell.key: cell for cell in (before.cells if before_cells is None else before_cells)}
    new = {cell.key: cell for cell in (after.cells if after_cells is None else after_cells)}
    added = tuple(new[key] for key in sorted(new.keys() - old.keys(), key=key_sort_value))
    removed = tuple(old[key] for key in sorted(old.keys() - new.keys(), key=key_sort_value))
    by_identity: dict[tuple[str | None, ...], list[CellKey]] = {}
    for cell in added:
        by_identity.setdefault(_identity(cell.key), []).append(cell.key)
    repinned = tuple(
        Repinned(cell.key, match, _change(cell, new[match], metric))
        for cell in removed
        for match in by_identity.get(_identity(cell.key), ())
    )
    cells = [
        _change(old[key], new[key], metric)
        for key in sorted(old.keys() & new.keys(), key=key_sort_value)
    ]
    old_pairs = {row.values: row for row in overview(tuple(old.values()))}
    new_pairs = {row.values: row for row in overview(tuple(new.values()))}
    pairs = []
    for values in sorted(old_pairs.keys() | new_pairs.keys(), key=_values_order):
        first = _estimate(old_pairs.get(values), metric)
        second = _estimate(new_pairs.get(values), metric)
        found: Verdict
        if values not in old_pairs:
            found = "added"
        elif values not in new_pairs:
            found = "removed"
        else:
            found = verdict(first, second)
        pairs.append(Change(values, first, second, found))
    return SnapshotDiff(
        before=before.name,
        after=after.name,
        metric=metric,
        added=added,
        removed=removed,
        repinned=repinned,
        common=len(cells),
        versions=versions_between(before, after),
        before_version=before.meta.methodology_version if before.meta else None,
        after_version=after.meta.methodology_version if after.meta else None,
        cells=_sorted_changes(cells),
        pairs=_sorted_changes([p for p in pairs if p.verdict not in ("added", "removed")])
        + tuple(p for p in pairs if p.verdict == "added")
        + tuple(p for p in pairs if p.verdict == "removed"),
    )


def _values_order(values: Sequence[str | None]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is not None, value or "") for value in values)


def _identity(key: CellKey) -> tuple[str | None, ...]:
    return tuple(getattr(key, name) for name in IDENTITY_FIELDS)
