"""Reader of the JSONL run records into one column-wise :class:`RunTable`.

Run rows are validated straight from the bytes of each line (no ``json.loads`` first) and stored
column-wise, so a million rows never exist as a million objects.
"""

from __future__ import annotations

import itertools
import math
import operator
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from .contract import RunRecord
from .model import AXES, NOT_APPLICABLE_CODE, CellKey, RunTable, format_timestamp
from .positions import BOM
from .problems import ProblemLog, Subtype
from .timestamps import EpochClock
from .vocabulary import FAILURES
from .wording import describe_errors

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

_NAN = math.nan

_BATCH_ROWS = 100
"""Run lines validated, then appended to the table columns, together: the records of a much
larger batch fall out of the CPU caches before their columns are filled."""

_RECORD_ENDS = (b"}\n", b"}\r\n", b"}")
_VALIDATE_RUNS = TypeAdapter(list[RunRecord]).validate_json
_IDENTITY = attrgetter(
    "tui",
    "behavior_mode",
    "model",
    "task",
    "plugin_stack",
    "tui_image_sha",
    "model_endpoint_sha",
    "sampling_profile",
    "task_added_date",
)
_RERUN = attrgetter("rerun")
_STARTED = attrgetter("started_at")
_ENDED = attrgetter("ended_at")
_FIRST = itemgetter(0)
_EXIT_CODE = attrgetter("exit_code")
_FAILURE = attrgetter("failure")
_FAILURE_DETAIL = attrgetter("failure_detail")
_FAILURE_CODE = {name: code for code, name in enumerate(FAILURES)}
_DIGESTS = attrgetter("prompt_sha256", "stdout_sha256", "grade_sha256")
_SCORES = attrgetter("scores")
_SCORE_GETTERS = tuple((axis, attrgetter("pass_" if axis == "pass" else axis)) for axis in AXES)


def _batch_records(lines: list[bytes]) -> list[RunRecord] | None:
    """Every line validated, or ``None`` when any line needs a closer look.

    The lines are validated as one JSON array, ``[line,line,...]``: one call into pydantic per
    batch instead of one per line is much cheaper per row. Joining must
    not let a record straddle two lines, so the batch is only accepted when each line starts with
    ``{``, ends with ``}`` (then its newline), and the array holds exactly one record per line.
    Then no record can span a comma we insert: after it, inside an object, JSON requires a key,
    not ``{``; inside a string, the line's own newline would be a raw control character; and no
    run-record field accepts an array (a test keeps it so). So each line is exactly one record.
    """
    for line in lines:
        if not line.startswith(b"{") or not line.endswith(_RECORD_ENDS):
            return None
    try:
        records = _VALIDATE_RUNS(b"[" + b",".join(lines) + b"]")
    except ValidationError:
        return None
    return records if len(records) == len(lines) else None


def _position(kept_index: int, dropped: list[int]) -> int:
    """Position in the batch of its ``kept_index``-th kept record, given the dropped positions."""
    position = kept_index
    for gone in dropped:
        if gone <= position:
            position += 1
    return position


def _cell_key(identity: tuple[Any, ...]) -> CellKey:
    tui, mode, model, task, stack, image, endpoint, sampling, added = identity
    day = added.isoformat() if added is not None else None
    return CellKey(tui, mode, model, task, stack, image, endpoint, sampling, day)


def _interned(
    records: list[RunRecord], name: str, index: dict[str, int], names: list[str]
) -> list[int]:
    """Index into ``names`` of each record's ``name`` field, adding new values in row order."""
    return _interned_values(list(map(attrgetter(name), records)), index, names)


def _interned_values(values: list[str], index: dict[str, int], names: list[str]) -> list[int]:
    """Index into ``names`` of each value, adding new values in order."""
    for value in dict.fromkeys(values):
        if value not in index:
            index[value] = len(names)
            names.append(value)
    return list(map(index.__getitem__, values))


class RunReader:
    """Reads JSONL run files into one :class:`RunTable`, one validated line at a time."""

    def __init__(self, log: ProblemLog) -> None:
        self.log = log
        self.table = RunTable()
        self.table.failure_names = FAILURES
        self.rows_by_key: list[list[int]] = []
        self.rejected = 0
        self._key_index: dict[tuple[Any, ...], int] = {}
        self._sweep_index: dict[str, int] = {}
        self._version_index: dict[str, int] = {}
        self._detail_index: dict[str, int] = {"": 0}
        self._clock = EpochClock()

    def forget_keys(self) -> None:
        """Drop the lookup from key fields to key ids once every file is read (it is large)."""
        self._key_index = {}
        self._sweep_index = {}
        self._version_index = {}
        self._detail_index = {"": 0}

    def read(self, path: Path, shown: str) -> None:
        """Append the valid rows of one JSONL file; problems go to the log."""
        table = self.table
        file_id = len(table.file_names)
        table.file_names.append(shown)
        saw_line = False
        with path.open("rb") as handle:
            first = handle.readline()
            if first.startswith(BOM):
                self.log.add(
                    Subtype.encoding,
                    "the file starts with a UTF-8 byte-order mark; save it as UTF-8 "
                    "without BOM (read anyway)",
                    shown,
                    1,
                )
                first = first[len(BOM) :]
            saw_line = self._rows(itertools.chain((first,), handle), file_id, shown)
        if not saw_line:
            self.log.add(Subtype.json, "the file is empty: it holds no run rows", shown)

    def _rows(self, lines: Iterable[bytes], file_id: int, shown: str) -> bool:
        """Validate and append the lines in small batches; ``True`` when one was not blank."""
        saw_line = False
        self._clock.reset()
        next_number = 1
        remaining = iter(lines)
        for chunk in iter(lambda: list(itertools.islice(remaining, _BATCH_ROWS)), []):
            first = next_number
            next_number += len(chunk)
            records = _batch_records(chunk)
            if records is None:
                saw_line = self._one_by_one(chunk, first, file_id, shown) or saw_line
            else:
                saw_line = True
                self._add(list(range(first, next_number)), records, file_id, shown)
        return saw_line

    def _one_by_one(self, lines: list[bytes], first: int, file_id: int, shown: str) -> bool:
        """Validate each line alone (a batch that failed); ``True`` when any was not blank."""
        validate = RunRecord.__pydantic_validator__.validate_json
        saw_line = False
        for line_number, raw in enumerate(lines, first):
            if not raw or raw.isspace():
                continue
            saw_line = True
            try:
                # without its line ending, so a cut record is reported on its own line
                record = validate(raw.rstrip(b"\r\n"))
            except ValidationError as error:
                self.rejected += 1
                self._rejected_row(raw, error, line_number, shown)
                continue
            self._add([line_number], [record], file_id, shown)
        return saw_line

    def _add(self, numbers: list[int], records: list[RunRecord], file_id: int, shown: str) -> None:
        """Append valid records to the table, leaving out duplicates (warnings in line order)."""
        table = self.table
        notes: list[tuple[int, Subtype, str]] = []
        dropped = self._keys_and_reruns(numbers, records, shown, notes)
        if dropped:
            gone = set(dropped)
            records = [r for i, r in enumerate(records) if i not in gone]
            numbers = [n for i, n in enumerate(numbers) if i not in gone]
        if records:
            started_column, ended_column = self._times(numbers, records, notes)
        for line_number, subtype, message in sorted(notes, key=_FIRST):
            self.log.add(subtype, message, shown, line_number)
        if not records:
            return
        table.line.fromlist(numbers)
        table.started_us.fromlist(started_column)
        table.ended_us.fromlist(ended_column)
        table.file_id.extend(itertools.repeat(file_id, len(records)))
        kept = records
        table.sweep_id.fromlist(_interned(kept, "sweep_id", self._sweep_index, table.sweeps))
        table.version_id.fromlist(
            _interned(kept, "methodology_version", self._version_index, table.versions)
        )
        table.exit_code.fromlist(list(map(_EXIT_CODE, kept)))
        table.failure.fromlist(
            [-1 if failure is None else _FAILURE_CODE[failure] for failure in map(_FAILURE, kept)]
        )
        details = list(map(_FAILURE_DETAIL, kept))
        if any(details):
            table.failure_detail_id.fromlist(
                _interned_values(
                    [d or "" for d in details], self._detail_index, table.failure_details
                )
            )
        else:
            table.failure_detail_id.fromlist([0] * len(kept))
        table.hashes += bytes.fromhex("".join(itertools.chain.from_iterable(map(_DIGESTS, kept))))
        scores = list(map(_SCORES, kept))
        nan = _NAN
        columns = table.scores
        for axis, getter in _SCORE_GETTERS:
            if axis == "refusal":
                not_applicable = NOT_APPLICABLE_CODE
                columns[axis].fromlist(
                    [
                        nan if value is None else not_applicable if value == "n/a" else value
                        for value in map(getter, scores)
                    ]
                )
            else:
                columns[axis].fromlist(
                    [nan if value is None else value for value in map(getter, scores)]
                )

    def _keys_and_reruns(
        self,
        numbers: list[int],
        records: list[RunRecord],
        shown: str,
        notes: list[tuple[int, Subtype, str]],
    ) -> list[int]:
        """Append key id and rerun of each record that is no duplicate; positions left out."""
        table = self.table
        keys = table.keys
        key_index = self._key_index
        find_key = key_index.get
        rows_by_key = self.rows_by_key
        rerun_column = table.rerun
        add_rerun = rerun_column.append
        add_key = table.key_id.append
        base = next_row = len(rerun_column)
        dropped: list[int] = []
        for position, identity, rerun in zip(
            itertools.count(), map(_IDENTITY, records), map(_RERUN, records)
        ):
            key_id = find_key(identity)
            if key_id is None:
                key_id = key_index[identity] = len(keys)
                keys.append(_cell_key(identity))
                rows_by_key.append([next_row])
            else:
                rows = rows_by_key[key_id]
                for other in rows:
                    if rerun_column[other] == rerun:
                        break
                else:
                    other = -1
                if other >= 0:
                    dropped.append(position)
                    self.rejected += 1
                    where = (
                        table.location(other)
                        if other < base
                        else f"{shown}:{numbers[_position(other - base, dropped)]}"
                    )
                    notes.append(
                        (
                            numbers[position],
                            Subtype.duplicate,
                            f"duplicate run: rerun {rerun} of this cell already appears at "
                            f"{where}; this row is left out",
                        )
                    )
                    continue
                rows.append(next_row)
            add_key(key_id)
            add_rerun(rerun)
            next_row += 1
        return dropped

    def _times(
        self, numbers: list[int], records: list[RunRecord], notes: list[tuple[int, Subtype, str]]
    ) -> tuple[list[int], list[int]]:
        """Start and end of each record in microseconds since the epoch (UTC)."""
        started_column, ended_column = self._clock.columns(
            list(map(_STARTED, records)), list(map(_ENDED, records))
        )
        if not all(map(operator.le, started_column, ended_column)):
            for line_number, started_us, ended_us in zip(
                numbers, started_column, ended_column, strict=True
            ):
                if ended_us < started_us:
                    notes.append(
                        (
                            line_number,
                            Subtype.date,
                            f"ended_at {format_timestamp(ended_us)} is before started_at "
                            f"{format_timestamp(started_us)} (row kept)",
                        )
                    )
        return started_column, ended_column

    def _rejected_row(
        self, raw: bytes, error: ValidationError, line_number: int, shown: str
    ) -> None:
        described = describe_errors(error, "run record")
        if described and described[0][0] is Subtype.json:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as bad:
                self.log.add(
                    Subtype.encoding,
                    f"row left out: the line is not UTF-8 text (byte 0x{raw[bad.start]:02x} "
                    f"at column {bad.start + 1})",
                    shown,
                    line_number,
                )
                return
            if not raw.endswith(b"\n"):
                self.log.add(
                    Subtype.json,
                    "row left out: the last line is cut off (the file ends in the middle of a "
                    f"record, without a final newline): {described[0][1]}",
                    shown,
                    line_number,
                )
                return
        for subtype, message, _ in described:
            self.log.add(subtype, f"row left out: {message}", shown, line_number)
