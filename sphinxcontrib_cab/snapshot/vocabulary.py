"""The closed vocabularies of the data contract, importable without pydantic.

:mod:`.models` builds its field types from these, and directives that only need the allowed
values (option choices, ordering) import them from here, so loading the extension does not pay
for building the pydantic models until a snapshot is actually parsed.
"""

from __future__ import annotations

from typing import Literal

Category = Literal["integrity", "mutations", "polyglot"]
CATEGORIES: tuple[Category, ...] = ("integrity", "mutations", "polyglot")

Failure = Literal["rate_limit", "handshake", "timeout"]
FAILURES: tuple[Failure, ...] = ("rate_limit", "handshake", "timeout")

Severity = Literal["critical", "high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")

SCHEMA_NAMES: tuple[str, ...] = ("exploits", "meta", "run-record", "tasks")
"""The sources ``python -m sphinxcontrib_cab schema`` prints, sorted (keys of models.SCHEMAS)."""
