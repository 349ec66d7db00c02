"""The 9-field canonical key: its fields, their fixed order, labels, meanings and CLI flags.

Everything that lists key fields (the provenance directive, the leaderboard popover, the
reproduce command, the docs) reads this one table so the order can never drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class KeyField:
    name: str
    label: str
    meaning: str
    group: Literal["key", "provenance"]

    @property
    def flag(self) -> str:
        """The ``codingagentbench run`` flag for this field, e.g. ``--behavior-mode``."""
        return "--" + self.name.replace("_", "-")


KEY_FIELDS: tuple[KeyField, ...] = (
    KeyField("tui", "TUI", "The coding-agent CLI under test, such as opencode or aider.", "key"),
    KeyField(
        "behavior_mode",
        "Behavior mode",
        "The agent's personality preset; conv is the conversational baseline.",
        "key",
    ),
    KeyField("model", "Model", "The open-weight model id the TUI talks to.", "key"),
    KeyField("task", "Task", "The task id from the catalogue, written category/slug.", "key"),
    KeyField(
        "plugin_stack", "Plugin stack", "The pinned plugin bundle loaded inside the TUI.", "key"
    ),
    KeyField(
        "tui_image_sha",
        "TUI image sha256",
        "The digest of the container image the TUI ran in.",
        "provenance",
    ),
    KeyField(
        "model_endpoint_sha",
        "Model endpoint sha256",
        "The digest of the model build or endpoint manifest that served the model.",
        "provenance",
    ),
    KeyField(
        "sampling_profile",
        "Sampling profile",
        "The sampling preset id, which fixes temperature, top_p and seed.",
        "provenance",
    ),
    KeyField(
        "task_added_date",
        "Task added date",
        "The day the task entered the registry; runs before it cannot have seen the task.",
        "provenance",
    ),
)

KEY_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in KEY_FIELDS)
IDENTITY_FIELDS: tuple[str, ...] = tuple(f.name for f in KEY_FIELDS if f.group == "key")
PROVENANCE_FIELDS: tuple[str, ...] = tuple(f.name for f in KEY_FIELDS if f.group == "provenance")
FIELD_BY_NAME: dict[str, KeyField] = {f.name: f for f in KEY_FIELDS}

MISSING_MARK = "\u2014"
"""What a field that a cell did not record is shown as: an em dash, never 0 or empty."""

NOT_APPLICABLE_MARK = "n/a"
"""What a value that does not apply is shown as (a refusal score on a task that expects no
refusal, Stays of a one-run cell): a mark of its own, never the not-recorded em dash."""

MARK_MEANINGS: dict[str, str] = {
    MISSING_MARK: "not recorded: no run of this row recorded the value",
    NOT_APPLICABLE_MARK: "not applicable: the value does not exist for this row",
}
"""Each mark that stands in for a value, and what it means, for legends."""

NOT_APPLICABLE_WHY: dict[str, str] = {
    "refusal": "not applicable: the task expects no refusal",
    "rank": "not applicable: the row has no interval to rank by",
}
"""Why a bare not-applicable mark stands in a column (the title a reader can hover or read);
a mark with its reason in brackets says it already."""

NOT_RECORDED_WHY = "not recorded: no run recorded the value"
"""The title of the not-recorded mark in a score."""
