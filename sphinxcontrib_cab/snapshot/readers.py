"""Readers of the JSON sources (task catalogue, methodology pin) and the text checks they share.

Each reader returns what it could validate and reports the rest to a :class:`ProblemLog`, located
at file and line; nothing here raises on bad data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from .contract import Exploit, Meta, Task
from .positions import (
    BOM,
    MAX_NESTING,
    JsonPositions,
    Position,
    json_nesting,
    line_of_offset,
)
from .problems import ProblemLog, Subtype
from .wording import describe_errors

if TYPE_CHECKING:
    from pathlib import Path

_Model = TypeVar("_Model", bound=BaseModel)
_Identified = TypeVar("_Identified", Task, Exploit)


def read_text(path: Path, shown: str, log: ProblemLog, what: str) -> str | None:
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


def json_problem(error: json.JSONDecodeError, shown: str, log: ProblemLog) -> None:
    log.add(
        Subtype.json, f"not valid JSON: {error.msg} at column {error.colno}", shown, error.lineno
    )


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


_UNUSABLE = object()


def parse_json(text: str, shown: str, log: ProblemLog) -> Any:
    """The document in ``text``, or ``_UNUSABLE`` with a located problem: not valid JSON, or
    nested deeper than :data:`~.positions.MAX_NESTING`."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        json_problem(error, shown, log)
        return _UNUSABLE
    except RecursionError:
        document = _UNUSABLE
    too_deep = json_nesting(text)
    if too_deep is not None:
        log.add(
            Subtype.json,
            f"the document is nested more than {MAX_NESTING} levels deep; nothing was read from it",
            shown,
            line_of_offset(text, too_deep),
        )
        return _UNUSABLE
    return document


def read_tasks(path: Path, shown: str, log: ProblemLog) -> tuple[tuple[Task, ...], Located, int]:
    """The task catalogue: valid tasks, their positions and how many entries were left out."""
    text = read_text(path, shown, log, "tasks")
    located = Located(shown, {})
    if text is None:
        return (), located, 0
    document = parse_json(text, shown, log)
    if document is _UNUSABLE:
        return (), located, 0
    walker = JsonPositions(text)
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
        task = first_valid(Task, entry, "task", root.children[index], located, log)
        if task is None:
            rejected += 1
        else:
            tasks.append(task)
    return tuple(tasks), located, rejected


_SOURCE_OF = {"task": "the catalogue", "exploit": "the ledger"}


def first_valid(
    model: type[_Identified],
    data: Any,
    kind: str,
    position: Position,
    located: Located,
    log: ProblemLog,
) -> _Identified | None:
    """The record, when it is valid and its id was not seen before in this file (else
    ``None``, with the problems logged)."""
    record = validate(model, data, kind, position, located.shown, log)
    if record is None or not located.first_of(record.id, position, kind, _SOURCE_OF[kind], log):
        return None
    return record


def validate(
    model: type[_Model], data: Any, kind: str, position: Position, shown: str, log: ProblemLog
) -> _Model | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for subtype, message, parts in describe_errors(error, kind):
            log.add(subtype, f"{kind} left out: {message}", shown, position.line_of(parts))
        return None


def read_meta(path: Path, shown: str, log: ProblemLog) -> tuple[Meta | None, Located]:
    """The methodology pin, or ``None`` when it cannot be used."""
    text = read_text(path, shown, log, "meta")
    located = Located(shown, {})
    if text is None:
        return None, located
    document = parse_json(text, shown, log)
    if document is _UNUSABLE:
        return None, located
    root, _ = JsonPositions(text).walk(0)
    located.positions["meta"] = root
    meta = validate(Meta, document, "meta.json", root, shown, log)
    return meta, located
