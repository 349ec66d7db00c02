"""Line numbers of values in JSON and YAML documents, so a problem names the line to fix."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

BOM = b"\xef\xbb\xbf"

MAX_NESTING = 64
"""The deepest nesting of lists and objects a source may have. The contract's records nest a
few levels; a limit keeps every walk over a document short and free of recursion errors."""

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_nesting(text: str) -> int | None:
    """The offset in ``text`` where JSON nesting first goes deeper than :data:`MAX_NESTING`,
    or ``None`` (strings are skipped whole, so brackets inside them do not count)."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return token.start()
        elif bracket in "]}":
            depth -= 1
    return None


def line_of_offset(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


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


class JsonPositions:
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


def yaml_positions(node: yaml.Node) -> Position:
    position = Position(node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = yaml_positions(value_node)
            position.children[str(key_node.value)] = Position(
                key_node.start_mark.line + 1, child.children
            )
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            position.children[i] = yaml_positions(item)
    return position


def json_location(path: Path, shown: str, loc: Sequence[str | int]) -> str:
    """``"shown:line"`` of the value at ``loc`` in a JSON file, or ``shown`` when unreadable."""
    try:
        text = path.read_bytes().removeprefix(BOM).decode("utf-8")
        json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return shown
    if json_nesting(text) is not None:
        return shown
    root, _ = JsonPositions(text).walk(0)
    return f"{shown}:{root.line_of(loc)}"
