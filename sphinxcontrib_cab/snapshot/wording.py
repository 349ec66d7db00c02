"""Pydantic validation errors in words a data author understands, one message per field."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .problems import Subtype

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pydantic import ValidationError

SHA_FIELDS = frozenset({"prompt_sha256", "stdout_sha256", "grade_sha256", "tui_image_sha"})


SHOWN = 60
"""The longest a value is quoted in a message."""


def show(value: Any) -> str:
    """``value`` as JSON in at most :data:`SHOWN` characters, ending in ``...`` when cut.

    Only as much of the value is written as can be shown, so a huge or deeply nested value
    costs no more than a small one."""
    parts: list[str] = []
    budget = [SHOWN + 1]

    def write(text: str) -> bool:
        parts.append(text[: budget[0]])
        budget[0] -= len(text)
        return budget[0] > 0

    def walk(item: Any) -> bool:
        if isinstance(item, dict):
            if not write("{"):
                return False
            for number, (key, inner) in enumerate(item.items()):
                prefix = ", " if number else ""
                if not (write(prefix + json.dumps(str(key), ensure_ascii=False) + ": ")):
                    return False
                if not walk(inner):
                    return False
            return write("}")
        if isinstance(item, list | tuple):
            if not write("["):
                return False
            for number, inner in enumerate(item):
                if (number and not write(", ")) or not walk(inner):
                    return False
            return write("]")
        if isinstance(item, str):
            return write(json.dumps(item[: SHOWN + 1], ensure_ascii=False))
        if isinstance(item, bytes):
            return write(repr(item[: SHOWN + 1]))
        return write(json.dumps(item, ensure_ascii=False, default=str))

    walk(value)
    text = "".join(parts)
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


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
                f"expected a JSON object with the {kind} fields, got {show(got)}",
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
        return Subtype.sha256, f"'{name}' is not a sha256 digest ({form}): got {show(got)}"
    if kind_of_error == "string_pattern_mismatch" and kind == "task" and parts == ("id",):
        return Subtype.record, (
            "'id' must be <category>/<slug>, with category integrity, mutations or polyglot and a "
            f"slug of lowercase letters, digits and hyphens: got {show(got)}"
        )
    if kind_of_error.startswith(("date", "datetime")):
        if kind_of_error.startswith("datetime"):
            form = "an ISO-8601 timestamp such as 2026-05-27T09:00:00.000000Z"
        else:
            form = "an ISO-8601 date such as 2026-05-27"
        reason = first.get("ctx", {}).get("error")
        because = f" ({reason})" if reason else ""
        return Subtype.date, f"'{name}' is not {form}: got {show(got)}{because}"
    if kind_of_error == "literal_error":
        expected = " or ".join(str(i.get("ctx", {}).get("expected", "")) for i in items)
        return Subtype.record, f"'{name}' must be {expected}: got {show(got)}"
    message = str(first["msg"]).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    return Subtype.record, f"'{name}': {message}: got {show(got)}"
