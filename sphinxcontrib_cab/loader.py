"""Read and validate the four sources of a snapshot into an immutable :class:`Snapshot`.

Every record is validated against :mod:`sphinxcontrib_cab.models`. A record that does not fit is
left out, counted, and reported as a :class:`Problem` located at its file and line, in words a data
author understands; nothing here raises on bad data.

Run rows are validated straight from the bytes of each JSONL line (no ``json.loads`` first) and
stored column-wise in a :class:`RunTable`, so a million rows never exist as a million objects.
:func:`load_snapshot_cached` keeps one parsed snapshot per source set in this process, keyed on the
sha256 of every file, so unchanged data is not parsed again.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import itertools
import json
import math
import operator
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from . import aggregate, checks
from .digest import digest_files, snapshot_digest, snapshot_files
from .digest import inside as _inside
from .models import FAILURES, Exploit, Meta, RunRecord, Task
from .snapshot import (
    AXES,
    NOT_APPLICABLE_CODE,
    CellKey,
    Digest,
    Problem,
    RunTable,
    Snapshot,
    SourcePaths,
    format_timestamp,
)
from .warnings_ import Subtype

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

_Model = TypeVar("_Model", bound=BaseModel)

BOM = b"\xef\xbb\xbf"
MAX_PROBLEMS_PER_FILE = 50
"""Further problems of one file are summed up in one last warning instead of listed."""

_NAIVE_EPOCH = dt.datetime(1970, 1, 1)
_ONE_MICROSECOND = dt.timedelta(microseconds=1)


def _in_zone(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """``moment`` expressed in ``zone`` (``None``: naive UTC), same instant."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    if zone is None:
        return aware.astimezone(dt.UTC).replace(tzinfo=None)
    return aware.astimezone(zone)


def _zone(moment: dt.datetime) -> tuple[dt.tzinfo | None, dt.datetime, int]:
    """The tzinfo of ``moment``, the epoch in it, and its UTC offset in microseconds.

    A timestamp without a zone is taken as UTC, as the data contract says all times are.
    """
    zone = moment.tzinfo
    offset = moment.utcoffset()
    offset_us = offset // _ONE_MICROSECOND if offset is not None else 0
    return zone, _NAIVE_EPOCH.replace(tzinfo=zone), offset_us


_NAN = math.nan

SHA_FIELDS = frozenset({"prompt_sha256", "stdout_sha256", "grade_sha256", "tui_image_sha"})


# --------------------------------------------------------------------------- problem log


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


# --------------------------------------------------------------------------- positions


@dataclass
class Position:
    """The line of a value in a JSON or YAML document, and the positions of its children."""

    line: int
    children: dict[str | int, Position] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int:
        """Line of the deepest part of ``loc`` that exists (the parent for a missing field)."""
        here = self
        for part in loc:
            child = here.children.get(part)
            if child is None:
                break
            here = child
        return here.line


class _JsonPositions:
    """Walks already valid JSON text and records the line of every value and key."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.decoder = json.JSONDecoder()

    def line_at(self, index: int) -> int:
        return bisect.bisect_left(self.newlines, index) + 1

    def _skip(self, index: int) -> int:
        text = self.text
        while index < len(text) and text[index] in " \t\r\n":
            index += 1
        return index

    def walk(self, index: int) -> tuple[Position, int]:
        text = self.text
        index = self._skip(index)
        position = Position(self.line_at(index))
        opener = text[index]
        if opener not in "{[":
            _, end = self.decoder.raw_decode(text, index)
            return position, end
        closer = "}" if opener == "{" else "]"
        index = self._skip(index + 1)
        count = 0
        while text[index] != closer:
            name: str | int = count
            if opener == "{":
                key_line = self.line_at(index)
                name, index = self.decoder.raw_decode(text, index)
                index = self._skip(index) + 1  # the colon
                child, index = self.walk(index)
                position.children[name] = Position(key_line, child.children)
            else:
                child, index = self.walk(index)
                position.children[name] = child
            count += 1
            index = self._skip(index)
            if text[index] == ",":
                index = self._skip(index + 1)
        return position, index + 1


def _yaml_positions(node: yaml.Node) -> Position:
    position = Position(node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = _yaml_positions(value_node)
            position.children[str(key_node.value)] = Position(
                key_node.start_mark.line + 1, child.children
            )
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            position.children[i] = _yaml_positions(item)
    return position


# --------------------------------------------------------------------------- error wording


def _show(value: Any) -> str:
    text = (
        json.dumps(value, ensure_ascii=False, default=str)
        if not isinstance(value, bytes)
        else repr(value)
    )
    return text if len(text) <= 60 else text[:57] + "..."


def _field_name(loc: Sequence[str | int]) -> tuple[tuple[str | int, ...], str]:
    """Drop pydantic's union-member parts (``literal[0,1]``) and name the field ``scores.pass``."""
    parts = tuple(
        p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))
    )
    name = ".".join(str(p) for p in parts)
    return parts, name


def describe_errors(
    error: ValidationError, kind: str
) -> list[tuple[Subtype, str, tuple[str | int, ...]]]:
    """Turn a pydantic error into (subtype, message, field path) items, one per field."""
    by_field: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for item in error.errors(include_url=False):
        parts, _ = _field_name(item["loc"])
        by_field.setdefault(parts, []).append(dict(item))
    described = []
    for parts, items in by_field.items():
        subtype, message = _describe_field(parts, items, kind)
        described.append((subtype, message, parts))
    return described


def _describe_field(
    parts: tuple[str | int, ...], items: list[dict[str, Any]], kind: str
) -> tuple[Subtype, str]:
    first = items[0]
    kind_of_error = first["type"]
    name = ".".join(str(p) for p in parts)
    got = first.get("input")
    if kind_of_error == "json_invalid":
        detail = str(first.get("ctx", {}).get("error", first["msg"]))
        # A JSONL record is one line: pydantic's "line 1 column N" is just "column N" to the author.
        detail = detail.replace(" at line 1 column ", " at column ")
        return Subtype.json, f"not valid JSON: {detail}"
    if not parts:
        if kind_of_error in ("model_type", "dict_type"):
            return (
                Subtype.record,
                f"expected a JSON object with the {kind} fields, got {_show(got)}",
            )
        message = str(first["msg"]).removeprefix("Value error, ")
        subtype = Subtype.date if "date" in message else Subtype.record
        return subtype, message
    if kind_of_error == "missing":
        return Subtype.record, f"required field '{name}' is missing"
    if kind_of_error == "extra_forbidden":
        return (
            Subtype.record,
            f"unknown field '{name}': the data contract has no such field (a typo?)",
        )
    last = parts[-1]
    if kind_of_error == "string_pattern_mismatch" and last in SHA_FIELDS:
        form = (
            "'sha256:' and 64 lowercase hex digits"
            if last == "tui_image_sha"
            else "64 lowercase hex digits"
        )
        return Subtype.sha256, f"'{name}' is not a sha256 digest ({form}): got {_show(got)}"
    if kind_of_error == "string_pattern_mismatch" and kind == "task" and parts == ("id",):
        return Subtype.record, (
            "'id' must be <category>/<slug>, with category integrity, mutations or polyglot and a "
            f"slug of lowercase letters, digits and hyphens: got {_show(got)}"
        )
    if kind_of_error.startswith(("date", "datetime")):
        if kind_of_error.startswith("datetime"):
            form = "an ISO-8601 timestamp such as 2026-05-27T09:00:00.000000Z"
        else:
            form = "an ISO-8601 date such as 2026-05-27"
        reason = first.get("ctx", {}).get("error")
        because = f" ({reason})" if reason else ""
        return Subtype.date, f"'{name}' is not {form}: got {_show(got)}{because}"
    if kind_of_error == "literal_error":
        expected = " or ".join(str(i.get("ctx", {}).get("expected", "")) for i in items)
        return Subtype.record, f"'{name}' must be {expected}: got {_show(got)}"
    message = str(first["msg"]).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    return Subtype.record, f"'{name}': {message}: got {_show(got)}"


# --------------------------------------------------------------------------- text files


class _Display:
    """Shows paths relative to a base folder (conf.py's folder or the working directory)."""

    def __init__(self, base: Path | None) -> None:
        self.base = base.resolve() if base is not None else None

    def __call__(self, path: Path) -> str:
        resolved = path.resolve()
        if self.base is not None:
            try:
                return resolved.relative_to(self.base).as_posix()
            except ValueError:
                pass
        return resolved.as_posix()


def _read_text(path: Path, shown: str, log: ProblemLog, what: str) -> str | None:
    """The UTF-8 text of ``path`` without a BOM, or ``None`` (with a problem) when unusable."""
    raw = path.read_bytes()
    if not raw.strip():
        log.add(
            Subtype.json if what != "YAML" else Subtype.yaml,
            f"the file is empty; expected {_EXPECTED[what]}",
            shown,
        )
        return None
    if raw.startswith(BOM):
        log.add(
            Subtype.encoding,
            "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM "
            "(read anyway)",
            shown,
            1,
        )
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        log.add(
            Subtype.encoding,
            f"the file is not UTF-8 text: byte 0x{raw[error.start]:02x} cannot be decoded; "
            "nothing was read from it",
            shown,
            line,
        )
        return None


_EXPECTED = {
    "tasks": "a JSON array of tasks",
    "meta": "a JSON object with the methodology pin",
    "YAML": "a YAML mapping with an 'exploits' list",
}


def _json_problem(error: json.JSONDecodeError, shown: str, log: ProblemLog) -> None:
    log.add(
        Subtype.json, f"not valid JSON: {error.msg} at column {error.colno}", shown, error.lineno
    )


# --------------------------------------------------------------------------- tasks.json


@dataclass(frozen=True)
class Located:
    """Records that were read, each with the position tree of its source text."""

    shown: str
    positions: dict[str, Position]

    def first_of(
        self, record_id: str, position: Position, kind: str, source: str, log: ProblemLog
    ) -> bool:
        """Note where ``record_id`` is; ``False``, with a duplicate warning, when it already was."""
        first = self.positions.get(record_id)
        if first is not None:
            log.add(
                Subtype.duplicate,
                f"{kind} '{record_id}' appears twice in {source} (first at line {first.line}); "
                "this entry is left out",
                self.shown,
                position.line,
            )
            return False
        self.positions[record_id] = position
        return True

    def at(self, record_id: str, *loc: str | int) -> str:
        position = self.positions.get(record_id)
        if position is None:
            return self.shown
        return f"{self.shown}:{position.line_of(loc)}"


def read_tasks(path: Path, shown: str, log: ProblemLog) -> tuple[tuple[Task, ...], Located, int]:
    """The task catalogue: valid tasks, their positions and how many entries were left out."""
    text = _read_text(path, shown, log, "tasks")
    located = Located(shown, {})
    if text is None:
        return (), located, 0
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        _json_problem(error, shown, log)
        return (), located, 0
    walker = _JsonPositions(text)
    root, _ = walker.walk(0)
    if not isinstance(document, list):
        log.add(
            Subtype.record,
            f"expected a JSON array of tasks, got a JSON {type(document).__name__}",
            shown,
            root.line,
        )
        return (), located, 0
    tasks: list[Task] = []
    rejected = 0
    for index, entry in enumerate(document):
        position = root.children[index]
        task = _validate(Task, entry, "task", position, shown, log)
        if task is None:
            rejected += 1
            continue
        if not located.first_of(task.id, position, "task", "the catalogue", log):
            rejected += 1
            continue
        tasks.append(task)
    return tuple(tasks), located, rejected


def _validate(
    model: type[_Model], data: Any, kind: str, position: Position, shown: str, log: ProblemLog
) -> _Model | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for subtype, message, parts in describe_errors(error, kind):
            log.add(subtype, f"{kind} left out: {message}", shown, position.line_of(parts))
        return None


# --------------------------------------------------------------------------- _catalog.yaml

_PYTHON_TAG = "tag:yaml.org,2002:python/"


def _python_tags(node: yaml.Node) -> list[yaml.Node]:
    found = [node] if node.tag.startswith(_PYTHON_TAG) else []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            found += _python_tags(key_node) + _python_tags(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _python_tags(item)
    return found


def _single_node(loader_class: Any, text: str) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return node


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree (``None`` when empty); raises :class:`yaml.YAMLError`.

    libyaml's safe parser composes it when PyYAML has one (over ten times faster than the
    pure-Python parser); on any error the pure-Python parser runs again, because the warnings
    quote its messages.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return _single_node(fast, text)
        except yaml.YAMLError:
            pass
    return _single_node(yaml.SafeLoader, text)


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read_exploits(
    path: Path, shown: str, log: ProblemLog
) -> tuple[tuple[Exploit, ...], Located, int]:
    """The exploit ledger, read with PyYAML's safe loader only."""
    text = _read_text(path, shown, log, "YAML")
    located = Located(shown, {})
    if text is None:
        return (), located, 0
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as error:
        message, line = _yaml_error(error)
        log.add(Subtype.yaml, message, shown, line)
        return (), located, 0
    except yaml.YAMLError as error:
        log.add(Subtype.yaml, f"not valid YAML: {error}", shown)
        return (), located, 0
    if root is None:
        log.add(
            Subtype.yaml,
            "the file is empty; expected a YAML mapping with an 'exploits' list",
            shown,
        )
        return (), located, 0
    entries = _exploit_entries(root, shown, log)
    if entries is None:
        return (), located, 0
    exploits: list[Exploit] = []
    rejected = 0
    for node in entries:
        position = _yaml_positions(node)
        tagged = _python_tags(node)
        if tagged:
            for bad in tagged:
                log.add(
                    Subtype.yaml,
                    f"exploit left out: the tag '{_short_tag(bad.tag)}' asks for a Python object; "
                    "the ledger is read with a safe loader, which refuses such tags",
                    shown,
                    bad.start_mark.line + 1,
                )
            rejected += 1
            continue
        try:
            data = _construct(node)
        except yaml.YAMLError as error:
            log.add(Subtype.yaml, f"exploit left out: {error}", shown, position.line)
            rejected += 1
            continue
        exploit = _validate(Exploit, data, "exploit", position, shown, log)
        if exploit is None:
            rejected += 1
            continue
        if not located.first_of(exploit.id, position, "exploit", "the ledger", log):
            rejected += 1
            continue
        exploits.append(exploit)
    return tuple(exploits), located, rejected


def _yaml_error(error: yaml.MarkedYAMLError) -> tuple[str, int | None]:
    """Message and line of a YAML syntax error: where the construct began, and what went wrong."""
    problem = error.problem or "syntax error"
    if error.context and error.context_mark is not None:
        where = error.context_mark.line + 1
        message = f"not valid YAML: {error.context} (line {where}), {problem}"
        if error.problem_mark is not None:
            message += f" at line {error.problem_mark.line + 1}"
        return message, where
    line = error.problem_mark.line + 1 if error.problem_mark is not None else None
    return f"not valid YAML: {problem}", line


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:")


def _exploit_entries(root: yaml.Node, shown: str, log: ProblemLog) -> list[yaml.Node] | None:
    line = root.start_mark.line + 1
    if root.tag.startswith(_PYTHON_TAG):
        log.add(
            Subtype.yaml,
            f"the tag '{_short_tag(root.tag)}' asks for a Python object; "
            "the safe loader refuses it",
            shown,
            line,
        )
        return None
    if not isinstance(root, yaml.MappingNode):
        log.add(Subtype.record, "expected a YAML mapping with an 'exploits' list", shown, line)
        return None
    entries: list[yaml.Node] | None = None
    for key_node, value_node in root.value:
        if key_node.value != "exploits":
            log.add(
                Subtype.record,
                f"unknown top-level key '{key_node.value}': the ledger holds only 'exploits'",
                shown,
                key_node.start_mark.line + 1,
            )
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            log.add(
                Subtype.record,
                "'exploits' must be a list of exploit entries",
                shown,
                value_node.start_mark.line + 1,
            )
            return None
        entries = list(value_node.value)
    if entries is None:
        log.add(Subtype.record, "required key 'exploits' is missing", shown, line)
        return None
    return entries


# --------------------------------------------------------------------------- meta.json


def read_meta(path: Path, shown: str, log: ProblemLog) -> tuple[Meta | None, Located]:
    """The methodology pin, or ``None`` when it cannot be used."""
    text = _read_text(path, shown, log, "meta")
    located = Located(shown, {})
    if text is None:
        return None, located
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        _json_problem(error, shown, log)
        return None, located
    root, _ = _JsonPositions(text).walk(0)
    located.positions["meta"] = root
    meta = _validate(Meta, document, "meta.json", root, shown, log)
    return meta, located


def json_location(path: Path, shown: str, loc: Sequence[str | int]) -> str:
    """``"shown:line"`` of the value at ``loc`` in a JSON file, or ``shown`` when unreadable."""
    try:
        text = path.read_bytes().removeprefix(BOM).decode("utf-8")
        json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return shown
    root, _ = _JsonPositions(text).walk(0)
    return f"{shown}:{root.line_of(loc)}"


# --------------------------------------------------------------------------- run records

_BATCH_ROWS = 100
"""Run lines validated, then appended to the table columns, together (measured: the records of
a larger batch fall out of the CPU caches before their columns are filled)."""

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
_TZINFO = attrgetter("tzinfo")
_FIRST = itemgetter(0)
_EXIT_CODE = attrgetter("exit_code")
_FAILURE = attrgetter("failure")
_FAILURE_CODE = {name: code for code, name in enumerate(FAILURES)}
_DIGESTS = attrgetter("prompt_sha256", "stdout_sha256", "grade_sha256")
_SCORES = attrgetter("scores")
_SCORE_GETTERS = tuple((axis, attrgetter("pass_" if axis == "pass" else axis)) for axis in AXES)


def _batch_records(lines: list[bytes]) -> list[RunRecord] | None:
    """Every line validated, or ``None`` when any line needs a closer look.

    The lines are validated as one JSON array, ``[line,line,...]``: one call into pydantic per
    batch instead of one per line halves the cost per row (measured in ``bench/``). Joining must
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
    values: list[str] = list(map(attrgetter(name), records))
    for value in dict.fromkeys(values):
        if value not in index:
            index[value] = len(names)
            names.append(value)
    return list(map(index.__getitem__, values))


class _RunReader:
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
        self._zone: tuple[dt.tzinfo | None, dt.datetime, int] = (None, _NAIVE_EPOCH, 0)

    def forget_keys(self) -> None:
        """Drop the lookup from key fields to key ids once every file is read (it is large)."""
        self._key_index = {}
        self._sweep_index = {}
        self._version_index = {}

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
        self._zone = (None, _NAIVE_EPOCH, 0)
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
        starts: list[dt.datetime] = list(map(_STARTED, records))
        ends: list[dt.datetime] = list(map(_ENDED, records))
        zones = set(map(_TZINFO, starts))
        zones.update(map(_TZINFO, ends))
        if len(zones) == 1:
            zone = zones.pop()
            if zone is not self._zone[0]:
                self._zone = _zone(starts[0])
            _, epoch, offset_us = self._zone
            one_us = _ONE_MICROSECOND
            # Same tzinfo object on both sides: datetime subtracts wall clocks without calling
            # utcoffset(), which is the slow part; the zone's fixed offset is applied once.
            started_column = [(moment - epoch) // one_us - offset_us for moment in starts]
            ended_column = [(moment - epoch) // one_us - offset_us for moment in ends]
        else:
            started_column, ended_column = self._mixed_times(starts, ends)
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

    def _mixed_times(
        self, starts: list[dt.datetime], ends: list[dt.datetime]
    ) -> tuple[list[int], list[int]]:
        """:meth:`_times` for records whose timestamps do not all share one tzinfo."""
        zone, zone_epoch, zone_offset_us = self._zone
        one_us = _ONE_MICROSECOND
        started_column: list[int] = []
        ended_column: list[int] = []
        for started, ended in zip(starts, ends, strict=True):
            if started.tzinfo is not zone or ended.tzinfo is not zone:
                if started.tzinfo is not ended.tzinfo:
                    ended = _in_zone(ended, started.tzinfo)
                zone, zone_epoch, zone_offset_us = _zone(started)
            started_column.append((started - zone_epoch) // one_us - zone_offset_us)
            ended_column.append((ended - zone_epoch) // one_us - zone_offset_us)
        self._zone = (zone, zone_epoch, zone_offset_us)
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


# --------------------------------------------------------------------------- the snapshot


def _check_sources(sources: SourcePaths, display: _Display, log: ProblemLog) -> bool:
    """Report missing sources and sources outside the root; ``False`` when nothing can be read."""
    root = sources.root
    if not root.is_dir():
        log.add(
            Subtype.source, f"the snapshot folder {display(root)} does not exist", display(root)
        )
        return False
    for label, path in (
        ("run-record folder", sources.runs),
        ("task catalogue", sources.tasks),
        ("exploit ledger", sources.exploits),
        ("methodology pin", sources.meta),
    ):
        if not _inside(path, root):
            log.add(
                Subtype.source,
                f"the {label} {display(path)} is outside the snapshot folder {display(root)}; "
                "it was not read",
                display(path),
            )
        elif label == "run-record folder" and not path.is_dir():
            log.add(Subtype.source, f"the {label} {display(path)} does not exist", display(path))
        elif label == "run-record folder" and not any(path.glob("*.jsonl")):
            log.add(
                Subtype.source, f"the {label} {display(path)} holds no *.jsonl files", display(path)
            )
        elif label != "run-record folder" and not path.is_file():
            log.add(Subtype.source, f"the {label} {display(path)} does not exist", display(path))
    return True


def load_snapshot(
    sources: SourcePaths,
    *,
    display_base: Path | None = None,
    name: str | None = None,
    digest: Digest | None = None,
) -> Snapshot:
    """Read, validate, cross-check and aggregate one snapshot. Never raises on bad data."""
    global _PARSES
    _PARSES += 1
    # Loading creates millions of objects that all stay alive; the cyclic collector would walk
    # them again and again for nothing (nothing here makes reference cycles), so pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(sources, display_base=display_base, name=name, digest=digest)
    finally:
        if collecting:
            gc.enable()


def _load(
    sources: SourcePaths,
    *,
    display_base: Path | None,
    name: str | None,
    digest: Digest | None,
) -> Snapshot:
    display = _Display(display_base)
    log = ProblemLog()
    readable = _check_sources(sources, display, log)
    root = sources.root

    def usable(path: Path) -> bool:
        return readable and _inside(path, root) and path.is_file()

    tasks_shown = display(sources.tasks)
    tasks: tuple[Task, ...] = ()
    if usable(sources.tasks):
        no_tasks: tuple[tuple[Task, ...], Located, int] = ((), Located(tasks_shown, {}), 0)
        tasks, _, _ = _guarded(
            log, tasks_shown, no_tasks, read_tasks, sources.tasks, tasks_shown, log
        )
    exploits_shown = display(sources.exploits)
    exploits: tuple[Exploit, ...] = ()
    exploit_places = Located(exploits_shown, {})
    if usable(sources.exploits):
        no_exploits: tuple[tuple[Exploit, ...], Located, int] = ((), exploit_places, 0)
        exploits, exploit_places, _ = _guarded(
            log, exploits_shown, no_exploits, read_exploits, sources.exploits, exploits_shown, log
        )
    meta_shown = display(sources.meta)
    meta: Meta | None = None
    meta_places = Located(meta_shown, {})
    if usable(sources.meta):
        no_meta: tuple[Meta | None, Located] = (None, meta_places)
        meta, meta_places = _guarded(
            log, meta_shown, no_meta, read_meta, sources.meta, meta_shown, log
        )

    reader = _RunReader(log)
    run_files = []
    if readable and _inside(sources.runs, root) and sources.runs.is_dir():
        run_files = sorted(p for p in sources.runs.glob("*.jsonl") if p.is_file())
    for path in run_files:
        shown = display(path)
        _guarded(log, shown, None, reader.read, path, shown)
    table = reader.table
    reader.forget_keys()

    task_index = {t.id: t for t in tasks}

    def category_of(task_id: str) -> str:
        task = task_index.get(task_id)
        return task.category if task is not None else task_id.split("/", 1)[0]

    cells = aggregate.build_cells(table, reader.rows_by_key, category_of)
    cell_index = {cell.key: i for i, cell in enumerate(cells)}

    for problem in checks.run_checks(
        table=table,
        rows_by_key=reader.rows_by_key,
        tasks=task_index,
        tasks_shown=tasks_shown,
        meta=meta,
        meta_places=meta_places,
        exploits=exploits,
        exploit_places=exploit_places,
        rows_rejected=reader.rejected,
        runs_shown=display(sources.runs),
    ):
        log.add(problem.subtype, problem.message, *_split_location(problem.location))
    exploit_cells, exploit_problems = checks.match_exploits(exploits, cells, exploit_places)
    for problem in exploit_problems:
        log.add(problem.subtype, problem.message, *_split_location(problem.location))

    files = tuple(snapshot_files(sources)) if readable else ()
    if digest is None:
        digest = digest_files(files, root)
    snapshot_name = meta.snapshot_date.isoformat() if meta is not None else (name or root.name)
    return Snapshot(
        name=snapshot_name,
        sources=sources,
        meta=meta,
        tasks=tasks,
        exploits=exploits,
        runs=table,
        cells=cells,
        exploit_cells=exploit_cells,
        digest=digest,
        rows_read=len(table),
        rows_rejected=reader.rejected,
        problems=log.finish(),
        files=files,
        _task_index=task_index,
        _cell_index=cell_index,
    )


_Result = TypeVar("_Result")


def _guarded(
    log: ProblemLog, shown: str, fallback: _Result, read: Callable[..., _Result], *args: Any
) -> _Result:
    """Run one reader; a file that cannot be opened or read becomes a ``cab.source`` problem."""
    try:
        return read(*args)
    except OSError as error:
        log.add(Subtype.source, f"the file could not be read: {error.strerror or error}", shown)
        return fallback


def _split_location(location: str) -> tuple[str, int | None]:
    path, _, line = location.rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return location, None


# --------------------------------------------------------------------------- cache

_PARSES = 0
_CACHE: dict[tuple[SourcePaths, str | None], tuple[str, Snapshot]] = {}


def parse_count() -> int:
    """How many times this process parsed a snapshot (cache hits do not count)."""
    return _PARSES


def load_snapshot_cached(
    sources: SourcePaths, *, display_base: Path | None = None, name: str | None = None
) -> Snapshot:
    """:func:`load_snapshot`, reusing the last result while every file's sha256 is unchanged.

    The cache keeps one snapshot per source set and display base, keyed on file contents (not
    modification times, which copies and archives do not preserve).
    """
    digest = snapshot_digest(sources)
    cache_key = (sources, str(display_base.resolve()) if display_base is not None else None)
    cached = _CACHE.get(cache_key)
    if cached is not None and cached[0] == digest.combined:
        return cached[1]
    snapshot = load_snapshot(sources, display_base=display_base, name=name, digest=digest)
    _CACHE[cache_key] = (digest.combined, snapshot)
    return snapshot


def clear_cache() -> None:
    _CACHE.clear()


source_paths = SourcePaths.under
"""The :class:`SourcePaths` of a snapshot at a root, with the given sub-paths."""


__all__ = [
    "ProblemLog",
    "clear_cache",
    "json_location",
    "load_snapshot",
    "load_snapshot_cached",
    "parse_count",
    "snapshot_files",
    "source_paths",
]
