"""Read a snapshot's raw files directly (not through the extension) to know what pages must show."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sphinxcontrib_cab.snapshot.keys import KEY_FIELDS

if TYPE_CHECKING:
    from pathlib import Path

Key = tuple[str | None, ...]


def run_records(snapshot: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in sorted((snapshot / "results" / "published").glob("*.jsonl")):
        with path.open(encoding="utf-8", newline="\n") as handle:
            for line in handle.read().split("\n"):
                if line.strip():
                    records.append(json.loads(line))
    return records


def cell_keys(snapshot: Path) -> set[Key]:
    """Every canonical key (nine values, ``None`` when not recorded) found in the run records."""
    return {
        tuple(
            None if record.get(field.name) is None else str(record[field.name])
            for field in KEY_FIELDS
        )
        for record in run_records(snapshot)
    }


def expected_arguments(key: Key, subcommand: str = "run") -> list[str]:
    """What ``codingagentbench`` receives from the reproduce command of ``key``."""
    arguments = [subcommand]
    for field, value in zip(KEY_FIELDS, key, strict=True):
        if value is not None:
            arguments += [field.flag, value]
    return arguments


def key_from_arguments(arguments: list[str]) -> Key:
    """Inverse of :func:`expected_arguments` (after the subcommand)."""
    by_flag = dict(zip(arguments[1::2], arguments[2::2], strict=True))
    return tuple(by_flag.get(field.flag) for field in KEY_FIELDS)
