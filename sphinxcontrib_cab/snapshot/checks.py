"""Cross-checks between the sources of one snapshot, each yielding located :class:`Problem` s.

Record-level checks (types, unknown fields, malformed dates and sha256 values, duplicate runs)
happen while reading, in :mod:`.load`. The checks here need more than one
record or more than one source: row count against the pin, runs against the task catalogue,
methodology versions against the pin, and the exploit ledger against its own dates and against the
cells that exist.
Checks over many rows report once per distinct value at its first row, with a count, so a broken
million-row file gives a handful of warnings rather than a million.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import TYPE_CHECKING, TypeVar

from .aggregate import version_sort_key
from .contract import IMAGE_DIGEST
from .index import positions_by_value
from .problems import Problem, Subtype

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from .contract import CellSelector, Exploit, Meta, Task
    from .model import Cell, RunTable
    from .readers import Located

_Value = TypeVar("_Value", bound=Hashable)

SELECTOR_FIELDS = ("tui", "behavior_mode", "model", "task", "plugin_stack", "tui_image_sha")


def _rows(count: int, verb: str | None = None) -> str:
    """``"1 row names"`` / ``"2 rows name"``: a count of rows, with its verb agreeing."""
    text = f"{count} row{'s' if count != 1 else ''}"
    if verb is None:
        return text
    return f"{text} {verb + 's' if count == 1 else verb}"


def _first_rows(
    rows_by_key: Sequence[Sequence[int]], value_of_key: Sequence[_Value | None]
) -> dict[_Value, tuple[int, int]]:
    """value -> (first row index, number of rows), over the keys whose value is not None."""
    found: dict[_Value, tuple[int, int]] = {}
    for key_id, rows in enumerate(rows_by_key):
        value = value_of_key[key_id]
        if value is None or not rows:
            continue
        first, count = found.get(value, (rows[0], 0))
        found[value] = (min(first, rows[0]), count + len(rows))
    return found


def row_count(
    meta: Meta | None, meta_places: Located, rows_read: int, rows_rejected: int, runs_shown: str
) -> Iterator[Problem]:
    """meta.json's row_count against the valid rows read."""
    if meta is None or meta.row_count == rows_read:
        return
    left_out = f" ({_rows(rows_rejected)} left out as invalid)" if rows_rejected else ""
    yield Problem(
        Subtype.row_count,
        f"meta.json says row_count {meta.row_count}, but {rows_read} valid run rows were read "
        f"from {runs_shown}{left_out}",
        meta_places.at("meta", "row_count"),
    )


def unknown_tasks(
    table: RunTable,
    rows_by_key: Sequence[Sequence[int]],
    tasks: Mapping[str, Task],
    tasks_shown: str,
) -> Iterator[Problem]:
    """Runs naming a task that the catalogue does not have: one problem per task."""
    names: list[str | None] = [key.task if key.task not in tasks else None for key in table.keys]
    found = _first_rows(rows_by_key, names)
    for task_id, (first, count) in sorted(found.items(), key=lambda item: item[1][0]):
        yield Problem(
            Subtype.unknown_task,
            f"task '{task_id}' is not in the task catalogue {tasks_shown}; "
            f"{_rows(count, 'name')} it, this is the first",
            table.location(first),
        )


def task_dates(
    table: RunTable,
    rows_by_key: Sequence[Sequence[int]],
    tasks: Mapping[str, Task],
    tasks_shown: str,
) -> Iterator[Problem]:
    """Runs whose task_added_date disagrees with the catalogue: one problem per (task, date)."""
    pairs: list[tuple[str, str] | None] = []
    for key in table.keys:
        task = tasks.get(key.task)
        if (
            task is None
            or task.task_added_date is None  # the catalogue may leave the date to the runs
            or key.task_added_date is None
            or key.task_added_date == task.task_added_date.isoformat()
        ):
            pairs.append(None)
        else:
            pairs.append((key.task, key.task_added_date))
    found = _first_rows(rows_by_key, pairs)
    for pair, (first, count) in sorted(found.items(), key=lambda item: item[1][0]):
        task_id, run_date = pair
        catalogue_date = str(tasks[task_id].task_added_date)
        yield Problem(
            Subtype.task_date,
            f"task_added_date {run_date} of task '{task_id}' disagrees with the task catalogue "
            f"{tasks_shown}, which says {catalogue_date}; {_rows(count, 'give')} {run_date}, "
            "this is the first",
            table.location(first),
        )


def newer_methodology(table: RunTable, meta: Meta | None) -> Iterator[Problem]:
    """Rows recorded under a methodology version newer than the pin: one problem per version."""
    if meta is None:
        return
    pin = version_sort_key(meta.methodology_version)
    newer = {i for i, v in enumerate(table.versions) if version_sort_key(v) > pin}
    if not newer:
        return
    first: dict[int, int] = {}
    counts: dict[int, int] = {}
    for index, version in enumerate(table.version_id):
        if version in newer:
            first.setdefault(version, index)
            counts[version] = counts.get(version, 0) + 1
    for version, index in sorted(first.items(), key=lambda item: item[1]):
        yield Problem(
            Subtype.methodology,
            f"methodology version {table.versions[version]} is newer than the pinned version "
            f"{meta.methodology_version} in meta.json; {_rows(counts[version], 'use')} it, "
            "this is the first",
            table.location(index),
        )


def exploit_dates(exploits: Sequence[Exploit], places: Located) -> Iterator[Problem]:
    """An exploit patched before it was reported."""
    for exploit in exploits:
        if exploit.patched is not None and exploit.patched < exploit.reported:
            yield Problem(
                Subtype.date,
                f"exploit '{exploit.id}' is patched on {exploit.patched.isoformat()}, before it "
                f"was reported on {exploit.reported.isoformat()}",
                places.at(exploit.id, "patched"),
            )


def _describe_selector(selector: CellSelector) -> str:
    given = [
        f"{name}={getattr(selector, name)}"
        for name in SELECTOR_FIELDS
        if getattr(selector, name) is not None
    ]
    return ", ".join(given) if given else "every cell"


class _CellIndex:
    """Cells matching an exploit's selector, from :func:`~.index.positions_by_value` per field
    (the snapshot being loaded has no views yet)."""

    def __init__(self, cells: Sequence[Cell]) -> None:
        self._cells = cells
        self._by_field: dict[str, dict[str, tuple[int, ...]]] = {}

    def matching(self, selector: CellSelector) -> list[int]:
        candidates: set[int] | None = None
        for name in SELECTOR_FIELDS:
            wanted = getattr(selector, name)
            if wanted is None:
                continue
            if name not in self._by_field:
                self._by_field[name] = positions_by_value(self._cells, name)
            found = set(self._by_field[name].get(wanted, ()))
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return []
        if candidates is None:
            return list(range(len(self._cells)))
        return sorted(candidates)


_IMAGE = re.compile(IMAGE_DIGEST.pattern)


def match_exploits(
    exploits: Sequence[Exploit], cells: Sequence[Cell], places: Located
) -> tuple[dict[str, tuple[int, ...]], list[Problem]]:
    """Exploit id -> indices of matching cells, plus problems for selectors that match nothing."""
    matched: dict[str, tuple[int, ...]] = {}
    problems: list[Problem] = []
    index = _CellIndex(cells)
    for exploit in exploits:
        hits: set[int] = set()
        for number, selector in enumerate(exploit.affected_cells):
            image = selector.tui_image_sha
            if image is not None and not _IMAGE.match(image):
                problems.append(
                    Problem(
                        Subtype.sha256,
                        f"exploit '{exploit.id}': tui_image_sha {image!r} is not an image digest "
                        "('sha256:' and 64 lowercase hex digits)",
                        places.at(exploit.id, "affected_cells", number, "tui_image_sha"),
                    )
                )
            found = index.matching(selector)
            if not found:
                problems.append(
                    Problem(
                        Subtype.exploit_cells,
                        f"exploit '{exploit.id}': affected cell {number + 1} "
                        f"({_describe_selector(selector)}) matches no run in this snapshot",
                        places.at(exploit.id, "affected_cells", number),
                    )
                )
            hits.update(found)
        matched[exploit.id] = tuple(sorted(hits))
    return matched, problems


def run_checks(
    *,
    table: RunTable,
    rows_by_key: Sequence[Sequence[int]],
    tasks: Mapping[str, Task],
    tasks_shown: str,
    meta: Meta | None,
    meta_places: Located,
    exploits: Sequence[Exploit],
    exploit_places: Located,
    rows_rejected: int,
    runs_shown: str,
) -> Iterator[Problem]:
    """Every cross-check except the exploit-to-cell match (see :func:`match_exploits`)."""
    yield from row_count(meta, meta_places, len(table), rows_rejected, runs_shown)
    if tasks:
        yield from unknown_tasks(table, rows_by_key, tasks, tasks_shown)
        yield from task_dates(table, rows_by_key, tasks, tasks_shown)
    yield from newer_methodology(table, meta)
    yield from exploit_dates(exploits, exploit_places)
