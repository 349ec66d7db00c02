"""The registry of warning subtypes: every warning cab emits names one of these.

Sphinx prints ``[cab.<subtype>]`` after each message, and ``suppress_warnings = ["cab.<subtype>"]``
silences one kind. The docs render this table, so adding a subtype here documents it.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from sphinx.util import logging

if TYPE_CHECKING:
    from docutils.nodes import Node

LOGGER = logging.getLogger("sphinxcontrib_cab")


class Subtype(Enum):
    """Warning subtypes, each with the description shown in the docs."""

    json = "a line or file is not valid JSON, or a JSONL file is empty or truncated"
    yaml = "the exploit ledger is not valid YAML, or uses a tag the safe loader refuses"
    encoding = "a data file is not UTF-8 text, or starts with a byte-order mark"
    record = "a record does not match the data contract (missing field, wrong type, unknown field)"
    date = "a date or timestamp is not ISO-8601, or dates are out of order"
    sha256 = "a sha256 or image digest is malformed"
    duplicate = "the same run (canonical key and rerun) or the same task/exploit id appears twice"
    row_count = "meta.json's row_count differs from the number of valid run rows read"
    unknown_task = "a run names a task that is not in the task catalogue"
    task_date = "a run's task_added_date disagrees with the task catalogue"
    exploit_cells = "an exploit's affected cells match no run in the snapshot"
    methodology = "a row's methodology version is newer than the pin in meta.json"
    source = "a configured data file or folder is missing or outside the project"
    config = "a cab_* configuration value is invalid"
    option = "a directive or role option has a value outside its allowed values"
    snapshot = "a directive names a snapshot that meta.json does not list"
    cell = "a directive or role names a cell or value that the snapshot does not contain"

    @property
    def description(self) -> str:
        return str(self.value)

    @property
    def qualified(self) -> str:
        """The name as used in ``suppress_warnings``."""
        return f"cab.{self.name.replace('_', '-')}"

    @property
    def tag(self) -> str:
        """The subtype string passed to Sphinx's logger."""
        return self.name.replace("_", "-")


def warn(
    message: str,
    subtype: Subtype,
    location: str | tuple[str, int | None] | Node | None = None,
) -> None:
    """Emit one cab warning; ``location`` is ``"path:line"``, ``(docname, line)`` or a node."""
    LOGGER.warning(message, type="cab", subtype=subtype.tag, location=location)
