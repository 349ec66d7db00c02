"""What a leaderboard row says beside its numbers: failure badges, exploit marks, the failed
runs' details for its provenance, and the legend sentences about them.

The words come from :mod:`...snapshot.failures`; this module only picks them for one row or one
table. A mark is plain data so a :class:`~.board.Board` stays picklable and cheap to copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ...render import missing_explanation, visible_inline, visible_text
from ...snapshot.failures import (
    FAILURE_KINDS,
    FAILURE_MODES,
    RECORDED_NOTE,
    exploit_marks,
    failure_badge,
    failure_details,
)
from ...snapshot.formats import plural
from ...snapshot.keys import FIELD_BY_NAME, MARK_MEANINGS, MISSING_MARK, NOT_APPLICABLE_MARK
from ...snapshot.metrics import DEFINITIONS, METRICS
from ...snapshot.statistics import STAYS_MIN_RUNS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ...snapshot.failures import ExploitMark
    from ...snapshot.model import Cell, Snapshot
    from .board import Board, BoardRow


FAILURE_TONE = "warning"
EXPLOIT_TONES = {True: "danger", False: "secondary"}
"""Badge tones (:mod:`...design`) of a failure mark and of a live / patched exploit mark."""


class RowMark(NamedTuple):
    """One badge of a row: its classes (``cab-mark`` and one per kind), its words, and the
    exploit it links to (``None`` for a failure badge)."""

    classes: str
    text: str
    exploit: str | None = None


class RowNotes(NamedTuple):
    """A cell row's marks, the lines its provenance adds (each failed run's detail, each exploit
    mark), its methodology version and why each key field it lacks is missing."""

    marks: tuple[RowMark, ...]
    details: tuple[str, ...]
    version: str
    missing: tuple[tuple[str, str], ...]


def row_notes(snapshot: Snapshot, cell: Cell, left_out: bool, history: Snapshot) -> RowNotes:
    """The notes of ``cell`` (a cell of ``snapshot``, or the same cell without its failed runs
    when ``left_out``); missing key fields are explained from ``history``'s methodology."""
    marks: list[RowMark] = []
    if cell.failures:
        runs = len(cell.runs) + (sum(count for _kind, count in cell.failures) if left_out else 0)
        marks.append(failure_mark(cell.failures, runs, left_out))
    position = snapshot.cell_index(cell.key)
    recorded = snapshot.cells[position] if position is not None else cell
    details = list(map(visible_text, failure_details(snapshot, recorded)))
    for exploit in exploit_marks(snapshot).get(position, ()) if position is not None else ():
        words = visible_inline(exploit.text)
        marks.append(exploit_mark(exploit, words))
        details.append(words)
    version = cell.methodology_version
    missing = tuple(
        (name, missing_explanation(name, history, version)) for name in cell.key.missing()
    )
    return RowNotes(tuple(marks), tuple(details), version, missing)


def group_marks(
    snapshot: Snapshot,
    cells: Iterable[Cell],
    left_out: bool,
    by: tuple[str, ...] = ("tui", "model"),
) -> dict[tuple[str | None, ...], RowNotes]:
    """The marks of each overview row (cells grouped by ``by``) that has any: its failure badge,
    ``3 of 40 runs: rate limit 1, timeout 2`` (``left out`` under ``:failures: exclude``), then,
    in ledger order, each exploit that marks some of its cells: ``live exploit CAB-X-101 in 2
    cells``, ``1 cell recorded before exploit CAB-X-102 was patched on 2026-06-01``."""
    counted: dict[tuple[str | None, ...], tuple[dict[str, int], int]] = {}
    exploited: dict[tuple[str | None, ...], dict[str, tuple[ExploitMark, int]]] = {}
    marks_of = exploit_marks(snapshot)
    for cell in cells:
        values = tuple(getattr(cell.key, name) for name in by)
        kinds, runs = counted.get(values, ({}, 0))
        for kind, count in cell.failures:
            kinds[kind] = kinds.get(kind, 0) + count
        left = sum(count for _kind, count in cell.failures) if left_out else 0
        counted[values] = (kinds, runs + len(cell.runs) + left)
        position = snapshot.cell_index(cell.key)
        for mark in marks_of.get(position, ()) if position is not None else ():
            seen = exploited.setdefault(values, {})
            seen[mark.exploit] = (mark, seen.get(mark.exploit, (mark, 0))[1] + 1)
    ledger = {exploit.id: index for index, exploit in enumerate(snapshot.exploits)}
    found = {}
    for values, (kinds, runs) in counted.items():
        marks: list[RowMark] = []
        if kinds:
            marks.append(failure_mark(tuple(sorted(kinds.items())), runs, left_out))
        for _exploit, (mark, count) in sorted(
            exploited.get(values, {}).items(), key=lambda item: ledger.get(item[0], 0)
        ):
            marks.append(_group_exploit_mark(mark, count))
        if marks:
            found[values] = RowNotes(tuple(marks), (), "", ())
    return found


def _group_exploit_mark(mark: ExploitMark, cells: int) -> RowMark:
    name = visible_inline(mark.exploit)
    if mark.live:
        words = f"live exploit {name} in {plural(cells, 'cell')}"
    else:
        assert mark.patched is not None
        words = (
            f"{plural(cells, 'cell')} recorded before exploit {name} was patched on "
            f"{mark.patched.isoformat()}"
        )
    return exploit_mark(mark, words)


def failure_mark(failures: tuple[tuple[str, int], ...], runs: int, left_out: bool) -> RowMark:
    """The failure badge of a row with these (kind, count) failures out of ``runs`` runs."""
    kinds = " ".join(f"cab-failure-{kind}" for kind, _count in failures)
    return RowMark(
        f"cab-mark cab-badge cab-badge-{FAILURE_TONE} cab-failure {kinds}",
        failure_badge(failures, runs, left_out),
    )


def exploit_mark(mark: ExploitMark, words: str) -> RowMark:
    """The badge of ``mark`` saying ``words``, linked to its exploit."""
    kind = "cab-exploit-live" if mark.live else "cab-exploit-patched"
    tone = EXPLOIT_TONES[mark.live]
    return RowMark(f"cab-mark cab-badge cab-badge-{tone} cab-exploit {kind}", words, mark.exploit)


def missing_reasons(snapshot: Snapshot, field: str, versions: Iterable[str]) -> str:
    """Why the rows of methodology ``versions`` miss key field ``field``, said once for a table:
    the per-cell reason when every such row has the same, else one reason per version."""
    by_version = {
        version: missing_explanation(field, snapshot, version) for version in sorted(set(versions))
    }
    if len(set(by_version.values())) <= 1:
        return next(iter(by_version.values()), missing_explanation(field, snapshot))
    return "; ".join(f"cells of methodology {v}: {why}" for v, why in by_version.items())


def with_cell_reasons(
    rows: tuple[BoardRow, ...], history: Snapshot, versions: dict[str, list[str]]
) -> tuple[BoardRow, ...]:
    """``rows`` where a key field's reason differs between the table's cells (some predate the
    methodology that introduced it, some simply did not publish it): each such row's provenance
    lines then say its own reason, since the table-wide note names both."""
    mixed = {
        name
        for name, found in versions.items()
        if len({missing_explanation(name, history, v) for v in found}) > 1
    }
    if not mixed:
        return rows
    changed = []
    for row in rows:
        notes = row.notes
        own = [f"{name}: {why}" for name, why in notes.missing if name in mixed] if notes else []
        if notes is not None and own:
            row = row._replace(notes=notes._replace(details=(*notes.details, *own)))
        changed.append(row)
    return tuple(changed)


def failure_legend(kinds: Iterable[str], mode: str, has_failures: bool) -> str:
    """The legend's sentences about failed runs: the mode that produced the numbers (whenever a
    row failed or the mode is not the default), each kind shown, and the recorded-score note."""
    if mode == "include" and not has_failures:
        return ""
    parts = [f"Failed runs: {mode} ({FAILURE_MODES[mode]})."]
    shown = [FAILURE_KINDS[kind] for kind in FAILURE_KINDS if kind in set(kinds)]
    if shown:
        parts.append("; ".join(f"{kind.label}: {kind.meaning.rstrip('.')}" for kind in shown) + ".")
    if has_failures:
        parts.append(RECORDED_NOTE)
    return " ".join(parts)


def exploit_legend(has_live: bool, has_patched: bool, overview: bool = False) -> str:
    """What the exploit marks mean, when a table shows any (``overview``: its rows group cells)."""
    whose = "cells of this row" if overview else "this cell"
    parts = []
    if has_live:
        parts.append(
            f"A live exploit mark: an unpatched exploit of the ledger names {whose}, so "
            f"{'their scores' if overview else 'its score'} may not measure what the task asks."
        )
    if has_patched:
        parts.append(
            f"Recorded before an exploit was patched: some runs of {whose} ran while the "
            "exploit still worked."
        )
    return " ".join(parts)


def _kinds(notes: RowNotes) -> list[str]:
    return [
        name.removeprefix("cab-failure-")
        for mark in notes.marks
        for name in mark.classes.split()
        if name.startswith("cab-failure-")
    ]


# -- the legend under a table ------------------------------------------------------------------


def legend_text(board: Board) -> str:
    """What the marks and intervals of a table mean, said once below it: the estimator of each
    score column, the not-recorded and not-applicable marks where they occur, the rank rule,
    and why key fields are missing."""
    # an overview names its one estimator in the overview definition
    parts = [DEFINITIONS["overview"] if board.group == "overview" else _estimators_text(board)]
    if board.group == "overview" and any(column.name == "rank" for column in board.columns):
        parts.append(DEFINITIONS["rank"])
    if board.has_missing_scores:
        parts.append(f"{MISSING_MARK} in a score: {MARK_MEANINGS[MISSING_MARK]}.")
    if _has_not_applicable(board):
        parts.append(
            f"{NOT_APPLICABLE_MARK}: {MARK_MEANINGS[NOT_APPLICABLE_MARK]} (a refusal score on "
            f"tasks that expect no refusal; Stays of a cell with fewer than {STAYS_MIN_RUNS} "
            "runs)."
        )
    kinds = {kind for row in board.rows if row.notes for kind in _kinds(row.notes)}
    parts.append(failure_legend(kinds, board.failures, bool(kinds)))
    exploits = [m for row in board.rows if row.notes for m in row.notes.marks if m.exploit]
    parts.append(
        exploit_legend(
            any("cab-exploit-live" in m.classes for m in exploits),
            any("cab-exploit-patched" in m.classes for m in exploits),
            board.group == "overview",
        )
    )
    if board.missing_notes:
        fields = "; ".join(
            f"{FIELD_BY_NAME[name].label} ({name}, {FIELD_BY_NAME[name].flag}): {why}"
            for name, why in board.missing_notes
        )
        parts.append(
            f"Some cells did not record every key field: they show {MISSING_MARK} for it, and "
            f"their reproduce command leaves its flag out, so a rerun may differ there. {fields}."
        )
    return " ".join(part for part in parts if part)


def _estimators_text(board: Board) -> str:
    """ "Intervals are 95%: headline, Costs: Student-t ...; Ships: Wilson ..." for the score
    columns shown (one estimator for every column of an overview)."""
    by_estimator: dict[str, list[str]] = {}
    for column in board.columns:
        metric = METRICS.get(column.name)
        if metric is not None:
            name = metric.estimator_name(board.group == "overview")
            by_estimator.setdefault(name, []).append(metric.label)
    if not by_estimator:
        return ""
    return (
        "Intervals are 95%. "
        + "; ".join(f"{', '.join(labels)}: {name}" for name, labels in by_estimator.items())
        + "."
    )


def _has_not_applicable(board: Board) -> bool:
    return any(
        text.startswith(NOT_APPLICABLE_MARK)
        for row in board.rows
        for text, column in zip(row.texts, board.columns, strict=True)
        if column.metric
    )
