"""The leaderboard of a snapshot as CSV and JSON bytes: deterministic, tied to the snapshot's
receipt and to what computed the numbers (the extension's version, each metric's estimator).

Nothing here knows Sphinx: ``cab-downloads`` writes these bytes, and a pipeline can too.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from .failures import FAILURE_MODES
from .keys import KEY_FIELD_NAMES, MARK_MEANINGS, MISSING_MARK, NOT_APPLICABLE_MARK
from .metrics import CELL_METRICS, ESTIMATORS, METRICS
from .version import extension_version

if TYPE_CHECKING:
    from .failures import FailureMode
    from .model import Cell, Estimate, Snapshot


def columns() -> tuple[str, ...]:
    """The exported columns, in order."""
    estimate_columns = [
        f"{name}_{part}" for name in CELL_METRICS for part in ("mean", "low", "high")
    ]
    return (
        *KEY_FIELD_NAMES,
        "category",
        "methodology_version",
        "runs",
        "failed_runs",
        *estimate_columns,
    )


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


MARKS: dict[str, str] = {
    "null": "JSON null, an empty CSV field: " + MARK_MEANINGS[MISSING_MARK],
    NOT_APPLICABLE_MARK: f"'{NOT_APPLICABLE_MARK}' as the mean: "
    + MARK_MEANINGS[NOT_APPLICABLE_MARK]
    + " (a refusal score on a task that expects no refusal, Stays of a one-run cell)",
}
"""How a download writes the two marks that stand in for a value, as its receipt says: not
recorded and not applicable never look alike, and neither looks like a number."""


def _estimate_values(estimate: Estimate | None) -> tuple[float | str | None, ...]:
    if estimate is None:
        return (None, None, None)
    if estimate.gap is not None:
        return (NOT_APPLICABLE_MARK, None, None)
    return (_number(estimate.mean), _number(estimate.low), _number(estimate.high))


COLUMNS: tuple[str, ...] = columns()
_EXPORTED = tuple(METRICS[name] for name in CELL_METRICS)


def cell_values(cell: Cell) -> list[Any]:
    """One exported row's values in the order of :data:`COLUMNS`."""
    values: list[Any] = list(cell.key.values())
    values += [
        cell.category,
        cell.methodology_version,
        len(cell.runs),
        sum(count for _kind, count in cell.failures),
    ]
    for metric in _EXPORTED:
        values += _estimate_values(metric.estimate(cell))
    return values


def cell_record(cell: Cell) -> dict[str, Any]:
    """One exported row: key values, category, version, run counts and every estimate."""
    return dict(zip(COLUMNS, cell_values(cell), strict=True))


def receipt(snapshot: Snapshot, failures: FailureMode = "include") -> dict[str, Any]:
    """The receipt every download embeds, so a file can be matched to its snapshot and to what
    computed its numbers: the extension's version, each metric's estimator and how failed runs
    were counted (``failures``: the ``:failures:`` mode of the cells exported)."""
    meta = snapshot.meta
    return {
        "snapshot": snapshot.name,
        "methodology_version": meta.methodology_version if meta else None,
        "snapshot_date": meta.snapshot_date.isoformat() if meta else None,
        "source": meta.source if meta else None,
        "row_count": snapshot.rows_read,
        "snapshot_digest": snapshot.digest.combined,
        "extension_version": extension_version(),
        "estimators": dict(ESTIMATORS),
        "failed_runs": f"{failures}: {FAILURE_MODES[failures]}",
        "marks": dict(MARKS),
    }


def json_from_rows(
    snapshot: Snapshot, rows: list[list[Any]], failures: FailureMode = "include"
) -> bytes:
    head = json.dumps(
        {"receipt": receipt(snapshot, failures), "columns": list(COLUMNS)}, ensure_ascii=False
    )
    encoder = json.JSONEncoder(ensure_ascii=False)
    body = ",\n".join(encoder.encode(row) for row in rows)
    return (head[:-1] + ',\n"rows": [\n' + body + "\n]}\n").encode("utf-8")


def json_bytes(snapshot: Snapshot) -> bytes:
    """The leaderboard as JSON: ``{"receipt": {...}, "columns": [...], "rows": [[...], ...]}``,
    one row per cell with its values in the order of ``columns``, one row per line; the receipt
    names the snapshot, its digest, the extension's version and each metric's estimator."""
    return json_from_rows(snapshot, [cell_values(cell) for cell in snapshot.cells])


CSV_PROVENANCE: tuple[str, ...] = ("snapshot", "snapshot_digest", "extension_version", "failures")
"""Columns the CSV adds to every row, so a file found alone names its snapshot, the version that
computed it and whether failed runs count in its means (the ``:failures:`` mode; the estimators'
names are in the JSON's receipt only: a sentence per metric would be repeated on every row)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection")."""


def spreadsheet_safe(value: Any) -> Any:
    """A text value a spreadsheet would run as a formula, prefixed with ``'`` so it is shown as
    text (OWASP's advice); numbers, written by cab itself, stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_from_rows(
    snapshot: Snapshot, rows: list[list[Any]], failures: FailureMode = "include"
) -> bytes:
    buffer = io.StringIO()
    # One header row and data rows only: no comment lines that a value could break.
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow((*COLUMNS, *CSV_PROVENANCE))
    provenance = (snapshot.name, snapshot.digest.combined, extension_version(), failures)
    # the csv module writes None as an empty field and a float as its repr()
    writer.writerows([*map(spreadsheet_safe, row), *provenance] for row in rows)
    return buffer.getvalue().encode("utf-8")


def csv_bytes(snapshot: Snapshot) -> bytes:
    """The leaderboard as CSV: one header row, then one row per cell, each ending in the
    snapshot's name, its combined digest, the extension's version and ``include`` (failed runs
    count in the means); text a spreadsheet would run as a formula starts with ``'``."""
    return csv_from_rows(snapshot, [cell_values(cell) for cell in snapshot.cells])
